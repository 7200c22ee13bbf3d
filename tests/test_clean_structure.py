"""Page structure: teasers, comment sections, and the body run."""

from __future__ import annotations

from clean_helpers import CONFIG, clean, fixture


def test_comments_after_an_article_are_not_the_body():
    art = clean(fixture("blog_with_comments.txt"))
    lines = art.text.split("\n")
    assert lines[0].startswith("I spent most of the winter on the night ferry")
    assert lines[-1].startswith("The crew told me the service loses money")
    assert "took that boat" not in art.text and "Great piece" not in art.text


_ARTICLE = [
    "HARBOURTON — The port authority ordered the evacuation of the lower quays on Saturday as "
    "the storm surge was expected to reach the harbour by Monday morning, officials said.",
    "The authority said the ferries would stay in port until the surge had passed, and that the "
    "night service to the islands was cancelled for the whole week.",
    "Fishermen were asked to move their boats to the inner basin, where the breakwater gives "
    "the best shelter, and to stay away from the quays until the warning is lifted.",
    "The harbour master said the surge could be the highest since the storm of 1987, when the "
    "lower quays were flooded for three days and the ferry terminal had to be rebuilt.",
    "Shops on the quays closed early on Saturday, and several owners spent the afternoon "
    "moving stock to the upper floors of their buildings.",
]


def test_a_bare_comments_link_above_the_article_is_no_comment_section():
    # A share bar's "Comments" link under the headline, no readers' posts after it: the
    # article below is the body, however short the stretch above the link.
    page = ["Storm surge closes harbour quays | Harbour Post", "Home", "News",
            "Storm surge closes harbour quays", "By Dana Whitfield",
            "The harbour in pictures: a week of storms on the coast.", "Tweet", "Comments",
            *_ARTICLE, "Most read", "Ferry fares rise for the winter", "© 2024 Harbour Post"]
    assert clean("\n".join(page)).text.split("\n") == _ARTICLE


def test_the_article_before_a_comment_section_beats_longer_comments():
    posts = []
    for k, name in enumerate(["Marta", "Tom", "Lena", "Yusuf", "Ines"]):
        posts += [f"{name} says:", f"January {12 + k}, 2024 at 9:14 pm",
                  f"Comment {k}: " + " ".join(_ARTICLE[k % 5].split()[3:]) + " I agree with the council.",
                  f"Comment {k} again: the quays have flooded before and the authority was slow "
                  "to react, so this time I am glad they acted early and told everyone in time.",
                  "Reply"]
    page = ["Storm surge closes harbour quays", *_ARTICLE[:3], "Comments", *posts,
            "© 2024 Harbour Post"]
    assert clean("\n".join(page)).text.split("\n") == _ARTICLE[:3]


def test_one_long_paragraph_is_enough_article_before_many_comments():
    story = " ".join(_ARTICLE)  # one paragraph of some 130 words, as forum front pages print it
    posts = []
    for k in range(20):
        posts += [f"Re: the quays (Score:{k % 5})", f"by reader{k} ({1000 + k})",
                  " ".join(_ARTICLE[(k + 1) % 5].split()[2:]) + " " + _ARTICLE[k % 5], "Reply"]
    page = ["Storm surge closes harbour quays", "Posted by editor on Saturday", story,
            "100 of 524 comments loaded", *posts]
    assert clean("\n".join(page)).text == story


# --- every scoring weight is pinned: the default gives the article, a neutral value does not ---

import dataclasses  # noqa: E402


P = _ARTICLE  # five paragraphs of 25-35 words


def _body(page: list[str], **changes) -> list[str]:
    return clean("\n".join(page), config=dataclasses.replace(CONFIG, **changes)).text.split("\n")


MENU = ["Home", "World", "Business", "Sport", "Culture", "Travel", "Weather", "Podcasts",
        "Newsletters", "Games", "Crosswords", "Jobs"]
LEGAL = ("The publisher and its partners process data for the purposes described in this notice, "
         "including the storage of information on a device, personalised advertising and content, "
         "measurement of advertising and content, audience research and the development of "
         "services, and readers may object to such processing or change their choices at any "
         "time from the settings link in the footer of every page, where a list of the partners "
         "and the legal bases they rely on is kept up to date, together with the address to "
         "which requests about personal data can be sent, the time within which they are "
         "answered, and the authority to which a complaint can be made by any reader who is "
         "not satisfied with the answer received from the publisher or one of its partners.")


def test_good_score_cap_keeps_one_long_notice_from_outweighing_the_article():
    page = ["Storm surge closes harbour quays", *P[:3], *MENU, LEGAL, "Thank you.", "Accept"]
    assert _body(page) == P[:3]
    assert LEGAL in _body(page, good_score_cap=1000.0)


def test_score_near_keeps_short_sentences_inside_the_body():
    page = ["Storm surge closes harbour quays", "Home", "News", P[0], "It was not.", "Why now?",
            "Nobody knows.", "Few agree.", "Time will tell.", P[1], "Most read", *MENU]
    assert _body(page) == [P[0], "It was not.", "Why now?", "Nobody knows.", "Few agree.",
                           "Time will tell.", P[1]]
    assert len(_body(page, score_near=-4.0)) == 1


def test_score_head_and_gap_growth_bridge_a_related_box_but_not_a_menu():
    related = ["Ferry fares rise for the winter season on all the routes to the northern islands",
               "Harbour board approves the new terminal after a long and bitter public debate",
               "Island schools close for a week as the storm season begins early this year"]
    page = ["Storm surge closes harbour quays", *MENU, *P[:2], *related, *P[2:], *MENU]
    assert _body(page) == P                       # three headlines inside the article: bridged
    assert _body(page, score_head=-40.0) != P     # headlines costing like a stop split it
    assert _body(page, gap_growth=20.0) != P      # each further headline costing much more too
    page = ["Storm surge closes harbour quays", *P[:2], *MENU, *P[2:]]
    assert _body(page) == P[2:]                   # a long menu is never bridged
    assert _body(page, gap_growth=0.0) == P       # ... while a flat cost would bridge it


def test_score_short_and_chrome_bridge_one_inline_label_each():
    page = ["Storm surge closes harbour quays", *MENU, *P[:2], "Advertisement", *P[2:4], "Gallery",
            P[4], *MENU]
    assert _body(page) == P
    assert _body(page, score_chrome=-60.0) != P
    page = ["Storm surge closes harbour quays", *MENU, *P[:2], "Harbourton", *P[2:], *MENU]
    assert _body(page) == P
    assert _body(page, score_short=-60.0) != P


def test_score_meta_keeps_a_date_line_between_paragraphs_cheap():
    page = ["Storm surge closes harbour quays", *MENU, *P[:2], "Updated March 4, 2024 18:40",
            "By Dana Whitfield", *P[2:], *MENU]
    assert _body(page) == P
    assert _body(page, score_meta=-60.0) != P


def test_score_stop_ends_the_article_at_the_copyright_line():
    promo = ["Our journalism depends on readers like you: subscribe from one pound a week."]
    page = ["Storm surge closes harbour quays", *MENU, *P[:3], "© 2024 Harbour Post", *promo]
    assert _body(page) == P[:3]
    assert _body(page, score_stop=-1.0) == P[:3] + promo


def test_isolated_weight_and_edges_drop_a_teaser_above_the_article():
    teaser = "The harbour master explains the evacuation plan in a short video for residents."
    page = ["Storm surge closes harbour quays", "Home", teaser, "Video", "Share", "Print", *P,
            *MENU]
    assert _body(page) == P
    assert _body(page, isolated_weight=1.0, edge_gap_lines=99)[0] == teaser


def test_table_row_weight_lets_a_long_table_carry_a_short_intro():
    rows = [f"{k} Harbour Rowing Club {40 - 3 * k} points {k + 2} wins" for k in range(1, 11)]
    page = ["Regatta standings", *MENU, "The standings after the last regatta of the season:",
            *rows, "Most read", *MENU]
    assert _body(page)[1:] == rows
    assert _body(page, table_row_weight=0.0) != _body(page)
