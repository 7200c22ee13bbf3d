"""HTML metadata, canonical URLs, URL dates, and htmldate believed only for written days."""

import datetime as dt

import pytest

from dates_pages import D, dated, html_page
from newsarchive.dates import url_date
from newsarchive.dates.html_meta import canonical_url, html_metadata, htmldate_guess, written_in_markup
from newsarchive.page import parse_html

UTC = dt.timezone.utc


def test_url_date():
    assert url_date("https://www.thepoke.com/2023/11/03/hannah-waddingham/") == D(2023, 11, 3)
    assert url_date("https://www.achgut.com/artikel/bericht_vom_22.04.2020_worauf") == D(2020, 4, 22)
    assert url_date("https://example.com/news/20200113-skoda") == D(2020, 1, 13)
    assert url_date("https://example.com/news/article-33328852") is None
    assert url_date("https://example.com/2024/02/dock-fees") is None  # a month names no day
    assert url_date("https://20200113.example.com/news") is None  # the host is not the path
    assert url_date(None) is None


@pytest.mark.parametrize("head, expected", [
    ('<meta property="article:published_time" content="2020-01-13T13:39:00+00:00">',
     (D(2020, 1, 13), dt.datetime(2020, 1, 13, 13, 39, tzinfo=UTC))),
    ('<meta name="DC.date.issued" content="2020-01-13">', (D(2020, 1, 13), None)),
    ('<meta itemprop="datePublished" content="13.01.2020">', (D(2020, 1, 13), None)),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "dateModified": "2020-01-14T10:00:00Z",'
     ' "datePublished": "2020-01-13T13:39:00Z"}</script>',
     (D(2020, 1, 13), dt.datetime(2020, 1, 13, 13, 39, tzinfo=UTC))),
    # A change is not the event: modification keys are not read.
    ('<meta property="article:modified_time" content="2020-01-14T10:00:00+00:00">', None),
    ('<meta name="date" content="2020">', None),  # a year names no day
])
def test_html_metadata(head, expected):
    assert html_metadata(parse_html(f"<html><head>{head}</head><body><p>x</p></body></html>")) == expected


def test_html_metadata_from_time_pubdate():
    tree = parse_html('<html><body><time pubdate datetime="2019-05-02T08:00:00">2 May</time></body></html>')
    assert html_metadata(tree) == (D(2019, 5, 2), None)
    tree = parse_html('<html><body><time datetime="2019-05-02">2 May</time></body></html>')
    assert html_metadata(tree) is None  # any <time> is no publication claim


def test_jsonld_publication_date_wins_over_a_page_written_otherwise_only_as_a_stamp():
    html = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
    "datePublished": "2020-01-13T13:39:00Z", "dateModified": "2020-01-14T10:00:00Z"}</script></head>
    <body><p>January 13, 2020 / 1:39 PM</p><p>""" + "Skoda deliveries dipped last year in China. " * 5 \
        + "</p></body></html>"
    assert dated(html=html).day == D(2020, 1, 13)


def test_canonical_url():
    def head(markup):
        return parse_html(f"<html><head>{markup}</head></html>")

    assert canonical_url(head('<link rel="canonical" href="https://a.example/x">')) == "https://a.example/x"
    assert canonical_url(head('<meta property="og:url" content="https://b.example/y">')) == "https://b.example/y"
    assert canonical_url(parse_html("<html><body><p>x</p></body></html>")) is None


def test_written_in_markup():
    day = D(2024, 2, 14)
    assert written_in_markup(day, "<html></html>", frozenset({day}))  # the visible text writes it
    for markup in ('<time datetime="2024-02-14T09:00">', '<a href="/2024/02/14/x">', 'data-id="20240214"',
                   "14.02.2024", '<a href="/news/14-02-2024">'):
        assert written_in_markup(day, markup, frozenset()), markup
    for markup in ("© 2024", "2024-02", '<a href="/2024/02/">', "2024-01-01"):
        assert not written_in_markup(day, markup, frozenset()), markup


def test_htmldate_turns_a_copyright_year_into_1_january():
    # Why its answer needs the written check: it names a day no page writes.
    html = ("<html><head><title>Dock fees rise</title></head><body><p>"
            + "The harbour board met and agreed to raise the dock fees for the season. " * 3
            + "</p><footer>© 2024 Harbour Media</footer></body></html>")
    assert htmldate_guess(html, None, D(1970, 1, 1), D(2024, 2, 21)) == D(2024, 1, 1)
    assert not written_in_markup(D(2024, 1, 1), html, frozenset())
    assert dated(html=html, article=False, acquired=D(2024, 2, 20)).source == "acquired"
    assert dated(html=html_page("", "no date"), article=False).source == "acquired"
