"""The dates stage: formats, precedence, range checks, ambiguity, determinism."""

import datetime as dt

import pytest

from newsarchive.dates import EVENT_DATE_SOURCES, EventDate, event_date, parse_date_string, url_date
from newsarchive.settings import Settings

ACQ = dt.date(2026, 11, 22)
D = dt.date


def page(*lines: str) -> str:
    """A dump shaped like the real ones: chrome, headline, dateline, a paragraph of prose."""
    prose = ("The council met on a cold morning and discussed the budget for the coming year at "
             "length, with several members asking for more detail on the spending plans and the "
             "timetable for the new library building.")
    return "\n".join(["Home", "- News", "- Sport", "Council approves the budget", *lines, prose, prose])


@pytest.mark.parametrize(
    "line, expected",
    [
        ("14 Jan, 2024", D(2024, 1, 14)),
        ("Published : Oct. 19, 2023 - 22:12", D(2023, 10, 19)),
        ("November 3rd, 2023", D(2023, 11, 3)),
        ("Published 29th Oct 2023, 12:47 GMT", D(2023, 10, 29)),
        ("Tuesday, December 8, 2020", D(2020, 12, 8)),
        ("Sept. 8, 2020 at 9:22 a.m. ET", D(2020, 9, 8)),
        ("2023-11-02 20:13", D(2023, 11, 2)),
        ("2016/11/18 06:31:41", D(2016, 11, 18)),
        ("Veröffentlicht am 13. März 2019 von Michael", D(2019, 3, 13)),
        ("Stand: 19.10.2019 11:05 Uhr", D(2019, 10, 19)),
        ("Dienstag, 1. Februar 2022", D(2022, 2, 1)),
        ("am 20.09.2020", D(2020, 9, 20)),
        ("17. Jänner 2020", D(2020, 1, 17)),
        ("입력 2023.10.19 22:12", D(2023, 10, 19)),
        ("2023년 10월 19일 발행", D(2023, 10, 19)),
        ("2020年07月03日", D(2020, 7, 3)),
        ("Publié le 2 nov. 2023 à 16:00", D(2023, 11, 2)),
        ("jueves 2 de abril de 2020", D(2020, 4, 2)),
        ("Pubblicato il: 30 Settembre 2020", D(2020, 9, 30)),
        ("МК в регионах 13 января 2020", D(2020, 1, 13)),
        ("30 Ekim 2020 Cuma 18:28", D(2020, 10, 30)),
        ("lassú kilábalás 2020. 08. 18. 21:35", D(2020, 8, 18)),
        ("٢٥ ديسمبر ٢٠٢٠ | ٢:٠١ ص", D(2020, 12, 25)),
        ("2. Februar 20202. Februar 2020 Alexander Roll", D(2020, 2, 2)),  # glued by the dump
        ("Freitag, 04.02.2022 | 11:38 Uhr", D(2022, 2, 4)),
        ("28.09.19", D(2019, 9, 28)),  # two-digit year
    ],
)
def test_written_formats(line, expected):
    result = event_date(acquired=ACQ, page_text=page(line))
    assert (result.day, result.source) == (expected, "text")


def test_seed_like_dateline_beats_a_past_event_in_the_body():
    text = page("Published : Oct. 19, 2023 - 22:12") + "\nPutin last visited Pyongyang on July 19, 2000."
    assert event_date(acquired=ACQ, page_text=text).day == D(2023, 10, 19)


def test_publication_beats_update():
    text = page("Published November 9, 2023 3:02am EST | Updated November 10, 2023 3:18am EST")
    assert event_date(acquired=ACQ, page_text=text).day == D(2023, 11, 9)
    text = page("Aktualisiert am 19.02.2020", "Veröffentlicht am 26.09.2019")
    assert event_date(acquired=ACQ, page_text=text).day == D(2019, 9, 26)


def test_an_unlabelled_dateline_beats_an_update():
    text = page("April 21, 2020 at 5:52 pm", "Updated April 22, 2020 at 7:07 am")
    assert event_date(acquired=ACQ, page_text=text).day == D(2020, 4, 21)


def test_update_alone_stands_for_publication():
    text = page("Updated 19 October 2023")
    assert event_date(acquired=ACQ, page_text=text).day == D(2023, 10, 19)


def test_no_written_date_falls_back_to_acquired():
    text = page("By Michael Lee") + "\nShe met Lavrov on Tuesday, after the Sept. 13 summit."
    assert event_date(acquired=ACQ, page_text=text) == EventDate(ACQ, "acquired", None)


def test_future_and_pre_floor_dates_are_rejected():
    assert event_date(acquired=D(2020, 1, 1), page_text=page("Published 5 January 2020")).source == "acquired"
    assert event_date(acquired=D(2020, 1, 4), page_text=page("Published 5 January 2020")).day == D(2020, 1, 5)
    settings = Settings(date_floor=D(2000, 1, 1))
    result = event_date(acquired=ACQ, page_text=page("Published 5 January 1987"), settings=settings)
    assert result.source == "acquired"
    result = event_date(acquired=ACQ, page_text=page("Published 5 January 1987"))
    assert result.day == D(1987, 1, 5)  # default floor keeps 1980s wire copy


def test_day_month_without_year_is_resolved_against_acquisition():
    result = event_date(acquired=D(2024, 1, 20), date_lines=["Published Jan 14"], body="Text.")
    assert result.day == D(2024, 1, 14)
    result = event_date(acquired=D(2024, 1, 5), date_lines=["Published Dec 30"], body="Text.")
    assert result.day == D(2023, 12, 30)


def test_ambiguous_numeric_date_follows_the_page():
    # The page writes another numeric date with the day first (25/12/1987): 09/04 is 9 April.
    text = page("Published 09/04/1987") + "\nThe previous meeting was on 25/12/1987 downtown."
    assert event_date(acquired=ACQ, page_text=text).day == D(1987, 4, 9)
    # Month names written month-first point to US order: 09/04 is 4 September.
    text = page("Published 09/04/1987") + "\nThe previous meeting was on December 25, 1986 downtown."
    assert event_date(acquired=ACQ, page_text=text).day == D(1987, 9, 4)
    # German page: day first.
    assert event_date(acquired=ACQ, page_text=page("Published 09/04/1987"), language="de").day == D(1987, 4, 9)
    # No evidence at all: no guess.
    assert event_date(acquired=ACQ, page_text=page("Published 09/04/1987")).source == "acquired"


def test_weekday_must_match():
    # 8 December 2020 was a Tuesday; the wrong weekday makes the date untrustworthy.
    assert event_date(acquired=ACQ, page_text=page("Friday, December 8, 2020")).source == "acquired"


def test_declared_date_first_and_its_timestamp():
    result = event_date(acquired=ACQ, declared="2023-10-19T22:12:00+09:00", page_text=page("Oct 1, 2023"))
    assert result.day == D(2023, 10, 19) and result.source == "declared"
    assert result.published_at == dt.datetime(2023, 10, 19, 13, 12, tzinfo=dt.timezone.utc)
    # The publisher's local day is kept even when UTC is the day before.
    result = event_date(acquired=ACQ, declared="2023-10-19T02:00:00+09:00")
    assert result.day == D(2023, 10, 19) and result.published_at.date() == D(2023, 10, 18)


def test_published_at_only_with_time_and_zone():
    assert event_date(acquired=ACQ, page_text=page("Published: Nov 8, 2023 at 5:25 pm")).published_at is None
    result = event_date(acquired=ACQ, page_text=page("Published: November 2, 2023 6.55pm SAST"))
    assert result.published_at == dt.datetime(2023, 11, 2, 16, 55, tzinfo=dt.timezone.utc)
    result = event_date(acquired=ACQ, page_text=page("Published : Oct. 19, 2023 - 22:12 KST"))
    assert result.published_at == dt.datetime(2023, 10, 19, 13, 12, tzinfo=dt.timezone.utc)


def test_url_date():
    assert url_date("https://www.thepoke.com/2023/11/03/hannah-waddingham/") == D(2023, 11, 3)
    assert url_date("https://www.achgut.com/artikel/bericht_vom_22.04.2020_worauf") == D(2020, 4, 22)
    assert url_date("https://example.com/news/20200113-skoda") == D(2020, 1, 13)
    assert url_date("https://example.com/news/article-33328852") is None
    result = event_date(acquired=ACQ, page_text=page("No date here"), url="https://x.com/2019/07/30/story")
    assert (result.day, result.source) == (D(2019, 7, 30), "url")


def test_html_metadata_and_text_agree():
    html = """<html><head><title>Council approves the budget</title>
    <meta property="article:published_time" content="2021-03-04T08:30:00+01:00"></head>
    <body><h1>Council approves the budget</h1><p class="date">4. März 2021</p>
    <p>""" + "Der Rat hat am Donnerstag lange über den Haushalt beraten und ihn dann beschlossen. " * 3 + """</p>
    </body></html>"""
    result = event_date(acquired=ACQ, html=html)
    assert (result.day, result.source) == (D(2021, 3, 4), "metadata")
    assert result.published_at == dt.datetime(2021, 3, 4, 7, 30, tzinfo=dt.timezone.utc)


def test_html_jsonld():
    html = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
    "datePublished": "2020-01-13T13:39:00Z", "dateModified": "2020-01-14T10:00:00Z"}</script></head>
    <body><p>January 13, 2020 / 1:39 PM</p><p>""" + "Skoda deliveries dipped last year in China. " * 5 + """</p></body></html>"""
    assert event_date(acquired=ACQ, html=html).day == D(2020, 1, 13)


def test_parse_date_string_forms():
    assert parse_date_string("2020-06-07")[0] == D(2020, 6, 7)
    assert parse_date_string("Mon, 13 Jan 2020 10:00:00 +0000") == (
        D(2020, 1, 13), dt.datetime(2020, 1, 13, 10, 0, tzinfo=dt.timezone.utc))
    assert parse_date_string("19.10.2023")[0] == D(2023, 10, 19)
    assert parse_date_string("nonsense") is None


def test_vocabulary_and_determinism():
    text = page("Published Nov 8, 2023")
    results = {event_date(acquired=ACQ, page_text=text) for _ in range(3)}
    assert len(results) == 1
    assert {"acquired", "text", "metadata", "html", "url", "declared"} <= set(EVENT_DATE_SOURCES)
    assert next(iter(results)).source in EVENT_DATE_SOURCES
    assert event_date(acquired=ACQ).source == "acquired"
    assert event_date(acquired=ACQ, page_text="").source == "acquired"
