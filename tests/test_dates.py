"""The dates stage: formats, precedence, range checks, ambiguity, determinism."""

import datetime as dt
from pathlib import Path

import pytest

from dates_pages import ACQ, D, dated, html_page, page, wire_page
from newsarchive.dates import EVENT_DATE_SOURCES, DateConfig, DateConventions, EventDate, parse_date_string, url_date
from newsarchive.sites import site_key

FIXTURES = Path(__file__).parent / "fixtures" / "dates"


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


def test_seed_like_dateline_beats_a_past_event_in_the_body():
    text = page("Published : Oct. 19, 2023 - 22:12") + "\nPutin last visited Pyongyang on July 19, 2000."
    assert dated(text).day == D(2023, 10, 19)


def test_publication_beats_update():
    text = page("Published November 9, 2023 3:02am EST | Updated November 10, 2023 3:18am EST")
    assert dated(text).day == D(2023, 11, 9)
    text = page("Aktualisiert am 19.02.2020", "Veröffentlicht am 26.09.2019")
    assert dated(text).day == D(2019, 9, 26)


def test_an_unlabelled_dateline_beats_an_update():
    text = page("April 21, 2020 at 5:52 pm", "Updated April 22, 2020 at 7:07 am")
    assert dated(text).day == D(2020, 4, 21)


def test_update_alone_stands_for_publication():
    text = page("Updated 19 October 2023")
    assert dated(text).day == D(2023, 10, 19)


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


def test_ambiguous_numeric_date_follows_the_page():
    # The page writes another numeric date with the day first (25/12/1987): 09/04 is 9 April.
    text = page("Published 09/04/1987") + "\nThe previous meeting was on 25/12/1987 downtown."
    assert dated(text).day == D(1987, 4, 9)
    # Month names the outlet itself writes month-first (its chrome, not the article prose) point
    # to US order: 09/04 is 4 September.
    text = "Monday, December 1, 1986\n" + page("Published 09/04/1987")
    assert dated(text).day == D(1987, 9, 4)
    # German page: day first.
    assert dated(page("Published 09/04/1987"), language="de").day == D(1987, 4, 9)
    # No evidence at all: no guess.
    assert dated(page("Published 09/04/1987")).source == "acquired"


def test_weekday_must_match():
    # 8 December 2020 was a Tuesday; the wrong weekday makes the date untrustworthy.
    assert dated(page("Friday, December 8, 2020")).source == "acquired"


def test_declared_date_first_and_its_timestamp():
    result = dated(page("Oct 1, 2023"), declared="2023-10-19T22:12:00+09:00")
    assert result.day == D(2023, 10, 19) and result.source == "declared"
    assert result.published_at == dt.datetime(2023, 10, 19, 13, 12, tzinfo=dt.timezone.utc)
    # The publisher's local day is kept even when UTC is the day before.
    result = dated(declared="2023-10-19T02:00:00+09:00")
    assert result.day == D(2023, 10, 19) and result.published_at.date() == D(2023, 10, 18)


def test_published_at_only_with_time_and_zone():
    assert dated(page("Published: Nov 8, 2023 at 5:25 pm")).published_at is None
    result = dated(page("Published: November 2, 2023 6.55pm SAST"))
    assert result.published_at == dt.datetime(2023, 11, 2, 16, 55, tzinfo=dt.timezone.utc)
    result = dated(page("Published : Oct. 19, 2023 - 22:12 KST"))
    assert result.published_at == dt.datetime(2023, 10, 19, 13, 12, tzinfo=dt.timezone.utc)


def test_url_date():
    assert url_date("https://www.thepoke.com/2023/11/03/hannah-waddingham/") == D(2023, 11, 3)
    assert url_date("https://www.achgut.com/artikel/bericht_vom_22.04.2020_worauf") == D(2020, 4, 22)
    assert url_date("https://example.com/news/20200113-skoda") == D(2020, 1, 13)
    assert url_date("https://example.com/news/article-33328852") is None
    result = dated(page("No date here"), url="https://x.com/2019/07/30/story")
    assert (result.day, result.source) == (D(2019, 7, 30), "url")


def test_html_metadata_and_text_agree():
    html = """<html><head><title>Council approves the budget</title>
    <meta property="article:published_time" content="2021-03-04T08:30:00+01:00"></head>
    <body><h1>Council approves the budget</h1><p class="date">4. März 2021</p>
    <p>""" + "Der Rat hat am Donnerstag lange über den Haushalt beraten und ihn dann beschlossen. " * 3 + """</p>
    </body></html>"""
    result = dated(html=html)
    assert (result.day, result.source) == (D(2021, 3, 4), "metadata")
    assert result.published_at == dt.datetime(2021, 3, 4, 7, 30, tzinfo=dt.timezone.utc)


def test_html_jsonld():
    html = """<html><head><script type="application/ld+json">{"@type": "NewsArticle",
    "datePublished": "2020-01-13T13:39:00Z", "dateModified": "2020-01-14T10:00:00Z"}</script></head>
    <body><p>January 13, 2020 / 1:39 PM</p><p>""" + "Skoda deliveries dipped last year in China. " * 5 + """</p></body></html>"""
    assert dated(html=html).day == D(2020, 1, 13)


def test_parse_date_string_forms():
    assert parse_date_string("2020-06-07")[0] == D(2020, 6, 7)
    assert parse_date_string("Mon, 13 Jan 2020 10:00:00 +0000") == (
        D(2020, 1, 13), dt.datetime(2020, 1, 13, 10, 0, tzinfo=dt.timezone.utc))
    assert parse_date_string("19.10.2023")[0] == D(2023, 10, 19)
    assert parse_date_string("nonsense") is None


def test_vocabulary_and_determinism():
    text = page("Published Nov 8, 2023")
    results = {dated(text) for _ in range(3)}
    assert len(results) == 1
    assert {"acquired", "text", "metadata", "html", "url", "declared"} <= set(EVENT_DATE_SOURCES)
    assert next(iter(results)).source in EVENT_DATE_SOURCES
    assert dated("").source == "acquired"


# --- Page evidence: datelines, position, update-only pages, lists below the article. ---------


def test_fixture_ddmm_resolved_by_body_dateline_despite_body_and_trending_dates():
    # 09/04/1987 under "PORTLAND, Maine, April 8 -": 9 April; "March 31, 1988" and "September 21,
    # 1997" in the prose and the trending list's November 2019 stamps do not count.
    text = (FIXTURES / "wire_ddmm_trending.txt").read_text(encoding="utf-8")
    assert dated(text) == EventDate(D(1987, 4, 9), "text", None)


def test_body_dateline_settles_day_month_order_both_ways():
    assert dated(wire_page("Published 02/07/1987", "DHAKA, June 29 - ")).day == D(1987, 7, 2)
    assert dated(wire_page("Published 07/02/1987", "DHAKA, June 29 - ")).day == D(1987, 7, 2)
    # A dateline that fits neither reading settles nothing: no guess.
    assert dated(wire_page("Published 02/07/1987", "DHAKA, March 1 - ")).source == "acquired"


def test_month_names_in_wire_prose_do_not_set_the_outlets_numeric_order():
    # The wire body writes "July 2, 1987" (month first); the outlet's 01/04/1987 stays undecided.
    body = "Shares will be distributed on July 2, 1987, to holders of record on June 24, 1987, it said.\n"
    text = wire_page("Published 01/04/1987", body)
    assert dated(text).source == "acquired"


def test_other_numeric_dates_with_a_day_over_12_set_the_order():
    text = wire_page("Published 01/04/1987", after="Most read\n- Ferry fares up 23/03/1987\n- Dock strike ends 18/03/1987")
    assert dated(text).day == D(1987, 4, 1)


def test_top_date_line_beats_dates_in_body_prose():
    body = "Results will be released by March 31, 1987, and the notes mature on September 21, 1987.\n"
    for line, day in (("March 24, 1987", D(1987, 3, 24)), ("Mar 11, 1987 11:13", D(1987, 3, 11))):
        assert dated(wire_page(line, body)).day == day


def test_top_date_line_beats_a_labelled_box_further_down():
    box = "About this statement:\nPublished: Monday, November 18th, 2019 at 11:08 a.m.\nResearched by: A. Writer"
    text = wire_page("2005-02-16", after=box)
    assert dated(text).day == D(2005, 2, 16)


def test_fixture_update_only_is_claimed_over_comments_and_related_dates():
    text = (FIXTURES / "update_only_comments.txt").read_text(encoding="utf-8")
    assert dated(text) == EventDate(D(1987, 4, 13), "text", None)


def test_copyright_year_is_not_a_date():
    text = page("By Michael Lee") + "\n© 2019 Harbour Media Group. All rights reserved.\n© 1987 site.com"
    assert dated(text).source == "acquired"


def test_trending_list_below_the_article_is_not_its_date():
    trending = "\n".join(["", "Trending now", "November 19, 2019 at 5:10 pm", "Ferry timetable changes",
                          "November 18, 2019 at 9:42 am", "Fishermen protest quota rules", "Contact us"])
    # Only the list has dates: they are not claimed for the article.
    assert dated(wire_page("By Business Desk", after=trending)).source == "acquired"
    # With a date line above the body, that line wins.
    assert dated(wire_page("April 2, 1987", after=trending)).day == D(1987, 4, 2)


def test_menu_rows_are_not_the_body():
    # Long capitalised navigation rows before the article must not count as its first paragraph.
    menu = "Arab Israeli Conflict Israel News Opinion Middle East Diaspora U.S. Politics World News"
    text = menu + "\n" + menu + "\n" + wire_page("Published 01/06/1987", "LOS ANGELES, June 1 - ")
    assert dated(text).day == D(1987, 6, 1)


def test_html_written_local_day_beats_a_utc_stamp_one_day_off():
    meta = '<meta property="article:published_time" content="2020-12-24T23:59:50+00:00">'
    result = dated(html=html_page(meta, "December 25, 2020"))
    assert (result.day, result.source) == (D(2020, 12, 25), "text")
    assert result.published_at == dt.datetime(2020, 12, 24, 23, 59, 50, tzinfo=dt.timezone.utc)


def test_html_metadata_beats_a_conflicting_written_date():
    meta = '<meta property="article:published_time" content="2020-10-26T17:10:00+00:00">'
    result = dated(html=html_page(meta, "Last reviewed August 9, 2020"))
    assert (result.day, result.source) == (D(2020, 10, 26), "metadata")


def test_html_without_metadata_prefers_the_written_date_to_the_declared_guess():
    result = dated(html=html_page("", "September 28, 2019"), published="2019-09-21")
    assert (result.day, result.source) == (D(2019, 9, 28), "text")
    # Years apart: a confusing page, no claim.
    result = dated(html=html_page("", "June 29, 2007"), published="2016-11-18")
    assert result.source == "acquired"


# --- Rules added for the text dumps: short years at the top, self statements, events, ... ----


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


def test_two_digit_years_far_from_the_article_top_are_not_dates():
    # A version number or a score in the footer is no date line; the page has a 4-digit year
    # elsewhere, so the full-text 2-digit fallback does not run either.
    text = page("By Michael Lee") + "\n" + "\n".join(["More"] * 12) + "\nFirmware 12.10.19 released"
    text += "\n© 2019 Harbour Media"
    assert dated(text).source == "acquired"


def test_self_statement_in_the_footer_beats_an_event_above():
    # WordPress footers state the post's own date, far below the top; the appointment above the
    # article ("Termin: ...") is an event the page announces.
    prose = ("Die Verkostung war gut besucht und die Winzer stellten ihre neuen Jahrgänge vor, "
             "darunter mehrere Weißweine aus der Region, die im Frühjahr abgefüllt wurden.")
    text = "\n".join(["Weinclub", "- Start", "- Termine", "Termin: 21.02.2020, 19 Uhr", "Verkostung im Club",
                      prose, prose, prose,
                      "Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr veröffentlicht und "
                      "wurde unter Allgemein, Region, Tastings abgelegt."])
    assert dated(text, language="de").day == D(2019, 11, 27)
    text = page("This entry was posted on Friday, March 3rd, 2017 at 10:00 am and is filed under News.")
    assert dated(text).day == D(2017, 3, 3)


def test_event_label_is_not_a_publication_date():
    assert dated(page("Termin: 21.02.2020, 19 Uhr")).source == "acquired"
    assert dated(page("Deadline: March 31, 2020")).source == "acquired"


def test_preposition_makes_a_date_a_reference():
    # Two date lines right above the article: "bis 28.02.2017" is the edge of a span, so the
    # other one is the page's (without the preposition the two tie and nothing is claimed).
    text = page("- Tarifvertrag (bis 28.02.2017)", "24.04.2020")
    assert dated(text, language="de").day == D(2020, 4, 24)


def test_ambiguous_numeric_date_near_the_pages_other_dates():
    # 02/10/2020 on a page whose photo caption says Sept. 29, 2020: 2 October, not 10 February.
    text = page("The Guardian 02/10/2020 Anna Fazackerley") + (
        "\nMANCHESTER (BRITAIN), Sept. 29, 2020 -- A girl walks past the students' accommodation.")
    assert dated(text).day == D(2020, 10, 2)


def test_glued_duplicate_date_is_still_a_date_line():
    # The dump glued the date twice to the author line; the concert date inside the article
    # (a short line between paragraphs) is an event.
    prose = ("Die Konferenz bringt jedes Jahr Menschen aus vielen Ländern zusammen, um über "
             "Politik, Arbeit und die Zukunft der Gewerkschaften zu sprechen und zu streiten.")
    text = "\n".join(["Blog", "- Start", "Ein Bericht von der Konferenz",
                      "2. Februar 20202. Februar 2020 Alexander Roll 1 Kommentar Inklusion, Kapitalismus",
                      prose, prose, "Samstag, 14. März 2020 im Rahmen der Konferenz", prose])
    assert dated(text, language="de").day == D(2020, 2, 2)


def test_byline_above_the_date_line():
    # Two date lines above the article; the one under the author line is the article's (without
    # the byline evidence the two tie and nothing is claimed).
    text = page("Dec 22, 2020", "Photo: Staff", "By David Zurawik", "Baltimore Sun |", "Dec 23, 2020 at 10:42 AM")
    assert dated(text).day == D(2020, 12, 23)


def test_label_right_before_a_date_inside_a_long_line_counts():
    line = ("Stark-Watzinger: Forschungsprojekt legt Grundstein für Datenschutzzertifizierung von "
            "Bildungsprodukten : Datum: 26.01.2022 Pressemitteilung: 6/2022")
    prose = ("Das Bundesministerium fördert ein Projekt, das Kriterien für die Zertifizierung "
             "digitaler Bildungsprodukte entwickelt und mit Schulen und Anbietern erprobt.")
    text = "\n".join(["Ministerium", "- Presse", line, prose, prose])
    assert dated(text, language="de").day == D(2022, 1, 26)


def test_german_sidebar_and_source_lists_are_lists():
    # Dates under "Ähnliche Artikel" or "Quellen" belong to other pages: with no date line of
    # its own the article gets none of them.
    for heading in ("Ähnliche Artikel", "Quellen", "Neueste Beiträge"):
        related = "\n".join(["", heading, "02.11.2021", "Mitmach-Aktion zum Tag des Ehrenamtes"])
        assert dated(wire_page("Von Redaktion", after=related)).source == "acquired"
    # The article's own date line still wins over them.
    text = wire_page("03.11.2021", after=related)
    assert dated(text, language="de").day == D(2021, 11, 3)


def test_glued_menu_rows_are_not_prose():
    # 200+ characters with hardly a space: a menu glued by the dump, not the first paragraph.
    menu = "ÜbersichtKfz-VersicherungReiserücktrittsversicherungAuslandskrankenversicherung" * 3
    text = menu + "\n" + "\n".join(["- Tests"] * 20) + "\n" + wire_page("23.10.2018")
    assert dated(text, language="de").day == D(2018, 10, 23)


def test_date_glued_to_the_end_of_the_headline_line_is_a_date_line():
    # The dump ran breadcrumb, headline and date into one line; the weekday date further up is
    # the site's "today" header.
    prose = ("Die Kulturpolitik steht vor großen Aufgaben, sagt der Autor, und die Debatte über "
             "die Zukunft der Theater und Museen hat gerade erst begonnen, auch in den Ländern.")
    text = "\n".join(["Mittwoch, 26.02.2020", "- Start", "- Kultur", "- Politik", "- Wissen", "- Archiv", "- Suche",
                      "- Hilfe", "- Kontakt", "- Login", "- Mehr", "- Abo",
                      'StartseiteKulturfragen"Wir dekorieren auf der Titanic die Liegestühle um"01.05.2017',
                      prose, prose])
    assert dated(text, language="de").day == D(2017, 5, 1)


def test_update_as_best_evidence_is_judged_without_its_ranking_penalty():
    # The only date is "Letzte Aktualisierung" between paragraphs deep in a long article: weak
    # by position, but the best evidence the page gives (the penalty only ranks it below an
    # unlabelled date line, pinned above).
    prose = ("Fachleuten zufolge ist es nicht sinnvoll, das Medikament vorbeugend einzunehmen, denn es muss "
             "innerhalb der ersten fünf Tage nach Einsetzen der Symptome zur Anwendung kommen.")
    text = "\n".join(["Gesundheit", "- Start", "- Medizin", "Paxlovid: Was das Medikament kann", *[prose] * 17,
                      "Letzte Aktualisierung: 28.01.2022", "Autorin: Brit Weirich", *[prose] * 2,
                      *["- Teilen"] * 60])
    assert dated(text, language="de").day == D(2022, 1, 28)


@pytest.mark.parametrize("heading", ["Ein Gedanke zu “Über uns”", "12 thoughts on “Harbour fees”", "Share"])
def test_blog_comment_stamps_are_not_the_articles_date(heading):
    # WordPress comment sections: the count heading, the stamp, then "Name sagt:"/"says:".
    comments = "\n".join(["", heading, "Januar 15, 2014 um 23:36", "Agi Joe sagt:",
                          "Hey ihr beiden! Schöner Blog, weiter so.", "Kommentar verfassen"])
    assert dated(wire_page("Von Redaktion", after=comments)).source == "acquired"


def test_numeric_order_evidence_must_be_near_the_ambiguous_date():
    # An archived 2005 story with "Published 11/02/2005" under the live site's 2019 sidebar
    # stamps written month-first: those years-later stamps do not decide the story's order.
    sidebar = "\n".join(["", "Latest news", "11/20/2019 10:08 AM", "Ferry timetable changes",
                         "11/19/2019 08:54 PM", "Fishermen protest quota rules"])
    assert dated(wire_page("Published 11/02/2005", after=sidebar)).source == "acquired"
    # Stamps from the same weeks still do (the sidebar of a live 2019 page).
    assert dated(wire_page("Published 11/02/2019", after=sidebar)).day == D(2019, 11, 2)


# --------------------------------------------------------------------------------------------
# Sites, their conventions learned over a batch, and the readings of ambiguous dates.


def site_page(date_line: str, footer: str = "© 2005 harbourtimes.com. All rights reserved.", *more: str) -> str:
    return page(date_line, *more) + "\nContact us\n" + footer


@pytest.mark.parametrize(
    "text, url, html, expected",
    [
        (None, "https://www.thesun.co.uk/news/123/", None, "thesun.co.uk"),
        (None, "http://edition.cnn.com/2019/11/20/x.html", None, "cnn.com"),
        ("Home\n© 1987 cnn.com. All rights reserved.", "https://m.jpost.com/a", None, "jpost.com"),  # the URL first
        ("Story\n© 1987 CNN.com. All rights reserved.", None, None, "cnn.com"),
        ("Story\n© BreakingNews.ie 2023\nPrivacy", None, None, "breakingnews.ie"),
        ("Story\nCopyright 2004 theparadigmng.com", None, None, "theparadigmng.com"),
        ("Photo: © Reuters\nStory\n© 2019 Cable News Network. All Rights Reserved.", None, None, None),
        ("Story without any footer", None, None, None),
        (None, None, '<html><head><link rel="canonical" href="https://www.irishtimes.com/news/x"/></head></html>',
         "irishtimes.com"),
        (None, None, '<html><head><meta property="og:site_name" content="The Irish Times"></head></html>',
         "the irish times"),
    ],
)
def test_site_key(text, url, html, expected):
    assert site_key(text, url=url, html=html) == expected


def test_date_conventions_learned_per_site_from_unambiguous_date_lines():
    pages = [site_page("Published 25/03/2005"), site_page("Published 17/01/2005"),
             site_page("Published 09/04/2005"),  # ambiguous: no vote
             site_page("Posted 03/25/2019", "© 2019 gazette.com"), site_page("3/30/2019", "© 2019 gazette.com"),
             site_page("Published 25/03/2005", "© 2019 lonely.com"),  # one page: not clear
             page("Published 25/03/2005")]  # no site: not counted
    conv = DateConventions.from_pages(pages)
    assert conv.counts("harbourtimes.com") == (2, 0) and conv.order("harbourtimes.com") == "dmy"
    assert conv.order("gazette.com") == "mdy"
    assert conv.order("lonely.com") is None and conv.order("nowhere.com") is None and conv.order(None) is None
    assert len(conv) == 3
    # The caller's site key (sites.site_of: a URL's host) names the site even when the footer does not.
    by_url = DateConventions.from_pages([page("Published 25/03/2005")] * 2, sites=["example.com", None])
    assert by_url.counts("example.com") == (1, 0)


def test_date_conventions_prefer_the_labelled_line_to_sidebar_stamps():
    # A live site's sidebar stamps (a list, month-first) do not speak for its story date lines.
    sidebar = ("11/20/2019 10:08 AM", "Ferry timetable changes", "11/19/2019 08:54 PM", "Quota rules")
    assert DateConventions.from_pages([site_page("Published 18/11/2019", "© 2019 harbourtimes.com", *sidebar)]
                                      ).counts("harbourtimes.com") == (1, 0)
    assert len(DateConventions.from_pages([site_page("Published 09/04/2005", "© 2019 harbourtimes.com", *sidebar)])) == 0


def test_date_conventions_clear_only_when_nearly_unanimous():
    assert DateConventions({"a.com": (9, 1)}).order("a.com") == "dmy"
    assert DateConventions({"a.com": (8, 2)}).order("a.com") is None
    assert DateConventions({"a.com": (0, 2)}).order("a.com") == "mdy"
    assert DateConventions({"a.com": (1, 0)}).order("a.com") is None


def test_date_conventions_merge_is_order_free_and_round_trips_through_arrow():
    a = DateConventions({"a.com": (2, 0), "b.ie": (1, 1)})
    b = DateConventions({"b.ie": (3, 0), "c.com": (0, 4)})
    assert a.merge(b) == b.merge(a) == DateConventions({"a.com": (2, 0), "b.ie": (4, 1), "c.com": (0, 4)})
    table = a.merge(b).to_arrow()
    assert table.column("site").to_pylist() == ["a.com", "b.ie", "c.com"]
    assert DateConventions.from_arrow(table) == a.merge(b)
    # The archive concatenates every run's part: rows of one site add up.
    import pyarrow as pa

    assert DateConventions.from_arrow(pa.concat_tables([a.to_arrow(), b.to_arrow()])) == a.merge(b)
    assert len(DateConventions.from_arrow(DateConventions().to_arrow())) == 0


def test_site_convention_reads_an_ambiguous_date_both_ways():
    text = site_page("Published 09/04/2005")
    assert dated(text).source == "acquired"
    day_first = DateConventions({"harbourtimes.com": (5, 0)})
    month_first = DateConventions({"harbourtimes.com": (0, 5)})
    assert dated(text, conventions=day_first).day == D(2005, 4, 9)
    assert dated(text, conventions=month_first).day == D(2005, 9, 4)
    # The page's own evidence stays first: its wire dateline says 4 September.
    wire = site_page("Published 09/04/2005", "© 2005 harbourtimes.com",
                     "WASHINGTON, Sept. 4 - The harbour authority said on Sunday that fees will rise next year.")
    assert dated(wire, conventions=day_first).day == D(2005, 9, 4)
    # Another site's convention says nothing about this one.
    assert dated(text, conventions=DateConventions({"other.com": (5, 0)})
                      ).source == "acquired"


def test_country_domain_in_the_footer_reads_day_first():
    assert dated(site_page("Published 09/04/2005", "© BreakingNews.ie 2005")
                      ).day == D(2005, 4, 9)
    assert dated(site_page("Published 09/04/2005", "© 2005 harbourtimes.com")
                      ).source == "acquired"  # .com says nothing
    assert dated(page("Published 09/04/2005"), url="https://news.example.co.uk/a"
                      ).day == D(2005, 4, 9)


def test_alternatives_list_both_readings_of_an_ambiguous_date():
    text = site_page("Published 09/04/2005")
    fallback = dated(text)
    assert (fallback.day, fallback.source) == (ACQ, "acquired")
    assert fallback.alternatives == (D(2005, 4, 9), D(2005, 9, 4))
    # Read by a convention: still a guess, both readings listed; the claim itself is unchanged.
    read = dated(text, conventions=DateConventions({"harbourtimes.com": (3, 0)}))
    assert (read.day, read.source, read.alternatives) == (D(2005, 4, 9), "text", (D(2005, 4, 9), D(2005, 9, 4)))
    # Settled by the page itself, or no ambiguity at all: none.
    assert dated(page("Published 25/03/2005")).alternatives == ()
    assert dated(page("Published 09.04.2005")).alternatives == ()
    assert dated(page("no date here")).alternatives == ()
    wire = wire_page("Published 09/04/1987", "WASHINGTON, April 9 -")
    assert dated(wire).alternatives == ()
    # An ambiguous date that is not the page's date line does not make its fallback ambiguous.
    listed = page("Home") + "\nRelated\n01/02/2005 Ferry fees\n03/04/2005 Quota rules\n05/06/2005 Storm"
    assert dated(listed).alternatives == ()


# --------------------------------------------------------------------------------------------
# Categories of text-dump misses (round 4).

BLURB = ("Mit allen Kräften für eine liberale Welt. Unser Kernanliegen ist die Verwirklichung von Freiheit "
         "und Verantwortung, und dafür arbeiten wir in vielen Ländern mit vielen Partnern zusammen.")
PARAGRAPH = ("Die Stadt hat am Dienstag den neuen Hafenplan vorgestellt, der die Gebühren für Fischer senkt und "
             "den Fährverkehr im Sommer neu ordnet, nachdem die Anwohner lange über Lärm geklagt hatten.")


def test_date_line_above_the_main_text_beats_a_list_below_a_header_blurb():
    # A site blurb in the header passes for the first paragraph; the article's date line
    # stands above the main block of text, and a dated list follows the article.
    menu = [f"- Rubrik {i}" for i in range(12)]
    listing = ["Meist gelesen", "Fährplan für den Winter", "27.10.2021", "Neue Kaimauer", "27.10.2021",
               "Fischmarkt öffnet", "02.11.2021"]
    text = "\n".join(["Stiftung", BLURB, *menu, *menu, "Hafenplan vorgestellt", "05.11.2021", "0.8 Minuten",
                      *[PARAGRAPH] * 6, *listing])
    assert dated(text).day == D(2021, 11, 5)
    # A column of stamps (a list, however spaced) above the main block gets no such credit.
    stamps = ["Neueste Signaturen", "Anna Muster", "27.10.2021", "Ben Beispiel", "27.10.2021"]
    text = "\n".join(["Stiftung", BLURB, *menu, *menu, *stamps, "Hafenplan vorgestellt", *[PARAGRAPH] * 6])
    assert dated(text).source == "acquired"


def test_month_name_glued_to_the_byline_is_a_date_line():
    sidebar = "\n".join(["Arts", "See all", "Longer Nights: Arts Calendar", "November 8, 2023",
                         "Full Moon Sesh a Hit", "October 27, 2023"])
    text = sidebar + "\n- Wellness\n- Food\n- Music\n" + page("Shana Nys DambrotNovember 6, 2023")
    assert dated(text).day == D(2023, 11, 6)


def test_the_pages_own_entry_in_a_dated_list_dates_it_when_nothing_else_does():
    head = "\n".join(["- Themen", "- Shop", "„Zentrum am Berg“ offiziell eröffnet",
                      "Sie sind hier: Startseite / „Zentrum am Berg“ offiziell eröffnet", PARAGRAPH, PARAGRAPH])
    listing = "\n".join(["Aktuelles aus dem Verband", "- „Zentrum am Berg“ offiziell eröffnet20.10.2021 - 10:24",
                         "- Krugfahrt verstorben14.10.2021 - 11:49", "- Wenig Wissen über Freiwilligkeit11.10.2021 - 15:22"])
    assert dated(head + "\n" + listing).day == D(2021, 10, 20)
    # The title on the line above the dated item ("Recent posts" widgets).
    listing = "\n".join(["Neueste Beiträge", "Zentrum am Berg offiziell eröffnet heute", "20.10.2021",
                         "Krugfahrt verstorben", "14.10.2021"])
    head2 = head.replace("„Zentrum am Berg“ offiziell eröffnet\n", "Zentrum am Berg offiziell eröffnet heute\n", 1)
    assert dated(head2 + "\n" + listing).day == D(2021, 10, 20)
    # No headline written again: the list still says nothing.
    other = listing.replace("Zentrum am Berg offiziell eröffnet heute", "Neue Drehleiter für die Wache Nord")
    assert dated(head2 + "\n" + other).source == "acquired"


# --- Round 5: glued stamps, change stamps, the main block's first paragraph, HTML witnesses ----


def test_forum_stamp_with_a_two_digit_year_glued_to_the_time():
    # "28.09.1912:44" is no year 1912 running into ":44": a 2-digit year glued to the time.
    text = "\n".join(["Forum", "- Software", "Store lädt nicht über Mobilfunk", "nutzerin28.09.1912:44",
                      PARAGRAPH, "anderer07.10.1909:15", PARAGRAPH])
    result = dated(text)
    assert (result.day, result.source) == (D(2019, 9, 28), "text")


def test_blog_date_badge_glued_to_its_year():
    # Month, day and year in three elements of a blog theme, run together by the dump.
    text = page("Feb 182009", "von karla")
    assert dated(text).day == D(2009, 2, 18)
    assert dated(page("Heft Nr. 182009")).source == "acquired"


def test_prose_date_after_the_pages_last_change_is_an_event():
    menu = [f"- Seite {i}" for i in range(12)]
    text = "\n".join(["Stammtisch", "Der nächste Stammtisch findet am Mi. 5. Februar 2020 ab 19 Uhr im Café am "
                      "Markt statt, alle Mitglieder und Gäste sind herzlich eingeladen und willkommen.",
                      PARAGRAPH, *menu, "- Diese Seite wurde zuletzt am 29. Januar 2020 um 13:22 Uhr geändert.",
                      *menu])
    assert dated(text).day == D(2020, 1, 29)


def test_change_stamps_alone_date_the_page_by_the_latest():
    lines = ["Harbour crane", "Revision as of 07:47, 28 March 2020 (edit)", "Latest revision as of 05:33, 7 April 2020",
             "Crane", "- Tools", "- What links here", "- This page was last edited on 7 April 2020, at 05:33."]
    result = dated("\n".join(lines))
    assert (result.day, result.source) == (D(2020, 4, 7), "text")
    # A publication label on the page: the change stamps do not date it on their own.
    result = dated("\n".join(lines + ["Published in the yearbook, see notes"
                                                                   " (Published: 3 March 2020)"]))
    assert result.day != D(2020, 4, 7) or result.source != "text"


def test_date_line_above_the_main_blocks_first_paragraph_not_above_notices():
    notice = ("Wenn Sie diesen Button anklicken, werden persönliche Daten an das Netzwerk übertragen. "
              "Sind Sie einverstanden?")
    menu = [f"- Rubrik {i}" for i in range(60)]  # far down the page: no credit for its position
    text = "\n".join(["Verband", BLURB, *menu, "Zu Ihrer Information", notice, "Zu Ihrer Information", notice,
                      "24. April 2020 | Pressemitteilungen",
                      "Künstlerin gestaltet die Titelseite der deutschen Tageszeitungen",
                      "Bundesweite Kunstaktion zum Tag der Pressefreiheit am dritten Mai in allen Städten",
                      *[PARAGRAPH] * 4])
    assert dated(text).day == D(2020, 4, 24)


def test_html_decisive_date_line_overrules_metadata_and_declared():
    meta = '<meta property="article:published_time" content="2021-01-01T11:00:00+00:00">'
    result = dated(html=html_page(meta, "01.04.2023, 12:00"), published="2021-01-01")
    assert (result.day, result.source) == (D(2023, 4, 1), "text")
    # A column of stamps is no date line of the article's: the metadata stays.
    stamps = "</p><p>09.08.2020 u 10:52</p><p>Anna</p><p>25.05.2020 u 21:08</p><p>"
    result = dated(html=html_page(meta.replace("2021-01-01", "2020-10-26"), stamps))
    assert (result.day, result.source) == (D(2020, 10, 26), "metadata")


def test_html_htmldate_witness_speaks_when_nothing_else_does():
    html = ('<html><head><title>Gallery</title></head><body><div><time datetime="2013-02-16T10:00:00"></time></div>'
            '<p>' + "The boats came in late and the nets were full of fish for the market. " * 3 + '</p></body></html>')
    result = dated(html=html)
    assert (result.day, result.source) == (D(2013, 2, 16), "html")
