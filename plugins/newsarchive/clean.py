"""Clean stage: remove page chrome and keep the article body, from plain-text dumps and from HTML.

Text dumps (one line per block element, navigation and footer included) go through a line
classifier: each line is judged on its own shape (length, sentence punctuation, chrome patterns
from `chrome_patterns`, recurring-template evidence) and then on its neighbourhood, and the body
is the densest run of prose-like lines. HTML goes through trafilatura first (precision mode,
its own dedup cache off, metadata kept); when trafilatura finds nothing or too little, the page's
visible text takes the text-dump path, so an article is never dropped for a parser's miss.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from newsarchive import chrome_patterns as cp
from newsarchive.sites import site_of

__all__ = [
    "CleanArticle",
    "ExtractionTimeout",
    "TemplateLines",
    "clean_html",
    "clean_page",
    "strip_chrome",
]


@dataclass(slots=True)
class CleanArticle:
    text: str
    title: str | None = None
    byline: str | None = None
    date_lines: list[str] = field(default_factory=list)
    published: str | None = None
    url: str | None = None
    site: str | None = None
    language: str | None = None
    method: str = "text"


class ExtractionTimeout(Exception):
    """A document's extraction ran past `settings.extract_timeout_s`."""


# --------------------------------------------------------------------------------------------
# Line normalisation and shape
# --------------------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
# Invisible characters str.split() does not treat as spaces (it does split on nbsp).
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# Space characters other than " " that are not line breaks (str.split() splits on them).
# (Zero-width characters too: the page then takes the slow path, which replaces them.)
_ODD_SPACE_RE = re.compile(r"[\t\x1f\xa0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
_WORD_RE = re.compile(r"\w+")
_SENTENCE_END_RE = re.compile(
    r"[.!?…。！？:;][\"'”’»)\]」』]*(?:\s*\([^()]{1,40}\))?$|[\"”’»」』]$")
_SENTENCE_END_SPAN = 64
_INNER_SENTENCE_RE = re.compile(r"[.!?。！？][\"'”’»)]*\s+\S|[,，、;]\s*\S")
_LIST_PREFIX_RE = re.compile(r"^(?:[-•·*▪●◦‣]\s+)+")
_LIST_MARKS = frozenset("-•·*▪●◦‣")  # a _LIST_PREFIX_RE match opens with one of these
_KEY_STRIP_RE = re.compile(r"[^\w]+")
_ASCII_BYTES = bytes(range(128))
_KEY_MAX_DISTINCT = 8
_ASCII_NON_WORD = bytes(b for b in range(128) if not (chr(b).isalnum() or chr(b) == "_"))
_ASCII_WORD_SPLIT = bytes(b if b < 128 and (chr(b).isalnum() or chr(b) == "_") else 32
                          for b in range(256))
# Word bytes become "a", the rest " ": the \w+ runs are then the " a" transitions (plus one when
# the line opens with a word), counted in C without building a list of words.
_ASCII_WORD_MASK = bytes(97 if b < 128 and (chr(b).isalnum() or chr(b) == "_") else 32
                         for b in range(256))
_ASCII_WORD_MASK_KEEP_HIGH = bytes(b if b >= 128 else _ASCII_WORD_MASK[b] for b in range(256))


def _ascii_words(line: str) -> int:
    """len(_WORD_RE.findall(line)) for an ASCII line."""
    mask = line.encode("ascii").translate(_ASCII_WORD_MASK)
    return mask.count(b" a") + (mask[:1] == b"a")


def _collapse(line: str) -> str:
    return _SPACE_RE.sub(" ", line).strip()


@functools.lru_cache(maxsize=1 << 16)
def line_key(line: str) -> str:
    """Normalised form of a line used for hashing and comparison: NFKC, lowercased, punctuation
    and spacing removed, so typographic variants (curly quotes, dashes) compare equal."""
    if line.isascii():
        # NFKC leaves ASCII unchanged, and deleting bytes is far cheaper than a regex.
        return line.lower().encode("ascii").translate(None, _ASCII_NON_WORD).decode("ascii")
    norm = unicodedata.normalize("NFKC", line).lower()
    # ASCII punctuation goes by byte table; the few distinct non-ASCII characters (curly
    # quotes, dashes, letters) are then tested one by one, which beats a regex over the line.
    data = norm.encode("utf-8", "surrogatepass").translate(None, _ASCII_NON_WORD)
    others = set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
    if len(others) > _KEY_MAX_DISTINCT:
        return _KEY_STRIP_RE.sub("", norm)
    for ch in others:
        if not (ch.isalnum() or ch == "_"):
            data = data.replace(ch.encode("utf-8", "surrogatepass"), b"")
    return data.decode("utf-8", "surrogatepass")


def _units(line: str) -> float:
    """Length in word-equivalents: words for spaced scripts; two CJK characters count as one
    word, since Japanese and Chinese do not separate words with spaces."""
    if line.isascii():
        # Same count as \w+ runs: non-word bytes become spaces (a byte table beats a regex).
        return float(_ascii_words(line))
    if _CJK_RE.search(line) is None:
        # Same count as \w+ runs: the mask trick of _ascii_words, with the line's few distinct
        # non-ASCII characters (curly quotes, accented letters) masked one by one.
        data = line.encode("utf-8", "surrogatepass").translate(_ASCII_WORD_MASK_KEEP_HIGH)
        others = set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
        if len(others) > _KEY_MAX_DISTINCT:
            return float(len(_WORD_RE.findall(line)))
        for ch in others:
            data = data.replace(ch.encode("utf-8", "surrogatepass"),
                                b"a" if ch.isalnum() or ch == "_" else b" ")
        return float(data.count(b" a") + (data[:1] == b"a"))
    cjk = len(_CJK_RE.findall(line))
    # Korean separates words with spaces; its syllables would otherwise count twice.
    if len(_HANGUL_RE.findall(line)) > cjk / 2:
        return float(len(line.split()))
    spaced = len(_WORD_RE.findall(_CJK_RE.sub(" ", line)))
    return spaced + cjk / 2.0


# --------------------------------------------------------------------------------------------
# Hard-wrapped paragraphs
# --------------------------------------------------------------------------------------------

_WRAP_MIN, _WRAP_MAX = 40, 100


def _is_wrap_break(line: str, nxt: str, width: int) -> bool:
    """True when `line` ends where a greedy wrapper at `width` columns would have broken it
    before the first word of `nxt`."""
    first = nxt.split(" ", 1)[0]
    return len(line) >= width - 25 and len(line) + 1 + len(first) > width


def _unwrap(lines: list[str]) -> list[str]:
    """Join runs of consecutive lines that are one paragraph hard-wrapped at 40-100 columns.
    Blank lines are kept as "" separators."""
    out: list[str] = []
    run: list[str] = []
    for x in lines:
        if x:
            run.append(x)
            continue
        if run:
            if len(run) == 1:
                out.append(run[0])
            else:
                out.extend(_unwrap_run(run))
            run = []
        out.append("")
    if run:
        out.extend(_unwrap_run(run) if len(run) > 1 else run)
    return out


def _unwrap_run(run: list[str]) -> list[str]:
    if len(run) < 2:
        return run
    body = run[:-1]
    width = max(map(len, body))
    if not (_WRAP_MIN <= width <= _WRAP_MAX):
        return run
    if len(run) == 2 and (len(run[0]) < 55 or _ends_sentence(run[0])):
        return run
    # Cheapest test first: most runs (menus, link lists) fail at their first break.
    if not all(_is_wrap_break(run[k], run[k + 1], width) for k in range(len(run) - 1)):
        return run
    if any(_LIST_PREFIX_RE.match(x) for x in run[1:]):
        return run
    return [" ".join(run)]


# --------------------------------------------------------------------------------------------
# Line classification
# --------------------------------------------------------------------------------------------

GOOD, NEAR, HEAD, SHORT, CHROME = "good", "near", "head", "short", "chrome"
_LINE_CACHE_SIZE = 1 << 17
# Labels ("Related articles", "Leave a comment") are short; longer lines skip their patterns.
_LABEL_MAX_CHARS = 60

# Teaser-list and data-row shapes (see _mark_teasers, _mark_data_rows).
_TEASER_MAX_UNITS = 45
_TEASER_MIN_PAIRS = 3
_SUMMARY_MIN_UNITS = 5
_HEADLINE_END_RE = re.compile(r"[.!。！;:,]$")
_SENTENCE_SPLIT_RE = re.compile(r"[.!?。！？][\"'”’»)]*\s+(?=\S)")
_DATA_ROW_MIN_RUN = 3
_DATA_ROW_MAX_UNITS = 25
_DATA_ROW_MAX_GAP = 2
_TABLE_MIN_ROWS = 6
_TABLE_ROW_WEIGHT = 0.5
_INNER_DIGIT_RE = re.compile(r"^\S*\D.*\d|^\d+\s+\D.*\d")
_DIGIT_RE = re.compile(r"\d")
_YEAR_RE = re.compile(r"\d{4}")


class _Shape(NamedTuple):
    """What a line is on its own, computed once per distinct line (menus, footers and widgets
    repeat the same lines on every page of a site, so most lines of a batch hit the cache).
    A named tuple: it is built for every new line, and tuples are the cheapest to build."""

    units: float
    kind: str
    role: str | None
    key: str                 # line_key(text)
    headline: bool           # headline-shaped: could head a teaser pair
    one_sentence: bool       # at most one sentence: could be a teaser summary
    data_row: bool           # short and carrying numbers past a leading rank: a table row
    link_label: bool         # "Related", "Read more": the lines under it are links
    credit: bool             # a picture credit: the line above it is a caption


class _Line:
    """One line of a page: its shape plus the page-level judgement (kind, role) that
    neighbourhood rules may change."""

    __slots__ = ("text", "units", "kind", "role", "shape", "key")

    def __init__(self, text: str, shape: _Shape):
        self.text = text
        self.shape = shape
        self.units = shape.units
        self.kind = shape.kind
        self.role = shape.role  # "date", "byline", "stop", "template", "teaser", "data", "table"
        self.key = shape.key


def _is_date_line(text: str, units: float) -> bool:
    if units > cp.DATE_LINE_MAX_WORDS or not _DIGIT_RE.search(text):
        return False  # every date and "3 hours ago" carries a digit
    if cp.RELATIVE_TIME_RE.match(text):
        return True
    has_date = _may_hold_date(text) and cp.DATE_RE.search(text) is not None
    lead = cp.DATE_LEAD_RE.match(text) is not None
    if lead and (has_date or cp.TIME_RE.search(text)):
        return True
    if not has_date:
        return False
    # A bare date line: little left once date, time, weekday and separators are removed.
    rest = cp.TIME_RE.sub(" ", cp.DATE_RE.sub(" ", text))
    rest_words = [w for w in _WORD_RE.findall(rest) if not w.isdigit()]
    return len(rest_words) <= 3 or lead


def _may_hold_date(text: str) -> bool:
    """False when DATE_RE cannot match `text` (it tries its month alternation at every
    position, ~20 us on a line holding a year): every match holds a numeric date, or four
    digits in a row and a month name."""
    if cp.DATE_NUMERIC_HINT_RE.search(text):
        return True
    if cp.DATE_MONTH_STEMS is None:
        return _YEAR_RE.search(text) is not None
    if _YEAR_RE.search(text) is None:
        return False
    stems = cp.DATE_MONTH_STEMS
    return any(len(w) >= 3 and (not w[0].isascii() or w[:3] in stems)
               for w in _LETTER_RUN_RE.findall(text.lower()))


def _head(text: str) -> str | None:
    """The line's first two characters lower-cased when ASCII, else None: the key of the
    `*_PREFIXES` gates of chrome_patterns (a None head always tries the pattern)."""
    head = text[:2]
    return head.lower() if head.isascii() else None


def _may(head: str | None, prefixes) -> bool:
    """False when an anchored pattern whose possible openings are `prefixes` cannot match a
    line opening with `head` (see chrome_patterns.match_prefixes)."""
    return head is None or prefixes is None or head in prefixes


def _is_byline(text: str, units: float, head: str | None = None) -> bool:
    if units > cp.BYLINE_MAX_WORDS or "." in text[-2:] and _ends_sentence(text.rstrip("]")):
        return False
    if head is None:
        head = _head(text)
    return bool((_may(head, cp.BYLINE_PREFIXES) and cp.BYLINE_RE.match(text))
                or (not text.isascii() and cp.BYLINE_CJK_RE.match(text)))  # 기자, 記者 ...


def _is_stop(text: str, lower: str) -> bool:
    return (len(text) <= cp.CHROME_MAX_CHARS and any(map(lower.__contains__, cp.STOP_LINE_NEEDLES))
            and bool(cp.STOP_LINE_RE.search(text)))


def _may_open_chrome(text: str) -> bool:
    """False when no CHROME_START_RE match can open `text` (its first two characters, when
    ASCII, are none of the pattern's possible openings)."""
    return _may(_head(text), cp.CHROME_START_PREFIXES)


def _is_chrome(text: str, lower: str | None = None, has_needle: bool = True) -> bool:
    """Chrome by pattern; `has_needle=False` says the line holds none of `cp.ALL_NEEDLES`, so
    of the gated patterns only those tested by their ending can match."""
    if len(text) <= cp.CHROME_MAX_CHARS and (cp.STRAY_LINE_RE.match(text)
                                             or (_may(_head(text), cp.CHROME_START_PREFIXES)
                                                 and cp.CHROME_START_RE.match(text))):
        return True
    if has_needle:
        gated = cp.CHROME_GATED
        lower = text.lower() if lower is None else lower
    elif text.endswith(cp.CHROME_GATE_ENDINGS):
        gated = cp.CHROME_GATED_BY_ENDING
    else:
        return False
    size = len(text)
    for max_chars, needles, endings, pattern in gated:
        if max_chars is not None and size > max_chars:
            continue
        if needles and not any(map(lower.__contains__, needles)):
            continue
        if endings and not text.endswith(endings):
            continue
        if pattern.search(text):
            return True
    return False


def _needle_tiers() -> list[tuple[float, tuple[str, ...]]]:
    """(longest line, needles) tiers: a needle matters for a line only when a pattern using it
    can match a line that long (the gated patterns' length bounds; stop lines are chrome-sized),
    and long paragraphs are most of the new lines."""
    bounds = sorted({m for m, _, _, _ in cp.CHROME_GATED if m is not None} | {cp.CHROME_MAX_CHARS})
    tiers = []
    for bound in bounds + [float("inf")]:
        needles = {n for m, ns, _, _ in cp.CHROME_GATED if m is None or m >= bound for n in ns}
        if cp.CHROME_MAX_CHARS >= bound:
            needles |= set(cp.STOP_LINE_NEEDLES)
        # a needle holding another one adds nothing to "does the line hold any"
        needles = {n for n in needles if not any(m != n and m in n for m in needles)}
        # (all needles, the ASCII ones: an ASCII line cannot hold the others)
        tiers.append((bound, (tuple(sorted(needles)), tuple(sorted(n for n in needles
                                                                   if n.isascii())))))
    return tiers


_NEEDLE_TIERS = _needle_tiers()


def _needles_for(size: int, ascii_line: bool = False) -> tuple[str, ...]:
    for bound, needles in _NEEDLE_TIERS:
        if size <= bound:
            return needles[ascii_line]
    return ()


@functools.lru_cache(maxsize=_LINE_CACHE_SIZE)
def _line_shape(text: str) -> _Shape:
    """The shape of a line judged on its own; cached per distinct line."""
    units = _units(text)
    lower = text.lower()
    head = _head(text)
    has_needle = any(map(lower.__contains__, _needles_for(len(text), lower.isascii())))
    role = None
    if _is_date_line(text, units):
        kind, role = CHROME, "date"
    elif _is_byline(text, units, head):
        kind, role = CHROME, "byline"
    elif has_needle and _is_stop(text, lower):
        kind, role = CHROME, "stop"
    elif (len(text) <= _LABEL_MAX_CHARS and _may(head, cp.COMMENTS_HEADING_PREFIXES)
          and cp.COMMENTS_HEADING_RE.match(text)):
        kind, role = CHROME, "comments"
    elif _is_chrome(text, lower, has_needle):
        kind = CHROME
    else:
        kind = _prose_kind(text, units)
    headline = (role is None and 2 <= units <= 25
                and (kind == HEAD or (kind in (GOOD, NEAR) and not _HEADLINE_END_RE.search(text)))
                and not (_may(head, cp.QA_LINE_PREFIXES) and cp.QA_LINE_RE.match(text)))
    # Only a prose- or headline-shaped line can be a teaser summary (_is_summary).
    one_sentence = (kind in (GOOD, NEAR, HEAD) and units <= _TEASER_MAX_UNITS
                    and len(_SENTENCE_SPLIT_RE.findall(text)) <= 1)
    data_row = (kind in (HEAD, NEAR, SHORT) and units <= _DATA_ROW_MAX_UNITS
                and _DIGIT_RE.search(text) is not None
                and bool(_INNER_DIGIT_RE.search(_LIST_PREFIX_RE.sub("", text)
                                                if text[:1] in _LIST_MARKS else text)))
    link_label = (len(text) <= _LABEL_MAX_CHARS and _may(head, cp.LINK_LABEL_PREFIXES)
                  and bool(cp.LINK_LABEL_RE.match(text)))
    credit = (kind == CHROME and units <= cp.PICTURE_CREDIT_MAX_WORDS
              and any(map(lower.__contains__, cp.PICTURE_CREDIT_NEEDLES))
              and cp.PICTURE_CREDIT_RE.search(text) is not None)
    return _Shape(units, kind, role, line_key(text), headline, one_sentence, data_row, link_label,
                  credit)


def _ends_sentence(text: str) -> bool:
    # The pattern is anchored at the end and spans at most ~50 characters; searching the tail
    # only spares a scan of the whole paragraph.
    return _SENTENCE_END_RE.search(text[-_SENTENCE_END_SPAN:]) is not None


def _prose_kind(text: str, units: float) -> str:
    ends = _ends_sentence(text)
    if text[:1] in _LIST_MARKS and _LIST_PREFIX_RE.match(text):
        # List items are mostly link lists; only sentence-like items count as prose.
        return GOOD if units >= 15 and ends else (NEAR if ends and units >= 6 else SHORT)
    if (units >= 10 and ends) or units >= 25:
        return GOOD
    if units >= 7 and ends and _INNER_SENTENCE_RE.search(text):
        return GOOD
    if ends and units >= 2:
        return NEAR
    return HEAD if units >= 4 else SHORT


def _apply_templates(lines: list[_Line], templates: "TemplateLines | None") -> None:
    """Lines recurring across stories of the page's site are template chrome. Evidence pooled
    over pages of unknown site demotes only non-prose lines: a paragraph recurring across
    sites is a syndicated story re-edited by each outlet (its copies then need not share
    their longest line, which is how one story is told from another), not a template."""
    if templates is None:
        return
    for line in lines:
        if line.kind != CHROME and templates.is_template_key(line.key, pooled=line.kind != GOOD):
            line.kind, line.role = CHROME, "template"


# --------------------------------------------------------------------------------------------
# Teaser lists: headline + one-sentence summary, repeated
# --------------------------------------------------------------------------------------------


def _is_headline_like(line: _Line) -> bool:
    return line.role is None and line.shape.headline


def _is_summary(line: _Line, head: _Line) -> bool:
    """One sentence under a teaser headline. A sentence-shaped one may be shorter than its
    headline ("A routine review of content labeled satire."); one without end punctuation must
    be longer, or two headlines in a row would pass for a pair."""
    if line.role is not None or not line.shape.one_sentence or line.units > _TEASER_MAX_UNITS:
        return False
    if line.kind in (GOOD, NEAR):
        return line.units >= _SUMMARY_MIN_UNITS
    # A headline-shaped summary must be longer than its headline; a table row never is one
    # (rows of an earnings table would otherwise pair up as "headline, summary").
    return line.kind == HEAD and line.units > max(8.0, head.units) and not line.shape.data_row


def _is_meta(line: _Line) -> bool:
    return line.role == "date" or line.units <= 2


def _mark_teasers(lines: list[_Line]) -> None:
    """Mark "headline, summary sentence" pairs repeated at least three times in a row (related
    and latest-news widgets, optionally with a time stamp or section label per item, before or
    after the summary) as chrome. A body paragraph runs on into more prose, so a summary
    followed by a prose paragraph breaks the chain."""
    n = len(lines)

    def skip_meta(k: int) -> int:
        while k < n and _is_meta(lines[k]):
            k += 1
        return k

    # Only a headline-shaped line can start a teaser list (marking only changes lines before
    # the point the scan resumes from, so the candidates can be listed up front).
    i = 0
    for start in [k for k, x in enumerate(lines) if x.role is None and x.shape.headline]:
        if start < i:
            continue
        i = start
        if i >= n - 1:
            break
        j, pairs, end = i, 0, i
        while j < n and _is_headline_like(lines[j]):
            m = skip_meta(j + 1)
            if m >= n or not _is_summary(lines[m], lines[j]):
                break
            k = skip_meta(m + 1)
            if k < n and lines[k].kind == GOOD and not _is_headline_like(lines[k]):
                break
            pairs, end, j = pairs + 1, m + 1, k
        if pairs >= _TEASER_MIN_PAIRS:
            for k in range(i, end):
                if lines[k].role is None:
                    lines[k].kind, lines[k].role = CHROME, "teaser"
            i = end
        else:
            i += 1


def _mark_data_rows(lines: list[_Line]) -> None:
    """Table rows and schedules ("June 9 – Tampa, FL @ Amphitheatre", "1 Kyle Busch 5040 5")
    are body when they run on for several lines: mark runs of short lines that carry numbers
    beyond a leading rank as neutral prose instead of link-list evidence. A ranked headline
    list ("1 Headline") has no number past its rank and stays as it is. Inline chrome ("READ
    MORE: ...", "Advertisement") and one- or two-word row labels ("Year") may interrupt a
    table without ending it."""
    rows: list[_Line] = []     # data rows of the current table
    labels: list[_Line] = []   # row labels between them
    pending: list[_Line] = []  # labels since the last row: kept only if another row follows
    gap = 0
    for line in lines + [None]:  # the sentinel closes the last table
        if line is not None and line.shape.data_row and line.role is None:
            rows.append(line)
            labels.extend(pending)
            pending, gap = [], 0
            continue
        if line is not None and rows and gap < _DATA_ROW_MAX_GAP:
            if line.kind == CHROME and line.role in (None, "template"):
                gap += 1
                continue
            if (line.kind == SHORT and line.role is None and line.units <= 2
                    and not _LIST_PREFIX_RE.match(line.text)):
                gap += 1
                pending.append(line)
                continue
        if len(rows) >= _DATA_ROW_MIN_RUN:
            # A long table is content in its own right (results, earnings, schedules); a short
            # one only must not count as a link list, unless it opens with a wire dateline
            # ("NEW YORK, March 12 - Shr 2.03 dlrs vs 1.53 dlrs"): it is then a wire brief.
            role = "table" if (len(rows) >= _TABLE_MIN_ROWS
                               or any(cp.DATELINE_RE.match(r.text) for r in rows[:2])) else "data"
            for row in rows + labels:
                row.kind, row.role = NEAR, role
        if rows:
            rows, labels, pending, gap = [], [], [], 0


# --------------------------------------------------------------------------------------------
# Body region
# --------------------------------------------------------------------------------------------

# A heading kept inside the body (a subheading) is short and introduces prose.
_SUBHEAD_MAX_UNITS = 10


# Score of a line the body run never crosses (the comment section's heading).
_SECTION_END = -1e6


def _line_score(line: _Line) -> float:
    """Evidence that a line belongs to the body: prose counts for, chrome and link-like lines
    count against, so the best-scoring contiguous run is the article."""
    if line.kind == GOOD:
        return min(line.units, 60.0)
    if line.kind == NEAR:
        return _TABLE_ROW_WEIGHT * min(line.units, 10.0) if line.role == "table" else 0.5
    if line.kind == HEAD:
        return -1.5
    if line.kind == SHORT:
        return -2.0
    if line.role == "stop":
        return -20.0
    if line.role == "comments":
        return _SECTION_END  # the comment section follows the article: the body never crosses it
    return -3.0 if line.role in (None, "template", "teaser") else -0.5


# Kinds whose score does not depend on the line (see _line_score).
_FIXED_SCORES = {HEAD: -1.5, SHORT: -2.0}



def _best_run(scores: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    """Maximum-sum contiguous run of scores[lo:hi] (Kadane); returns (sum, start, end)."""
    best, best_lo, best_hi = 0.0, lo, lo
    cur, cur_lo = 0.0, lo
    for i in range(lo, hi):
        if cur <= 0:
            cur, cur_lo = 0.0, i
        cur += scores[i]
        if cur > best:
            best, best_lo, best_hi = cur, cur_lo, i + 1
    return best, best_lo, best_hi


_GAP_GROWTH = 0.25
_ISOLATED_WEIGHT = 0.3
_SECONDARY_RUNS = False


def _scores(lines: list[_Line]) -> list[float]:
    """Per-line scores where each further line of an unbroken non-prose stretch costs more than
    the last: a related-links box inside an article is bridged, a footer's long menu is not."""
    scores = []
    streak = 0
    kinds = [x.kind for x in lines]
    prose = [k == GOOD or k == NEAR for k in kinds] + [False]  # [-1] and [n]: no neighbour
    score = _line_score
    fixed = _FIXED_SCORES
    for i, line in enumerate(lines):
        kind = kinds[i]
        if kind == GOOD:
            s = line.units if line.units < 60.0 else 60.0
            if not prose[i - 1] and not prose[i + 1]:
                # A lone prose line between chrome is a teaser or caption more often than body.
                s *= _ISOLATED_WEIGHT
            streak = 0
        else:
            s = fixed.get(kind)
            if s is None:
                s = score(line)
            if s < 0:
                s *= 1.0 + _GAP_GROWTH * streak
                streak += 1
            elif line.role == "table":
                streak = 0  # prose, or a row of a long table, ends the stretch
        scores.append(s)
    return scores


_EDGE_GAP_LINES = 2
_EDGE_MAX_UNITS = 30


def _trim_edges(lines: list[_Line], lo: int, hi: int) -> tuple[int, int]:
    """Drop a short prose line isolated at either end of a run (a caption or teaser above the
    article, a promo line below it): it is separated from the rest by non-prose lines."""
    def gap_after(i: int) -> int:
        n = 0
        for j in range(i + 1, hi):
            if lines[j].kind == GOOD:
                return n
            n += lines[j].kind != NEAR
        return n

    def gap_before(i: int) -> int:
        # Headlines of a related-links box between the last paragraphs do not count: the
        # article often resumes after such a box.
        n = 0
        for j in range(i - 1, lo - 1, -1):
            if lines[j].kind == GOOD:
                return n
            n += lines[j].kind not in (NEAR, HEAD) and not lines[j].shape.link_label
        return n

    while lo < hi:
        firsts = [i for i in range(lo, hi) if lines[i].kind == GOOD]
        if len(firsts) < 3:
            break
        i, k = firsts[0], firsts[-1]
        if lines[i].units < _EDGE_MAX_UNITS and gap_after(i) >= _EDGE_GAP_LINES:
            lo = i + 1
        elif lines[k].units < _EDGE_MAX_UNITS and gap_before(k) >= _EDGE_GAP_LINES:
            hi = k
        else:
            break
    return lo, hi


def _body_runs(lines: list[_Line]) -> list[tuple[int, int]]:
    """The main body run plus further runs that are substantial next to it (articles split by
    a large widget)."""
    scores = _scores(lines)
    total, lo, hi = _best_run(scores, 0, len(lines))
    if total <= 0:
        return []
    runs = [_trim_edges(lines, lo, hi)]
    if _SECONDARY_RUNS:
        for a, b in ((0, lo), (hi, len(lines))):
            s, l2, h2 = _best_run(scores, a, b)
            if s >= max(0.35 * total, 30.0):
                runs.append(_trim_edges(lines, l2, h2))
    return sorted(runs)


_HEADLINE_LOOKBACK = 8


def _has_prose_after_bullets(lines: list[_Line], body_idx: list[int]) -> bool:
    """True when the body run opens with bulleted prose followed by unbulleted paragraphs: the
    bullets are then a standfirst. A body made of a list alone keeps its list."""
    k = 0
    while k < len(body_idx) and lines[body_idx[k]].kind not in (GOOD, NEAR):
        k += 1
    if k == len(body_idx) or not _LIST_PREFIX_RE.match(lines[body_idx[k]].text):
        return False
    return any(lines[i].kind == GOOD and not _LIST_PREFIX_RE.match(lines[i].text)
               for i in body_idx[k:])


def _headline_above(lines: list[_Line], start: int) -> str | None:
    """The headline-shaped line nearest above the body, looking past byline, date and share
    lines (pages without a <title> line, such as archive dumps)."""
    for i in range(start - 1, max(-1, start - 1 - _HEADLINE_LOOKBACK), -1):
        x = lines[i]
        if x.kind == CHROME or x.kind == SHORT:
            continue
        if x.units >= 3 and not _HEADLINE_END_RE.search(x.text):
            return x.text
        return None
    return None


def _is_subheading(lines: list[_Line], i: int) -> bool:
    """A short heading between body paragraphs; a longer one there is an inline related-story
    link."""
    return (lines[i].units <= _SUBHEAD_MAX_UNITS and i + 1 < len(lines)
            and lines[i + 1].kind == GOOD)


# --------------------------------------------------------------------------------------------
# Title, captions
# --------------------------------------------------------------------------------------------


def _title_candidates(first_line: str) -> set[str]:
    keys = {line_key(first_line)}
    stripped = first_line
    for _ in range(2):
        stripped = cp.TITLE_SUFFIX_RE.sub("", stripped)
        keys.add(line_key(stripped))
    return {k for k in keys if k}


def _matches_title(text: str, title_keys: set[str], key: str | None = None) -> bool:
    key = line_key(text) if key is None else key
    if len(key) < 8:
        return False
    if key in title_keys:
        return True
    if len(key) < 15:
        return False
    for tk in title_keys:
        # Containment covers "Update <headline>" and headline-plus-site variants, never a
        # paragraph that merely quotes the headline.
        if key == tk or (len(key) >= 15 and len(tk) >= 15 and (key in tk or tk in key)
                         and max(len(key), len(tk)) <= 1.5 * min(len(key), len(tk))):
            return True
    return False


_CAPTION_REPEAT_WINDOW = 3
_CAPTION_MAX_UNITS = 60


def _is_caption(lines: list[_Line], i: int) -> bool:
    """A photo caption: printed twice within a few lines (image alt text plus figcaption), or
    ending in a picture credit such as "(Korean Central News Agency-Yonhap)" or "(AP Photo)"."""
    text = lines[i].text
    if text.endswith((")", ").")) and cp.CREDIT_TAIL_RE.search(text[-120:]):
        return True
    if i + 1 < len(lines) and lines[i + 1].shape.credit and lines[i].units <= _CAPTION_MAX_UNITS:
        return True  # the caption above a picture's credit line
    key = lines[i].key
    half = len(key) // 2
    if half >= 20 and key[:half] == key[half:]:
        return True  # alt text and caption run together on one line
    lo, hi = max(0, i - _CAPTION_REPEAT_WINDOW), min(len(lines), i + _CAPTION_REPEAT_WINDOW + 1)
    return [x.key for x in lines[lo:hi]].count(key) > 1  # line i itself counts once


def _is_truncated_copy(line: _Line, lines: list[_Line]) -> bool:
    """A teaser cut off with an ellipsis whose text opens another line of the page."""
    if not line.text.endswith(("...", "…")):
        return False
    key = line.key
    return len(key) >= 20 and any(x.key != key and x.key.startswith(key) for x in lines)


# --------------------------------------------------------------------------------------------
# Text path
# --------------------------------------------------------------------------------------------


def _prepare(page_text: str) -> list[_Line]:
    """The page's lines, whitespace collapsed, hard-wrapped paragraphs joined, each with its
    shape (blank lines are dropped)."""
    if page_text.isascii():
        plain = "\t" not in page_text and "\x1f" not in page_text
    else:
        plain = _ODD_SPACE_RE.search(page_text) is None
        if not plain and _ZERO_WIDTH_RE.search(page_text):
            page_text = _ZERO_WIDTH_RE.sub(" ", page_text)
    # Most lines need no change beyond stripping; only the others pay for split-and-join
    # (str.split() handles every Unicode space, nbsp included). A page without a double space
    # or any space character other than " " needs no line-by-line test.
    raw = page_text.splitlines()
    if plain and "  " not in page_text:
        stripped = list(map(str.strip, raw))
    else:
        stripped = [x if x.isascii() and "  " not in x and "\t" not in x else " ".join(x.split())
                    for x in map(str.strip, raw)]
    joined = _unwrap(stripped)
    if len(_NUMERIC_CELL_LINE_RE.findall(page_text)) >= _CELL_MIN_ROWS:  # lines 2 to n-1
        joined = _join_cell_rows(joined)
    shape = _line_shape
    line = _Line
    return [line(text, shape(text)) for text in joined if text]


# Tables dumped one cell per line ("1", "Kyle Busch", "5040", "5", ...): a stretch of lines whose
# numeric / text pattern repeats with a period of 4-12 cells for at least 3 rows is joined back
# into one line per row (and the header row of text cells just above it), so the rows read as
# data rows. Only pages holding a few number-only lines are scanned.
# (a literal "\n" first lets the engine skip to line starts)
_NUMERIC_CELL_LINE_RE = re.compile(r"\n[ \t]*[-+]?\(?\d[\d.,:%/()+-]*[ \t\r]*(?=\n)")
_NUMERIC_CELL_RE = re.compile(r"[-+]?\(?\d[\d.,:%/()+-]*")
_CELL_MAX_CHARS = 80
_CELL_MIN_ROWS = 3
_CELL_PERIODS = range(4, 13)  # rank-name-score sidebars (3 cells) stay as they are


def _cell_kind(text: str) -> str:
    if not text:
        return ""
    if _NUMERIC_CELL_RE.fullmatch(text):
        # a date ("04.11.2021") is a teaser's time stamp, not a table cell
        return "" if cp.DATE_NUMERIC_HINT_RE.search(text) and cp.DATE_RE.search(text) else "N"
    return "T" if len(text) <= _CELL_MAX_CHARS and not text.startswith(("- ", "• ")) else ""


def _join_cell_rows(lines: list[str]) -> list[str]:
    kinds = [_cell_kind(x) for x in lines]
    n = len(lines)

    def table_at(i: int):
        """(rows, period) of the longest periodic stretch starting at line i, or None."""
        best = None
        if kinds[i]:
            for k in _CELL_PERIODS:
                sig = kinds[i:i + k]
                if len(sig) < k or "" in sig or "T" not in sig or 3 * sig.count("N") < k:
                    continue  # a table row: text cells and at least a third of numbers
                if any(k % d == 0 and sig == sig[:d] * (k // d) for d in range(1, k)):
                    continue  # a shorter pattern repeated: a ranked list ("1", headline, ...)
                rows = 1
                while kinds[i + rows * k:i + (rows + 1) * k] == sig:
                    rows += 1
                if rows >= _CELL_MIN_ROWS and (best is None or rows * k > best[0] * best[1]):
                    best = (rows, k)
        return best

    # End of the stretch of cell-shaped lines each line belongs to: a stretch shorter than
    # 3 rows of 4 cells, or with fewer than 3 number cells, holds no table and is skipped whole.
    stretch_end = [n] * (n + 1)
    for q in range(n - 1, -1, -1):
        stretch_end[q] = stretch_end[q + 1] if kinds[q] else q
    out: list[str] = []
    i = 0
    while i < n:
        end = stretch_end[i]
        if end - i < _CELL_MIN_ROWS * _CELL_PERIODS[0] or kinds[i:end].count("N") < _CELL_MIN_ROWS:
            stop = max(end, i + 1)
            out.extend(lines[i:stop])
            i = stop
            continue
        found = table_at(i)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        # The stretch may have been entered mid-row (a header cell reads like a row's first
        # cell): of the phases within one period, keep the one covering most cells, then the
        # one whose last row ends where the cells end.
        choices = []
        for j in range(i, min(n, i + found[1])):
            got = table_at(j)
            if got is not None:
                end = j + got[0] * got[1]
                choices.append((got[0] * got[1], end >= n or not kinds[end], -j, got))
        _cover, _ends, neg_j, (rows, k) = max(choices)
        start = -neg_j
        out.extend(lines[i:start])
        # a header of k text cells right above the rows
        if len(out) >= k and all(_cell_kind(x) == "T" for x in out[-k:]):
            header = " ".join(out[-k:])
            del out[-k:]
            out.append(header)
        out.extend(" ".join(lines[start + r * k:start + (r + 1) * k]) for r in range(rows))
        i = start + rows * k
    return out


def strip_chrome(page_text: str, *, templates: "TemplateLines | None" = None,
                 settings=None) -> CleanArticle:
    """Clean a plain-text dump of a whole page: return the article body (one paragraph per
    line) with title, byline and date-bearing chrome lines moved to their own fields.
    Deterministic; never raises on odd input (an empty page gives an empty body)."""
    lines = _prepare(page_text)
    if not lines:
        return CleanArticle(text="", method="text")
    art = _strip_lines(lines, templates)
    if not art.text and templates is not None and any(x.role == "template" for x in lines):
        # Recurrence evidence cannot explain away a page's only content: such a page is a
        # story told by several copies that the evidence took for one template.
        art = _strip_lines(_prepare(page_text), None)
    return art


def _strip_lines(lines: list[_Line], templates: "TemplateLines | None") -> CleanArticle:
    _apply_templates(lines, templates)
    _mark_teasers(lines)
    _mark_data_rows(lines)

    title_keys = _title_candidates(lines[0].text)
    runs = _body_runs(lines)
    body_idx: list[int] = []
    for lo, hi in runs:
        body_idx.extend(range(lo, hi))
    start = body_idx[0] if body_idx else len(lines)

    # Title: the in-page headline matching the <title> line, else the first line.
    title = None
    # A line can match a title key by containment only within 1.5 times its length.
    lo_len = max(15, min(map(len, title_keys), default=0) / 1.5)
    hi_len = max(map(len, title_keys), default=0) * 1.5
    for i in range(1, start):
        key = lines[i].key
        if len(key) >= 8 and (key in title_keys or (
                lo_len <= len(key) <= hi_len and _matches_title(lines[i].text, title_keys, key))):
            title = lines[i].text
    if title is None:
        title = _headline_above(lines, start)
    if title is None and lines[0].kind not in (CHROME, SHORT):
        title = cp.TITLE_SUFFIX_RE.sub("", lines[0].text) or lines[0].text

    body: list[str] = []
    byline = None
    date_lines: list[str] = []
    body_set = set(body_idx)
    after_label = False
    # Bulleted points between the headline and the first paragraph are the standfirst
    # ("Key Points"), not body; bullets after the body has begun are.
    standfirst = _has_prose_after_bullets(lines, body_idx)
    for i, x in enumerate(lines):
        # Headlines listed under a "Related" / "Read more" label are links, up to the next
        # prose paragraph.
        if x.kind == GOOD:
            after_label = False
        elif x.kind == CHROME and x.shape.link_label:
            after_label = True
            continue
        elif after_label and x.role not in ("data", "table"):
            continue
        if x.role == "date":
            date_lines.append(x.text)
            continue
        if x.role == "byline":
            byline = byline or x.text
            continue
        if i not in body_set or x.kind in (CHROME, SHORT):
            continue
        if x.kind == HEAD and not _is_subheading(lines, i):
            continue
        if i == 0 or (len(x.key) >= 8 and (x.key in title_keys or (
                lo_len <= len(x.key) <= hi_len and _matches_title(x.text, title_keys, x.key)))):
            continue
        if _is_caption(lines, i) or _is_truncated_copy(x, lines):
            continue
        if x.text[:1] in _LIST_MARKS and _LIST_PREFIX_RE.match(x.text):
            if standfirst:
                continue
            body.append(_LIST_PREFIX_RE.sub("", x.text))  # "- " marks a list item in the dump
        else:
            standfirst = False
            body.append(x.text)
    text = "\n".join(body)
    return CleanArticle(text=text, title=title, byline=byline, date_lines=date_lines,
                        language=detect_language(text), method="text")


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------

# py3langid's cost grows with the sample; a few hundred characters of body decide reliably.
_LANG_SAMPLE_CHARS = 300

# Fast path before py3langid (~0.25 ms a call): a sample in one script that only one language
# of the archive writes, or Latin-script text dominated by one language's function words,
# answers at once; anything less clear-cut goes to py3langid. Built to agree with py3langid:
# on the 2,941 DEV / dedup / dates-eval texts and bodies it answers ~70% of them and agrees
# on every one (see docs/cleaning.md).
_FUNCTION_WORDS = {
    "en": "the of and to that is was for with on are were has have had been this from which "
          "would their they said his her its but not will it by at an be who",
    "de": "der die und das ist nicht mit den von zu sich auf für des dem ein eine im auch es "
          "wird werden wurde sind bei nach aus einen einer noch wie über",
    "fr": "le la les et des du un une est que qui dans pour pas sur au avec ce il par sont plus "
          "ont été aux cette",
    "es": "el la los las del que en un una es por con para se su al lo como más pero fue sus ha",
    "pt": "os as do da dos das que em um uma por para não se no na ao foi mais pelo pela",
    "it": "il lo la gli le di del della che un una per con non si nel alla sono anche dei delle",
    "id": "yang dan di ini itu dengan untuk dari tidak dalam akan pada juga ke adalah karena "
          "bisa ada sudah oleh",
}
_FW_SETS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_FW_OTHERS = {lang: frozenset().union(*(w for k, w in _FW_SETS.items() if k != lang)) - words
              for lang, words in _FW_SETS.items()}
_FW_ANY = frozenset().union(*_FW_SETS.values())
_FW_MIN_HITS = 5
_FW_MIN_SHARE = 0.16
_FW_DOMINANCE = 3
_FW_MIN_DISTINCT = 3  # one word repeated (a menu's ".com") settles nothing
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_OTHER_SCRIPT_RE = re.compile(r"[\u0400-\u04ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_RUSSIAN_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def _fast_language(sample: str) -> str | None:
    """The language of `sample` when its script or function words settle it, else None."""
    low = sample.lower()
    if not low.isascii() and _OTHER_SCRIPT_RE.search(low):
        size = len(low)
        hangul = len(_HANGUL_RE.findall(low))
        if hangul >= 10 and hangul > 0.3 * size:
            return "ko"
        kana = len(_KANA_RE.findall(low))
        if kana >= 10 and kana + len(_HAN_RE.findall(low)) > 0.5 * size:
            return "ja"
        cyrillic = _CYRILLIC_RE.findall(low)
        if len(cyrillic) >= 20 and len(cyrillic) > 0.5 * size:
            letters = set(cyrillic)
            # Russian only: letters of other Cyrillic alphabets (і ї є ґ ў ә қ ...) or no ы / э
            # (Bulgarian, Serbian) go to the detector.
            if letters <= _RUSSIAN_LETTERS and ("ы" in letters or "э" in letters):
                return "ru"
        return None
    words = _LETTER_RUN_RE.findall(low)
    if len(words) < 8:
        return None
    if not low.isascii() and sum(1 for w in words if w[0] > "\u024f"
                                 and not "\u1e00" <= w[0] <= "\u1eff") > 1:
        return None  # words in another script (Greek, Georgian, Arabic...): the detector decides
    hits = sum(map(_FW_ANY.__contains__, words))
    if hits < _FW_MIN_HITS or hits < _FW_MIN_SHARE * len(words):
        return None
    for lang in ("en", "de", "fr", "es", "pt", "it", "id"):
        own = sum(map(_FW_SETS[lang].__contains__, words))
        if own >= _FW_MIN_HITS and own >= _FW_MIN_SHARE * len(words) \
                and own >= _FW_DOMINANCE * sum(map(_FW_OTHERS[lang].__contains__, words)) \
                and len(_FW_SETS[lang].intersection(words)) >= _FW_MIN_DISTINCT:
            return lang
    return None


def _word_count(text: str) -> int:
    """len(_WORD_RE.findall(text)), with a byte table for ASCII text."""
    if text.isascii():
        return _ascii_words(text)
    return len(_WORD_RE.findall(text))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text` (py3langid's answer; its model ships in the package), or None
    for text too short to judge. Clear-cut samples skip py3langid (`_fast_language`)."""
    sample = text[:_LANG_SAMPLE_CHARS]
    if _word_count(sample) < 3:
        return None
    lang = _fast_language(sample)
    if lang is not None:
        return lang
    try:
        import py3langid
    except ImportError:  # the detector is optional; the column is then left empty
        return None
    lang, _score = py3langid.classify(sample)
    return lang or None


# --------------------------------------------------------------------------------------------
# HTML path
# --------------------------------------------------------------------------------------------

# trafilatura output shorter than this is checked against the text path on the visible text,
# which replaces it when it finds several times more.
_HTML_SHORT_CHARS = 300
_FALLBACK_GAIN = 3.0


def _visible_text(html: str) -> str:
    """A text dump of the page like the archive's dumps: <title> first, then one line per
    block element, scripts, styles and hidden template content dropped."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(tree, "script", "style", "noscript", "template", "svg", etree.Comment,
                         with_tail=False)
    title = tree.findtext(".//title") or ""
    blocks = {"p", "div", "section", "article", "header", "footer", "nav", "aside", "main",
              "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td", "th",
              "blockquote", "figure", "figcaption", "pre", "br", "dd", "dt", "dl", "form",
              "address", "hr", "title"}
    parts: list[str] = []
    body = tree.find(".//body")
    root = body if body is not None else tree
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in blocks:
            parts.append("\n- " if tag == "li" else "\n")
        if el.text and tag not in ("head", "title"):
            parts.append(el.text)
        if el is not root and el.tail:
            # A block's tail continues the parent's line after the block ends.
            parts.append(("\n" if tag in blocks else "") + el.tail)
    lines = [_collapse(x) for x in "".join(parts).split("\n")]
    return "\n".join([_collapse(title)] + [x for x in lines if x and x != "-"])


def _trafilatura(html: str, url: str | None):
    import trafilatura

    return trafilatura.bare_extraction(
        html, url=url, favor_precision=True, include_comments=False, include_tables=True,
        deduplicate=False, with_metadata=True,
    )


def clean_html(html: str, *, url: str | None = None, templates: "TemplateLines | None" = None,
               settings=None) -> CleanArticle:
    """Clean an HTML page with trafilatura; when it returns nothing or too little, clean the
    page's visible text on the text-dump path instead (method "html_fallback")."""
    doc = _trafilatura(html, url)
    meta_title = getattr(doc, "title", None) if doc is not None else None
    text = _post_trafilatura(getattr(doc, "text", None) or "", meta_title) if doc else ""
    min_chars = max(int(getattr(settings, "min_body_chars", 1) or 1), _HTML_SHORT_CHARS)
    art = None
    if len(text) < min_chars:
        # Only a short or empty result pays for the second pass over the visible text.
        fallback = strip_chrome(_visible_text(html), templates=templates, settings=settings)
        if len(fallback.text) > _FALLBACK_GAIN * len(text):
            art = fallback
            art.method = "html_fallback"
    if art is None:
        art = CleanArticle(text=text, method="html", language=detect_language(text))
    if doc is not None:
        art.title = meta_title or art.title
        art.byline = getattr(doc, "author", None) or art.byline
        art.published = getattr(doc, "date", None)
        art.site = getattr(doc, "sitename", None) or getattr(doc, "hostname", None)
    art.url = url or (getattr(doc, "url", None) if doc is not None else None)
    return art


def _post_trafilatura(text: str, title: str | None) -> str:
    """Drop from trafilatura's body the chrome lines its precision mode still lets through:
    date lines, bylines, share widgets, "READ MORE" teasers, title repeats."""
    title_keys = _title_candidates(title) if title else set()
    out = []
    for raw in text.splitlines():
        if raw.isascii():
            t = raw.strip() if "  " not in raw and "\t" not in raw and "\x1f" not in raw \
                else " ".join(raw.split())
        else:  # str.split() splits on every \s character; _SPACE_RE also on zero-width ones
            t = _collapse(raw) if _ZERO_WIDTH_RE.search(raw) else " ".join(raw.split())
        if not t:
            continue
        units = _units(t)
        lower = t.lower()
        if (_is_date_line(t, units) or _is_byline(t, units)
                or _is_chrome(t, lower, any(map(lower.__contains__, cp.ALL_NEEDLES)))):
            continue
        if title_keys and _matches_title(t, title_keys):
            continue
        out.append(t)
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Per-document time limit
# --------------------------------------------------------------------------------------------


def _call_with_timeout(fn, timeout_s: float):
    """Run fn() under a wall-clock limit. In the main thread of a process a SIGALRM timer
    interrupts it; elsewhere (Airflow thread pools, tests) it runs in a daemon thread that is
    abandoned on timeout, so the caller can go on even though the runaway thread finishes in the
    background."""
    if not timeout_s or timeout_s <= 0:
        return fn()
    main = threading.current_thread() is threading.main_thread()
    if main and hasattr(signal, "setitimer"):
        def _alarm(_signum, _frame):
            raise ExtractionTimeout(f"extraction exceeded {timeout_s:g}s")

        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    result: dict = {}

    def _run():
        try:
            result["value"] = fn()
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=_run, name="newsarchive-extract", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise ExtractionTimeout(f"extraction exceeded {timeout_s:g}s")
    if "error" in result:
        raise result["error"]
    return result["value"]


def clean_page(kind: str, content: str, *, url: str | None = None,
               templates: "TemplateLines | None" = None, settings=None, site: str | None = None) -> CleanArticle:
    """Clean one page of `kind` "text" or "html" within `settings.extract_timeout_s`; raises
    ExtractionTimeout when the limit is exceeded and ValueError for an unknown kind."""
    timeout_s = float(getattr(settings, "extract_timeout_s", 20.0) or 0)
    if kind == "text":
        fn = lambda: strip_chrome(content, templates=templates, settings=settings)  # noqa: E731
    elif kind == "html":
        fn = lambda: clean_html(content, url=url, templates=templates, settings=settings)  # noqa: E731
    else:
        raise ValueError(f"unknown page kind {kind!r}; expected 'text' or 'html'")
    if templates is not None and (site or url):
        # The same key the profile step learned the page's site under (sites.site_of).
        templates = templates.for_site(site or site_of(url=url))
    art = _call_with_timeout(fn, timeout_s)
    if art.url is None:
        art.url = url
    return art


# --------------------------------------------------------------------------------------------
# Template evidence across pages
# --------------------------------------------------------------------------------------------


# Line and story hashes: xxh64 (seed 0) of the UTF-8 `line_key`, as signed int64 (the Arrow
# column type). `from_pages` computes them in one numba kernel over the UTF-8 bytes of many
# pages (lower case and word characters by per-code-point table, line breaks of
# str.splitlines, xxh64 bit-exact with xxhash.xxh64_intdigest); pages the tables cannot take
# (astral characters, capital sigma, multi-character lower cases) go through `line_key`.
_KEY_STRIP_NL_RE = re.compile(r"[^\w\n]+")
_SIGN = 1 << 63

try:
    from xxhash import xxh64_intdigest as _xxh64_unsigned
except ImportError:  # pragma: no cover - xxhash is pinned in requirements.txt
    _xxh64_unsigned = None


def _xxh64(data: bytes) -> int:
    h = _xxh64_unsigned(data) if _xxh64_unsigned is not None else _xxh64_py(data)
    return h - (1 << 64) if h >= _SIGN else h


@functools.lru_cache(maxsize=1 << 16)
def _line_hash(key: str) -> int:
    return _xxh64(key.encode("utf-8", "surrogatepass"))


@functools.lru_cache(maxsize=4096)
def _site_salt(site: str) -> int:
    """Evidence is keyed by line hash XOR a per-site salt: one int64 per (site, line)."""
    return _xxh64(b"site:" + site.encode("utf-8", "surrogatepass"))


def _page_line_keys(page: str) -> list[str]:
    """`line_key` of every line of `page`, in page order, keys under 2 characters dropped (the
    reference the kernel is checked against, and its fallback)."""
    norm = "\n".join(unicodedata.normalize("NFKC", x) for x in page.splitlines()).lower()
    return [k for k in _KEY_STRIP_NL_RE.sub("", norm).split("\n") if len(k) >= 2]


def _page_hashes_py(page: str) -> tuple[int, list[int]]:
    """(story hash, line hashes) of a page in Python: the story is its longest line key (the
    first of equally long ones)."""
    keys = _page_line_keys(page)
    if not keys:
        return 0, []
    return _line_hash(max(keys, key=len)), [_line_hash(k) for k in keys]


_M64 = (1 << 64) - 1
_P1, _P2, _P3 = 0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
_P4, _P5 = 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5


def _xxh64_py(data: bytes) -> int:  # pragma: no cover - only without the xxhash package
    def rotl(x, r):
        return ((x << r) | (x >> (64 - r))) & _M64

    def rnd(acc, lane):
        return (rotl((acc + lane * _P2) & _M64, 31) * _P1) & _M64

    n, p = len(data), 0
    if n >= 32:
        v = [(_P1 + _P2) & _M64, _P2, 0, (-_P1) & _M64]
        while p + 32 <= n:
            for i in range(4):
                v[i] = rnd(v[i], int.from_bytes(data[p + 8 * i:p + 8 * i + 8], "little"))
            p += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & _M64
        for x in v:
            h = ((h ^ rnd(0, x)) * _P1 + _P4) & _M64
    else:
        h = _P5
    h = (h + n) & _M64
    while p + 8 <= n:
        h = (rotl(h ^ rnd(0, int.from_bytes(data[p:p + 8], "little")), 27) * _P1 + _P4) & _M64
        p += 8
    if p + 4 <= n:
        h = (rotl(h ^ (int.from_bytes(data[p:p + 4], "little") * _P1) & _M64, 23) * _P2
             + _P3) & _M64
        p += 4
    while p < n:
        h = (rotl(h ^ (data[p] * _P5) & _M64, 11) * _P1) & _M64
        p += 1
    h ^= h >> 33
    h = (h * _P2) & _M64
    h ^= h >> 29
    h = (h * _P3) & _M64
    return h ^ (h >> 32)


def _k_read64(buf, p):
    v = np.uint64(0)
    for i in range(8):
        v |= np.uint64(buf[p + i]) << np.uint64(8 * i)
    return v


def _k_read32(buf, p):
    v = np.uint64(0)
    for i in range(4):
        v |= np.uint64(buf[p + i]) << np.uint64(8 * i)
    return v


def _k_rotl(x, r):
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def _k_round(acc, lane):
    acc = acc + lane * np.uint64(0xC2B2AE3D27D4EB4F)
    acc = _k_rotl(acc, 31)
    return acc * np.uint64(0x9E3779B185EBCA87)


def _k_xxh64(buf, n):
    """xxh64 (seed 0) of buf[:n], as xxhash.xxh64_intdigest."""
    P1 = np.uint64(0x9E3779B185EBCA87)
    P2 = np.uint64(0xC2B2AE3D27D4EB4F)
    P3 = np.uint64(0x165667B19E3779F9)
    P4 = np.uint64(0x85EBCA77C2B2AE63)
    P5 = np.uint64(0x27D4EB2F165667C5)
    p = 0
    if n >= 32:
        v1 = P1 + P2
        v2 = P2
        v3 = np.uint64(0)
        v4 = np.uint64(0) - P1
        while p + 32 <= n:
            v1 = _k_round(v1, _k_read64(buf, p))
            v2 = _k_round(v2, _k_read64(buf, p + 8))
            v3 = _k_round(v3, _k_read64(buf, p + 16))
            v4 = _k_round(v4, _k_read64(buf, p + 24))
            p += 32
        h = _k_rotl(v1, 1) + _k_rotl(v2, 7) + _k_rotl(v3, 12) + _k_rotl(v4, 18)
        h = (h ^ _k_round(np.uint64(0), v1)) * P1 + P4
        h = (h ^ _k_round(np.uint64(0), v2)) * P1 + P4
        h = (h ^ _k_round(np.uint64(0), v3)) * P1 + P4
        h = (h ^ _k_round(np.uint64(0), v4)) * P1 + P4
    else:
        h = P5
    h = h + np.uint64(n)
    while p + 8 <= n:
        h = _k_rotl(h ^ _k_round(np.uint64(0), _k_read64(buf, p)), 27) * P1 + P4
        p += 8
    if p + 4 <= n:
        h = _k_rotl(h ^ (_k_read32(buf, p) * P1), 23) * P2 + P3
        p += 4
    while p < n:
        h = _k_rotl(h ^ (np.uint64(buf[p]) * P5), 11) * P1
        p += 1
    h ^= h >> np.uint64(33)
    h = h * P2
    h ^= h >> np.uint64(29)
    h = h * P3
    h ^= h >> np.uint64(32)
    return h


def _k_put_utf8(out, m, cp):
    # Code point cp (< U+10000: the tables stop there) as UTF-8 at out[m]; the next position.
    if cp < 0x80:
        out[m] = cp
        return m + 1
    if cp < 0x800:
        out[m] = 0xC0 | (cp >> 6)
        out[m + 1] = 0x80 | (cp & 0x3F)
        return m + 2
    out[m] = 0xE0 | (cp >> 12)
    out[m + 1] = 0x80 | ((cp >> 6) & 0x3F)
    out[m + 2] = 0x80 | (cp & 0x3F)
    return m + 3


def _k_page_lines(data, char_ends, amap, lower, word, rep_start, rep_cps, story, flags):
    """Line hashes of the pages in `data` (UTF-8, pages back to back; page i ends at code
    point char_ends[i]). Returns (hashes, pages, n): the hash and page of each line key of 2
    characters or more; writes the story hash (longest key, first on a tie) per page, and
    flags[i] = 1 for a page holding a code point the tables cannot take. `amap` maps an ASCII
    byte to its lower-case word byte, 1 for a line break, 0 for a non-word byte."""
    n_pages = len(char_ends)
    size = len(data)
    scratch = np.empty(6 * size + 64, np.uint8)  # a replacement may outgrow its character
    # Lines are at most line breaks + pages: count them first, so the output arrays are
    # allocated once (growing them inside the loop costs numba ~15 ns per byte).
    cap = n_pages + 1
    for q in range(size):
        b = data[q]
        if b < 0x80:
            if amap[b] == 1:
                cap += 1
        elif (b == 0x85 and q > 0 and data[q - 1] == 0xC2) or (
                (b == 0xA8 or b == 0xA9) and q > 1 and data[q - 1] == 0x80
                and data[q - 2] == 0xE2):
            cap += 1
    out_hash = np.empty(cap, np.uint64)
    out_page = np.empty(cap, np.int64)
    m = 0          # bytes of the current key
    nch = 0        # characters of the current key
    n = 0          # lines written
    page = 0
    chars = 0
    best = -1
    best_hash = np.uint64(0)
    p = 0
    while page < n_pages and char_ends[page] == 0:
        page += 1
    while p < size:
        b0 = data[p]
        brk = False
        if b0 < 0x80:
            p += 1
            c = amap[b0]
            if c >= 2:
                scratch[m] = c
                m += 1
                nch += 1
            elif c == 1:
                brk = True
        else:
            if b0 < 0xE0:
                cp = (np.int64(b0 & 0x1F) << 6) | np.int64(data[p + 1] & 0x3F)
                p += 2
            elif b0 < 0xF0:
                cp = ((np.int64(b0 & 0x0F) << 12) | (np.int64(data[p + 1] & 0x3F) << 6)
                      | np.int64(data[p + 2] & 0x3F))
                p += 3
            else:
                cp = np.int64(0x10000)
                p += 4
            if cp == 0x85 or cp == 0x2028 or cp == 0x2029:
                brk = True
            elif cp < 65536 and rep_start[cp + 1] > rep_start[cp]:
                # NFKC and lower case turn it into these word characters ("™" -> "tm")
                for r in range(rep_start[cp], rep_start[cp + 1]):
                    lc = rep_cps[r]
                    m = _k_put_utf8(scratch, m, lc)
                    nch += 1
            else:
                lc = lower[cp] if cp < 65536 else -1
                if lc < 0:
                    flags[page] = 1
                elif word[lc]:
                    m = _k_put_utf8(scratch, m, lc)
                    nch += 1
        chars += 1
        end_page = chars == char_ends[page]
        if brk or end_page:
            if nch >= 2:
                h = _k_xxh64(scratch, m)
                out_hash[n] = h
                out_page[n] = page
                n += 1
                if nch > best:
                    best = nch
                    best_hash = h
            m = 0
            nch = 0
            while end_page:
                story[page] = best_hash
                best = -1
                best_hash = np.uint64(0)
                page += 1
                end_page = page < n_pages and chars == char_ends[page]
    return out_hash, out_page, n


def _k_group_cap(key, story, cap):
    """For rows sorted by key: each key's stories sorted, deduplicated and cut to the `cap`
    smallest. Returns (index of the key's first row, story) per kept row."""
    n = len(key)
    out_first = np.empty(n, np.int64)
    out_story = np.empty(n, np.int64)
    m = 0
    i = 0
    while i < n:
        j = i + 1
        while j < n and key[j] == key[i]:
            j += 1
        if j - i == 1:
            out_first[m] = i
            out_story[m] = story[i]
            m += 1
        else:
            group = np.sort(story[i:j])
            kept = 0
            for q in range(j - i):
                if q > 0 and group[q] == group[q - 1]:
                    continue
                out_first[m] = i
                out_story[m] = group[q]
                m += 1
                kept += 1
                if kept == cap:
                    break
        i = j
    return out_first[:m], out_story[:m]


def _sorted_unique(key, story, cap: int) -> bool:
    """Rows already sorted by (key, story), without duplicates, at most `cap` per key
    (evidence read back from one `to_arrow` table), so that no sort is needed."""
    if len(key) < 2:
        return True
    new_key = key[1:] != key[:-1]
    if not np.all((key[1:] > key[:-1]) | (~new_key & (story[1:] > story[:-1]))):
        return False
    starts = np.flatnonzero(np.concatenate(([True], new_key)))
    return int(np.diff(np.append(starts, len(key))).max()) <= cap


_GROUP_CAP = None


def _kernel_group_cap():
    global _GROUP_CAP
    if _GROUP_CAP is None:
        from numba import njit

        _GROUP_CAP = njit(cache=True, nogil=True)(_k_group_cap)
    return _GROUP_CAP


_KERNEL = None


def _kernel():
    """The numba kernel and its tables, compiled (or loaded from numba's cache) on first use,
    so processes that only clean pages never import numba."""
    global _KERNEL
    if _KERNEL is None:
        from numba import njit

        jit = njit(cache=True, nogil=True)
        for name in ("_k_read64", "_k_read32", "_k_rotl", "_k_round", "_k_xxh64", "_k_put_utf8"):
            globals()[name] = jit(globals()[name])
        kernel = jit(_k_page_lines)
        lower = np.full(65536, -1, np.int32)
        word = np.zeros(65536, np.uint8)
        replacements: dict[int, list[int]] = {}
        nfkc, category = unicodedata.normalize, unicodedata.category
        for cp in range(65536):
            if 0xD800 <= cp <= 0xDFFF or cp == 0x03A3:  # surrogates; capital sigma: context
                continue
            char = chr(cp)
            # The kernel skips NFKC: a character NFKC would turn into word characters
            # (ligatures, full-width forms, superscripts) or one that may compose with its
            # neighbour (marks, Hangul vowel and final jamo) sends its page to the Python path.
            norm = nfkc("NFKC", char)
            if category(char)[0] == "M" or 0x1160 <= cp <= 0x11FF:
                continue
            if norm != char and any(x.isalnum() or x == "_" for x in norm):
                # Replaced by the word characters of its lower-cased NFKC form when that form
                # stands on its own: no mark, jamo, capital sigma or multi-character lower case
                # that could interact with the neighbours.
                low = norm.lower()
                if (all(unicodedata.combining(x) == 0 and not 0x1100 <= ord(x) <= 0x11FF
                        and ord(x) < 65536 and x != "\u03a3" for x in norm)
                        and len(low) == len(norm) and nfkc("NFKC", low) == low):
                    replacements[cp] = [ord(x) for x in low if x.isalnum() or x == "_"]
                continue
            low = char.lower()
            if len(low) == 1 and ord(low) < 65536:
                lower[cp] = ord(low)
        for cp in range(65536):
            if not 0xD800 <= cp <= 0xDFFF:
                c = chr(cp)
                word[cp] = c.isalnum() or c == "_"
        amap = np.zeros(128, np.uint8)
        for cp in range(128):
            c = chr(cp)
            if c in "\n\r\x0b\x0c\x1c\x1d\x1e":
                amap[cp] = 1
            elif c.isalnum() or c == "_":
                amap[cp] = ord(c.lower())
        rep_start = np.zeros(65537, np.int64)
        for cp, cps in replacements.items():
            rep_start[cp + 1] = len(cps)
        rep_start = np.cumsum(rep_start)
        rep_cps = np.zeros(max(1, int(rep_start[-1])), np.int64)
        for cp, cps in replacements.items():
            rep_cps[rep_start[cp]:rep_start[cp] + len(cps)] = cps
        _KERNEL = (kernel, amap, lower, word, rep_start, rep_cps)
    return _KERNEL


_CHUNK_PAGES = 2048


def _pages_line_hashes(pages: list[str]):
    """(line hash, page index) rows and the story hash per page for `pages`, as numpy arrays
    (uint64, int64, uint64)."""
    kernel, amap, lower, word, rep_start, rep_cps = _kernel()
    hashes, page_ids, stories = [], [], []
    for c0 in range(0, len(pages), _CHUNK_PAGES):
        # No NFKC here: the kernel's tables flag every page on which it could change a key.
        chunk = pages[c0:c0 + _CHUNK_PAGES]
        data = "".join(chunk).encode("utf-8", "surrogatepass")
        ends = np.cumsum(np.fromiter(map(len, chunk), np.int64, len(chunk)))
        story = np.zeros(len(chunk), np.uint64)
        flags = np.zeros(len(chunk), np.uint8)
        out_hash, out_page, n = kernel(np.frombuffer(data, np.uint8), ends, amap, lower, word,
                                       rep_start, rep_cps, story, flags)
        out_hash, out_page = out_hash[:n], out_page[:n]
        if flags.any():
            keep = flags[out_page] == 0
            out_hash, out_page = out_hash[keep], out_page[keep]
            for i in np.flatnonzero(flags):
                st, hs = _page_hashes_py(chunk[i])
                story[i] = st & _M64
                hashes.append(np.asarray([h & _M64 for h in hs], np.uint64))
                page_ids.append(np.full(len(hs), c0 + i, np.int64))
        hashes.append(out_hash)
        page_ids.append(out_page + c0)
        stories.append(story)
    if not hashes:
        return np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.uint64)
    return np.concatenate(hashes), np.concatenate(page_ids), np.concatenate(stories)


class TemplateLines:
    """Lines that recur across many pages of the same site are template chrome.

    Evidence is counted per (site, normalised line): the number of distinct *stories* the line
    appears in, where a page's story is identified by its longest line. Syndicated or re-sent
    copies of one story share that longest paragraph, so their shared body lines count once and
    never become template; a menu or footer line recurs across different stories.

    Held as numpy arrays, one row per (site, line, story), sorted by (key, story) where key is
    the line hash XOR a per-site salt; each line keeps its STORY_CAP smallest story hashes, so
    merging batch and archive evidence is order-free, idempotent and deterministic. Only lines
    seen in at least KEEP_STORIES stories are persisted (`to_arrow`, `len`): a line seen in one
    story is never template on its own, and most lines of a batch are such body lines."""

    STORY_CAP = 16
    KEEP_STORIES = 2

    def __init__(self, min_stories: int = 3, *, _rows=None, _sites=None):
        self.min_stories = min_stories
        self.site: str | None = None
        self._sites: list[str] = list(_sites or [])   # sorted site names ("" = unknown)
        if _rows is None:
            _rows = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64),
                     np.empty(0, np.int32))
        # key (line hash ^ site salt), story, line hash, site code; sorted by (key, story)
        self._key, self._story, self._line, self._site = _rows
        self._template: frozenset[int] | None = None  # keys in >= min_stories stories

    # -- building --------------------------------------------------------------------------

    @classmethod
    def from_pages(cls, pages: Iterable[str], *, sites: Iterable[str | None] | None = None,
                   min_stories: int = 3) -> "TemplateLines":
        """Count recurring lines over `pages` (plain-text dumps); `sites`, parallel to pages,
        scopes the evidence per site (None pools pages of unknown site together)."""
        pages = pages if isinstance(pages, list) else list(pages)
        site_list = list(sites) if sites is not None else []
        site_list += [None] * (len(pages) - len(site_list))
        names = sorted({x or "" for x in site_list[:len(pages)]})
        code_of = {name: i for i, name in enumerate(names)}
        page_site = np.fromiter((code_of[x or ""] for x in site_list[:len(pages)]), np.int32,
                                len(pages))
        line, page_ids, stories = _pages_line_hashes(pages)
        out = cls(min_stories=min_stories, _sites=names)
        out._set_rows(line.view(np.int64), stories.view(np.int64)[page_ids], page_site[page_ids])
        return out

    def _set_rows(self, line, story, site_code) -> None:
        """Store rows (line hash, story, site code): salted keys, duplicates dropped, sorted by
        (key, story), at most STORY_CAP smallest stories per key."""
        salts = np.asarray([_site_salt(s) for s in self._sites], np.int64)
        key = line ^ salts[site_code] if len(line) else line.copy()
        if len(key) and not _sorted_unique(key, story, self.STORY_CAP):
            # Sort by key only (much cheaper than a two-key lexsort); each key's stories are
            # sorted, deduplicated and capped in one pass of the kernel.
            order = np.argsort(key)
            key, story = key[order], story[order]
            first, story = _kernel_group_cap()(key, story, self.STORY_CAP)
            order = order[first]
            key, line, site_code = key[first], line[order], site_code[order]
        self._key, self._story, self._line = key, story, line
        self._site = site_code.astype(np.int32, copy=False)
        self._template = None

    def _groups(self):
        """(start index, size) of each key's run of rows."""
        n = len(self._key)
        if not n:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        starts = np.flatnonzero(np.concatenate(([True], self._key[1:] != self._key[:-1])))
        return starts, np.diff(np.append(starts, n))

    # -- queries ---------------------------------------------------------------------------

    def _template_keys(self) -> frozenset:
        if self._template is None:
            starts, sizes = self._groups()
            self._template = frozenset(self._key[starts[sizes >= self.min_stories]].tolist())
        return self._template

    def is_template(self, line: str, site: str | None = None) -> bool:
        """True when `line` recurs in at least `min_stories` distinct stories of `site` (the
        view's site, see `for_site`) or of pages whose site was not given."""
        return self.is_template_key(line_key(line), site)

    def is_template_key(self, k: str, site: str | None = None, *, pooled: bool = True) -> bool:
        """`is_template` for a line already normalised by `line_key`; `pooled=False` ignores
        the evidence of pages whose site was not given."""
        if len(k) < 2:
            return False
        keys = self._template_keys()
        if not keys:
            return False
        h = _line_hash(k)
        site = site if site is not None else self.site
        if site and (h ^ _site_salt(site)) in keys:
            return True
        return pooled and (h ^ _site_salt("")) in keys

    def for_site(self, site: str | None) -> "TemplateLines":
        """A view of the same evidence whose `is_template` looks at `site` (and unknown-site
        evidence) by default."""
        view = TemplateLines(min_stories=self.min_stories, _sites=self._sites,
                             _rows=(self._key, self._story, self._line, self._site))
        view._template = self._template_keys()
        view.site = site
        return view

    def merge(self, other: "TemplateLines") -> "TemplateLines":
        """A new TemplateLines holding the evidence of both (same result in either order)."""
        names = sorted(set(self._sites) | set(other._sites))
        parts = []
        for src in (self, other):
            remap = np.searchsorted(names, src._sites).astype(np.int32) if src._sites \
                else np.empty(0, np.int32)
            parts.append((src._line, src._story, remap[src._site] if len(src._site) else src._site))
        out = TemplateLines(min_stories=min(self.min_stories, other.min_stories), _sites=names)
        out._set_rows(*(np.concatenate([p[i] for p in parts]) for i in range(3)))
        return out

    def __len__(self) -> int:
        """Lines with evidence worth keeping (seen in at least KEEP_STORIES stories)."""
        _starts, sizes = self._groups()
        return int((sizes >= self.KEEP_STORIES).sum())

    # -- Arrow -----------------------------------------------------------------------------

    def to_arrow(self):
        """A pyarrow table (site, line_hash, stories list, n_stories) of the lines seen in at
        least KEEP_STORIES stories, in the evidence's own order (by salted key, then story),
        so that reading one table back needs no sort."""
        import pyarrow as pa

        starts, sizes = self._groups()
        keep = sizes >= self.KEEP_STORIES
        starts, sizes = starts[keep], sizes[keep]
        rows = np.repeat(starts, sizes) + (np.arange(int(sizes.sum())) - np.repeat(
            np.cumsum(sizes) - sizes, sizes))
        offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int32)
        names = pa.array(self._sites, pa.string())
        site = self._site[starts]
        return pa.table({
            "site": names.take(pa.array(site, pa.int32())) if len(site) else pa.array([], pa.string()),
            "line_hash": pa.array(self._line[starts], pa.int64()),
            "stories": pa.ListArray.from_arrays(pa.array(offsets, pa.int32()),
                                                pa.array(self._story[rows], pa.int64())),
            "n_stories": pa.array(sizes.astype(np.int32), pa.int32()),
        })

    @classmethod
    def from_arrow(cls, table, *, min_stories: int = 3) -> "TemplateLines":
        import pyarrow as pa
        import pyarrow.compute as pc

        out = cls(min_stories=min_stories)
        if table.num_rows == 0:
            return out
        site_col = pc.fill_null(table.column("site").combine_chunks(), "")
        enc = site_col.dictionary_encode()
        names = enc.dictionary.to_pylist()
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        stories = table.column("stories").combine_chunks()
        if isinstance(stories, pa.ChunkedArray):  # pragma: no cover
            stories = stories.combine_chunks()
        lengths = pc.fill_null(pc.list_value_length(stories), 0).to_numpy(zero_copy_only=False)
        values = pc.list_flatten(stories).to_numpy(zero_copy_only=False).astype(np.int64)
        line = table.column("line_hash").to_numpy().astype(np.int64)
        order = sorted(range(len(names)), key=names.__getitem__)
        remap = np.empty(len(names), np.int32)
        remap[order] = np.arange(len(names), dtype=np.int32)
        out._sites = sorted(names)
        out._set_rows(np.repeat(line, lengths), values, np.repeat(remap[codes], lengths))
        return out
