"""Finding written dates: the forms the scanner reads, and what it does not take for a date."""

import datetime as dt

import pytest

from dates_pages import D, dated, page
from newsarchive.dates import parse_date_string
from newsarchive.dates.scan import scan, scan_short_years


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
    result = dated(page(line))
    assert (result.day, result.source) == (expected, "text")


@pytest.mark.parametrize(
    "line, language, expected",
    [
        ("Jun 18th 2018", None, D(2018, 6, 18)),  # ordinal day, no comma before the year
        ("Publié le 02/11/23 à 16h33", "fr", D(2023, 11, 2)),  # 2-digit year on the date line
        ("Publié le 27 Mar 20 à 9:21", "fr", D(2020, 3, 27)),  # month name with a 2-digit year
        ("von lupa am 26/10/13, 03:48 pm", "de", D(2013, 10, 26)),
    ],
)
def test_more_date_line_forms(line, language, expected):
    text = page(line) + "\nThe new library will open on 3 May 2027 if the council agrees."
    result = dated(text, language=language)
    assert (result.day, result.source) == (expected, "text")


def test_parse_date_string_forms():
    assert parse_date_string("2020-06-07")[0] == D(2020, 6, 7)
    assert parse_date_string("Mon, 13 Jan 2020 10:00:00 +0000") == (
        D(2020, 1, 13), dt.datetime(2020, 1, 13, 10, 0, tzinfo=dt.timezone.utc))
    assert parse_date_string("19.10.2023")[0] == D(2023, 10, 19)
    assert parse_date_string("nonsense") is None


def test_copyright_year_is_not_a_date():
    text = page("By Michael Lee") + "\n© 2019 Harbour Media Group. All rights reserved.\n© 1987 site.com"
    assert dated(text).source == "acquired"


def test_two_digit_years_far_from_the_article_top_are_not_dates():
    # A version number or a score in the footer is no date line; the page has a 4-digit year
    # elsewhere, so the full-text 2-digit fallback does not run either.
    text = page("By Michael Lee") + "\n" + "\n".join(["More"] * 12) + "\nFirmware 12.10.19 released"
    text += "\n© 2019 Harbour Media"
    assert dated(text).source == "acquired"


def test_month_name_glued_to_the_byline_is_a_date_line():
    sidebar = "\n".join(["Arts", "See all", "Longer Nights: Arts Calendar", "November 8, 2023",
                         "Full Moon Sesh a Hit", "October 27, 2023"])
    text = sidebar + "\n- Wellness\n- Food\n- Music\n" + page("Shana Nys DambrotNovember 6, 2023")
    assert dated(text).day == D(2023, 11, 6)


def test_scan_finds_each_form_once_in_page_order():
    text = "Posted 19.10.2023 | Oct. 20, 2023 - 2023-10-21 and 22 de octubre de 2023"
    assert [c.day for c in scan(text)] == [D(2023, 10, 19), D(2023, 10, 20), D(2023, 10, 21), D(2023, 10, 22)]
    c = scan("am 19.10.2023 um 9 Uhr")[0]
    assert "am 19.10.2023 um 9 Uhr"[c.start:c.end] == "19.10.2023"


@pytest.mark.parametrize("text", [
    "in 2020 the council", "Heft Nr. 182009", "version 1.2.3.2023", "call 05/11/2031-7",
    "© 2019 Harbour Media", "31.02.2020", "13/13/2020", "Mai 1099", "June 2029 and 2900",
])
def test_not_dates(text):
    assert [c.day for c in scan(text) if c.day.year < 2028] == []


def test_numeric_dates_keep_their_ambiguity_and_dotted_ones_are_day_first():
    a, b, c = scan("09/04/1987 25/12/1987 09.04.1987")
    assert a.ambiguous == (D(1987, 4, 9), D(1987, 9, 4))
    assert b.ambiguous is None and b.numeric_order == "dmy"  # a day over 12: evidence of the page's order
    assert c.day == D(1987, 4, 9) and c.ambiguous is None


def test_two_digit_years_are_read_only_where_asked():
    text = "Firmware 12.10.19 released\nPublié le 27 Mar 20 à 9:21"
    assert scan(text) == []
    found = scan_short_years(text, [], text.index("Publié"), len(text), named=True)
    assert [c.day for c in found] == [D(2020, 3, 27)]
    assert [c.day for c in scan_short_years("am 28.09.19", [])] == [D(2019, 9, 28)]
    assert [c.day for c in scan_short_years("Wire 05.03.87", [])] == [D(1987, 3, 5)]  # 70-99: the 1900s


def test_parse_date_string_is_none_for_what_names_no_single_day():
    for value in ("2020", "2024-02", "09/04/1987", "", "   ", "Tuesday"):
        assert parse_date_string(value) is None, value
    assert parse_date_string("2020-02-14T23:30:00-05:00") == (
        D(2020, 2, 14), dt.datetime(2020, 2, 15, 4, 30, tzinfo=dt.timezone.utc))
    assert parse_date_string("٢٥ ديسمبر ٢٠٢٠")[0] == D(2020, 12, 25)
