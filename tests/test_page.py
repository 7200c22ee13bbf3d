"""Page: one decoded input, parsed once; its visible text."""

import re

import pytest

from newsarchive.page import Page, _squeeze_lines, parse_html, visible_text


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
