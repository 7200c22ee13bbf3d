"""The article's fields besides its body: the title as the page prints it.

Both paths use these: the text path to find the in-page headline matching the dump's first
(<title>) line and to drop its repeats from the body, the HTML path to drop trafilatura's
repeats of the metadata title.
"""

from __future__ import annotations

from . import patterns as cp
from .lines import line_key


def title_keys(first_line: str) -> set[str]:
    """Normalised forms of a <title> line: as written, and without one or two site suffixes
    ("Headline | Section | Site")."""
    keys = {line_key(first_line)}
    stripped = first_line
    for _ in range(2):
        stripped = cp.TITLE_SUFFIX_RE.sub("", stripped)
        keys.add(line_key(stripped))
    return {k for k in keys if k}


class TitleMatcher:
    """Whether a line repeats the title: equal to one of its keys, or (15 characters or more)
    containing or contained in one within 1.5 times its length ("Update <headline>",
    headline-plus-site variants), never a paragraph that merely quotes the headline."""

    def __init__(self, keys: set[str]):
        self.keys = keys
        self.lo_len = max(15, min(map(len, keys), default=0) / 1.5)
        self.hi_len = max(map(len, keys), default=0) * 1.5

    def matches(self, key: str) -> bool:
        if len(key) < 8:
            return False
        if key in self.keys:
            return True
        if len(key) < 15 or not self.lo_len <= len(key) <= self.hi_len:
            return False
        for tk in self.keys:
            if (len(tk) >= 15 and (key in tk or tk in key)
                    and max(len(key), len(tk)) <= 1.5 * min(len(key), len(tk))):
                return True
        return False


# --------------------------------------------------------------------------------------------
# Bylines: names, the same from every input type
# --------------------------------------------------------------------------------------------


def byline_names(text: str | None) -> str | None:
    """The names a byline gives, as "Jane Doe" or "Jane Doe; John Roe": without the lead word
    ("By", "Written by", "Von"...), e-mail addresses and the "[email protected]" a site left
    where it hid one, a trailing role or date ("| Staff Writer", "on May 3, 2011"), a Korean or
    Japanese reporter title ("홍길동 기자" -> "홍길동"); an all-capitals byline in title case. The
    text dump's `BY MICHAEL LEE [[email protected]]` and trafilatura's `Michael Lee` from the
    same page's HTML give the same value. None when no name is left."""
    if not text:
        return None
    s = " ".join(text.split())
    s = cp.BYLINE_EMAIL_RE.sub(" ", s)
    s = cp.BYLINE_AGENCY_PREFIX_RE.sub("", s)
    for _ in range(2):  # "Posted by By Jane" happens
        s = cp.BYLINE_LEAD_RE.sub("", s, count=1)
    s = cp.BYLINE_TAIL_RE.sub("", s)
    s = cp.BYLINE_TITLE_RE.sub("", s)
    s = " ".join(s.split()).strip(" ,;:|-–—=/·•")
    if not any(ch.isalpha() for ch in s):
        return None
    parts = [p for p in cp.BYLINE_SEPARATOR_RE.split(s) if p]
    if not (len(parts) > 1 and all(_is_name(p) for p in parts)):
        parts = [s]
    return "; ".join(map(_uncapitalised, parts)) or None


def _uncapitalised(name: str) -> str:
    """"MICHAEL LEE" -> "Michael Lee"; names in mixed case as written."""
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) > 1 and not any(ch.islower() for ch in letters) and any(ch.isupper() for ch in letters):
        return name.title()
    return name


def _is_name(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= 4 and words[0][:1].isupper()
