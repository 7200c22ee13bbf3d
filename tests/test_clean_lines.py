"""Line normalisation and shapes."""

from __future__ import annotations

import re
import unicodedata

from clean_helpers import CONFIG

from newsarchive.clean.lines import (CHROME, GOOD, HEAD, NEAR, SHORT, CJK_RE, line_key, shapes_for,
                                     split_lines, units, unwrap)


def test_ascii_word_count_matches_the_regex_count():
    for line in ("The U.S. plan - worth 2,191,000 dollars - didn't pass (AP).", "a_b c", "", "..."):
        assert units(line) == len(re.findall(r"\w+", line))


def test_fast_line_helpers_equal_their_regex_definitions():
    word = re.compile(r"\w+")
    for line in ["“Quoted” — dash’s", "ÉCOLE école", "a  b\tc", "", "_x_", "Ｆｕｌｌ ﬁne ²",
                 "Москва, 29 июня", "x\udcff y"]:
        assert units(line) == len(word.findall(line)) or CJK_RE.search(line)
        assert line_key(line) == re.sub(r"[^\w]+", "", unicodedata.normalize("NFKC", line).lower())


def test_line_kinds():
    shape = shapes_for(CONFIG).shape
    assert shape("The council voted on Thursday to reopen the library after two years.").kind == GOOD
    assert shape("The vote was close.").kind == NEAR
    assert shape("Council votes to reopen the library").kind == HEAD
    assert shape("Library").kind == SHORT
    assert shape("Share this article").kind == CHROME
    assert shape("Published : Mar. 4, 2024 - 18:40").role == "date"
    assert shape("By Dana Whitfield").role == "byline"
    assert shape("© 2024 Example Media. All rights reserved.").role == "stop"
    assert shape("Comments").role == "comments_label"  # also a share bar's link
    for heading in ("12 Comments", "Comments (12)", "12 Responses to “Storm closes quays”",
                    "100 of 313 comments loaded", "Leave a Reply", "- 12 comments"):
        assert shape(heading).role == "comments", heading
    assert shape("3 comments on the plan were rejected by the council.").role is None


def test_split_lines_collapses_spaces_and_keeps_blank_separators():
    assert split_lines("a\u00a0 b\n\n\tc  d\u200b")[:2] == (["a b", "", "c d"], [4, 0, 6])


def test_unwrap_joins_a_wrapped_paragraph_and_tracks_where_lines_start():
    para = ("The town council voted on Thursday to reopen the library that closed two years ago "
            "after a fire, and said the work would be done in less than four months, at a cost "
            "the insurers will mostly cover.")
    wrapped, line = [], ""
    for word in para.split():
        if line and len(line) + 1 + len(word) > 60:
            wrapped.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    wrapped.append(line)
    texts, starts = unwrap(["Headline", ""] + wrapped + ["", "Next"], CONFIG)
    assert texts == ["Headline", "", para, "", "Next"]
    assert starts == [0, 1, 2, 2 + len(wrapped), 3 + len(wrapped)]


def _wrap(text: str, width: int, first: int | None = None) -> list[str]:
    """`text` wrapped greedily at `width`, its first line at `first` (the markup before a
    paragraph in the page's source takes the rest of the first line)."""
    out, line, limit = [], "", first or width
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            out.append(line)
            line, limit = word, width
        else:
            line = f"{line} {word}".strip()
    return out + [line]


def test_paragraphs_wrapped_in_the_source_are_joined_without_blank_lines():
    paras = ["HARBOURTON, Nov. 24 -- The port authority ordered the evacuation of the lower "
             "quays on Saturday as the storm surge was expected to reach the harbour by Monday "
             "morning, officials said, and asked the owners of small boats to move them inland.",
             "The authority said the ferries would stay in port until the surge had passed, and "
             "that the night service to the islands was cancelled for the whole week, while the "
             "repairs to the breakwater would resume once the water had fallen again."]
    page = ["Storm closes harbour quays", "Print"]
    for p in paras:
        page += _wrap(p, 78, first=48)  # no blank lines, a short first line per paragraph
    page += ["Related Stories", "Ferry fares rise for the winter season on all island routes",
             "Harbour board approves new terminal plans after a long public debate",
             "Island schools close for a week as the storm season begins early"]
    texts, _starts = unwrap(page, CONFIG)
    assert texts[2:4] == paras
    assert texts[-3:] == page[-3:]  # headlines of similar lengths, all capitalised: not joined


def _split_lines_reference(page_text: str) -> tuple[list[str], list[int]]:
    """split_lines as written before its kernel: a regex for pages with odd spaces, split-and-join
    per line on those."""
    zero_width = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
    if page_text.isascii():
        plain = "\t" not in page_text and "\x1f" not in page_text
    else:
        plain = re.search(r"[\t\x1f\xa0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]", page_text) is None
        if not plain and zero_width.search(page_text):
            page_text = zero_width.sub(" ", page_text)
    raw = page_text.splitlines()
    lengths = list(map(len, raw))
    if plain and "  " not in page_text:
        return list(map(str.strip, raw)), lengths
    return [x if x.isascii() and "  " not in x and "\t" not in x else " ".join(x.split())
            for x in map(str.strip, raw)], lengths


def test_split_lines_kernel_matches_the_reference_on_odd_spaces_and_breaks():
    import random

    from newsarchive.clean.lines import wrap_candidates

    rnd = random.Random(3)
    pieces = ["word", "Wort", "été", "“q”", "日本", "\U0001f600", " ", "  ", "\t", "\x1f", "\xa0", "\u2003",
              "\u200b", "\ufeff", "\u3000", "\n", "\r\n", "\r", "\x0b", "\x1c", "\x85", "\u2028", "\n\n",
              "a" * 30, "b " * 20, "c" * 70]
    for _ in range(3000):
        page = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        lines, lengths, candidates = split_lines(page, CONFIG)[:3]
        assert (lines, lengths) == _split_lines_reference(page), repr(page)
        assert candidates == wrap_candidates(lines, CONFIG), repr(page)


def test_numeric_line_count_matches_the_regex():
    import random

    from newsarchive.clean.tables import _NUMERIC_CELL_LINE_RE

    rnd = random.Random(5)
    pieces = ["\n", "\n", "\n", " ", "\t", "-", "+", "(", ")", "1", "23", "٣", "4.5", ",", ":", "%", "/",
              "x", "Ab"] * 4 + ["\r\n", "\x0b", "\u2028", "\r"]
    for _ in range(5000):
        page = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        found = split_lines(page, CONFIG).numeric_lines
        if not any(ch in page for ch in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):  # only "\n" breaks
            assert found == len(_NUMERIC_CELL_LINE_RE.findall(page)), repr(page)
        else:
            assert found is None, repr(page)  # other breaks: the regex counts
    assert split_lines("a\n1\n 2.5 \n(3)\nx", CONFIG).numeric_lines == 3
    assert split_lines("a\n\U0001d7ce\n1\n", CONFIG).numeric_lines is None  # past the BMP: the regex counts


def test_unwrap_with_the_kernels_walks_matches_the_python_walk():
    import random

    rnd = random.Random(11)
    words = ["the", "council", "Voted", "on", "a", "plan", "to", "reopen", "Library", "-", "•", "é", "über"]
    for _ in range(1500):
        lines = []
        for _ in range(rnd.randint(1, 25)):
            width = rnd.choice([0, 10, 30, 45, 60, 75, 90, 110])
            line = ""
            while len(line) < width:
                line = f"{line} {rnd.choice(words)}".strip()
            lines.append(rnd.choice(["", "- ", "• "]) + line if rnd.random() < 0.15 else line)
        page = "\n".join(lines)
        split = split_lines(page, CONFIG)
        assert split.walks is not None
        assert unwrap(split.lines, CONFIG, split.wrap_candidates, split.walks) == unwrap(split.lines, CONFIG), page
