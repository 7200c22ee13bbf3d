"""Scoring written dates and the decision to claim or abstain; every weight pinned."""

import dataclasses
from pathlib import Path

import pytest

from dates_pages import D, PROSE, dated, page, wire_page
from newsarchive.dates import DateConfig, EventDate

FIXTURES = Path(__file__).parent / "fixtures" / "dates"


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


def test_a_claim_needs_a_floor_and_a_lead():
    # Two date lines of equal standing: no lead, no claim.
    assert dated(page("5 March 2020", "9 March 2020")).source == "acquired"
    assert dated(page("5 March 2020", "9 March 2020"), config=DateConfig(min_margin=0.0)).day == D(2020, 3, 5)
    # A lone date far from the article scores under the floor.
    far = "\n".join(["Home", *[f"- Section {i}" for i in range(30)], "Council approves the budget", PROSE, PROSE,
                     *[f"- Link {i}" for i in range(30)], "5 March 2020", "Contact"])
    assert dated(far).source == "acquired"
    assert dated(far, config=DateConfig(min_score=-5.0)).day == D(2020, 3, 5)


def test_change_stamps_alone_do_not_date_a_page():
    # Wiki footers ("last edited on ...") name a version of the page, not its first publication.
    lines = ["Harbour crane", "Revision as of 07:47, 28 March 2020 (edit)", "Latest revision as of 05:33, 7 April 2020",
             "Crane", "- Tools", "- What links here", "- This page was last edited on 7 April 2020, at 05:33."]
    assert dated("\n".join(lines)).source == "acquired"


# --- Every weight pinned: a page whose answer changes when that weight is zeroed. ---------------

MENU = [f"- Section {i}" for i in range(20)]
BODY = [PROSE] * 3


def _lines(*xs):
    return "\n".join(xs)


# weight -> (page, answer with the default weights, answer with that weight set to 0); None: no claim.
PINS = {
    # Two date lines above the article: the labelled one wins; without the label they tie.
    "w_published": (page("Published 5 March 2020", "7 March 2020"), D(2020, 3, 5), None),
    # A "Published" line well below the first paragraph still beats a plain date line beside it.
    "w_published_late": (_lines("Home", "Council approves the budget", *[PROSE] * 6, "Published: 2 March 2020",
                                "3 March 2020", "Contact"), D(2020, 3, 2), None),
    "w_event": (page("Termin: 9 March 2020", "5 March 2020"), D(2020, 3, 5), None),
    # Beside a "Published" date (here a late one), an update heading the article loses.
    "w_updated": (_lines("Home", "Council approves the budget", "Updated 9 March 2020", *[PROSE] * 6,
                         "Published: 5 March 2020", "Contact"), D(2020, 3, 5), D(2020, 3, 9)),
    # Without a "Published" date, an unlabelled date line still beats an update.
    "w_updated_only": (page("Updated 9 March 2020", "5 March 2020"), D(2020, 3, 5), None),
    # A date line far above the article is claimed only because it stands alone.
    "w_alone": (_lines("Home", "5 March 2020", *MENU, "Council approves the budget", *BODY), D(2020, 3, 5), None),
    "w_byline": (page("5 March 2020", "Photo: Staff", "By Anna Writer", "9 March 2020 at 10:42 AM"),
                 D(2020, 3, 9), None),
    "w_preposition": (page("bis 9 March 2020", "5 March 2020"), D(2020, 3, 5), None),
    "w_weekday_bad": (page("Friday, 5 March 2020", "Home edition"), None, D(2020, 3, 5)),
    "w_time": (page("5 March 2020, 10:42", "6 March 2020"), D(2020, 3, 5), None),
    # A date line between the first paragraphs beats one far above the article.
    "w_body_near": (_lines("Home", "9 March 2020", *MENU, "Council approves the budget", PROSE, "5 March 2020",
                           *BODY), D(2020, 3, 5), D(2020, 3, 9)),
    "w_body_close": (_lines("Home", "9 March 2020", *MENU[:8], "5 March 2020", *MENU[:10],
                            "Council approves the budget", *BODY), D(2020, 3, 5), D(2020, 3, 9)),
    # The date line above the first paragraph beats one inside the first paragraphs.
    "w_head": (_lines("Home", "Council approves the budget", "5 March 2020", PROSE, "9 March 2020", *BODY, *MENU),
               D(2020, 3, 5), None),
    # "PORTLAND, March 6 -" opening the body agrees with one of two date lines.
    "w_dateline": (_lines("Home", "Council approves the budget", "2 March 2020", "6 March 2020",
                          "PORTLAND, March 6 - " + PROSE, *BODY), D(2020, 3, 6), None),
    "w_list": (wire_page("By Business Desk", after="\n".join(["", "Trending now", "November 19, 2019 at 5:10 pm",
                                                              "Ferry timetable changes", "Contact us"])),
               None, D(2019, 11, 19)),
    # Of two lone date lines far above the article, the higher one (the page's head) wins.
    "w_position": (_lines("Home", "5 March 2020", *MENU, "7 March 2020", *MENU, "Council approves the budget",
                          *BODY), D(2020, 3, 5), None),
    # Three different days in a column (a list) lose to a date line standing on its own.
    "w_crowd": (_lines("Home", "Council approves the budget", "1 March 2020", "2 March 2020", "3 March 2020",
                       *MENU[:4], "5 March 2020", *MENU[:6], *BODY), D(2020, 3, 5), None),
    "w_embed": (page("— Anna (@anna) 9 March 2020", "5 March 2020"), D(2020, 3, 5), None),
    "w_comment": (page("9 March 2020 Reply", "5 March 2020"), D(2020, 3, 5), None),
    "w_range_end": (page("3. - 9. March 2020", "5 March 2020"), D(2020, 3, 5), None),
    "w_sentence": (_lines("Home", "Council approves the budget", "The council, which met on Tuesday, said that the "
                          "new library will open its doors on 9 March 2020 at the earliest, officials said.",
                          *MENU[:12], "5 March 2020", *MENU[:8], *BODY), D(2020, 3, 5), D(2020, 3, 9)),
    "w_after_body": (_lines("Home", "Council approves the budget", *BODY, "Contact", "Imprint", "Jobs", "Shop", "Help",
                            "9 March 2020", "About us", "Privacy", "Terms", "Cookies", "Ads", "Sitemap"),
                     None, D(2020, 3, 9)),
}


def _answer(result):
    return result.day if result.source == "text" else None


@pytest.mark.parametrize("weight", sorted(PINS))
def test_weight_is_pinned(weight):
    text, with_weight, without = PINS[weight]
    assert _answer(dated(text)) == with_weight
    assert _answer(dated(text, config=DateConfig(**{weight: 0.0}))) == without


def test_every_weight_has_a_pin():
    weights = {f.name for f in dataclasses.fields(DateConfig) if f.name.startswith("w_")}
    assert weights == set(PINS)
