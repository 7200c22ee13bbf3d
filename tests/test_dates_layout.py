"""The page's structure: the body span, menus that are not prose, the main block, dated lists."""

from dates_pages import D, PROSE, dated, page, wire_page
from newsarchive.dates import DateConfig
from newsarchive.dates.layout import body_datelines, body_span_at, is_prose, list_heading_lines, long_lines, span_lines


BLURB = ("Mit allen Kräften für eine liberale Welt. Unser Kernanliegen ist die Verwirklichung von Freiheit "
         "und Verantwortung, und dafür arbeiten wir in vielen Ländern mit vielen Partnern zusammen.")
PARAGRAPH = ("Die Stadt hat am Dienstag den neuen Hafenplan vorgestellt, der die Gebühren für Fischer senkt und "
             "den Fährverkehr im Sommer neu ordnet, nachdem die Anwohner lange über Lärm geklagt hatten.")


def test_menu_rows_are_not_the_body():
    # Long capitalised navigation rows before the article must not count as its first paragraph.
    menu = "Arab Israeli Conflict Israel News Opinion Middle East Diaspora U.S. Politics World News"
    text = menu + "\n" + menu + "\n" + wire_page("Published 01/06/1987", "LOS ANGELES, June 1 - ")
    assert dated(text).day == D(1987, 6, 1)


def test_glued_menu_rows_are_not_prose():
    # 200+ characters with hardly a space: a menu glued by the dump, not the first paragraph.
    menu = "ÜbersichtKfz-VersicherungReiserücktrittsversicherungAuslandskrankenversicherung" * 3
    text = menu + "\n" + "\n".join(["- Tests"] * 20) + "\n" + wire_page("23.10.2018")
    assert dated(text, language="de").day == D(2018, 10, 23)


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


def test_trending_list_below_the_article_is_not_its_date():
    trending = "\n".join(["", "Trending now", "November 19, 2019 at 5:10 pm", "Ferry timetable changes",
                          "November 18, 2019 at 9:42 am", "Fishermen protest quota rules", "Contact us"])
    # Only the list has dates: they are not claimed for the article.
    assert dated(wire_page("By Business Desk", after=trending)).source == "acquired"
    # With a date line above the body, that line wins.
    assert dated(wire_page("April 2, 1987", after=trending)).day == D(1987, 4, 2)


def test_german_sidebar_and_source_lists_are_lists():
    # Dates under "Ähnliche Artikel" or "Quellen" belong to other pages: with no date line of
    # its own the article gets none of them.
    for heading in ("Ähnliche Artikel", "Quellen", "Neueste Beiträge"):
        related = "\n".join(["", heading, "02.11.2021", "Mitmach-Aktion zum Tag des Ehrenamtes"])
        assert dated(wire_page("Von Redaktion", after=related)).source == "acquired"
    # The article's own date line still wins over them.
    text = wire_page("03.11.2021", after=related)
    assert dated(text, language="de").day == D(2021, 11, 3)


def test_body_span_in_lines():
    text = page("5 March 2020") + "\nContact"
    assert body_span_at(text, *long_lines(text))[:2] == (5, 6)
    # Hard-wrapped prose (wire copy at 60-80 columns): two prose lines in a row start the body.
    wire = wire_page("5 March 2020")
    first, last, pos = body_span_at(wire, *long_lines(wire))
    assert wire[pos:].startswith("The harbour authority said") and first == 8
    assert body_span_at("Home\n- News\nContact", *long_lines("Home\n- News\nContact"))[0] is None


def test_span_lines_reads_the_cleaners_character_offsets():
    text = "Home\nHeadline\nFirst line of the body.\nSecond line.\nFooter"
    start, end = text.index("First"), text.index("Second line.") + len("Second line.")
    assert span_lines(text, (start, end)) == (2, 3, start)
    assert span_lines(text, (start + 3, end))[0] == 2  # an offset inside the first line


def test_prose_is_not_a_menu_row_nor_a_glued_menu():
    assert is_prose(PROSE, 0, len(PROSE))
    menu = "Arab Israeli Conflict Israel News Opinion Middle East Diaspora U.S. Politics World News"
    assert not is_prose(menu, 0, len(menu))
    glued = "ÜbersichtKfz-VersicherungReiserücktrittsversicherungAuslandskrankenversicherung" * 3
    assert not is_prose(glued, 0, len(glued))
    assert not is_prose("- " + PROSE, 0, len(PROSE) + 2)  # a list item


def test_list_headings_and_wire_datelines():
    text = "Home\nStory\nTrending now\nA\nRelated stories:\nB\n12 thoughts on “Harbour fees”\nMeistgelesen"
    assert list_heading_lines(text) == [2, 4, 6, 7]
    text = "Headline\nWASHINGTON, April 9 - " + PROSE + "\nBERLIN, 6. März (dpa) - " + PROSE
    assert body_datelines(text, text.index("WASHINGTON")) == [(4, 9), (3, 6)]
    assert body_datelines(text, None) == []


def test_main_block_needs_the_configured_size():
    menu = [f"- Rubrik {i}" for i in range(12)]
    para = ("Die Stadt hat am Dienstag den neuen Hafenplan vorgestellt, der die Gebühren für Fischer senkt und "
            "den Fährverkehr im Sommer neu ordnet, nachdem die Anwohner lange über Lärm geklagt hatten.")
    text = "\n".join(["Stiftung", BLURB, *menu, *menu, "Hafenplan vorgestellt", "05.11.2021", *[para] * 6,
                      "Meist gelesen", "Neue Kaimauer", "27.10.2021"])
    assert dated(text).day == D(2021, 11, 5)
    assert dated(text, config=DateConfig(main_block_min_chars=100_000)).source == "acquired"


def test_text_index_matches_year_starts_and_long_lines():
    import random

    from newsarchive.dates.scan import _year_starts
    from newsarchive.dates.textindex import text_index

    rnd = random.Random(7)
    pieces = ["19", "20", "2", "0", "9", "1", "²", "٣", " ", "\n", "\r\n", "-", "x" * 30, "word ", "\u2028"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        index = text_index(text)
        assert index.year_starts == _year_starts(text), repr(text)
        assert index.long_lines == long_lines(text), repr(text)
    assert text_index("\U0001d7ce 2020") is None  # past the BMP: the Python paths
