"""The page's structure as the dates stage reads it: where the article's prose starts and ends
(the body span, in lines), the largest block of prose, headings of dated lists, and wire
datelines ("WASHINGTON, April 9 -") opening the first paragraphs.

Lines are counted from 0 in the text the stage scans (`Page.text`). The cleaner's `body_span`
(character offsets), when given, replaces `body_span_at`'s own estimate.
"""

from __future__ import annotations

import re
from typing import Sequence

from newsarchive.dates import patterns as pat
from newsarchive.dates.scan import month_number

_WORD = r"[^\W\d_]"

# Capitalised words: a word start (after a space or the line start) in upper case. Latin,
# Greek and Cyrillic capitals cover the cased scripts the archive receives.
_RE_CAPITAL_WORD = re.compile(r"(?<!\S)[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-ЯЁЄІЇ]")
# Lines long enough to be prose, found by the regex engine instead of a Python loop per line.
# Anchored on the newline character rather than `^` in MULTILINE mode: re then jumps from one
# newline to the next instead of trying every position (2-3x faster on whole dumps).
LONG_LINE_CHARS = 55
_RE_LONG_LINE = re.compile(r"\n[^\n-][^\n]{%d,}" % (LONG_LINE_CHARS - 1))
_RE_LONG_FIRST_LINE = re.compile(r"[^\n-][^\n]{%d,}" % (LONG_LINE_CHARS - 1))
PARAGRAPH_CHARS = 120  # one line this long is a paragraph; shorter prose lines need a second in a row


def is_prose(text: str, pos: int, end: int) -> bool:
    """A line of running prose: long with many spaces, not a list item. Lines hard-wrapped at
    60-80 columns (wire copy, e-mail dumps) count when they are mostly words."""
    n = end - pos
    if n < 55 or text[pos] == "-":
        return False
    spaces = text.count(" ", pos, end)
    if not ((n >= 120 and spaces >= 10) or n >= 200 or spaces >= 7):
        return False
    if spaces * 12 < n:
        return False  # words of 12+ letters on average: glued menus ("ÜbersichtKfz-Versicherung..."), URLs
    # Menus and tag rows are long too ("Israel News Opinion Middle East ..."), but prose is
    # not mostly capitalised words, in German either (articles, verbs, adjectives); scripts
    # without case pass. Rows of 160+ characters are prose anyway (and most of the cost).
    return n >= 160 or len(_RE_CAPITAL_WORD.findall(text, pos, end)) * 3 <= (spaces + 1) * 2


def long_lines(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Character spans and line numbers of the lines long enough to be prose."""
    head = _RE_LONG_FIRST_LINE.match(text)
    spans = [(0, head.end())] if head else []
    spans += [(m.start() + 1, m.end()) for m in _RE_LONG_LINE.finditer(text)]
    lines, line, counted_to = [], 0, 0
    for pos, _ in spans:
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        lines.append(line)
    return spans, lines


def body_span_at(text: str, spans: list[tuple[int, int]], lines: list[int]) -> tuple[int | None, int | None, int]:
    """Line numbers of the first and last lines of the article's prose and the character offset
    where the first one starts. A paragraph is one line of 120+ characters, or two prose lines
    in a row (a hard-wrapped paragraph); a single medium-long line alone (a teaser, a caption)
    does not start the body."""
    # The prose test is the costly part, and the article's middle needs none: walk forward to
    # the first paragraph and backward to the last one.
    first = last = None
    first_pos = 0
    prev_line, prev_pos = -2, 0  # the previous prose line
    for (pos, end), line in zip(spans, lines):
        if not is_prose(text, pos, end):
            continue
        follows = prev_line == line - 1
        if end - pos >= PARAGRAPH_CHARS or follows:
            if follows and end - pos < PARAGRAPH_CHARS:
                first, first_pos = line - 1, prev_pos
            else:
                first, first_pos = line, pos
            break
        prev_line, prev_pos = line, pos
    if first is None:
        return None, None, 0
    for i in range(len(spans) - 1, -1, -1):
        pos, end = spans[i]
        if lines[i] < first:
            break
        if not is_prose(text, pos, end):
            continue
        if end - pos >= PARAGRAPH_CHARS or (i and lines[i - 1] == lines[i] - 1 and is_prose(text, *spans[i - 1])):
            last = lines[i]
            break
    if last is None:
        last = first + 1  # the two-line paragraph that set `first`
    return first, last, first_pos


def span_lines(text: str, span: tuple[int, int]) -> tuple[int, int, int]:
    """(first line, last line, offset of the first line's start) of a body given as character
    offsets (the cleaner's `body_span`)."""
    start, end = span
    first_pos = text.rfind("\n", 0, start) + 1
    first = text.count("\n", 0, first_pos)
    return first, first + text.count("\n", first_pos, max(end, first_pos)), first_pos


def main_block(text: str, spans: list[tuple[int, int]], lines: list[int], first: int, cfg) -> int | None:
    """First line of the page's largest block of long lines, when it starts more than a date
    line's distance below the first paragraph and holds `main_block_ratio` times its block's
    text: a site blurb in the header or a teaser list ("Mit allen Kräften für eine liberale
    Welt ...") can pass for the first paragraph, and the article's own date line then stands
    above the main block instead."""
    gap = cfg.main_block_gap
    best_start, best_chars, first_chars = None, 0, 0
    start, chars, prev = None, 0, -10
    for (pos, end), line in zip(spans, lines):
        if line - prev > gap:
            if chars > best_chars:
                best_start, best_chars = start, chars
            if start is not None and start <= first <= prev:
                first_chars = chars
            start, chars = line, 0
        chars += end - pos
        prev = line
    if chars > best_chars:
        best_start, best_chars = start, chars
    if start is not None and start <= first <= prev:
        first_chars = chars
    if (best_start is None or best_chars < cfg.main_block_min_chars or best_start <= first + cfg.head_lines
            or best_chars < cfg.main_block_ratio * first_chars):
        return None
    i = lines.index(best_start)
    # The block's article starts at its first paragraph as body_span_at defines one: the shorter
    # lines chained before it are notices or the headline ("Wenn Sie diesen Button anklicken,
    # ..." under share buttons), and the date line stands above that paragraph, not above them.
    j = i
    while j < len(spans) and lines[j] - lines[j - 1 if j > i else j] <= gap:
        pos, end = spans[j]
        if is_prose(text, pos, end) and (end - pos >= PARAGRAPH_CHARS or (
                j + 1 < len(spans) and lines[j + 1] == lines[j] + 1 and is_prose(text, *spans[j + 1]))):
            return lines[j]
        j += 1
    return best_start if is_prose(text, *spans[i]) else None


# --- Line helpers ---------------------------------------------------------------------------------

def line_width(text: str, pos: int) -> int:
    """Length of the line holding character `pos`."""
    end = text.find("\n", pos)
    return (len(text) if end < 0 else end) - text.rfind("\n", 0, pos) - 1


def lines_before(text: str, pos: int, n: int) -> int:
    """Character offset of the start of the line `n` lines above the line starting at `pos`."""
    for _ in range(n):
        if pos <= 0:
            return 0
        pos = text.rfind("\n", 0, pos - 1) + 1
    return pos


def lines_after(text: str, pos: int, n: int) -> int:
    """Character offset of the start of the line `n` lines below the line starting at `pos`."""
    for _ in range(n):
        pos = text.find("\n", pos) + 1
        if not pos:
            return len(text)
    return pos


# --- List headings --------------------------------------------------------------------------------

assert all(h[0].isalpha() or h.startswith("\\d") for h in pat.LIST_HEADINGS)


def _by_first_letter(alternatives: Sequence[str]) -> str:
    """The alternatives grouped under their first letter ("t(?:rending...|op stories)|m(?:...)"):
    re tries alternatives one by one, so a heading is looked for among the few that share its
    first letter instead of all ~60 at every line start (40 % less time for the same matches)."""
    groups: dict[str, list[str]] = {}
    rest = []
    for h in alternatives:
        if h[0].isalpha():
            groups.setdefault(h[0].lower(), []).append(h[1:])
        else:
            rest.append(h)
    return "|".join([f"{first}(?:{'|'.join(tails)})" for first, tails in sorted(groups.items())] + rest)


# "\n" rather than "^" in MULTILINE mode: re skips from newline to newline. The lookahead on the
# headings' first letters turns most lines away before the alternatives are tried.
_RE_LIST_HEADING = re.compile(
    r"\n[ \t]*(?=[0-9" + "".join(sorted({h[0].lower() for h in pat.LIST_HEADINGS if h[0].isalpha()})) + r"])(?:"
    + _by_first_letter(pat.LIST_HEADINGS)
    + r")[ \t:]*(?=\n|\Z)",
    re.IGNORECASE)


def list_heading_lines(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Line numbers of list headings ("Trending now", "Related", "Comments", "Meistgelesen")
    between character offsets `start` and `end`."""
    end = len(text) if end is None else end
    return [text.count("\n", 0, m.start()) + 1 for m in _RE_LIST_HEADING.finditer(text, start, end)]


# --- Wire datelines -------------------------------------------------------------------------------

# "WASHINGTON, April 9 - ...", "BERLIN, 6. März (dpa) -": a place (2-40 characters, no digits),
# a comma, a day and month without a year at the start of the article's first paragraphs. The
# pattern is what follows the comma; the place is checked in Python at each comma.
_RE_DATELINE_AFTER_PLACE = re.compile(
    r"\s*(?:(?P<mon>" + _WORD + r"{3,9})\.?\s+(?P<d>\d{1,2})|(?P<d2>\d{1,2})\.?\s+(?P<mon2>"
    + _WORD + r"{3,9})\.?)(?:\s*[-–—(/]|\s+\()")
_RE_DIGIT = re.compile(r"\d")
DATELINE_LINES_ABOVE = 8  # the dateline opens the first paragraph or stands as a short line above it
DATELINE_LINES_BELOW = 6  # ... or opens one of the first paragraphs (a teaser, a photo line between)


def body_datelines(text: str, body_pos: int | None) -> list[tuple[int, int]]:
    """(month, day) of wire datelines opening the first paragraphs of the body (`body_pos`: the
    character offset where its first line starts)."""
    if body_pos is None:
        return []
    lines = text[lines_before(text, body_pos, DATELINE_LINES_ABOVE):lines_after(text, body_pos, DATELINE_LINES_BELOW)]
    out = []
    for line in lines.split("\n"):
        comma = line.find(",", 2, 41)
        while comma >= 0:
            if _RE_DIGIT.search(line, 0, comma):
                break  # a place has no digits
            m = _RE_DATELINE_AFTER_PLACE.match(line, comma + 1, 80)
            if m:
                month = month_number(m["mon"] or m["mon2"])
                day = int(m["d"] or m["d2"])
                if month and 1 <= day <= 31:
                    out.append((month, day))
                break
            comma = line.find(",", comma + 1, 41)
    return out
