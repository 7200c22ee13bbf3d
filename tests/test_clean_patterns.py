"""Chrome patterns as data: the gates in front of them never hide a match."""

from __future__ import annotations

import random
import re

import pytest

from newsarchive.clean import patterns as cp
from newsarchive.clean.lines import may_hold_date

CHROME = ["Share this article", "READ MORE: Harbour trial", "3 comments", "12 of 30",
          "Copyright 2024 Example", "Home > News > World", "Photo: Jane Doe/Reuters",
          "Skip to main content", "Follow us on X", "Tags:", "tags :", "Loading...",
          "More from The Valley Post", "Facebook | Twitter | Email", "x, facebook", "share: reddit email",
          "(c) 2024 Example", "© Example Media", "Log in to comment", "Terms of Use",
          "Do not sell my personal information", "관련기사 : 부산항", "(예시) 홍길동 기자"]
NOT_CHROME = ["Quarterly profit rose", "Sharers of the prize said", "Homeowners wait for news",
              "Terms of the deal were not disclosed.", "Photographers gathered outside"]


@pytest.mark.parametrize("line", CHROME)
def test_chrome_lines_match(line):
    assert cp.CHROME_START.match(line), line


@pytest.mark.parametrize("line", NOT_CHROME)
def test_prose_does_not_match(line):
    assert not cp.CHROME_START.match(line), line


def test_openings_declare_their_literal_heads():
    assert cp.literal_head("comments?") == "co"
    assert cp.literal_head(r"\(c\)") == "(c"
    assert cp.literal_head(r"e-?mail") == "e"     # the "-" may be absent: only "e" is certain
    assert cp.literal_head(r"\d+") == ""
    with pytest.raises(ValueError):
        cp.LineStart([cp.Start((r"\d+",), "x")])  # no literal head and no keys
    with pytest.raises(ValueError):
        cp.LineStart([cp.Start(("a|b",), "x")])   # one opening per fragment


def _fuzzed_lines(seed: int = 7, n: int = 4000) -> list[str]:
    rng = random.Random(seed)
    words = [w for s in cp.CHROME_STARTS for o in s.openings for w in re.findall(r"[\w']+", o)]
    words += list(cp.CHROME_LABELS) + ["news", "the", "Valley", "2024", "|", ":", ">", "1", "of"]
    out = []
    for _ in range(n):
        line = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.3:
            line = line.upper() if rng.random() < 0.5 else line.title()
        out.append(line + rng.choice(["", ":", " :", ".", "..."]))
    return out


@pytest.mark.parametrize("family", ["CHROME_START", "BYLINE", "LINK_LABEL", "COMMENTS_HEADING", "QA_LINE"])
def test_gate_never_hides_a_match(family):
    start = getattr(cp, family)
    for line in _fuzzed_lines() + CHROME + NOT_CHROME + ["By Dana Whitfield", "Q: Why now?", "7 Comments"]:
        ungated = bool(start.regex and start.regex.match(line))
        low = line.lower()
        low = low[:-1].rstrip() if start.label_colon and low.endswith(":") else low
        ungated = ungated or low in start.labels
        assert start.match(line) == ungated, line


def test_month_stems_gate_dates():
    dated = ["Oct. 19, 2023 - 22:12", "19 October 2023", "2023-10-19", "19/10/23",
             "2024년 3월 4일", "Mis à jour le 3 mars 2024", "19 декабря 2023", "März 2024"]
    for line in dated:
        assert cp.DATE_RE.search(line) and may_hold_date(line), line
    assert not may_hold_date("Production in 1987 will hold around 1986 levels")
