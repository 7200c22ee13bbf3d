"""sites.site_of: one site key for the profile, clean and dates stages and the `site` column."""

import pytest

from newsarchive import sites
from newsarchive.sites import registered_host, site_key, site_of


@pytest.mark.parametrize("kwargs, expected", [
    ({"url": "https://edition.cnn.com/2023/x"}, "cnn.com"),
    ({"url": "https://www.thesun.co.uk/news/1"}, "thesun.co.uk"),
    # A URL beats the record's declared outlet: the same outlet is one site whatever the record says.
    ({"url": "https://www.reuters.com/a", "source": "Reuters"}, "reuters.com"),
    ({"source": "Reuters"}, "reuters"),
    ({"source": "  www.BBC.co.uk "}, "bbc.co.uk"),
    ({"page_text": "Body line.\n© 2023 harbourtimes.com. All rights reserved."}, "harbourtimes.com"),
    ({"html": '<html><head><link rel="canonical" href="https://news.example.org/a"></head></html>'}, "example.org"),
    ({"page_text": "No footer here."}, None),
    ({}, None),
])
def test_site_of(kwargs, expected):
    assert site_of(**kwargs) == expected


def test_registered_host_keeps_country_second_levels():
    assert registered_host("www.jaraguadosul.com.br") == "jaraguadosul.com.br"
    assert registered_host("127.0.0.1") is None and registered_host("localhost") is None


@pytest.mark.parametrize(
    "text, url, html, expected",
    [
        (None, "https://www.thesun.co.uk/news/123/", None, "thesun.co.uk"),
        (None, "http://edition.cnn.com/2019/11/20/x.html", None, "cnn.com"),
        ("Home\n© 1987 cnn.com. All rights reserved.", "https://m.jpost.com/a", None, "jpost.com"),  # the URL first
        ("Story\n© 1987 CNN.com. All rights reserved.", None, None, "cnn.com"),
        ("Story\n© BreakingNews.ie 2023\nPrivacy", None, None, "breakingnews.ie"),
        ("Story\nCopyright 2004 theparadigmng.com", None, None, "theparadigmng.com"),
        ("Photo: © Reuters\nStory\n© 2019 Cable News Network. All Rights Reserved.", None, None, None),
        ("Story without any footer", None, None, None),
        (None, None, '<html><head><link rel="canonical" href="https://www.irishtimes.com/news/x"/></head></html>',
         "irishtimes.com"),
        (None, None, '<html><head><meta property="og:site_name" content="The Irish Times"></head></html>',
         "the irish times"),
    ],
)
def test_site_key(text, url, html, expected):
    assert site_key(text, url=url, html=html) == expected


@pytest.mark.parametrize("html", [
    '<p>Canonical forms</p><LINK href="https://a.example.com/x" REL=canonical>',
    '<meta name="x" content="<link rel=canonical href=http://in.example.net/y"><link rel="canonical" href="https://b.org/">',
    '<p>og:url and canonical</p><meta property="og:url" content="https://c.co.uk/z"><link rel=canonical href=//d.com>',
    '<link rel="canonicals" href="https://e.com/"><link rel="canonical">',
    '<p>no tags here, only the word canonical</p>',
])
def test_canonical_match_is_the_pattern_search(html):
    expected = sites._RE_HTML_CANONICAL.search(html)
    found = sites._canonical_match(html)
    assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))
