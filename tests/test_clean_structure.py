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
