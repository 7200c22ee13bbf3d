"""The stage: precedence of the witnesses, range, determinism, and nothing claimed that is not
written on the page or in its metadata."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from dates_pages import ACQ, D, PROSE, dated, html_page, page
from newsarchive.dates import EVENT_DATE_SOURCES, DateConfig, EventDate, event_date
from newsarchive.page import Page

FIXTURES = Path(__file__).parent / "fixtures" / "dates"


def test_no_written_date_falls_back_to_acquired():
    text = page("By Michael Lee") + "\nShe met Lavrov on Tuesday, after the Sept. 13 summit."
    assert dated(text) == EventDate(ACQ, "acquired", None)


def test_future_and_pre_floor_dates_are_rejected():
    assert dated(acquired=D(2020, 1, 1), text=page("Published 5 January 2020")).source == "acquired"
    assert dated(acquired=D(2020, 1, 4), text=page("Published 5 January 2020")).day == D(2020, 1, 5)
    result = dated(page("Published 5 January 1987"), config=DateConfig(date_floor=D(2000, 1, 1)))
    assert result.source == "acquired"
    result = dated(page("Published 5 January 1987"))
    assert result.day == D(1987, 1, 5)  # default floor keeps 1980s wire copy


def test_declared_date_first_and_its_timestamp():
    result = dated(page("Oct 1, 2023"), declared="2023-10-19T22:12:00+09:00")
    assert result.day == D(2023, 10, 19) and result.source == "declared"
    assert result.published_at == dt.datetime(2023, 10, 19, 13, 12, tzinfo=dt.timezone.utc)
    # The publisher's local day is kept even when UTC is the day before.
    result = dated(declared="2023-10-19T02:00:00+09:00")
    assert result.day == D(2023, 10, 19) and result.published_at.date() == D(2023, 10, 18)
    # A JSONL record's declaration beats the markup's metadata too: it is the input's own word.
    meta = '<meta property="article:published_time" content="2021-03-04T08:30:00+01:00">'
    assert dated(html=html_page(meta, "4 March 2021"), declared="2021-03-05").source == "declared"
    # A declaration that is no date, or out of range, is no evidence.
    assert dated(page("Published 5 January 2020"), declared="yesterday").day == D(2020, 1, 5)
    assert dated(page("Published 5 January 2020"), declared="2031-01-01").day == D(2020, 1, 5)


def test_html_metadata_and_text_agree():
    html = """<html><head><title>Council approves the budget</title>
    <meta property="article:published_time" content="2021-03-04T08:30:00+01:00"></head>
    <body><h1>Council approves the budget</h1><p class="date">4. März 2021</p>
    <p>""" + "Der Rat hat am Donnerstag lange über den Haushalt beraten und ihn dann beschlossen. " * 3 + """</p>
    </body></html>"""
    result = dated(html=html)
    assert (result.day, result.source) == (D(2021, 3, 4), "metadata")
    assert result.published_at == dt.datetime(2021, 3, 4, 7, 30, tzinfo=dt.timezone.utc)


def test_vocabulary_and_determinism():
    text = page("Published Nov 8, 2023")
    results = {dated(text) for _ in range(3)}
    assert len(results) == 1
    assert set(EVENT_DATE_SOURCES) == {"acquired", "text", "metadata", "html", "url", "declared"}
    assert next(iter(results)).source in EVENT_DATE_SOURCES
    assert dated("").source == "acquired"
    assert dated(html="").source == "acquired"  # unparsable markup


def test_html_written_local_day_beats_a_utc_stamp_one_day_off():
    meta = '<meta property="article:published_time" content="2020-12-24T23:59:50+00:00">'
    result = dated(html=html_page(meta, "December 25, 2020"))
    assert (result.day, result.source) == (D(2020, 12, 25), "text")
    assert result.published_at == dt.datetime(2020, 12, 24, 23, 59, 50, tzinfo=dt.timezone.utc)
    # Early in the UTC day the written day one before is the local one; late it is not.
    meta = '<meta property="article:published_time" content="2020-12-25T03:00:00+00:00">'
    assert dated(html=html_page(meta, "December 24, 2020")).day == D(2020, 12, 24)
    # Mid-day in UTC both zones see the same day: a weaker written date does not move it.
    meta = '<meta property="article:published_time" content="2020-12-25T13:00:00+00:00">'
    assert dated(html=html_page(meta, "Updated December 24, 2020")).day == D(2020, 12, 25)


def test_html_metadata_beats_a_conflicting_written_date():
    meta = '<meta property="article:published_time" content="2020-10-26T17:10:00+00:00">'
    result = dated(html=html_page(meta, "Last reviewed August 9, 2020"))
    assert (result.day, result.source) == (D(2020, 10, 26), "metadata")


def test_html_decisive_date_line_overrules_metadata():
    meta = '<meta property="article:published_time" content="2021-01-01T11:00:00+00:00">'
    result = dated(html=html_page(meta, "01.04.2023, 12:00"), published="2021-01-01")
    assert (result.day, result.source) == (D(2023, 4, 1), "text")
    # The decision rests on the date line's score and lead: below the bar the metadata stays.
    strict = DateConfig(decisive_score=50.0)
    assert dated(html=html_page(meta, "01.04.2023, 12:00"), config=strict).source == "metadata"
    # A column of stamps is no date line of the article's: the metadata stays.
    stamps = "</p><p>09.08.2020 u 10:52</p><p>Anna</p><p>25.05.2020 u 21:08</p><p>"
    result = dated(html=html_page(meta.replace("2021-01-01", "2020-10-26"), stamps))
    assert (result.day, result.source) == (D(2020, 10, 26), "metadata")


def test_html_without_metadata_the_written_date_stands_unless_htmldate_is_years_away():
    result = dated(html=html_page("", "September 28, 2019"), published="2019-09-21")
    assert (result.day, result.source) == (D(2019, 9, 28), "text")
    # Years apart (and htmldate's day written on the page): a confusing page, no claim.
    result = dated(html=html_page("", 'June 29, 2007 <span data-day="2016-11-18"></span>'), published="2016-11-18")
    assert result.source == "acquired"


GALLERY = ('<html><head><title>Gallery</title></head><body><div><time datetime="2013-02-16T10:00:00"></time></div>'
           '<p>' + "The boats came in late and the nets were full of fish for the market. " * 3 + '</p></body></html>')


def test_htmldate_speaks_when_nothing_else_does_for_a_day_written_in_the_markup():
    # The cleaner's `published` is trafilatura's run of htmldate: no second run.
    result = dated(html=GALLERY, published="2013-02-16")
    assert (result.day, result.source) == (D(2013, 2, 16), "html")
    # Without a cleaner the stage runs htmldate itself.
    result = dated(html=GALLERY, article=False)
    assert (result.day, result.source) == (D(2013, 2, 16), "html")


# --- Issue 10: February 2024 pages dated 2024-01-01, a day written in neither page. -----------

HARBOUR = "<p>" + "The harbour board met and agreed to raise the dock fees for the coming season. " * 3 + "</p>"


def test_a_copyright_year_is_no_date_even_when_htmldate_makes_it_1_january():
    html = ("<html><head><title>Dock fees rise</title></head><body><h1>Dock fees rise</h1>" + HARBOUR
            + "<footer>© 2024 Harbour Media. All rights reserved.</footer></body></html>")
    acquired = D(2024, 2, 20)
    # htmldate (run by trafilatura in the pipeline, or here without a cleaner) answers 2024-01-01.
    for result in (dated(html=html, published="2024-01-01", acquired=acquired),
                   dated(html=html, article=False, acquired=acquired)):
        assert result == EventDate(acquired, "acquired", None)
    text = "Dock fees rise\n" + PROSE + "\n" + PROSE + "\n© 2024 Harbour Media. All rights reserved."
    assert dated(text, acquired=acquired) == EventDate(acquired, "acquired", None)


def test_february_2024_pages_acquired_later_get_their_written_day_or_none():
    acquired = D(2024, 3, 18)
    meta = '<meta property="article:published_time" content="2024-02-14T09:30:00+01:00">'
    html = html_page(meta, "14 February 2024") + "<footer>© 2024 Harbour Media</footer>"
    assert dated(html=html, published="2024-01-01", acquired=acquired).day == D(2024, 2, 14)
    assert dated(page("Published 14 February 2024"), acquired=acquired).day == D(2024, 2, 14)
    # A day and month without a year: the year is not written, so no day is claimed (resolving it
    # against the acquisition date is a guess, wrong for any page older than a year).
    for line in ("Published 14 February", "14.02.", "Feb. 14 at 9:30 am"):
        result = dated(page(line) + "\n© 2024 Harbour Media", acquired=acquired)
        assert result == EventDate(acquired, "acquired", None), line
    # A month-level metadata value ("2024-02") names no day either.
    html = html_page('<meta name="date" content="2024-02">', "Dock fees rise")
    assert dated(html=html, acquired=acquired).source == "acquired"


def test_clamped_or_guessed_htmldate_answers_are_dropped():
    # A day htmldate may return from its own range limits, not written anywhere: not believed.
    html = html_page("", "Dock fees rise")
    assert dated(html=html, published="2024-02-21", acquired=D(2024, 2, 20)).source == "acquired"
    assert dated(html=html, published="1995-01-01", acquired=D(2024, 2, 20)).source == "acquired"
    # Written in the markup in a machine form (a data attribute, a URL): believed.
    html = html_page("", '<a href="/news/2024/02/14/dock-fees">Dock fees rise</a>')
    assert dated(html=html, published="2024-02-14", acquired=D(2024, 2, 20)).source == "html"


# --- The contract with the clean stage ---------------------------------------------------------


def test_the_cleaners_body_span_places_the_article():
    # The cleaner says the article starts at its short first paragraph; the stage alone would take
    # the first long prose line further down for the body and the date line above it.
    lines = ["Home", "Council approves the budget", "9 March 2020", "The council met and decided.",
             "It was a long day.", *[f"- Section {i}" for i in range(10)], "5 March 2020", PROSE, PROSE]
    text = "\n".join(lines)
    start = text.index("The council met")
    assert dated(text, body_span=(start, len(text)), config=DateConfig(use_body_span=True)).day == D(2020, 3, 9)
    assert dated(text).day == D(2020, 3, 5)
    # Off by default (docs/dates.md): the span is then ignored.
    assert dated(text, body_span=(start, len(text))).day == D(2020, 3, 5)


def test_the_stage_reads_the_page_not_the_cleaners_date_lines():
    # The cleaner's date lines lose where each stood; the page keeps it.
    text = (FIXTURES / "update_only_comments.txt").read_text(encoding="utf-8")
    article = SimpleNamespace(language="en", published=None, body_span=None,
                              date_lines=["Jane Miller 2019-11-20 14:35:08", "November 16, 2016"])
    result = event_date(Page("text", text), acquired=ACQ, article=article, config=DateConfig())
    assert result == EventDate(D(1987, 4, 13), "text", None)


def test_url_date_when_nothing_on_the_page():
    result = dated(page("No date here"), url="https://x.com/2019/07/30/story")
    assert (result.day, result.source) == (D(2019, 7, 30), "url")
    html = html_page('<link rel="canonical" href="https://x.com/news/2019/07/30/story">', "No date here")
    assert dated(html=html).day == D(2019, 7, 30)
