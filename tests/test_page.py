"""Page: one decoded input, parsed once; its visible text."""

import re

import pytest

from newsarchive.page import Page, _load_html, _squeeze_lines, parse_html, visible_text


def test_visible_text_blocks_on_lines_without_scripts_and_keeps_the_tree():
    tree = parse_html("<html><head><title> T </title><style>p{}</style></head><body><div>a <b>b</b></div>"
                       "<script>x=1</script><p>\n  c  </p>d<br>e</body></html>")
    assert visible_text(tree) == "T\na b\nc\nd\ne\n"
    assert visible_text(tree) == "T\na b\nc\nd\ne\n"  # the tree is not consumed


@pytest.mark.parametrize("raw", ["", "a", "a \t\n\n  b\u00a0 \n", "  \nx\r\n\u2003y  ", "x\n \n", "\n\n"])
def test_squeezed_lines_match_the_regex_they_replace(raw):
    assert _squeeze_lines(raw) == re.sub(r"[ \t\r\f\v]*\n\s*", "\n", raw)


def test_page_parses_once_and_derives_text_and_site_lazily():
    page = Page("html", "<html><head><link rel='canonical' href='https://www.harbour.example.co.uk/a'></head>"
                        "<body><p>Dock fees rise</p></body></html>")
    assert page.tree is page.tree
    assert page.text == "Dock fees rise\n"
    assert page.site == "example.co.uk"
    assert Page("text", "Story\n© BreakingNews.ie 2023").site == "breakingnews.ie"
    with pytest.raises(ValueError):
        Page("pdf", "")


@pytest.mark.parametrize("html", [
    "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>Dock fees rise</p></body></html>",
    "<!DOCTYPE html>\n<html><head><title>T\x0b</title></head><body><p>Dock\x00 fees\x1f rise\ufffe</p></body></html>",
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1.dtd"/>\n'
    "<html/>\n<body><p>x</p><p>y</p></body>",
    "<p>one block</p>", "<div>\x01</div>", "", "plain text",
])
def test_parse_html_gives_trafilaturas_tree_with_and_without_invalid_characters(html):
    from lxml import etree
    from trafilatura import load_html

    expected, tree = load_html(html), _load_html(html)
    assert (tree is None) == (expected is None)
    if expected is not None:
        assert etree.tostring(tree, encoding="unicode") == etree.tostring(expected, encoding="unicode")
        assert parse_html(html) is not None
