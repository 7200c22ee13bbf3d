"""The text path end to end: each chrome kind is pinned with a small real-looking fixture."""

from __future__ import annotations

import pytest
from clean_helpers import CONFIG, clean, fixture

from newsarchive.clean import CleanArticle
from newsarchive.clean.lines import CHROME, shapes_for
from newsarchive.clean.structure import mark_teasers
from newsarchive.clean.tables import join_cell_rows, mark_data_rows
from newsarchive.clean.text import prepare


@pytest.fixture(scope="module")
def wire() -> CleanArticle:
    return clean(fixture("wire_story.txt"))


# --- text path: body kept, chrome kinds removed -------------------------------------------

def test_wire_story_body_in_page_order(wire):
    lines = wire.text.split("\n")
    assert lines[0].startswith("PORTSMOUTH (AP) — The harbour authority")  # wire lead-in stays
    assert lines[-1].endswith("subject to crew recruitment. (AP)")  # agency tail stays
    assert len(lines) == 6
    assert wire.method == "text"


@pytest.mark.parametrize("chrome", [
    "Skip to main content", "Home > News > Transport", "Subscribe", "Sign In",
    "Share: Facebook / X / Reddit / Copy link",            # share widget
    "Advertisement",                                        # inline ad label
    "READ MORE: Council delays decision",                   # inline teaser link
    "Storm closes coastal road",                            # related-links box
    "(Coastal Gazette/File Photo)",                         # photo caption
    "To write comments",                                    # comment prompt
    "New lifeboat station",                                 # trailing link list
    "All rights reserved",                                  # copyright
    "Terms of Use",
])
def test_wire_story_chrome_removed(wire, chrome):
    assert chrome not in wire.text


def test_title_byline_and_date_lines_move_to_their_fields(wire):
    assert wire.title == "Harbour authority approves night ferry trial"
    assert wire.byline == "Dana Whitfield"
    assert wire.date_lines == ["Published : Mar. 4, 2024 - 18:40"]
    assert "Harbour authority approves" not in wire.text
    assert "Dana Whitfield" not in wire.text
    assert wire.language == "en"


def test_hard_wrapped_paragraphs_are_joined():
    art = clean(fixture("wrapped_body.txt"))
    lines = art.text.split("\n")
    assert len(lines) == 3
    assert lines[0].startswith("MILLBROOK, June 2 - The town council voted on Thursday to reopen")
    assert lines[0].endswith("in less than four months.")
    assert art.title == "MILL TOWN COUNCIL VOTES TO REOPEN LIBRARY"
    assert art.byline == "City Desk"
    assert art.date_lines == ["June 02, 1988"]
    for chrome in ("Scroll to continue", "Trending now", "STEEL PRICES", "Share on Facebook"):
        assert chrome not in art.text


def test_teaser_list_with_timestamps_and_cookie_notice_removed():
    art = clean(fixture("teaser_list.txt"))
    assert art.text.split("\n")[0].startswith("Growers across the valley")
    assert len(art.text.split("\n")) == 3
    for chrome in ("Rail line reopens", "first passengers in eight weeks", "2H ago",
                   "We use cookies", "Cookie settings"):
        assert chrome not in art.text
    # Time stamps of other stories in the list are not this article's dates.
    assert art.date_lines == ["Updated on: September 30, 2023 / 7:15 AM"]


def test_korean_portal_boilerplate_and_reporter_credit():
    art = clean(fixture("korean_portal.txt"))
    lines = art.text.split("\n")
    assert len(lines) == 3 and lines[0].startswith("해양 도시 부산에")
    assert "글자크기" not in art.text and "(예시)" not in art.text
    assert "무단전재" not in art.text and "관련기사" not in art.text
    assert art.byline == "홍길동"
    assert art.date_lines == ["입력 2024.03.04. 18:40"]
    assert art.language == "ko"


def test_japanese_article_is_not_emptied():
    art = clean(fixture("japanese_article.txt"))
    assert art.text.split("\n")[0].startswith("地方空港と台北を結ぶ")
    assert len(art.text.split("\n")) == 3
    assert art.date_lines == ["2024年3月4日 18時40分"]
    assert "無断転載" not in art.text and "関連記事" not in art.text
    assert art.language == "ja"


def test_caption_printed_twice_and_truncated_teaser_dropped():
    page = "\n".join([
        "Bridge reopens after repairs",
        "Workers remove the last barriers on the east bridge on Sunday morning as traffic waits.",
        "Workers remove the last barriers on the east bridge on Sunday morning as traffic waits.",
        "CITY: The east bridge reopened on Sunday after eight months of repairs, the city...",
        "CITY: The east bridge reopened on Sunday after eight months of repairs, the city said,"
        " ending long detours for commuters from the southern districts.",
        "Engineers replaced the deck and two support columns damaged by a barge collision last"
        " spring, at a cost of 14 million dollars.",
        "The city said the bridge will be inspected again in the autumn before the winter"
        " storms arrive.",
    ])
    art = clean(page)
    assert "Workers remove" not in art.text
    assert "the city..." not in art.text
    assert art.text.split("\n")[0].startswith("CITY: The east bridge reopened")
    assert len(art.text.split("\n")) == 3


def test_standfirst_bullets_caption_over_credit_and_comment_section_removed():
    art = clean(fixture("key_points_comments.txt"))
    lines = art.text.split("\n")
    assert lines[0].startswith("EASTPORT — The operator of the eastern container terminal")
    assert lines[-1].endswith("approve the financing plan next month.")
    assert len(lines) == 4
    for chrome in ("Key Points", "40 automated cranes from a Finnish maker",  # standfirst bullets
                   "Dock workers watch", "Maria Lind",                         # caption + credit
                   "Story continues below advertisement",                      # inline ad label
                   "join Harbour Business Plus", "Ferry operator adds night",  # after "Comments"
                   "The night service will run"):
        assert chrome not in art.text
    assert art.date_lines == ["Published Wed, Mar 6 2024 9:12 AM EST"]


def test_bullets_after_the_first_paragraph_stay_in_the_body():
    page = "\n".join([
        "Council sets out its budget priorities",
        "The council published its budget for next year on Monday, with three priorities that"
        " officials said would take most of the new money.",
        "- Road repairs in the northern districts, which take a third of the capital budget.",
        "- Two new libraries, to open in the spring and the autumn of next year.",
        "- More staff for the housing office, where waiting times have doubled since 2022.",
        "The budget goes to a vote of the full council at the end of the month, and the"
        " opposition has said it will table amendments on housing.",
    ])
    lines = clean(page).text.split("\n")
    assert len(lines) == 5 and lines[1].startswith("Road repairs in the northern districts")


def test_teaser_list_with_label_between_headline_and_short_summary_removed():
    body = ["The river authority reopened the lower locks on Friday after three weeks of repairs"
            " to the gates, ending a closure that had stranded dozens of barges upstream.",
            "Engineers replaced two hinges and a section of the sill, the authority said, and"
            " will inspect the upper locks in the spring before the busy season begins.",
            "Barge operators said the closure had cost them several days of cargo each week."]
    teasers = []
    for headline, summary in (
            ("Did the council really ban night fishing on the canal?",
             "A rumour started by a parody account."),
            ("Was the old mill sold to a hotel chain last winter?",
             "The sale fell through in the spring."),
            ("Will the ferry fares double after the new contract starts?",
             "Fares rise by four percent next year."),
            ("Is the harbour bridge closing for repairs in the summer?",
             "Only at night, and only for a week.")):
        teasers += [headline, "12 November 2023", "Fact Check", summary]
    art = clean("\n".join(["Locks reopen on the lower river", *body, "Editors' Picks",
                                   *teasers]))
    assert art.text.split("\n") == body


def test_table_interrupted_by_inline_chrome_is_kept_whole():
    art = clean(fixture("earnings_table.txt"))
    lines = art.text.split("\n")
    assert lines[:8] == [
        "Shr profit 14 cts vs loss six cts", "Net profit 1,210,000 vs loss 480,000",
        "Sales 48.2 mln vs 41.7 mln", "Avg shrs 8.6 mln vs 8.1 mln", "Nine mths",
        "Shr profit 31 cts vs loss 22 cts", "Net profit 2,650,000 vs loss 1,790,000",
        "Sales 139.5 mln vs 120.3 mln"]
    for chrome in ("Continue reading the main story", "READ MORE", "Storm closes coastal road"):
        assert chrome not in art.text
    assert art.title == "NORTHFIELD TOOLS INC 3RD QTR NET"
    assert art.byline == "Staff Reporter" and art.date_lines == ["2024-03-04"]


def test_empty_and_chrome_only_pages_give_empty_body():
    assert clean("").text == ""
    art = clean("Home\nNews\nSubscribe\n© 2024 Example Media. All rights reserved.")
    assert art.text == ""


def test_strip_chrome_is_deterministic(wire):
    again = clean(fixture("wire_story.txt"))
    assert again == wire


# --- short tabular wire briefs ------------------------------------------------------------------

def test_short_wire_brief_beats_the_sites_footer_notices():
    # A re-sent earnings brief: three table rows under a dateline, inside outlet chrome whose
    # footer carries two long "site speaks of itself" notices right above the copyright.
    art = clean(fixture("wire_brief_footer.txt"))
    assert art.text.split("\n") == ["LEEDS, May 13 - Shr profit nine cts vs loss four cts",
                                    "Net profit 812,000 vs loss 356,000",
                                    "Revs 21.4 mln vs 18.9 mln"]
    assert art.title == "HARROWGATE MILLS INC HGM 2ND QTR NET"


def test_site_notices_are_chrome_but_news_about_policies_is_not():
    for line in ("Registration on or use of this site constitutes acceptance of our User "
                 "Agreement and Privacy Policy",
                 "The material on this site may not be reproduced, distributed, transmitted, "
                 "cached or otherwise used, except with the prior written permission of Example.",
                 "Community Rules apply to all content you upload or otherwise submit to this site."):
        assert shapes_for(CONFIG).shape(line).kind == CHROME, line
    for line in ("Facebook said on Monday it would change its privacy policy next year.",
                 "The use of this site by the rebels was confirmed by satellite images."):
        assert shapes_for(CONFIG).shape(line).kind != CHROME, line


def test_table_rows_never_pair_up_as_teasers():
    rows = ["Oper shr proift 11 cts vs loss 29 cts", "Oper net profit 2,240,000 vs loss 2,884,000",
            "Revs 304.4 mln vs 50.3 mln", "Top stories",
            "US-China trade war developments leave investors with mixed feelings -- Asian market",
            "MORGAN GUARANTY JPM SUES METROMEDIA FOR NOTES",
            "HARPER AND ROW HPR TO MULL OPTIONS AFTER BIDS"]
    lines = prepare("\n".join(rows), CONFIG)
    mark_teasers(lines, CONFIG)
    assert lines.roles[:3] == [None, None, None]


def test_dateline_makes_a_short_table_a_wire_brief():
    page = "\n".join(["Markets", "Sign in", "ACME CORP 1ST QTR NET", "Published 02/04/2024",
                      "NEW YORK, April 2 - Shr 2.03 dlrs vs 1.53 dlrs",
                      "Net 146.4 mln vs 110.3 mln", "Revs 1.2 billion vs 1.1 billion",
                      "Most read", "Harbour board delays vote on the new ferry terminal",
                      "Council approves budget after a late-night session"])
    lines = prepare(page, CONFIG)
    mark_data_rows(lines, CONFIG)
    assert lines.roles[4:7] == ["table"] * 3
    art = clean(page)
    assert art.text.split("\n")[0] == "NEW YORK, April 2 - Shr 2.03 dlrs vs 1.53 dlrs"
    assert art.title == "ACME CORP 1ST QTR NET"


def test_cell_per_line_table_is_joined_into_rows():
    cells = ["Pos.", "Driver", "Points", "Wins", "Poles"]
    for rank, (name, pts) in enumerate([("Kyle Mercer", 5040), ("Dana Ortiz", 5035),
                                        ("Sam Whitfield", 5033), ("Lee Park", 5027)], 1):
        cells += [str(rank), name, str(pts), str(rank + 2), "1"]
    page = "\n".join(["Standings | Valley Racing", "Home", "News", "Standings",
                      "The final standings of the 2019 season after 36 races, with the points "
                      "each driver scored and the wins and poles that decided the ties:"]
                     + cells + ["Most read", "Harbour board delays vote on the ferry terminal",
                                "© 2024 Valley Racing"])
    art = clean(page)
    assert art.text.split("\n")[0].startswith("The final standings of the 2019 season")
    assert art.text.split("\n")[-4:] == ["1 Kyle Mercer 5040 3 1", "2 Dana Ortiz 5035 4 1",
                                         "3 Sam Whitfield 5033 5 1", "4 Lee Park 5027 6 1"]
    assert "Pos. Driver Points Wins Poles" in join_cell_rows(cells, list(range(len(cells))), CONFIG)[0]  # header row joined
    # A ranked list ("1", headline, "2", headline ...) and rank-name-score sidebars stay lines.
    ranked = ["Most popular"] + [x for k in range(1, 6) for x in (str(k), f"Headline number {k}")]
    assert join_cell_rows(ranked, list(range(len(ranked))), CONFIG)[0] == ranked
    sidebar = [x for k in range(1, 6) for x in (f"{k}.", f"user{k}", str(600 - k))]
    assert join_cell_rows(sidebar, list(range(len(sidebar))), CONFIG)[0] == sidebar


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\u2028"])
def test_body_span_points_at_the_body_in_the_page(newline):
    page = newline.join(["Harbour authority approves night ferry trial | Coastal Gazette", "Home",
                         "  " + fixture("wrapped_body.txt").replace("\n", newline) + "  ",
                         "Most read", "© 2024 Coastal Gazette"])
    art = clean(page)
    start, end = art.body_span
    lines = art.text.split("\n")
    assert page[start:].startswith(lines[0][:40]) and page[:end].endswith(lines[-1][-40:])
    assert not page[start].isspace() and not page[end - 1].isspace()


# --- the first line: a title, unless it is the body itself ---------------------------------

BRIEF = ("The council voted on Tuesday to approve the new budget, which includes funding for schools. "
         "The mayor said the plan would help families across the city in the coming years. "
         "Critics argued the spending was too high given the economic outlook for next year. "
         "The budget now goes to the state for review, and officials expect a decision in March.")


def test_a_dump_that_starts_with_its_body_keeps_its_first_paragraph():
    one = clean(BRIEF)  # a one-paragraph note: no title line at all
    assert (one.text, one.title) == (BRIEF, None)
    two = clean(BRIEF + "\n" + BRIEF.replace("council", "board"))
    assert two.text.split("\n")[0] == BRIEF


def test_a_long_title_with_its_description_is_still_the_title():
    title = ("Feature article: Creating and growing a loyalty scheme - what to find out, and how - "
             "UPDATED SEPTEMBER 2006 - Customer loyalty, customer retention and relationship marketing "
             "daily news and information for the marketing executive or researcher.")
    page = clean(title + "\n" + BRIEF + "\n" + BRIEF.replace("council", "board"))
    assert title not in page.text and page.text.startswith("The council voted")
