"""Template evidence: lines recurring across a site's stories, learned from a batch."""

from __future__ import annotations

from clean_helpers import POLICY, clean, policy_page, policy_story

from newsarchive.clean import TemplateLines
from newsarchive.clean.kernels import line_hash, page_hashes_py, pages_line_hashes
from newsarchive.clean.lines import line_key


def _site_page(story: int, body: list[str]) -> str:
    return "\n".join(["Valley Post", "- News", "Promo: Get the Valley Post app for daily alerts",
                      f"Story number {story} headline"] + body + ["Valley Post is part of Example Media"])


def _body(story: int) -> list[str]:
    return [f"Paragraph one of story {story} describes what happened in the valley on that day, "
            f"with quotes from residents and officials.",
            f"Paragraph two of story {story} gives the background and what comes next for the "
            f"town council and the people involved."]


def test_template_lines_recur_across_stories_of_a_site():
    pages = [_site_page(i, _body(i)) for i in range(4)]
    tl = TemplateLines.from_pages(pages, sites=["valleypost.example"] * 4)
    assert tl.is_template("Promo: Get the Valley Post app for daily alerts",
                          site="valleypost.example")
    assert not tl.is_template(_body(0)[0], site="valleypost.example")
    assert not tl.is_template("Promo: Get the Valley Post app for daily alerts",
                              site="other.example")
    art = clean(pages[0], templates=tl.for_site("valleypost.example"))
    assert "Promo" not in art.text and "Example Media" not in art.text
    assert art.text.split("\n") == _body(0)


def test_syndicated_copies_do_not_turn_body_into_template():
    wire_body = _body(99)
    outlets = [f"Outlet {k} Daily\nLocal menu {k}\n" + "\n".join(wire_body) + f"\nFooter {k}"
               for k in range(6)]
    tl = TemplateLines.from_pages(outlets)
    assert not tl.is_template(wire_body[0])
    assert clean(outlets[0], templates=tl).text.split("\n") == wire_body


def test_pooled_evidence_never_removes_syndicated_prose_or_empties_a_page():
    # Copies of one wire story on different sites, each re-edited so that their longest
    # paragraphs differ: pooled (unknown-site) evidence must not take the story for a template.
    wire = _body(7) + ["Paragraph three of story 7 adds the reaction from the regional"
                       " government and a timetable for the next steps."]
    copies = []
    for k in range(5):
        body = list(wire)
        body[k % 3] = body[k % 3] + f" Edited by outlet {k} with an extra clause for its readers."
        copies.append(f"Outlet {k} Daily\nLocal menu {k}\n" + "\n".join(body) + f"\nFooter {k}")
    tl = TemplateLines.from_pages(copies)
    for page in copies:
        art = clean(page, templates=tl)
        assert len(art.text.split("\n")) == 3
    # A page whose every line is template evidence still keeps its content.
    table = "\n".join(["Results", "1 Kyle Mercer 5040 5", "2 Dana Ortiz 5035 3",
                       "3 Sam Whitfield 5033 4", "4 Lee Park 5027 2"])
    tl = TemplateLines.from_pages([table + f"\nStory {k}" for k in range(4)])
    assert clean(table, templates=tl).text


def test_template_lines_merge_and_arrow_round_trip_are_order_free():
    a = TemplateLines.from_pages([_site_page(i, _body(i)) for i in range(2)])
    b = TemplateLines.from_pages([_site_page(i, _body(i)) for i in range(2, 4)])
    promo = "Promo: Get the Valley Post app for daily alerts"
    assert not a.is_template(promo) and not b.is_template(promo)
    ab, ba = a.merge(b), b.merge(a)
    assert ab.is_template(promo) and ba.is_template(promo)
    assert ab.to_arrow().equals(ba.to_arrow())
    back = TemplateLines.from_arrow(ab.to_arrow())
    assert back.to_arrow().equals(ab.to_arrow())
    assert back.is_template(promo)
    # The same page seen in the batch and again in the archive counts once.
    again = a.merge(a)
    assert again.to_arrow().equals(a.to_arrow())


TRICKY_PAGES = [
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３\nﬁne ligature line\n™ trade mark ª\ncafe\u0301 au lait",
    "Σ ΟΔΥΣΣΕΥΣ capital sigma\r\nİstanbul line\u2028second\x85third\nemoji 😀 line here",
    "plain ascii line one\nplain ascii line two\n\n  indented   line  \nx\n" + "y" * 300,
    "“Curly” quotes — and dashes’ line\nΜοσχα Москва ПРИВЕТ\n한국어 기사 입력\n日本語の記事です",
    "",
]


def test_line_hash_kernel_equals_line_key_reference():
    import numpy as np

    hashes, pages, lengths = pages_line_hashes(TRICKY_PAGES)
    for i, page in enumerate(TRICKY_PAGES):
        expected, expected_lengths = page_hashes_py(page)
        assert hashes[pages == i].view(np.int64).tolist() == expected
        assert lengths[pages == i].tolist() == expected_lengths
        keys = [k for k in map(line_key, page.splitlines()) if len(k) >= 2]
        assert expected == [line_hash(k) for k in keys]
        assert expected_lengths == [len(k) for k in keys]


def test_template_story_sets_are_capped_and_merge_order_free():
    promo = "Promo: Get the Valley Post app for daily alerts"
    pages = [_site_page(i, _body(i)) for i in range(24)]
    whole = TemplateLines.from_pages(pages, sites=["valleypost.example"] * 24)
    table = whole.to_arrow()
    assert max(table.column("n_stories").to_pylist()) == TemplateLines.STORY_CAP
    parts = [TemplateLines.from_pages(pages[k::3], sites=["valleypost.example"] * 8)
             for k in range(3)]
    one = parts[0].merge(parts[1]).merge(parts[2])
    other = parts[2].merge(parts[0].merge(parts[1]))
    assert one.to_arrow().equals(other.to_arrow())
    assert one.to_arrow().equals(table)  # the cap keeps the same smallest stories
    assert one.is_template(promo, site="valleypost.example")
    assert one.merge(one).to_arrow().equals(table)  # idempotent


def test_template_evidence_keeps_only_lines_seen_in_two_stories():
    a = TemplateLines.from_pages([_site_page(0, _body(0))], sites=["valleypost.example"])
    assert len(a) == 0 and a.to_arrow().num_rows == 0  # one story teaches nothing to keep
    b = TemplateLines.from_pages([_site_page(1, _body(1))], sites=["valleypost.example"])
    ab = a.merge(b)
    assert len(ab) == ab.to_arrow().num_rows > 0
    # Arrow round trip, also of several runs' tables read back concatenated
    import pyarrow as pa

    c = TemplateLines.from_pages([_site_page(i, _body(i)) for i in range(2, 4)],
                                 sites=["valleypost.example"] * 2)
    back = TemplateLines.from_arrow(pa.concat_tables([ab.to_arrow(), c.to_arrow()]))
    assert back.to_arrow().equals(ab.merge(c).to_arrow())
    assert back.is_template("Promo: Get the Valley Post app for daily alerts",
                            site="valleypost.example")



# --- the story of a page: a site's boilerplate never names it --------------------------------

def test_a_comment_policy_longer_than_the_articles_is_template():
    # Every page of the site prints the same policy block after a short article, its first line
    # longer than any paragraph: naming a page's story by its longest line made every page one
    # story, and the block, never template, became the body of a page without an article.
    pages = [policy_page(k) for k in range(5)]
    tl = TemplateLines.from_pages(pages, sites=["valleypost.example"] * 5)
    assert all(tl.is_template(line, site="valleypost.example") for line in POLICY)
    art = clean(pages[0], templates=tl.for_site("valleypost.example"))
    assert art.text.split("\n") == policy_story(0)


def test_copies_that_make_up_a_small_batch_still_count_as_one_story():
    # Three copies of one story on one site, each with its own short chrome lines: their shared
    # body is on every page of the batch, yet no copy has a paragraph of its own to name it by.
    pages = [f"Valley Post edition {k}\nMenu {k}\n" + "\n".join(policy_story(7)) + f"\nFooter {k}"
             for k in range(3)]
    tl = TemplateLines.from_pages(pages, sites=["valleypost.example"] * 3)
    assert not any(tl.is_template(line, site="valleypost.example") for line in policy_story(7))


def test_a_page_that_is_only_its_sites_boilerplate_is_rejected():
    pages = [policy_page(k) for k in range(5)]
    gallery = policy_page(9, body=["Photos: the valley fair in pictures"])  # no article at all
    tl = TemplateLines.from_pages(pages + [gallery], sites=["valleypost.example"] * 6)
    art = clean(gallery, templates=tl.for_site("valleypost.example"))
    assert art.rejected and "recurs" in art.rejected
    assert clean(pages[1], templates=tl.for_site("valleypost.example")).rejected is None


def test_boilerplate_template_on_two_sites_is_template_on_a_third_sites_first_page():
    pages, sites = [], []
    for site in ("valleypost.example", "hillherald.example"):
        pages += [policy_page(k).replace("Valley Post", site) for k in range(4)]
        sites += [site] * 4
    tl = TemplateLines.from_pages(pages, sites=sites)
    first = policy_page(20).replace("Valley Post", "Lake Times")  # the new site's only page
    view = tl.for_site("laketimes.example")
    assert all(view.match_key(line_key(line)) == "cross_site" for line in POLICY)
    assert clean(first, templates=view).text.split("\n") == policy_story(20)
    # A wire story copied by both sites counts once per site: it is no cross-site template.
    assert view.match_key(line_key(policy_story(0)[0])) is None
