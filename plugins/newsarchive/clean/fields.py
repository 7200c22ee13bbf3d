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
