"""The HTML path: trafilatura on the page's one parsed tree, post-filtered; the fallback."""

from __future__ import annotations

from clean_helpers import CONFIG, fixture
from lxml import etree

import newsarchive.clean.html as clean_html_module
from newsarchive.clean import clean_page
from newsarchive.page import Page


def test_clean_html_uses_trafilatura_and_keeps_metadata():
    page = Page("html", fixture("page.html"), url="https://www.coastalgazette.example/ferry")
    art = clean_page(page, config=CONFIG, timeout_s=0)
    assert art.method == "html"
    lines = art.text.split("\n")
    assert lines[0].startswith("PORTSMOUTH (AP)") and lines[-1].endswith("(AP)")
    assert "All rights reserved" not in art.text and "By Dana" not in art.text
    assert "Published" not in art.text
    assert art.title == "Harbour authority approves night ferry trial"
    assert art.byline == "Dana Whitfield"
    assert art.published == "2024-03-04"
    assert art.language == "en"
    assert art.body_span is None  # trafilatura gives no place in the page


def test_the_page_tree_is_parsed_once_and_left_as_it_was(monkeypatch):
    page = Page("html", fixture("page.html"))
    tree = page.tree
    before = etree.tostring(tree)
    seen = []
    real = clean_html_module.trafilatura_extract
    monkeypatch.setattr(clean_html_module, "trafilatura_extract",
                        lambda t, url: seen.append(t) or real(t, url))
    clean_page(page, config=CONFIG, timeout_s=0)
    assert seen == [tree]  # trafilatura got the page's own tree, not the markup to parse again
    assert etree.tostring(page.tree) == before and page.tree is tree


def test_clean_html_falls_back_to_visible_text_when_trafilatura_misses(monkeypatch):
    monkeypatch.setattr(clean_html_module, "trafilatura_extract", lambda tree, url: None)
    page = Page("html", fixture("scripted.html"))
    art = clean_page(page, config=CONFIG, timeout_s=0)
    assert art.method == "html_fallback"
    lines = art.text.split("\n")
    assert len(lines) == 3 and lines[0].startswith("The last resident keeper")
    assert "Copyright" not in art.text and "Home | News" not in art.text
    start, end = art.body_span  # into the page's visible text, which the dates stage reads too
    assert page.text[start:end].startswith("The last resident keeper")
    assert page.text[start:end].endswith(lines[-1])
