"""Finding written dates: every dated form in a text, as `Candidate`s in page order, with the
ambiguity of numeric dates kept for later (`conventions.resolve`). Also the parse of one
metadata value (`parse_date_string`) and the time of day written after a date.

Whole-text scans are the cost of this stage (Python's `re` walks every character), so there are
only two: 4-digit years (every dated form except 2-digit years contains one) and, where asked,
numeric dates with 2-digit years. Everything else is matched in short windows around a hit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from newsarchive.dates import patterns as pat

_UTC = dt.timezone.utc
_WORD = r"[^\W\d_]"


@dataclass(slots=True)
class Candidate:
    """One written date and what its surroundings say of it (filled in by `context.annotate`)."""

    day: dt.date
    start: int
    end: int
    line: int = 0
    label: str | None = None  # "pub", "upd", "evt" or None
    alone: bool = False  # the date is most of a short line (a dateline, not a sentence)
    weekday_ok: bool | None = None
    order: str | None = None  # "dmy"/"mdy" when written with a month name (a page convention)
    ambiguous: tuple[dt.date, dt.date] | None = None  # numeric d/m vs m/d, both valid
    # Both readings, kept when a convention (not the page's own dates) chose between them.
    readings: tuple[dt.date, dt.date] | None = None
    numeric_order: str | None = None  # "dmy"/"mdy" when one reading of a numeric date is impossible
    time: tuple[int, int, int] | None = None
    zone_minutes: int | None = None
    crowd: int = 0  # other days within a few lines: list items (sidebars, archives) are crowded
    embed: bool = False  # inside a quoted tweet
    comment: bool = False  # a reader comment's stamp
    range_end: bool = False  # "14. - 20. Januar 2022": the end of a span, not a day of its own
    sentence: bool = False  # inside running prose
    preposition: bool = False  # "bis 31.03.2020", "since May 1, 2019": a span's edge or another day
    byline: bool = False  # on or just under an author line ("By David Zurawik", "von lupa am")
    self_statement: bool = False  # "Dieser Beitrag wurde am ... veröffentlicht": the page's own date
    # Set on the claimed candidate only: its score and its lead over the best other day (None:
    # no other day scored). The HTML path weighs the written date against the metadata by them.
    score: float = 0.0
    lead: float | None = None


def mk_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def month_number(name: str) -> int | None:
    name = name.lower()
    month = pat.MONTHS.get(name)
    if month is None and " " in name:
        month = pat.MONTHS.get(" ".join(name.split())) or pat.MONTHS.get(name.split()[-1])
    return month


def _numeric(a: int, b: int, y: int, sep: str, start: int, end: int) -> Candidate | None:
    """A numeric date a-sep-b-sep-y: dotted dates are day first everywhere; a slash or dash date
    whose two readings are both valid stays ambiguous."""
    dmy, mdy = mk_date(y, b, a), mk_date(y, a, b)
    if not dmy and not mdy:
        return None
    c = Candidate(dmy or mdy, start, end)
    if dmy and mdy and dmy != mdy and sep != ".":
        c.ambiguous = (dmy, mdy)
    elif sep != "." and (dmy is None) != (mdy is None):
        c.numeric_order = "dmy" if dmy else "mdy"  # one reading impossible: evidence for the page
    return c


# --- The year scan ------------------------------------------------------------------------------

# Forms that start with the year: 2023-10-19, 2023/10/19, 2023.10.19, 2020. 08. 18., 2023년 10월
# 19일, 2020年07月03日, 2020. augusztus 18.
_AFTER_YEAR = (
    r"(?:(?P<sep>[-/.])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<d>\d{1,2})(?![\d])"
    r"|\.\s(?P<m2>\d{1,2})\.\s(?P<d2>\d{1,2})(?!\d)"
    r"|\s*[년年]\s*(?P<m3>\d{1,2})\s*[월月]\s*(?P<d3>\d{1,2})"
    r"|\.\s(?P<mon>" + _WORD + r"{3,})\.?\s(?P<d4>\d{1,2})\.)"
)
_AFTER_YEAR_OPENERS = frozenset("-/. 년年\t")  # what may follow a year that starts a date ("" excluded below)
# The year and the forms after it in one pattern, matched at each year `_year_starts` finds.
_RE_YEAR_DATE = re.compile(r"(?:19|20)\d\d(?:" + _AFTER_YEAR + ")?")
# Forms that end with the year, matched in the window before it: 19.10.2023, 10/19/2023,
# 1 / 12 / 2020, 14 Jan, 2024, 14. Januar 2024, 27 de marzo de 2020, Oct. 19, 2023, 3rd Nov 2023.
# Read forwards (W = a letter) the three alternatives are
#     (?P<a>\d{1,2})\s?(?P<sep>[-/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?                      "19.10."
#     (?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?(?P<mon>W{3,}(?:\sW{3,})?)\.?(?:\s*de)?[\s,./-]*
#     (?P<mon2>W{3,})\.?\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*                        "Oct. 19, "
# and end where the year starts. They are written backwards and matched once at the start of the
# reversed window: one anchored match instead of a search retried from every position of the
# window (that search was a fifth of the text path's time). Groups come out reversed.
_RE_BEFORE_YEAR_REVERSED = re.compile(
    r"(?:\s?(?P<sep>[-/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<a>\d{1,2})"
    r"|[\s,./-]*(?:ed\s*)?\.?(?P<mon>" + _WORD + r"{3,}(?:\s" + _WORD + r"{3,})?)(?:\s+ed)?\s*"
    r"(?:ts|dn|dr|ht|re|\.)?(?P<d>\d{1,2})"
    r"|\s*,?\s*(?:ts|dn|dr|ht)?(?P<d2>\d{1,2})\s*\.?(?P<mon2>" + _WORD + r"{3,}))"
)
_BEFORE_YEAR_WINDOW = 32  # characters: "Wednesday, 27 de septiembre de " fits
# What a written date can have right before its year ("19.10.2023", "Oct 19, 2023", "2. Mai2023").
_BEFORE_YEAR_CHARS = frozenset(" .,/-\t\u00a0\u202f") | frozenset("abcdefghijklmnopqrstuvwxyzäöüéèûôíóúáñçşğıµ")


def _year_starts(text: str) -> list[int]:
    """Offsets of "19dd" and "20dd" in `text`, in order. Two str.find scans (a C loop over the
    text, ~0.3 ns per character) instead of a regex tried at every position (~5 ns)."""
    starts = []
    for prefix in ("19", "20"):
        i = text.find(prefix)
        while i >= 0:
            if text[i + 2:i + 4].isdigit():
                starts.append(i)
            i = text.find(prefix, i + 1)
    starts.sort()
    return starts


def scan(text: str, year_starts: list[int] | None = None) -> list[Candidate]:
    """Every dated form with a 4-digit year written in `text` (digits normalised), in order.
    `year_starts`: `_year_starts(text)`, when known (`textindex`)."""
    found: list[Candidate] = []
    last_end = -1
    match = _RE_YEAR_DATE.match
    for s in _year_starts(text) if year_starts is None else year_starts:
        if s < last_end or (s and text[s - 1].isdigit()):
            continue  # inside the last date, or digits before a "year": a longer number
        e = s + 4  # the year's end
        # The forms after the year open with one of these (a space opens the CJK form only).
        hit = match(text, s) if text[e:e + 1] in _AFTER_YEAR_OPENERS else None
        c = None
        if hit is not None and hit.end() > e:  # a form that starts with the year matched
            if hit["m"]:
                m, d = hit["m"], hit["d"]
            elif hit["m2"]:
                m, d = hit["m2"], hit["d2"]
            elif hit["m3"]:
                m, d = hit["m3"], hit["d3"]
            else:
                m, d = month_number(hit["mon"]), hit["d4"]
            day = mk_date(int(text[s:e]), int(m), int(d)) if m else None
            if day:
                c = Candidate(day, s, hit.end())
        if c is None and s:
            # A character not in _BEFORE_YEAR_CHARS rules out a date ending with this year; for
            # the rest one anchored match of the reversed window decides (a year in prose, "in
            # 2020", fails it at C speed: cheaper than looking at the word before from Python).
            if text[s - 1] in _BEFORE_YEAR_CHARS:
                c = _ending_with_year(text, s, e, int(text[s:e]), last_end)
        if c is not None:
            found.append(c)
            last_end = c.end
    return found


def _ending_with_year(text: str, s: int, e: int, y: int, last_end: int) -> Candidate | None:
    """The date form that ends with the year at `s`, read backwards from it, or None."""
    window = max(0, last_end, s - _BEFORE_YEAR_WINDOW)
    before = _RE_BEFORE_YEAR_REVERSED.match(text[window:s][::-1])
    if not before:
        return None
    bs = s - before.end()
    if before["a"]:
        if bs and (text[bs - 1].isdigit() or text[bs - 1] in "./"):
            return None  # part of a longer number (a version, an IP address)
        return _numeric(int(before["a"][::-1]), int(before["b"][::-1]), y, before["sep"], bs, e)
    if before["mon"]:
        m = month_number(before["mon"][::-1])
        day = mk_date(y, m, int(before["d"][::-1])) if m else None
        if day and not (bs and text[bs - 1].isdigit()):
            return Candidate(day, bs, e, order="dmy")
        return None
    word = before["mon2"][::-1]
    m = month_number(word)
    if m is None and (glued := _glued_month_at(word)):
        # "Shana Nys DambrotNovember 6, 2023": the dump ran the byline into the date; the month
        # starts at the capital inside the word.
        m, bs = month_number(word[glued:]), bs + glued
    day = mk_date(y, m, int(before["d2"][::-1])) if m else None
    return Candidate(day, bs, e, order="mdy") if day else None


def _glued_month_at(word: str) -> int:
    """Where a month name glued to the word before it starts ("DambrotNovember" -> 7): the last
    capital after a lower-case letter, when a month name follows; 0 when there is none."""
    for i in range(len(word) - 3, 0, -1):
        if word[i].isupper() and word[i - 1].islower():
            return i if word[i:].lower() in pat.MONTHS else 0
    return 0


# --- 2-digit years ------------------------------------------------------------------------------

# No lookbehind for what may not precede the date: it would cost a check at every position of the
# text; the character before a match is tested in Python instead.
_RE_SHORT_YEAR = re.compile(r"(\d\d?)([./])(\d\d?)\2(\d\d)(?![\d./-]|,\d)")
_SHORT_YEAR_NOT_AFTER = frozenset("0123456789.,/:-")
# "Publié le 27 Mar 20 à 9:21": a month name with a 2-digit year.
_RE_SHORT_YEAR_NAMED = re.compile(r"(\d{1,2})\.?\s(" + _WORD + r"{3,})\.?\s(\d\d)(?![\d.:/])")


def short_year(yy: str) -> int:
    yy = int(yy)
    return 1900 + yy if yy >= 70 else 2000 + yy  # 1980s wire copy writes 8x/9x, the web 0x-2x


def scan_short_years(text: str, taken: list[Candidate], start: int = 0, end: int | None = None,
                     named: bool = False) -> list[Candidate]:
    """Numeric dates with 2-digit years ("28.09.19", "02/11/23") between `start` and `end`, not
    inside a date already `taken`; with `named`, also "27 Mar 20"."""
    end = len(text) if end is None else end
    spans = [(c.start, c.end) for c in taken]
    out = []
    for m in _RE_SHORT_YEAR.finditer(text, start, end):
        if m.start() and text[m.start() - 1] in _SHORT_YEAR_NOT_AFTER:
            continue  # "1.2.10.19", "3/12/10/19": part of a longer number
        if any(s <= m.start() < e for s, e in spans):
            continue
        c = _numeric(int(m.group(1)), int(m.group(3)), short_year(m.group(4)), m.group(2), m.start(), m.end())
        if c:
            out.append(c)
    if named:
        for m in _RE_SHORT_YEAR_NAMED.finditer(text, start, end):
            month = month_number(m.group(2))
            day = mk_date(short_year(m.group(3)), month, int(m.group(1))) if month else None
            if day and not (m.start() and text[m.start() - 1] in ".0123456789") \
                    and not any(s <= m.start() < e for s, e in spans):
                out.append(Candidate(day, m.start(), m.end(), order="dmy"))
    return out


# --- Times, zones, digits -----------------------------------------------------------------------

_RE_TIME_AFTER = re.compile(
    r"[\s,\-–—/|·•@]*(?:at|um|à|a las|alle|klo|kl\.?|-)?\s*"
    r"(?P<h>\d{1,2})(?::|h|\.)(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?)?\s*(?:uhr\s*)?\(?"
    r"(?P<zone>[+-]\d{2}:?\d{2}|[a-z]{1,5}\b)?",
    re.IGNORECASE,
)
TIME_CHARS = 40  # "- 22:12", " um 11:05 Uhr (MEZ)": a stamp's time follows within this many characters


def read_time(c: Candidate, text: str, limit: int) -> int:
    """Set `c.time` (and `c.zone_minutes`) from a time of day written right after the date, before
    `limit`; returns where the date's stamp ends."""
    tm = _RE_TIME_AFTER.match(text, c.end, limit)
    if not tm or tm["h"] is None:
        return c.end
    h, mi = int(tm["h"]), int(tm["mi"])
    ampm = (tm["ampm"] or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    if h >= 24 or mi >= 60:
        return c.end
    c.time = (h, mi, int(tm["s"] or 0))
    if tm["zone"]:
        c.zone_minutes = _zone_minutes(tm["zone"])
    return tm.end()


def _zone_minutes(zone: str) -> int | None:
    zone = zone.lower()
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4])
        return minutes if zone[0] == "+" else -minutes
    return pat.ZONES.get(zone)


def stamp(c: Candidate) -> dt.datetime | None:
    """The UTC moment of a written date, when its time and zone are written too."""
    if c.time is None or c.zone_minutes is None:
        return None
    h, mi, s = c.time
    local = dt.datetime(c.day.year, c.day.month, c.day.day, h, mi, s,
                        tzinfo=dt.timezone(dt.timedelta(minutes=c.zone_minutes)))
    return local.astimezone(_UTC)


_NORMALISE_DIGITS = str.maketrans({**{0x0660 + i: ord("0") + i for i in range(10)},
                                   **{0x06F0 + i: ord("0") + i for i in range(10)},
                                   **{0xFF10 + i: ord("0") + i for i in range(10)}})
# Every year written in these scripts' digits contains their zero (2020, 1990, 2009).
_EXOTIC_ZEROS = ("\u0660", "\u06f0", "\uff10")


def normalise_digits(text: str) -> str:
    """Arabic-Indic, Persian and full-width digits as ASCII (only paid for when present)."""
    if any(zero in text for zero in _EXOTIC_ZEROS):
        return text.translate(_NORMALISE_DIGITS)
    return text


def parse_date_string(value: str) -> tuple[dt.date, dt.datetime | None] | None:
    """A date (and UTC timestamp when time and zone are given) from one metadata value:
    ISO 8601 first, then the first written form the scanner knows. None for an ambiguous
    numeric date, a year alone, or nothing."""
    value = (value or "").strip().translate(_NORMALISE_DIGITS)
    if not value:
        return None
    iso = value.replace("Z", "+00:00").replace(" ", "T", 1) if len(value) > 10 else value
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        moment = None
    if moment is not None:
        utc = (moment.astimezone(_UTC) if moment.tzinfo is not None and (moment.hour or moment.minute or moment.second)
               else None)
        return moment.date(), utc
    cands = scan(value)
    if not cands or cands[0].ambiguous:
        return None
    c = cands[0]
    line_end = value.find("\n", c.end)
    read_time(c, value, min(len(value) if line_end < 0 else line_end, c.end + TIME_CHARS))
    return c.day, stamp(c)
