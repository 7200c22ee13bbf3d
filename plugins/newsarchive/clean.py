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
import hashlib
import re
import signal
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from newsarchive import chrome_patterns as cp

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
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
_WORD_RE = re.compile(r"\w+")
_SENTENCE_END_RE = re.compile(
    r"[.!?…。！？:;][\"'”’»)\]」』]*(?:\s*\([^()]{1,40}\))?$|[\"”’»」』]$")
_SENTENCE_END_SPAN = 64
_INNER_SENTENCE_RE = re.compile(r"[.!?。！？][\"'”’»)]*\s+\S|[,，、;]\s*\S")
_LIST_PREFIX_RE = re.compile(r"^(?:[-•·*▪●◦‣]\s+)+")
_KEY_STRIP_RE = re.compile(r"[^\w]+")
_ASCII_NON_WORD = bytes(b for b in range(128) if not (chr(b).isalnum() or chr(b) == "_"))
_ASCII_WORD_SPLIT = bytes(b if b < 128 and (chr(b).isalnum() or chr(b) == "_") else 32
                          for b in range(256))


def _collapse(line: str) -> str:
    return _SPACE_RE.sub(" ", line).strip()


@functools.lru_cache(maxsize=1 << 16)
def line_key(line: str) -> str:
    """Normalised form of a line used for hashing and comparison: NFKC, lowercased, punctuation
    and spacing removed, so typographic variants (curly quotes, dashes) compare equal."""
    if line.isascii():
        # NFKC leaves ASCII unchanged, and deleting bytes is far cheaper than a regex.
        return line.lower().encode("ascii").translate(None, _ASCII_NON_WORD).decode("ascii")
    return _KEY_STRIP_RE.sub("", unicodedata.normalize("NFKC", line).lower())


def _units(line: str) -> float:
    """Length in word-equivalents: words for spaced scripts; two CJK characters count as one
    word, since Japanese and Chinese do not separate words with spaces."""
    if line.isascii():
        # Same count as \w+ runs: non-word bytes become spaces (a byte table beats a regex).
        return float(len(line.encode("ascii").translate(_ASCII_WORD_SPLIT).split()))
    cjk = len(_CJK_RE.findall(line))
    if not cjk:
        return float(len(_WORD_RE.findall(line)))
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
    i, n = 0, len(lines)
    while i < n:
        if not lines[i]:
            out.append("")
            i += 1
            continue
        j = i
        while j + 1 < n and lines[j + 1]:
            j += 1
        run = lines[i : j + 1]
        out.extend(_unwrap_run(run))
        i = j + 1
    return out


def _unwrap_run(run: list[str]) -> list[str]:
    if len(run) < 2:
        return run
    body = run[:-1]
    width = max(len(x) for x in body)
    if not (_WRAP_MIN <= width <= _WRAP_MAX):
        return run
    if any(_LIST_PREFIX_RE.match(x) for x in run[1:]):
        return run
    if len(run) == 2 and (len(run[0]) < 55 or _ends_sentence(run[0])):
        return run
    if not all(_is_wrap_break(run[k], run[k + 1], width) for k in range(len(run) - 1)):
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

    __slots__ = ("text", "units", "kind", "role", "shape", "blank_before")

    def __init__(self, text: str, shape: _Shape, blank_before: bool = False):
        self.text = text
        self.shape = shape
        self.units = shape.units
        self.kind = shape.kind
        self.role = shape.role  # "date", "byline", "stop", "template", "teaser", "data", "table"
        self.blank_before = blank_before

    @property
    def key(self) -> str:
        return self.shape.key


def _is_date_line(text: str, units: float) -> bool:
    if units > cp.DATE_LINE_MAX_WORDS or not _DIGIT_RE.search(text):
        return False  # every date and "3 hours ago" carries a digit
    if cp.RELATIVE_TIME_RE.match(text):
        return True
    if cp.DATE_LEAD_RE.match(text) and (cp.DATE_RE.search(text) or cp.TIME_RE.search(text)):
        return True
    if not cp.DATE_RE.search(text):
        return False
    # A bare date line: little left once date, time, weekday and separators are removed.
    rest = cp.TIME_RE.sub(" ", cp.DATE_RE.sub(" ", text))
    rest_words = [w for w in _WORD_RE.findall(rest) if not w.isdigit()]
    return len(rest_words) <= 3 or bool(cp.DATE_LEAD_RE.match(text))


def _is_byline(text: str, units: float) -> bool:
    if units > cp.BYLINE_MAX_WORDS or "." in text[-2:] and _ends_sentence(text.rstrip("]")):
        return False
    return bool(cp.BYLINE_RE.match(text) or cp.BYLINE_CJK_RE.match(text))


def _is_stop(text: str, lower: str) -> bool:
    return (len(text) <= cp.CHROME_MAX_CHARS and any(n in lower for n in cp.STOP_LINE_NEEDLES)
            and bool(cp.STOP_LINE_RE.search(text)))


def _is_chrome(text: str, lower: str | None = None, has_needle: bool = True) -> bool:
    """Chrome by pattern; `has_needle=False` says the line holds none of `cp.ALL_NEEDLES`, so
    of the gated patterns only those tested by their ending can match."""
    if len(text) <= cp.CHROME_MAX_CHARS and (cp.STRAY_LINE_RE.match(text)
                                             or cp.CHROME_START_RE.match(text)):
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
        if needles and not any(n in lower for n in needles):
            continue
        if endings and not text.endswith(endings):
            continue
        if pattern.search(text):
            return True
    return False


@functools.lru_cache(maxsize=_LINE_CACHE_SIZE)
def _line_shape(text: str) -> _Shape:
    """The shape of a line judged on its own; cached per distinct line."""
    units = _units(text)
    lower = text.lower()
    has_needle = any(n in lower for n in cp.ALL_NEEDLES)
    role = None
    if _is_date_line(text, units):
        kind, role = CHROME, "date"
    elif _is_byline(text, units):
        kind, role = CHROME, "byline"
    elif has_needle and _is_stop(text, lower):
        kind, role = CHROME, "stop"
    elif len(text) <= _LABEL_MAX_CHARS and cp.COMMENTS_HEADING_RE.match(text):
        kind, role = CHROME, "comments"
    elif _is_chrome(text, lower, has_needle):
        kind = CHROME
    else:
        kind = _prose_kind(text, units)
    headline = (role is None and 2 <= units <= 25
                and (kind == HEAD or (kind in (GOOD, NEAR) and not _HEADLINE_END_RE.search(text)))
                and not cp.QA_LINE_RE.match(text))
    one_sentence = (kind != CHROME and units <= _TEASER_MAX_UNITS
                    and len(_SENTENCE_SPLIT_RE.findall(text)) <= 1)
    data_row = (kind in (HEAD, NEAR, SHORT) and units <= _DATA_ROW_MAX_UNITS
                and bool(_INNER_DIGIT_RE.search(_LIST_PREFIX_RE.sub("", text))))
    link_label = len(text) <= _LABEL_MAX_CHARS and bool(cp.LINK_LABEL_RE.match(text))
    credit = (kind == CHROME and units <= cp.PICTURE_CREDIT_MAX_WORDS
              and cp.PICTURE_CREDIT_RE.search(text) is not None)
    return _Shape(units, kind, role, line_key(text), headline, one_sentence, data_row, link_label,
                  credit)


def _ends_sentence(text: str) -> bool:
    # The pattern is anchored at the end and spans at most ~50 characters; searching the tail
    # only spares a scan of the whole paragraph.
    return _SENTENCE_END_RE.search(text[-_SENTENCE_END_SPAN:]) is not None


def _prose_kind(text: str, units: float) -> str:
    ends = _ends_sentence(text)
    if _LIST_PREFIX_RE.match(text):
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
    return line.kind == HEAD and line.units > max(8.0, head.units)


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

    i = 0
    while i < n - 1:
        if not (lines[i].role is None and lines[i].shape.headline):
            i += 1  # the common case: no teaser list starts here
            continue
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
        if line is not None and line.role is None and line.shape.data_row:
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
            # one only must not count as a link list.
            role = "table" if len(rows) >= _TABLE_MIN_ROWS else "data"
            for row in rows + labels:
                row.kind, row.role = NEAR, role
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
    prose = (GOOD, NEAR)
    for i, line in enumerate(lines):
        s = _line_score(line)
        if (line.kind == GOOD and (i == 0 or lines[i - 1].kind not in prose)
                and (i + 1 == len(lines) or lines[i + 1].kind not in prose)):
            # A lone prose line between chrome is a teaser or caption more often than body.
            s *= _ISOLATED_WEIGHT
        if s < 0:
            s *= 1.0 + _GAP_GROWTH * streak
            streak += 1
        elif line.kind == GOOD or line.role == "table":
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
    return any(j != i and lines[j].key == key for j in range(lo, hi))


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
    shape (blank lines are dropped, remembered as `blank_before`)."""
    if not page_text.isascii() and _ZERO_WIDTH_RE.search(page_text):
        page_text = _ZERO_WIDTH_RE.sub(" ", page_text)
    # Most lines need no change beyond stripping; only the others pay for split-and-join
    # (str.split() handles every Unicode space, nbsp included).
    joined = _unwrap([x if x.isascii() and "  " not in x and "\t" not in x else " ".join(x.split())
                      for x in map(str.strip, page_text.splitlines())])
    out: list[_Line] = []
    blank = False
    shape = _line_shape
    for text in joined:
        if not text:
            blank = True
            continue
        out.append(_Line(text, shape(text), blank))
        blank = False
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
    for i in range(start):
        if i and _matches_title(lines[i].text, title_keys, lines[i].key):
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
        if i == 0 or _matches_title(x.text, title_keys, x.key):
            continue
        if _is_caption(lines, i) or _is_truncated_copy(x, lines):
            continue
        if _LIST_PREFIX_RE.match(x.text):
            if standfirst:
                continue
        else:
            standfirst = False
        body.append(_LIST_PREFIX_RE.sub("", x.text))  # "- " marks a list item in the dump
    text = "\n".join(body)
    return CleanArticle(text=text, title=title, byline=byline, date_lines=date_lines,
                        language=detect_language(text), method="text")


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------

# py3langid's cost grows with the sample; a few hundred characters of body decide reliably.
_LANG_SAMPLE_CHARS = 300


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text` from py3langid (its model ships in the package), or None for
    text too short to judge."""
    sample = text[:_LANG_SAMPLE_CHARS]
    if len(_WORD_RE.findall(sample)) < 3:
        return None
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
        t = _collapse(raw)
        if not t:
            continue
        units = _units(t)
        if _is_date_line(t, units) or _is_byline(t, units) or _is_chrome(t):
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
               templates: "TemplateLines | None" = None, settings=None) -> CleanArticle:
    """Clean one page of `kind` "text" or "html" within `settings.extract_timeout_s`; raises
    ExtractionTimeout when the limit is exceeded and ValueError for an unknown kind."""
    timeout_s = float(getattr(settings, "extract_timeout_s", 20.0) or 0)
    if kind == "text":
        fn = lambda: strip_chrome(content, templates=templates, settings=settings)  # noqa: E731
    elif kind == "html":
        fn = lambda: clean_html(content, url=url, templates=templates, settings=settings)  # noqa: E731
    else:
        raise ValueError(f"unknown page kind {kind!r}; expected 'text' or 'html'")
    if templates is not None and url:
        templates = templates.for_site(_hostname(url))
    art = _call_with_timeout(fn, timeout_s)
    if art.url is None:
        art.url = url
    if art.site is None and url:
        art.site = _hostname(url)
    return art


def _hostname(url: str) -> str | None:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    return host[4:] if host and host.startswith("www.") else host


# --------------------------------------------------------------------------------------------
# Template evidence across pages
# --------------------------------------------------------------------------------------------


def _hash64(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big",
                          signed=True)


class TemplateLines:
    """Lines that recur across many pages of the same site are template chrome.

    Evidence is counted per (site, normalised line): the number of distinct *stories* the line
    appears in, where a page's story is identified by its longest line. Syndicated or re-sent
    copies of one story share that longest paragraph, so their shared body lines count once and
    never become template; a menu or footer line recurs across different stories. Counts are
    kept as capped sets of story hashes, so merging batch and archive evidence is order-free
    and deterministic."""

    STORY_CAP = 16

    def __init__(self, min_stories: int = 3, stories: dict | None = None):
        self.min_stories = min_stories
        self.site: str | None = None
        # (site, line hash) -> set of story hashes (at most STORY_CAP, smallest kept)
        self._stories: dict[tuple[str, int], set[int]] = stories or {}

    @staticmethod
    def _page_keys(page: str) -> tuple[int, list[int]]:
        keys = []
        longest = ""
        for raw in page.splitlines():
            k = line_key(raw)
            if len(k) < 2:
                continue
            keys.append(k)
            if len(k) > len(longest):
                longest = k
        return _hash64(longest), sorted({_hash64(k) for k in keys})

    @classmethod
    def from_pages(cls, pages: Iterable[str], *, sites: Iterable[str | None] | None = None,
                   min_stories: int = 3) -> "TemplateLines":
        """Count recurring lines over `pages` (plain-text dumps); `sites`, parallel to pages,
        scopes the evidence per site (None pools pages of unknown site together)."""
        out = cls(min_stories=min_stories)
        site_iter = iter(sites) if sites is not None else None
        for page in pages:
            site = (next(site_iter, None) if site_iter is not None else None) or ""
            story, hashes = cls._page_keys(page)
            for h in hashes:
                out._add((site, h), {story})
        return out

    def _add(self, key: tuple[str, int], stories: set[int]) -> None:
        cur = self._stories.get(key)
        if cur is None:
            cur = self._stories[key] = set()
        cur |= stories
        if len(cur) > self.STORY_CAP:
            self._stories[key] = set(sorted(cur)[: self.STORY_CAP])

    def is_template(self, line: str, site: str | None = None) -> bool:
        """True when `line` recurs in at least `min_stories` distinct stories of `site` (the
        view's site, see `for_site`) or of pages whose site was not given."""
        return self.is_template_key(line_key(line), site)

    def is_template_key(self, k: str, site: str | None = None, *, pooled: bool = True) -> bool:
        """`is_template` for a line already normalised by `line_key`; `pooled=False` ignores
        the evidence of pages whose site was not given."""
        if len(k) < 2:
            return False
        h = _hash64(k)
        site = site if site is not None else self.site
        scopes = (site, "") if site else ("",)
        for scope in scopes:
            if scope == "" and not pooled:
                continue
            stories = self._stories.get((scope, h))
            if stories is not None and len(stories) >= self.min_stories:
                return True
        return False

    def for_site(self, site: str | None) -> "TemplateLines":
        """A view of the same evidence whose `is_template` looks at `site` (and unknown-site
        evidence) by default."""
        view = TemplateLines(min_stories=self.min_stories, stories=self._stories)
        view.site = site
        return view

    def merge(self, other: "TemplateLines") -> "TemplateLines":
        """A new TemplateLines holding the evidence of both (same result in either order)."""
        out = TemplateLines(min_stories=min(self.min_stories, other.min_stories))
        for src in (self, other):
            for key, stories in src._stories.items():
                out._add(key, set(stories))
        return out

    def __len__(self) -> int:
        return len(self._stories)

    def to_arrow(self):
        """A pyarrow table (site, line_hash, stories list, n_stories) sorted by site and hash."""
        import pyarrow as pa

        items = sorted(self._stories.items())
        return pa.table({
            "site": pa.array([k[0] for k, _ in items], pa.string()),
            "line_hash": pa.array([k[1] for k, _ in items], pa.int64()),
            "stories": pa.array([sorted(v) for _, v in items], pa.list_(pa.int64())),
            "n_stories": pa.array([len(v) for _, v in items], pa.int32()),
        })

    @classmethod
    def from_arrow(cls, table, *, min_stories: int = 3) -> "TemplateLines":
        out = cls(min_stories=min_stories)
        cols = table.to_pydict()
        for site, h, stories in zip(cols["site"], cols["line_hash"], cols["stories"]):
            out._add((site or "", int(h)), set(stories or ()))
        return out
