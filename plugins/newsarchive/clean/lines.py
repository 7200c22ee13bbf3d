"""Lines of a text dump: normalisation, hard-wrap joining, and each line's shape on its own.

A shape is what a line is without looking at its neighbours: its length in word-equivalents,
whether it ends like a sentence, and whether it matches a chrome pattern (date stamp, byline,
share widget, copyright...). Shapes are cached per distinct line: menus, footers and widgets
repeat the same lines on every page of a site, so most lines of a batch hit the cache.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from . import patterns as cp
from .config import CleanConfig
from .split import scan_lines

# Line kinds, from most to least article-like.
GOOD, NEAR, HEAD, SHORT, CHROME = "good", "near", "head", "short", "chrome"
# Distinct lines whose shape is kept per config (a batch's menus and footers, many times over).
_LINE_CACHE_SIZE = 1 << 17
_DEFAULT = CleanConfig()

_SPACE_RE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
# Invisible characters str.split() does not treat as spaces (it does split on nbsp).
ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
WORD_RE = re.compile(r"\w+")
_SENTENCE_END_RE = re.compile(
    r"[.!?…。！？:;][\"'”’»)\]」』]*(?:\s*\([^()]{1,40}\))?$|[\"”’»」』]$")
# The sentence-end pattern spans at most ~50 characters: only the line's tail is searched.
_SENTENCE_END_SPAN = 64
_INNER_SENTENCE_RE = re.compile(r"[.!?。！？][\"'”’»)]*\s+\S|[,，、;]\s*\S")
LIST_PREFIX_RE = re.compile(r"^(?:[-•·*▪●◦‣]\s+)+")
LIST_MARKS = frozenset("-•·*▪●◦‣")  # a LIST_PREFIX_RE match opens with one of these
HEADLINE_END_RE = re.compile(r"[.!。！;:,]$")
_SENTENCE_SPLIT_RE = re.compile(r"[.!?。！？][\"'”’»)]*\s+(?=\S)")
_INNER_DIGIT_RE = re.compile(r"^\S*\D.*\d|^\d+\s+\D.*\d")
DIGIT_RE = re.compile(r"\d")
_YEAR_RE = re.compile(r"\d{4}")
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_KEY_STRIP_RE = re.compile(r"[^\w]+")
_ASCII_BYTES = bytes(range(128))
# Beyond this many distinct non-ASCII characters a regex beats testing them one by one.
_KEY_MAX_DISTINCT = 8
_ASCII_NON_WORD = bytes(b for b in range(128) if not (chr(b).isalnum() or chr(b) == "_"))
# Word bytes become "a", the rest " ": the \w+ runs are then the " a" transitions (plus one when
# the line opens with a word), counted in C without building a list of words.
_ASCII_WORD_MASK = bytes(97 if b < 128 and (chr(b).isalnum() or chr(b) == "_") else 32
                         for b in range(256))
_ASCII_WORD_MASK_KEEP_HIGH = bytes(b if b >= 128 else _ASCII_WORD_MASK[b] for b in range(256))


def ascii_words(line: str) -> int:
    """len(WORD_RE.findall(line)) for an ASCII line."""
    mask = line.encode("ascii").translate(_ASCII_WORD_MASK)
    return mask.count(b" a") + (mask[:1] == b"a")


def collapse(line: str) -> str:
    """Every run of whitespace (nbsp and zero-width characters included) as one space."""
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


def units(line: str) -> float:
    """Length in word-equivalents: words for spaced scripts; two CJK characters count as one
    word, since Japanese and Chinese do not separate words with spaces."""
    if line.isascii():
        return float(ascii_words(line))
    if CJK_RE.search(line) is None:
        # The mask trick of ascii_words, the line's few distinct non-ASCII characters (curly
        # quotes, accented letters) masked one by one.
        data = line.encode("utf-8", "surrogatepass").translate(_ASCII_WORD_MASK_KEEP_HIGH)
        others = set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
        if len(others) > _KEY_MAX_DISTINCT:
            return float(len(WORD_RE.findall(line)))
        for ch in others:
            data = data.replace(ch.encode("utf-8", "surrogatepass"),
                                b"a" if ch.isalnum() or ch == "_" else b" ")
        return float(data.count(b" a") + (data[:1] == b"a"))
    cjk = len(CJK_RE.findall(line))
    # Korean separates words with spaces; its syllables would otherwise count twice.
    if len(HANGUL_RE.findall(line)) > cjk / 2:
        return float(len(line.split()))
    spaced = len(WORD_RE.findall(CJK_RE.sub(" ", line)))
    return spaced + cjk / 2.0


def ends_sentence(text: str) -> bool:
    return _SENTENCE_END_RE.search(text[-_SENTENCE_END_SPAN:]) is not None


def sentence_count(text: str) -> int:
    """Sentences in a line: its inner sentence breaks, and one more when it ends a sentence."""
    return len(_SENTENCE_SPLIT_RE.findall(text)) + ends_sentence(text)


def is_list_item(text: str) -> bool:
    return text[:1] in LIST_MARKS and LIST_PREFIX_RE.match(text) is not None


def strip_list_marker(text: str) -> str:
    return LIST_PREFIX_RE.sub("", text)


# --------------------------------------------------------------------------------------------
# Splitting a page into lines; hard-wrapped paragraphs joined back
# --------------------------------------------------------------------------------------------


class SplitPage(NamedTuple):
    lines: list[str]          # whitespace collapsed and stripped, blank lines kept as ""
    lengths: list[int]        # each line's length as the page has it
    wrap_candidates: list[int]  # `wrap_candidates(lines, config)`
    numeric_lines: int | None   # lines holding one number only (`tables.may_hold_cell_table`)
    walks: list[list[int]] | None = None  # `wrap_walk` from each candidate, when the kernel found them


def split_lines(page_text: str, config: CleanConfig | None = None) -> SplitPage:
    """The page's lines with whitespace collapsed and stripped (blank lines kept as "": they
    separate paragraphs for the unwrapper), one per line of `str.splitlines`, the length of
    each line as the page has it (to find a line's place in the page), the lines that start a
    pair `unwrap` may join (under `config`) with the unwrapper's walk from each, and the count
    of number-only lines: what str.splitlines does not give is found by one kernel pass over
    the page (split.py), in Python where the kernel cannot take the page."""
    config = config or _DEFAULT
    lines = page_text.splitlines()
    lengths = list(map(len, lines))
    lines = list(map(str.strip, lines))
    marks, walks, numeric_lines = scan_lines(page_text, config.wrap_min_width, config.wrap_max_width)
    flagged = (marks & 1).nonzero()[0].tolist()
    if not flagged:
        candidates = (marks & 2).nonzero()[0].tolist()
        return SplitPage(lines, lengths, candidates, numeric_lines,
                         walks[:len(candidates)].tolist() if walks is not None else None)
    # Lines holding a run of spaces or another space character (a tab, nbsp, zero-width) are
    # collapsed: str.split() handles every Unicode space; the zero-width ones become spaces.
    for i in flagged:
        x = ZERO_WIDTH_RE.sub(" ", lines[i]).strip()
        lines[i] = x if x.isascii() and "  " not in x and "\t" not in x else " ".join(x.split())
    return SplitPage(lines, lengths, wrap_candidates(lines, config), numeric_lines)


def wrap_candidates(lines: list[str], config: CleanConfig) -> list[int]:
    """The lines i such that some wrap width could explain the break between lines i and i+1:
    both within the width range, the second no longer than the first plus its own first word
    (cheap tests first; most pages have no such pair)."""
    wmin, wmax = config.wrap_min_width, config.wrap_max_width
    # Only a line within 25 columns of a possible width can be followed by a wrapped line.
    low = wmin - 25
    lens = list(map(len, lines))
    return [i for i in range(len(lines) - 1)
            if low <= lens[i] <= wmax and 0 < lens[i + 1] <= wmax
            and lens[i + 1] <= lens[i] + 25
            and lens[i + 1] <= lens[i] + _first_word(lines[i + 1])
            and wmin <= lens[i] + _first_word(lines[i + 1])]


def wrap_walk(lines: list[str], lens: list[int], k: int, config: CleanConfig) -> tuple[int, int, int]:
    """The unwrapper's greedy walk from line k: (the last line j of the stretch some width
    explains, the breaks of k..j followed by a lower-case word, the widest width left)."""
    n = len(lines)
    j, lower = k, 0  # lower: breaks followed by a lower-case word (a sentence running on)
    # the widths that explain the stretch so far
    lo, hi = max(config.wrap_min_width, lens[k]), config.wrap_max_width
    while j + 1 < n:
        b = lines[j + 1]
        size_b = lens[j + 1]
        if not size_b or (b[0] in LIST_MARKS and LIST_PREFIX_RE.match(b)):
            break
        first = b.find(" ")
        first = size_b if first < 0 else first
        nlo = lo if lo >= size_b else size_b
        nhi = lens[j] + (first if first < 25 else 25)
        if nhi > hi:
            nhi = hi
        if nlo > nhi:
            break
        lo, hi = nlo, nhi
        lower += b[0].islower()
        j += 1
    return j, lower, hi


def unwrap(lines: list[str], config: CleanConfig, candidates: list[int] | None = None,
           walks: list[list[int]] | None = None) -> tuple[list[str], list[int]]:
    """Paragraphs hard-wrapped at a fixed width joined back into one line each. Returns the
    lines and, per line, the index of the input line it starts at (a joined line ends where the
    next one starts). Blank lines are kept as "" separators.

    A stretch of lines is one wrapped paragraph when some width W in [wrap_min_width,
    wrap_max_width] explains every break the way a greedy wrapper makes it: no line longer than
    W, and each line but the last so full that the next line's first word would not have fitted
    (within 25 columns of W). The stretch grows while such a W remains, so a page keeps its
    menus and headlines while its wrapped paragraphs are joined wherever they stand. A blank-line
    delimited block that is one wrapped paragraph as a whole needs no more evidence; elsewhere
    most breaks must fall before lower-case words (a list of capitalised headlines of similar
    lengths stays apart). `candidates`: `wrap_candidates(lines, config)`, when known, and
    `walks`: `wrap_walk` from each of them."""
    n = len(lines)
    if candidates is None:
        candidates = wrap_candidates(lines, config)
    if not candidates:
        return lines, list(range(n))
    lens = list(map(len, lines))
    has_blanks = 0 in lens
    out: list[str] = []
    starts: list[int] = []
    i = 0  # the first line not yet written out
    for c, k in enumerate(candidates):
        if k < i or k + 1 >= n or not lens[k + 1]:
            continue
        if has_blanks and (k == 0 or not lens[k - 1]):
            end = k
            while end < n and lens[end]:
                end += 1
            if end - k >= 2 and _is_wrapped_block(lines[k:end], config):
                out.extend(lines[i:k])
                starts.extend(range(i, k))
                out.append(" ".join(lines[k:end]))
                starts.append(k)
                i = end
                continue
        j, lower, hi = walks[c] if walks is not None else wrap_walk(lines, lens, k, config)
        breaks = j - k
        # A lone pair needs a long first line ending mid-sentence and a lower-case second line.
        x = lines[k]
        if breaks == 0 or 3 * lower < breaks or (
                breaks == 1 and (lens[k] < 55 or not lower or ends_sentence(x))):
            continue
        # A paragraph wrapped in the page's source opens with a shorter line (the markup before
        # it took the rest of the width): a mid-sentence line of a few words just above joins.
        first_line = k
        if breaks >= 2 and k - 1 >= i and _opens_paragraph(lines[k - 1], hi):
            first_line = k - 1
        out.extend(lines[i:first_line])
        starts.extend(range(i, first_line))
        out.append(" ".join(lines[first_line:j + 1]))
        starts.append(first_line)
        i = j + 1
    out.extend(lines[i:])
    starts.extend(range(i, n))
    return out, starts


def _first_word(line: str) -> int:
    """Length of the line's first word (of the line when it has one word), at most 25."""
    k = line.find(" ")
    k = len(line) if k < 0 else k
    return k if k < 25 else 25


def _is_wrapped_block(block: list[str], config: CleanConfig) -> bool:
    width = max(map(len, block[:-1]))
    if not (config.wrap_min_width <= width <= config.wrap_max_width) or len(block[-1]) > width:
        return False
    if len(block) == 2 and (len(block[0]) < 55 or ends_sentence(block[0])):
        return False
    for k in range(len(block) - 1):  # cheapest test first: menus fail at their first break
        first = block[k + 1].find(" ")
        first = len(block[k + 1]) if first < 0 else first
        if not (len(block[k]) >= width - 25 and len(block[k]) + 1 + first > width):
            return False
    return not any(x[:1] in LIST_MARKS and LIST_PREFIX_RE.match(x) for x in block[1:])


def _opens_paragraph(line: str, width: int) -> bool:
    """A line that may be the first, shorter line of a paragraph wrapped at `width`: three words
    or more, no longer than the width, not ending a sentence."""
    return (20 <= len(line) <= width and line.count(" ") >= 2 and not ends_sentence(line)
            and not (line[:1] in LIST_MARKS and LIST_PREFIX_RE.match(line)))


# --------------------------------------------------------------------------------------------
# Line shapes
# --------------------------------------------------------------------------------------------


class Shape(NamedTuple):
    """What a line is on its own. A named tuple: it is built for every new line, and tuples
    are the cheapest to build."""

    units: float
    kind: str
    role: str | None         # "date", "byline", "stop", "comments", "comments_label" (chrome
                             # of a known use)
    key: str                 # line_key(text)
    headline: bool           # headline-shaped: could head a teaser pair
    one_sentence: bool       # at most one sentence: could be a teaser summary
    data_row: bool           # short and carrying numbers past a leading rank: a table row
    link_label: bool         # "Related", "Read more": the lines under it are links
    credit: bool             # a picture credit: the line above it is a caption


_KIND = itemgetter(1)
_ROLE = itemgetter(2)
# Shape fields read for every line of a page, as C-level getters (map/compress over shapes).
KEY = itemgetter(3)
HEADLINE = itemgetter(4)
DATA_ROW = itemgetter(6)
LINK_LABEL = itemgetter(7)


class PageLines:
    """The lines of one page as parallel lists (a page has ~100 lines and every pass reads
    them all: lists are much cheaper than an object per line).

    `texts`, `shapes` (each line's Shape, cached per distinct line), `keys` (their keys),
    `kinds` and `roles` (the page-level judgement, which neighbourhood rules change: roles
    "date", "byline", "stop", "comments", "comments_label", "template", "teaser", "data",
    "table"), and `starts`, `ends`: indices of the first and one past the last line of
    `str.splitlines(page)` each comes from, `raw_lengths` the lengths of those lines as the
    page has them."""

    __slots__ = ("texts", "shapes", "keys", "kinds", "roles", "starts", "ends", "raw_lengths")

    def __init__(self, texts: list[str], shapes: list[Shape], starts: list[int], ends: list[int],
                 raw_lengths: list[int] | None = None):
        self.texts = texts
        self.shapes = shapes
        self.keys = list(map(KEY, shapes))  # each line's `line_key`
        self.kinds = list(map(_KIND, shapes))
        self.roles = list(map(_ROLE, shapes))
        self.starts = starts
        self.ends = ends
        self.raw_lengths = raw_lengths  # of the page's lines before stripping

    def __len__(self) -> int:
        return len(self.texts)

    def set(self, i: int, kind: str, role: str | None) -> None:
        self.kinds[i] = kind
        self.roles[i] = role


def is_date_line(text: str, n_units: float) -> bool:
    if n_units > cp.DATE_LINE_MAX_WORDS or not DIGIT_RE.search(text):
        return False  # every date and "3 hours ago" carries a digit
    if cp.RELATIVE_TIME_RE.match(text):
        return True
    has_date = may_hold_date(text) and cp.DATE_RE.search(text) is not None
    lead = cp.DATE_LEAD_RE.match(text) is not None
    if lead and (has_date or cp.TIME_RE.search(text)):
        return True
    if not has_date:
        return False
    # A bare date line: little left once date, time, weekday and separators are removed.
    rest = cp.TIME_RE.sub(" ", cp.DATE_RE.sub(" ", text))
    rest_words = [w for w in WORD_RE.findall(rest) if not w.isdigit()]
    return len(rest_words) <= 3 or lead


def may_hold_date(text: str) -> bool:
    """False when DATE_RE cannot match `text`: every match holds a numeric date, or four digits
    in a row and a month name (see patterns.DATE_MONTH_STEMS)."""
    if cp.DATE_NUMERIC_HINT_RE.search(text):
        return True
    if _YEAR_RE.search(text) is None:
        return False
    stems = cp.DATE_MONTH_STEMS
    return any(len(w) >= 3 and (not w[0].isascii() or w[:3] in stems)
               for w in _LETTER_RUN_RE.findall(text.lower()))


def is_byline(text: str, n_units: float) -> bool:
    if n_units > cp.BYLINE_MAX_WORDS or "." in text[-2:] and ends_sentence(text.rstrip("]")):
        return False
    return bool(cp.BYLINE.match(text)
                or (not text.isascii() and cp.BYLINE_CJK_RE.match(text)))  # 기자, 記者 ...


def _is_stop(text: str, lower: str) -> bool:
    return (len(text) <= cp.CHROME_MAX_CHARS and any(map(lower.__contains__, cp.STOP_LINE_NEEDLES))
            and bool(cp.STOP_LINE_RE.search(text)))


def is_chrome(text: str, lower: str | None = None, has_needle: bool = True) -> bool:
    """Chrome by pattern; `has_needle=False` says the line holds none of `cp.ALL_NEEDLES`, so
    of the gated patterns only those tested by their ending can match."""
    if len(text) <= cp.CHROME_MAX_CHARS and (cp.STRAY_LINE_RE.match(text)
                                             or cp.CHROME_START.match(text)):
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


def holds_gate_needle(text: str, lower: str) -> bool:
    """Whether the line (`lower`: its lower-cased form) holds a literal needle of a gated chrome
    pattern that can match a line this long, or of a stop line: `is_chrome`'s `has_needle`."""
    return any(map(lower.__contains__, _needles_for(len(text), lower.isascii())))


def _needle_tiers() -> list[tuple[float, tuple[tuple[str, ...], tuple[str, ...]]]]:
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


class Shapes:
    """Line shapes under one config, cached per distinct line.

    A plain dict, looked up for a whole page at once (`of`), rather than an LRU cache: a hit
    is then one lookup in C without the LRU's list relinking, whose scattered nodes miss the
    CPU cache when a batch holds tens of thousands of distinct lines. Past `_LINE_CACHE_SIZE`
    lines the oldest half is dropped (first in, first out)."""

    def __init__(self, config: CleanConfig):
        self.config = config
        self._cache: dict[str, Shape] = {}

    def of(self, texts: list[str]) -> list[Shape]:
        """The shape of each line."""
        shapes = list(map(self._cache.get, texts))
        if None in shapes:
            for i in [i for i, s in enumerate(shapes) if s is None]:
                shapes[i] = self.shape(texts[i])
        return shapes

    def shape(self, text: str) -> Shape:
        found = self._cache.get(text)
        if found is None:
            cache = self._cache
            if len(cache) >= _LINE_CACHE_SIZE:
                for old in list(islice(cache, len(cache) // 2)):
                    cache.pop(old, None)  # (another thread may have dropped it already)
            found = cache[text] = self._shape(text)
        return found

    def _shape(self, text: str) -> Shape:
        cfg = self.config
        n_units = units(text)
        lower = text.lower()
        needle = holds_gate_needle(text, lower)
        role = None
        if is_date_line(text, n_units):
            kind, role = CHROME, "date"
        elif is_byline(text, n_units):
            kind, role = CHROME, "byline"
        elif needle and _is_stop(text, lower):
            kind, role = CHROME, "stop"
        elif len(text) <= cp.COMMENTS_HEADING_MAX_CHARS and cp.COMMENTS_HEADING.match(
                LIST_PREFIX_RE.sub("", text) if text[:1] in LIST_MARKS else text):
            kind, role = CHROME, "comments"
        elif len(text) <= cfg.label_max_chars and cp.COMMENTS_LABEL.match(text):
            kind, role = CHROME, "comments_label"
        elif is_chrome(text, lower, needle):
            kind = CHROME
        else:
            kind = self.prose_kind(text, n_units)
        headline = (role is None and 2 <= n_units <= 25
                    and (kind == HEAD or (kind in (GOOD, NEAR) and not HEADLINE_END_RE.search(text)))
                    and not cp.QA_LINE.match(text))
        # Only a prose- or headline-shaped line can be a teaser summary.
        one_sentence = (kind in (GOOD, NEAR, HEAD) and n_units <= cfg.teaser_max_units
                        and len(_SENTENCE_SPLIT_RE.findall(text)) <= 1)
        data_row = (kind in (HEAD, NEAR, SHORT) and n_units <= cfg.data_row_max_units
                    and DIGIT_RE.search(text) is not None
                    and bool(_INNER_DIGIT_RE.search(LIST_PREFIX_RE.sub("", text)
                                                    if text[:1] in LIST_MARKS else text)))
        link_label = len(text) <= cfg.label_max_chars and cp.LINK_LABEL.match(text)
        credit = (kind == CHROME and n_units <= cp.PICTURE_CREDIT_MAX_WORDS
                  and any(map(lower.__contains__, cp.PICTURE_CREDIT_NEEDLES))
                  and cp.PICTURE_CREDIT_RE.search(text) is not None)
        return Shape(n_units, kind, role, line_key(text), headline, one_sentence, data_row,
                     link_label, credit)

    def prose_kind(self, text: str, n_units: float) -> str:
        cfg = self.config
        ends = ends_sentence(text)
        if text[:1] in LIST_MARKS and LIST_PREFIX_RE.match(text):
            # List items are mostly link lists; only sentence-like items count as prose.
            if ends and n_units >= cfg.list_prose_units:
                return GOOD
            return NEAR if ends and n_units >= cfg.list_near_units else SHORT
        if (n_units >= cfg.prose_units and ends) or n_units >= cfg.prose_units_any_end:
            return GOOD
        if n_units >= cfg.prose_units_inner and ends and _INNER_SENTENCE_RE.search(text):
            return GOOD
        if ends and n_units >= 2:
            return NEAR
        return HEAD if n_units >= cfg.headline_units else SHORT


@functools.lru_cache(maxsize=8)
def shapes_for(config: CleanConfig) -> Shapes:
    """The shape cache of one config (a process normally has one)."""
    return Shapes(config)
