"""What surrounds a date: labels, weekdays, times and zones, bylines, comments, spans, prose."""

import datetime as dt

import pytest

from dates_pages import D, dated, page, wire_page
from newsarchive.dates.context import annotate
from newsarchive.dates.scan import scan


def test_weekday_must_match():
    # 8 December 2020 was a Tuesday; the wrong weekday makes the date untrustworthy.
    assert dated(page("Friday, December 8, 2020")).source == "acquired"


def test_published_at_only_with_time_and_zone():
    assert dated(page("Published: Nov 8, 2023 at 5:25 pm")).published_at is None
    result = dated(page("Published: November 2, 2023 6.55pm SAST"))
    assert result.published_at == dt.datetime(2023, 11, 2, 16, 55, tzinfo=dt.timezone.utc)
    result = dated(page("Published : Oct. 19, 2023 - 22:12 KST"))
    assert result.published_at == dt.datetime(2023, 10, 19, 13, 12, tzinfo=dt.timezone.utc)


def test_event_label_is_not_a_publication_date():
    assert dated(page("Termin: 21.02.2020, 19 Uhr")).source == "acquired"
    assert dated(page("Deadline: March 31, 2020")).source == "acquired"


def test_preposition_makes_a_date_a_reference():
    # Two date lines right above the article: "bis 28.02.2017" is the edge of a span, so the
    # other one is the page's (without the preposition the two tie and nothing is claimed).
    text = page("- Tarifvertrag (bis 28.02.2017)", "24.04.2020")
    assert dated(text, language="de").day == D(2020, 4, 24)


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


def test_glued_duplicate_date_is_still_a_date_line():
    # The dump glued the date twice to the author line; the concert date inside the article
    # (a short line between paragraphs) is an event.
    prose = ("Die Konferenz bringt jedes Jahr Menschen aus vielen Ländern zusammen, um über "
             "Politik, Arbeit und die Zukunft der Gewerkschaften zu sprechen und zu streiten.")
    text = "\n".join(["Blog", "- Start", "Ein Bericht von der Konferenz",
                      "2. Februar 20202. Februar 2020 Alexander Roll 1 Kommentar Inklusion, Kapitalismus",
                      prose, prose, "Samstag, 14. März 2020 im Rahmen der Konferenz", prose])
    assert dated(text, language="de").day == D(2020, 2, 2)


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


@pytest.mark.parametrize("heading", ["Ein Gedanke zu “Über uns”", "12 thoughts on “Harbour fees”", "Share"])
def test_blog_comment_stamps_are_not_the_articles_date(heading):
    # WordPress comment sections: the count heading, the stamp, then "Name sagt:"/"says:".
    comments = "\n".join(["", heading, "Januar 15, 2014 um 23:36", "Agi Joe sagt:",
                          "Hey ihr beiden! Schöner Blog, weiter so.", "Kommentar verfassen"])
    assert dated(wire_page("Von Redaktion", after=comments)).source == "acquired"


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


def _one(text):
    cands = scan(text)
    annotate(text, cands)
    return cands[-1]


@pytest.mark.parametrize("text, label", [
    ("Published: 5 March 2020", "pub"), ("Veröffentlicht von Anna Muster am 5. März 2020", "pub"),
    ("입력 2020.03.05 10:00", "pub"), ("Am 5. März 2020 veröffentlicht", "pub"), ("Published:\n5 March 2020", "pub"),
    ("Updated 5 March 2020", "upd"), ("zuletzt aktualisiert am 05.03.2020", "upd"), ("Deadline: 5 March 2020", "evt"),
    ("Home edition 5 March 2020", None), ("Published 4 March 2020\n5 March 2020", None),
])
def test_labels(text, label):
    assert _one(text).label == label


def test_marks_of_a_date():
    assert _one("Thursday, 5 March 2020").weekday_ok is True
    assert _one("Friday, 5 March 2020").weekday_ok is False
    c = _one("5 March 2020, 10:42 CET")
    assert (c.time, c.zone_minutes) == ((10, 42, 0), 60)
    assert _one("5 March 2020 at 6.55pm").time == (18, 55, 0)
    assert _one("By Anna Writer | 5 March 2020").byline and _one("By Anna Writer\n5 March 2020").byline
    assert _one("5 March 2020 Reply").comment
    assert _one("5 March 2020 um 23:36\nAgi Joe sagt:").comment
    assert _one("— Anna (@anna) 5 March 2020").embed
    assert _one("3. - 5. März 2020").range_end
    assert _one("gültig bis 5. März 2020").label == "evt" and _one("seit dem 5. März 2020").preposition
    assert _one("Dieser Beitrag wurde am 5. März 2020 veröffentlicht").self_statement


def test_date_lines_and_sentences():
    assert _one("5 March 2020").alone and not _one("5 March 2020").sentence
    prose = ("The council said on Tuesday that the new library, which has been planned for years, will open its "
             "doors on 5 March 2020 at the earliest, and that the budget will be set in the spring.")
    c = _one(prose)
    assert c.sentence and not c.alone
    # "published" far back in a sentence is about something else; right before the date it counts.
    c = _one("The report, first published by the ministry and discussed at length by the members of the "
             "council in several long sessions, was amended on 5 March 2020 after a long debate in the hall.")
    assert c.label is None
