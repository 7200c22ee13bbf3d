"""The article's fields besides its body: bylines as names, the same from every input type."""

from __future__ import annotations

import pytest
from clean_helpers import CONFIG, clean

from newsarchive.clean import clean_page
from newsarchive.clean.fields import byline_names
from newsarchive.page import Page


@pytest.mark.parametrize("written, names", [
    ("BY MICHAEL LEE [[email protected]]", "Michael Lee"),
    ("By Dana Whitfield | Staff Writer", "Dana Whitfield"),
    ("Written by: Ana Silva (ana.silva@example.com)", "Ana Silva"),
    ("by Andrew Park on May 23, 2011 at 12:12 am", "Andrew Park"),
    ("By Jane Doe and John Roe", "Jane Doe; John Roe"),
    ("Jane Doe; John Roe", "Jane Doe; John Roe"),
    ("Von Max Mustermann", "Max Mustermann"),
    ("di Mario Rossi", "Mario Rossi"),
    ("Di Stefano Rossi", "Di Stefano Rossi"),      # a surname, not the Italian "by"
    ("(서울=연합뉴스) 홍길동 기자 =", "홍길동"),
    ("By [email protected]", None),               # nothing but a hidden address
])
def test_bylines_are_names(written, names):
    assert byline_names(written) == names


HTML = """<html><head><title>Council reopens the old library | Valley Post</title>
<meta name="author" content="Michael Lee"></head><body><article>
<h1>Council reopens the old library</h1><p class="byline">By Michael Lee</p>
<p>The town council voted on Thursday to reopen the library that closed two years ago after a
fire, and said the work would be done in less than four months.</p>
<p>The insurers will cover most of the cost, the treasurer said, and volunteers have offered to
run a reading room for children on Saturday mornings once the building is open again.</p>
<p>The library's old collection was moved to the school during the repairs and will come back
in the spring, when the shelves have been rebuilt.</p></article></body></html>"""

DUMP = """Council reopens the old library | Valley Post
Home
News
Council reopens the old library
BY MICHAEL LEE [[email protected]]
The town council voted on Thursday to reopen the library that closed two years ago after a fire, and said the work would be done in less than four months.
The insurers will cover most of the cost, the treasurer said, and volunteers have offered to run a reading room for children on Saturday mornings once the building is open again.
The library's old collection was moved to the school during the repairs and will come back in the spring, when the shelves have been rebuilt.
© 2024 Valley Post"""


def test_the_same_page_gives_the_same_byline_from_its_html_and_its_text_dump():
    from_html = clean_page(Page("html", HTML), config=CONFIG, timeout_s=0)
    from_text = clean(DUMP)
    assert from_html.byline == from_text.byline == "Michael Lee"
