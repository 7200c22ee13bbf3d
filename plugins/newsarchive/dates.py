"""The dates stage: the event date of an article = the calendar day of its first publication as
the publisher wrote it (their local day). The archive is partitioned on it.

Evidence, in order of precedence (the first that yields a day in range wins):

    declared  the publication date the input itself declares (JSONL `published`)
    metadata  publication metadata in the HTML (JSON-LD datePublished, article:published_time, ...)
    text      a date written on the page, labelled "Published"/"Veröffentlicht"/"입력"/... or
              standing on its own line just above the article's first paragraph; "Updated ..."
              only when no "Published" date is written. On HTML pages it checks the metadata
              (it wins when it is the publisher's local day of a UTC stamp, or a decisive date
              line under the headline) and replaces the declared value when there is no metadata.
    html      htmldate's heuristics on the markup (HTML input, only when nothing else is found)
    url       a full date in the URL path (/2023/10/19/, 2023-10-19, _19.10.2023_)
    acquired  fallback: the acquisition day

An ambiguous numeric date (09/04/1987) the page itself does not settle is read in its site's
convention (`DateConventions`, learned over a batch of pages and the archive, keyed by
`site_key`), then by the page's own conventions; `EventDate.alternatives` lists both readings
whenever the answer rests on such a date, so that dedup can look for copies dated either way.

Everything is a pure function of its inputs (no wall-clock time), so reruns are reproducible.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from newsarchive import date_patterns as pat
from newsarchive.page import parse_html as _parse_html, visible_text  # noqa: F401  (re-exported for callers)
from newsarchive.sites import registered_host, site_key  # noqa: F401  (re-exported for callers)

if TYPE_CHECKING:
    import pyarrow as pa

EVENT_DATE_SOURCES: tuple[str, ...] = ("declared", "metadata", "text", "html", "url", "acquired")

_UTC = dt.timezone.utc


@dataclass(frozen=True, slots=True)
class EventDate:
    day: dt.date
    source: str  # one of EVENT_DATE_SOURCES
    published_at: dt.datetime | None  # UTC, only when a time and its zone are known
    # Both readings of a numeric date the page left ambiguous (09/04/1987: 9 April and 4 September),
    # earliest first, when `day` is the acquisition fallback because of it or was read by a
    # convention (the site's, the page's language or domain) rather than settled by the page
    # itself. Dedup searches around these days too. Empty otherwise; never changes `day`.
    alternatives: tuple[dt.date, ...] = ()


# --------------------------------------------------------------------------------------------
# Patterns, compiled once.

_WORD = r"[^\W\d_]"

# Whole-text scans are the cost of this stage (Python's re walks every character), so there are
# only two: 4-digit years (every dated form except 2-digit years contains one) and, as a fallback,
# numeric dates with 2-digit years. Everything else is matched in short windows around a hit.
# No lookbehind for what may not precede the date: it would cost a check at every position of
# the text; the character before a match is tested in Python instead (_SHORT_YEAR_NOT_AFTER).
_RE_SHORT_YEAR = re.compile(r"(\d\d?)([./])(\d\d?)\2(\d\d)(?![\d./-]|,\d)")
_SHORT_YEAR_NOT_AFTER = frozenset("0123456789.,/:-")
# "Publié le 27 Mar 20 à 9:21": a month name with a 2-digit year, only looked for near the top
# of the article (see _candidates).
_RE_SHORT_YEAR_NAMED = re.compile(r"(\d{1,2})\.?\s(" + _WORD + r"{3,})\.?\s(\d\d)(?![\d.:/])")
# Forms that start with the year: 2023-10-19, 2023/10/19, 2023.10.19, 2020. 08. 18., 2023년 10월
# 19일, 2020年07月03日, 2020. augusztus 18.
_AFTER_YEAR = (
    r"(?:(?P<sep>[-/.])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<d>\d{1,2})(?![\d])"
    r"|\.\s(?P<m2>\d{1,2})\.\s(?P<d2>\d{1,2})(?!\d)"
    r"|\s*[년年]\s*(?P<m3>\d{1,2})\s*[월月]\s*(?P<d3>\d{1,2})"
    r"|\.\s(?P<mon>" + _WORD + r"{3,})\.?\s(?P<d4>\d{1,2})\.)"
)
# The year hit and the forms after it in one pattern: the scan's finditer matches both in C,
# instead of a second match call from Python at each of the ~17 year hits of a page.
_RE_YEAR_DATE = re.compile(r"[12][09]\d\d(?:" + _AFTER_YEAR + ")?")
# Forms that end with the year, matched in the 32 characters before it: 19.10.2023, 10/19/2023,
# 1 / 12 / 2020, 14 Jan, 2024, 14. Januar 2024, 27 de marzo de 2020, Oct. 19, 2023, 3rd Nov 2023.
# Read forwards (W = a letter) the three alternatives are
#     (?P<a>\d{1,2})\s?(?P<sep>[-/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?                      "19.10."
#     (?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?(?P<mon>W{3,}(?:\sW{3,})?)\.?(?:\s*de)?[\s,./-]*
#     (?P<mon2>W{3,})\.?\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*                        "Oct. 19, "
# and end where the year starts. They are written backwards and matched once at the start of
# the reversed window: one anchored match instead of a search that retries from every position
# of the window (that search was a fifth of the text path's time). Groups come out reversed.
_RE_BEFORE_YEAR_REVERSED = re.compile(
    r"(?:\s?(?P<sep>[-/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<a>\d{1,2})"
    r"|[\s,./-]*(?:ed\s*)?\.?(?P<mon>" + _WORD + r"{3,}(?:\s" + _WORD + r"{3,})?)(?:\s+ed)?\s*"
    r"(?:ts|dn|dr|ht|re|\.)?(?P<d>\d{1,2})"
    r"|\s*,?\s*(?:ts|dn|dr|ht)?(?P<d2>\d{1,2})\s*\.?(?P<mon2>" + _WORD + r"{3,}))"
)
# Day and month without a year, only looked for in date lines and after a label.
_RE_NO_YEAR = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?(?P<mon>" + _WORD + r"{3,})\.?(?![\w])"
    r"|(?P<mon2>" + _WORD + r"{3,})\.?\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?![\d.:])",
    re.IGNORECASE,
)
_RE_TIME_AFTER = re.compile(
    r"[\s,\-–—/|·•@]*(?:at|um|à|a las|alle|klo|kl\.?|-)?\s*"
    r"(?P<h>\d{1,2})(?::|h|\.)(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?)?\s*(?:uhr\s*)?\(?"
    r"(?P<zone>[+-]\d{2}:?\d{2}|[a-z]{1,5}\b)?",
    re.IGNORECASE,
)
_RE_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_.-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
    r"|(?<!\d)(?P<d2>[0-3]?\d)[._-](?P<m2>[01]?\d)[._-](?P<y2>(?:19|20)\d\d)(?!\d)"
)
_WORD_CHARS = re.compile(r"[^\W\d_]+")
_RE_RANGE_BEFORE = re.compile(r"\d\.?\s*(?:[-–—]|bis|to|au|al)\s*$")
_RANGE_ENDINGS = frozenset("-–—slou")  # last letters of what _RE_RANGE_BEFORE ends with
# What a written date can have right before its year ("19.10.2023", "Oct 19, 2023", "2. Mai2023").
_BEFORE_YEAR_CHARS = frozenset(" .,/-\t\u00a0\u202f") | frozenset("abcdefghijklmnopqrstuvwxyzäöüéèûôíóúáñçşğıµ")

_SEPARATOR_BEFORE_YEAR = frozenset("./-,")  # _may_end_date is True at once after these
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})

_LABEL_KIND = {w: "pub" for w in pat.PUBLISHED_LABELS}
_LABEL_KIND.update({w: "upd" for w in pat.UPDATED_LABELS})
_LABEL_KIND.update({w: "evt" for w in pat.EVENT_LABELS})
_LABEL_WORDS = max(len(k.split()) for k in _LABEL_KIND)
_LABEL_FIRST_WORDS = frozenset(k.split()[0] for k in _LABEL_KIND)
# Labels that follow the date ("... am 3. Mai 2019 veröffentlicht").
_TRAILING_LABELS = {"veröffentlicht": "pub", "publiziert": "pub", "gespeichert": "pub", "erstellt": "pub",
                    "geändert": "upd", "aktualisiert": "upd"}
# Words right after a date that make it a reader comment's timestamp.
_SELF_NOUNS = pat.SELF_NOUNS
_GLUE_CHARS = frozenset('"“”»)')
_EVENT_PREPOSITIONS = pat.EVENT_PREPOSITIONS
# An author line: "By David Zurawik", "von lupa am", "Par Elsa Provenzano", "Autor: ..." and a
# capitalised name (or a lower-case handle right after German "von").
_RE_BYLINE = re.compile(
    r"[ \t]*(?:(?:[Bb]y|BY|[Vv]on|VON|[Pp]ar|[Pp]or|[Dd]oor|[Aa]v|[Aa]f)\s+[A-ZÀ-ÖØ-Þ]|von\s+\w"
    r"|(?:Autor(?:in)?|Author|Written by|Geschrieben von|Verfasst von)\b)")
_COMMENT_SAYS = ("sagt:", "says:", "schreibt:", "writes:", "wrote:", "dit :", "dit:", "dice:", "skriver:", "zegt:")
_COMMENT_WORDS = frozenset({"reply", "antworten", "répondre", "responder", "rispondi", "antwoorden", "svara"})
_NORMALISE_EXOTIC = str.maketrans({**{0x0660 + i: ord("0") + i for i in range(10)},
                                   **{0x06F0 + i: ord("0") + i for i in range(10)},
                                   **{0xFF10 + i: ord("0") + i for i in range(10)}})


# --------------------------------------------------------------------------------------------
# Candidates.


@dataclass(slots=True)
class _Candidate:
    day: dt.date
    start: int
    end: int
    line: int = 0
    label: str | None = None  # "pub", "upd" or None
    alone: bool = False  # the date is most of a short line (a dateline, not a sentence)
    weekday_ok: bool | None = None
    two_digit_year: bool = False
    no_year: bool = False
    order: str | None = None  # "dmy"/"mdy" when written with a month name (a page convention)
    ambiguous: tuple[dt.date, dt.date] | None = None  # numeric d/m vs m/d, both valid
    # Both readings, kept when a convention (not the page's own dates) chose between them.
    readings: tuple[dt.date, dt.date] | None = None
    unresolved: bool = False  # ambiguous and nothing decided: never claimed, only reported
    numeric_sep: str | None = None
    numeric_order: str | None = None
    time: tuple[int, int, int] | None = None
    zone_minutes: int | None = None
    crowd: int = 0  # other dates within a few lines: list items (sidebars, archives) are crowded
    embed: bool = False
    comment: bool = False
    range_end: bool = False  # "14. - 20. Januar 2022": the end of a span, not a day of its own
    sentence: bool = False
    preposition: bool = False  # "bis 31.03.2020", "since May 1, 2019": a span's edge or another day
    byline: bool = False  # on or just under an author line ("By David Zurawik", "von lupa am")
    self_statement: bool = False  # "Dieser Beitrag wurde am ... veröffentlicht": the page's own date
    # Set on the claimed candidate only: its score and its lead over the best other day (None:
    # no other day scored). The HTML path weighs the written date against the metadata by them.
    score: float = 0.0
    lead: float | None = None


def _mk_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month(name: str) -> int | None:
    name = name.lower()
    month = pat.MONTHS.get(name)
    if month is None and " " in name:
        month = pat.MONTHS.get(" ".join(name.split())) or pat.MONTHS.get(name.split()[-1])
    return month


def _numeric(a: int, b: int, y: int, sep: str, start: int, end: int, short: bool) -> _Candidate | None:
    dmy, mdy = _mk_date(y, b, a), _mk_date(y, a, b)
    if not dmy and not mdy:
        return None
    c = _Candidate(dmy or mdy, start, end, two_digit_year=short, numeric_sep=sep)
    if dmy and mdy and dmy != mdy and sep != ".":
        c.ambiguous = (dmy, mdy)
    elif sep != "." and (dmy is None) != (mdy is None):
        c.numeric_order = "dmy" if dmy else "mdy"  # one reading impossible: evidence for the page
    return c


def _scan(text: str) -> list[_Candidate]:
    """Every dated form written in `text` (normalised), ambiguity kept for later."""
    found: list[_Candidate] = []
    last_end = -1
    for hit in _RE_YEAR_DATE.finditer(text):
        s = hit.start()
        if s < last_end:
            continue
        e = s + 4  # the year's end
        y = int(text[s:e])
        if s and text[s - 1].isdigit():
            # "Feb 182009": a month, its day and the year in three elements (a blog's date badge)
            # that the dump glued together; other digits before a year make a longer number.
            c = _glued_badge(text, s, y)
            if c is not None:
                found.append(c)
                last_end = c.end
            continue
        if y < 1900 or y > 2099:
            continue
        c = None
        if hit.end() > e:  # a form that starts with the year matched
            after = hit
            if after["m"]:
                m, d = after["m"], after["d"]
            elif after["m2"]:
                m, d = after["m2"], after["d2"]
            elif after["m3"]:
                m, d = after["m3"], after["d3"]
            else:
                m, d = _month(after["mon"]), after["d4"]
            day = _mk_date(y, int(m), int(d)) if m else None
            if day:
                c = _Candidate(day, s, after.end(), numeric_sep=after["sep"])
        if c is None:
            before_year = text[s - 1] if s else ""
            # (_may_end_date's first steps inlined: a separator right before the year, as in
            # "19.10.2023" or "Oct 19, 2023", needs no look at the word before; a character not
            # in _BEFORE_YEAR_CHARS rules a date out. Only the rest pays for the call.)
            if before_year in _SEPARATOR_BEFORE_YEAR or (before_year in _BEFORE_YEAR_CHARS and _may_end_date(text, s)):
                window = max(0, last_end, s - 32)
                before = _RE_BEFORE_YEAR_REVERSED.match(text[window:s][::-1])
            else:
                before = None
            if before:
                bs = s - before.end()
                if before["a"]:
                    if not (bs and (text[bs - 1].isdigit() or text[bs - 1] in "./")):
                        if (text[e:e + 1] == ":" and text[e + 1:e + 3].isdigit() and not text[e + 3:e + 4].isdigit()
                                and y % 100 < 24):
                            # "macbacchi28.09.1912:44": no year runs into ":44"; it is a 2-digit
                            # year glued to the time (a forum stamp, 28.09.19 12:44).
                            c = _numeric(int(before["a"][::-1]), int(before["b"][::-1]),
                                         _short_year(text[s:s + 2]), before["sep"], bs, s + 2, True)
                        else:
                            c = _numeric(int(before["a"][::-1]), int(before["b"][::-1]), y, before["sep"], bs,
                                         e, False)
                elif before["mon"]:
                    m = _month(before["mon"][::-1])
                    day = _mk_date(y, m, int(before["d"][::-1])) if m else None
                    if day and not (bs and text[bs - 1].isdigit()):
                        c = _Candidate(day, bs, e, order="dmy")
                else:
                    word = before["mon2"][::-1]
                    m = _month(word)
                    if m is None and (glued := _glued_month_at(word)):
                        # "Shana Nys DambrotNovember 6, 2023": the dump ran the byline into
                        # the date; the month starts at the capital inside the word.
                        m, bs = _month(word[glued:]), bs + glued
                    day = _mk_date(y, m, int(before["d2"][::-1])) if m else None
                    if day:
                        c = _Candidate(day, bs, e, order="mdy")
        if c is not None:
            found.append(c)
            last_end = c.end
    return found


def _glued_badge(text: str, s: int, year: int) -> _Candidate | None:
    """A month name and a day run into the year at `s` ("Feb 182009", "Feb. 32021"): the day's
    one or two digits right before the year, a space and a month name before them."""
    k = s - 1  # where the day starts
    if k > 0 and text[k - 1].isdigit():
        k -= 1
    if k < 4 or text[k - 1] != " ":
        return None
    j = k - 2 if text[k - 2] == "." else k - 1  # where the month name ends
    i = j
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    month = _month(text[i:j]) if j - i >= 3 else None
    if month is None or (i and text[i - 1].isalnum()):
        return None
    day = _mk_date(year, month, int(text[k:s]))
    return _Candidate(day, i, s + 4, order="mdy") if day else None


def _glued_month_at(word: str) -> int:
    """Where a month name glued to the word before it starts ("DambrotNovember" -> 7): the last
    capital after a lower-case letter, when a month name follows; 0 when there is none."""
    for i in range(len(word) - 3, 0, -1):
        if word[i].isupper() and word[i - 1].islower():
            return i if word[i:].lower() in pat.MONTHS else 0
    return 0


def _may_end_date(text: str, s: int) -> bool:
    """Cheap test before the windowed search: a year in prose ("in 2020") is preceded by a
    word that is not a month name."""
    if not s or text[s - 1] not in _BEFORE_YEAR_CHARS:
        return False
    j = s - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or not text[j].isalpha():
        return True
    k = j
    while k >= 0 and text[k].isalpha():
        k -= 1
    word = text[k + 1:j + 1].lower()
    if word in pat.MONTHS or word == "de":
        return True
    if word in _ORDINAL_SUFFIXES and k >= 0 and text[k].isdigit():
        return True  # "Jun 18th 2018": an ordinal day, no comma before the year
    # Two-word month names (Arabic "كانون الثاني").
    if k > 0 and text[k] == " " and text[k - 1].isalpha():
        m = k - 1
        while m >= 0 and text[m].isalpha():
            m -= 1
        return (text[m + 1:k] + " " + word).lower() in pat.MONTHS
    return False


def _short_year(yy: str) -> int:
    yy = int(yy)
    return 1900 + yy if yy >= 70 else 2000 + yy  # 1980s wire copy writes 8x/9x, the web 0x-2x


def _scan_short_years(text: str, taken: list[_Candidate], start: int = 0, end: int | None = None,
                      named: bool = False) -> list[_Candidate]:
    """Numeric dates with 2-digit years ("28.09.19", "02/11/23"); with `named`, also "27 Mar 20"."""
    end = len(text) if end is None else end
    spans = [(c.start, c.end) for c in taken]
    out = []
    for m in _RE_SHORT_YEAR.finditer(text, start, end):
        if m.start() and text[m.start() - 1] in _SHORT_YEAR_NOT_AFTER:
            continue  # "1.2.10.19", "3/12/10/19": part of a longer number
        if any(s <= m.start() < e for s, e in spans):
            continue
        c = _numeric(int(m.group(1)), int(m.group(3)), _short_year(m.group(4)), m.group(2), m.start(), m.end(), True)
        if c:
            out.append(c)
    if named:
        for m in _RE_SHORT_YEAR_NAMED.finditer(text, start, end):
            month = _month(m.group(2))
            day = _mk_date(_short_year(m.group(3)), month, int(m.group(1))) if month else None
            if day and not (m.start() and text[m.start() - 1] in ".0123456789") \
                    and not any(s <= m.start() < e for s, e in spans):
                out.append(_Candidate(day, m.start(), m.end(), two_digit_year=True, order="dmy"))
    return out


def _scan_no_year(text: str, offset: int = 0) -> list[_Candidate]:
    out = []
    for m in _RE_NO_YEAR.finditer(text):
        if m["mon"]:
            month, d = _month(m["mon"]), m["d"]
        else:
            month, d = _month(m["mon2"]), m["d2"]
        # 2000 is a leap-year placeholder; the year comes from the acquisition day later.
        day = _mk_date(2000, month, int(d)) if month else None
        if day:
            out.append(_Candidate(day, m.start() + offset, m.end() + offset, no_year=True))
    return out


def _label_in(words: list[str], max_gap: int = 4) -> str | None:
    """The label nearest before the date among its last `words`, at most `max_gap` words
    between them ("Veröffentlicht von SeglerBlog am", "Posted on", "입력")."""
    n = len(words)
    for i in range(n - 1, max(-1, n - 1 - max_gap - _LABEL_WORDS), -1):
        if words[i] not in _LABEL_FIRST_WORDS:
            continue  # most words start no label: skip the joins
        for k in range(min(_LABEL_WORDS, n - i), 0, -1):
            kind = _LABEL_KIND.get(" ".join(words[i:i + k]))
            if kind and n - (i + k) <= max_gap:
                return kind
    return None


def _annotate(text: str, cands: list[_Candidate]) -> None:
    """Line, label, weekday check, time and zone, and 'alone on its line' for each candidate."""
    prev_end = 0
    prev_line_start = -1
    line_no = counted_to = 0
    for c in cands:
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.end)
        if line_end < 0:
            line_end = len(text)
        cut = max(line_start, c.start - 80, prev_end if prev_line_start == line_start else 0)
        prefix_words = _WORD_CHARS.findall(text[cut:c.start].lower()) if cut < c.start else []
        prev_end, prev_line_start = c.end, line_start

        # A weekday written just before the date must be the date's own weekday.
        tail = prefix_words[-2:]
        for k in (2, 1):
            if len(tail) >= k:
                iso = pat.WEEKDAYS.get(" ".join(tail[-k:]))
                if iso:
                    if c.ambiguous:
                        fits = [d for d in c.ambiguous if d.isoweekday() == iso]
                        if len(fits) == 1:
                            c.day, c.ambiguous, c.weekday_ok = fits[0], None, True
                    elif not c.no_year:
                        c.weekday_ok = c.day.isoweekday() == iso
                    del prefix_words[-k:]
                    break
        c.label = _label_in(prefix_words)
        label_before = c.label is not None
        # "seit dem 1. Mai", "bis zum 31.03.": the preposition may stand one article away.
        c.preposition = not label_before and any(w in _EVENT_PREPOSITIONS for w in prefix_words[-2:])
        c.embed = text.find("@", max(line_start, c.start - 60), c.start) >= 0  # "— Name (@handle) May 1, 2020": a quoted tweet
        if c.label is None and not prefix_words and line_start > 1:
            # "Published:" on its own short line right above the date.
            above_start = text.rfind("\n", 0, line_start - 1) + 1
            above = text[above_start:line_start - 1]
            if len(above.strip()) <= 40:
                words = _WORD_CHARS.findall(above.lower())
                if len(words) <= 2:  # the whole line is the label, not a table header
                    c.label = _label_in(words)

        tm = _RE_TIME_AFTER.match(text, c.end, min(line_end, c.end + 40))
        suffix_from = c.end
        if tm and tm["h"] is not None:
            h, mi = int(tm["h"]), int(tm["mi"])
            ampm = (tm["ampm"] or "").replace(".", "").replace(" ", "").lower()
            if ampm == "pm" and h < 12:
                h += 12
            elif ampm == "am" and h == 12:
                h = 0
            if h < 24 and mi < 60:
                c.time = (h, mi, int(tm["s"] or 0))
                if tm["zone"]:
                    c.zone_minutes = _zone_minutes(tm["zone"])
                suffix_from = tm.end()
        # (Most date lines end with the date or its time: no words to look for after it.)
        suffix_words = (_WORD_CHARS.findall(text[suffix_from:min(line_end, suffix_from + 60)].lower())
                        if line_end > suffix_from else [])
        if c.label is None:
            for w in suffix_words[:8]:
                if w in _TRAILING_LABELS:
                    c.label = _TRAILING_LABELS[w]
                    break
        # The author line sits with the date line: on the same line before the date, or one or
        # two short lines above it ("By David Zurawik" / "Baltimore Sun |" / "Dec 23, 2020").
        c.byline = _RE_BYLINE.match(text, line_start, c.start) is not None
        if not c.byline and line_start > 1:
            above = text.rfind("\n", 0, line_start - 1) + 1
            c.byline = _RE_BYLINE.match(text, above, line_start) is not None
            if not c.byline and above > 1 and line_start - above <= 40:
                c.byline = _RE_BYLINE.match(text, text.rfind("\n", 0, above - 1) + 1, above) is not None
        if c.label == "pub" and not _SELF_NOUNS.isdisjoint(prefix_words[-8:]):
            c.self_statement = True
        c.comment = any(w in _COMMENT_WORDS for w in suffix_words[:6])
        if not c.comment and line_end < len(text):
            # "Januar 15, 2014 um 23:36" / "Agi Joe sagt:": the stamp of a reader comment.
            next_end = text.find("\n", line_end + 1)
            next_line = text[line_end + 1:len(text) if next_end < 0 else next_end].rstrip()
            c.comment = len(next_line) <= 60 and next_line[-1:] == ":" and next_line.lower().endswith(_COMMENT_SAYS)
        # (The regex only where the text before the date ends like a span: a dash or "bis"/"to"/"au"/"al".)
        before = text[max(line_start, c.start - 12):c.start].rstrip()
        c.range_end = (before[-1:] in _RANGE_ENDINGS
                       and _RE_RANGE_BEFORE.search(text, max(line_start, c.start - 12), c.start) is not None)
        width = c.end - c.start
        if text.startswith(text[c.start:c.end], c.end):
            width *= 2  # "2. Februar 20202. Februar 2020": two elements glued in the dump, one date
        c.alone = (line_end - line_start) - width <= 60
        # A date glued to the word before it and ending its line ('... Liegestühle um"01.05.2017')
        # was an element of its own that the dump ran into the headline: a date line, not prose.
        glued = (c.start > line_start and line_end - suffix_from <= 15
                 and (text[c.start - 1].isalpha() or text[c.start - 1] in _GLUE_CHARS))
        if glued:
            c.alone = True
        # Inside running prose: a long line with words before the date.
        c.sentence = line_end - line_start > 150 and len(prefix_words) >= 3
        if glued:
            c.sentence = False
        elif c.self_statement:
            c.sentence = False  # the statement is a sentence by nature, and about this page
        elif c.sentence and label_before and c.label == "pub" and _label_in(prefix_words, 1) is None:
            c.label = None  # "published" far back in a sentence is about something else
        elif len(prefix_words) >= 3 and _is_prose(text, line_start, line_end):
            # A hard-wrapped line of prose: "Results will be released by March 31" is an event.
            c.sentence = True
            # The label still counts when it opens the line or the date follows it directly
            # ("... Bildungsprodukten : Datum: 26.01.2022 Pressemitteilung: 6/2022").
            if (c.label == "pub" and label_before and not any(w in _LABEL_KIND for w in prefix_words[:2])
                    and _label_in(prefix_words, 0) is None):
                c.label = None
        line_no += text.count("\n", counted_to, c.start)
        counted_to = c.start
        c.line = line_no


def _zone_minutes(zone: str) -> int | None:
    zone = zone.lower()
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4])
        return minutes if zone[0] == "+" else -minutes
    return pat.ZONES.get(zone)


# --------------------------------------------------------------------------------------------
# Choosing among candidates.


def _page_order(cands: list[_Candidate], language: str | None, site: "_Site | None",
                body: tuple[int | None, int | None] = (None, None),
                readings: tuple[dt.date, dt.date] | None = None) -> str | None:
    """Day-first or month-first for this page's ambiguous numeric dates, from its own evidence:
    unambiguous numeric dates, the order it writes month names in, its language, its country
    domain (the URL's, or the one its footer writes: "© BreakingNews.ie 2023").
    Month names inside the article's prose do not vote: syndicated wire copy keeps its agency's
    style ("July 2, 1987") whatever the outlet's own date line looks like. Nor do dates years
    away from the ambiguous one (`readings`): an archived 2005 article's "Published 11/02/2005"
    is not written by the same hand as the live site's "11/20/2019 10:08 AM" sidebar stamps."""
    votes = {"dmy": 0.0, "mdy": 0.0}
    body_start, body_end = body
    if readings:
        near_lo = min(readings) - dt.timedelta(days=ORDER_EVIDENCE_DAYS)
        near_hi = max(readings) + dt.timedelta(days=ORDER_EVIDENCE_DAYS)
    for c in cands:
        if readings and not near_lo <= c.day <= near_hi:
            continue
        if c.order:
            if body_start is None or not body_start <= c.line <= body_end:
                votes[c.order] += 1.0
        elif c.numeric_order:
            votes[c.numeric_order] += 2.0
    lang = (language or "").lower()
    if lang.startswith("en-us"):
        votes["mdy"] += 1.5
    elif lang and not lang.startswith("en"):
        votes["dmy"] += 1.5
    elif lang.startswith("en-"):
        votes["dmy"] += 1.5
    tld_order = site.tld_order() if site is not None else None
    if tld_order:
        votes[tld_order] += 1.0
    if votes["dmy"] == votes["mdy"]:
        return None
    return "dmy" if votes["dmy"] > votes["mdy"] else "mdy"


ORDER_EVIDENCE_DAYS = 365  # dates further than this from an ambiguous one say nothing of its order


def _resolve(cands, acquired: dt.date, lo: dt.date, hi: dt.date, language, site: "_Site | None",
             body: tuple[int | None, int | None] = (None, None),
             datelines: Sequence[tuple[int, int]] = ()) -> tuple[list[_Candidate], list[_Candidate]]:
    """Give year-less dates a year, settle ambiguous numeric dates, drop out-of-range ones.
    Ambiguous dates nothing settles come back apart, marked `unresolved` (never claimed)."""
    order: str | None = None
    settled = {c.day for c in cands if c.ambiguous is None and not c.no_year}
    ok: list[_Candidate] = []
    unresolved: list[_Candidate] = []
    for c in cands:
        if c.no_year:
            day = _with_year(c.day, hi)
            if day is None:
                continue
            c.day = day
        elif c.ambiguous:
            in_range = [d for d in c.ambiguous if lo <= d <= hi]
            seen = [d for d in in_range if d in settled]
            if len(in_range) == 1:
                c.day = in_range[0]
            elif len(seen) == 1:
                c.day = seen[0]
            elif len(fits := [d for d in in_range if _follows_dateline(d, datelines)]) == 1:
                c.day = fits[0]  # "WASHINGTON, April 9 -" above 09/04/1987: 9 April
            elif len(near := [d for d in in_range if _near_any(d, settled)]) == 1:
                # "02/10/2020" on a page whose other dates are late September 2020: 2 October.
                c.day = near[0]
            else:
                # The page's own dates said nothing: how its site writes its date line (learned
                # over the batch and the archive), then the page's own conventions.
                order = site.convention() if site is not None else None
                if order is None:
                    order = _page_order(cands, language, site, body, c.ambiguous)
                c.readings = c.ambiguous
                c.ambiguous = None
                if order is None:
                    c.unresolved = True  # no evidence either way: no guess
                    c.day = c.readings[0]
                    unresolved.append(c)
                    continue
                c.day = c.readings[0] if order == "dmy" else c.readings[1]
            c.ambiguous = None
        if lo <= c.day <= hi:
            ok.append(c)
    return ok, unresolved


# "WASHINGTON, April 9 - ...", "BERLIN, 6. März (dpa) -": a place, a comma, a day and month
# without a year at the start of the article's first paragraphs (the wire dateline).
_RE_DATELINE = re.compile(
    r"[^\d\n]{2,40}?,\s*(?:(?P<mon>" + _WORD + r"{3,9})\.?\s+(?P<d>\d{1,2})|(?P<d2>\d{1,2})\.?\s+(?P<mon2>"
    + _WORD + r"{3,9})\.?)(?:\s*[-–—(/]|\s+\()")
DATELINE_LAG_DAYS = 7  # a page goes out on the dateline's day or within the following week


# Headings of the dated lists pages carry around an article: their dates belong to other pages.
_LIST_HEADINGS = (
    r"trending(?: now)?", r"most (?:read|popular|viewed|shared)", r"related(?: (?:stories|articles|news))?",
    r"latest(?: news| stories)?", r"more (?:stories|news|from [^\n]{0,30})", "popular", "recommended",
    "top stories", "comments?", "you may also like", "read more", "meistgelesen", "mehr zum thema",
    "das könnte sie auch interessieren", "lire aussi", "à lire aussi", "les plus lus", "lo más leído",
    "più letti",
    # Blog sidebars and German "more" boxes (WordPress widgets and their translations).
    "related posts", "recent posts", "latest posts", r"similar (?:articles|posts)", "see also", "archives?",
    "recent comments", r"ähnliche (?:artikel|beiträge|themen)",
    r"weitere (?:artikel|beiträge|meldungen|nachrichten|themen)", r"verwandte (?:artikel|beiträge)",
    r"neueste (?:artikel|beiträge)", r"letzte (?:artikel|beiträge|kommentare)",
    r"aktuelle (?:artikel|beiträge|meldungen)", "siehe auch", "auch interessant",
    "das könnte dich auch interessieren", "kommentare", "archiv",
    # Source lists: their "(Stand: 27.1.2022)" and "published" dates are the cited pages' own.
    "quellen", "quellenangaben", "literatur", "einzelnachweise", "weblinks", "sources", "references",
    "bibliography", "footnotes", "fußnoten", "références",
    # Blog comment sections: "3 Gedanken zu “Über uns”", "12 thoughts on “...”", "One response to ...".
    r"\d+ (?:gedanken|kommentare|antworten|thoughts|responses|comments|replies|réponses|commentaires)"
    r" (?:zu|on|to|à|sur)\b[^\n]{0,120}",
    r"ein (?:gedanke|kommentar) zu\b[^\n]{0,120}", r"eine antwort zu\b[^\n]{0,120}",
    r"one (?:thought|response|comment|reply) (?:on|to)\b[^\n]{0,120}",
)
# Alternatives open with a letter (or "\d" for a count): the lookahead below is built from them.
assert all(h[0].isalpha() or h.startswith("\\d") for h in _LIST_HEADINGS)


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


# "\n" rather than "^" in MULTILINE mode: re skips from newline to newline. The lookahead on
# the headings' first letters turns most lines away before the alternatives are tried.
_RE_LIST_HEADING = re.compile(
    r"\n[ \t]*(?=[0-9" + "".join(sorted({h[0].lower() for h in _LIST_HEADINGS if h[0].isalpha()})) + r"])(?:"
    + _by_first_letter(_LIST_HEADINGS)
    + r")[ \t:]*(?=\n|\Z)",
    re.IGNORECASE)
LIST_LINES = 15  # how far below its heading a list runs


def _list_lines(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Line numbers of list headings ("Trending now", "Related", "Comments", "Meistgelesen")
    between character offsets `start` and `end` (the page's headline line is never one)."""
    end = len(text) if end is None else end
    return [text.count("\n", 0, m.start()) + 1 for m in _RE_LIST_HEADING.finditer(text, start, end)]


def _line_width(text: str, pos: int) -> int:
    """Length of the line holding character `pos`."""
    end = text.find("\n", pos)
    return (len(text) if end < 0 else end) - text.rfind("\n", 0, pos) - 1


def _lines_before(text: str, pos: int, n: int) -> int:
    """Character offset of the start of the line `n` lines above the line starting at `pos`."""
    for _ in range(n):
        if pos <= 0:
            return 0
        pos = text.rfind("\n", 0, pos - 1) + 1
    return pos


def _lines_after(text: str, pos: int, n: int) -> int:
    """Character offset of the start of the line `n` lines below the line starting at `pos`."""
    for _ in range(n):
        pos = text.find("\n", pos) + 1
        if not pos:
            return len(text)
    return pos


def _body_datelines(text: str, body_start: int | None, body_pos: int | None = None) -> list[tuple[int, int]]:
    """(month, day) of wire datelines opening the first paragraphs of the body (`body_pos`: the
    character offset of line `body_start`, so that only those lines are split out)."""
    if body_start is None:
        return []
    if body_pos is None:
        body_pos = _lines_after(text, 0, body_start)
    # The dateline opens the first paragraph, or stands as a short first line of its own.
    lines = text[_lines_before(text, body_pos, 8):_lines_after(text, body_pos, 6)].split("\n")
    out = []
    for line in lines:
        # The place ends at a comma within 42 characters: without one the lazy place pattern
        # would try every length up to 40 before failing.
        if line.find(",", 2, 42) < 0:
            continue
        m = _RE_DATELINE.match(line, 0, 80)
        if m:
            month = _month(m["mon"] or m["mon2"])
            day = int(m["d"] or m["d2"])
            if month and 1 <= day <= 31:
                out.append((month, day))
    return out


def _follows_dateline(day: dt.date, datelines: Sequence[tuple[int, int]]) -> bool:
    for month, d in datelines:
        for year in (day.year, day.year - 1):
            written = _mk_date(year, month, d)
            if written and 0 <= (day - written).days <= DATELINE_LAG_DAYS:
                return True
    return False


NEAR_DAYS = 7  # an ambiguous date's reading this close to a settled date on the page is the one


def _near_any(day: dt.date, settled: set[dt.date]) -> bool:
    return any(abs((day - other).days) <= NEAR_DAYS for other in settled)


def _with_year(placeholder: dt.date, hi: dt.date) -> dt.date | None:
    """A day and month without a year: the latest such day not after the future limit."""
    for year in (hi.year, hi.year - 1):
        day = _mk_date(year, placeholder.month, placeholder.day)
        if day and day <= hi:
            return day
    return None


# Weights of the evidence for one written date being the first publication. Set by hand and
# checked on the DEV split (docs/dates.md); a handful of numbers so they cannot fit single pages.
W_PUBLISHED = 6.0
W_PUBLISHED_LATE = 4.0
W_SELF_STATEMENT = 3.0  # "This entry was posted on ...": the most explicit evidence a page gives
W_EVENT = -8.0  # "Termin:", "Deadline:", "born": said outright to be another day than the page's
W_UPDATED = -3.0  # beside a "Published" date: the later change
W_UPDATED_ONLY = -1.0  # no "Published" date: an unlabelled dateline still wins over it
W_ALONE = 2.0
W_BYLINE = 1.5
W_PREPOSITION = -2.0
W_WEEKDAY_OK = 0.5
W_WEEKDAY_BAD = -8.0
W_TIME = 0.5
W_TWO_DIGIT_YEAR = -1.0
W_NO_YEAR = -2.0
W_BODY_NEAR = 4.0  # just above (or at) the first paragraph of prose: the article's dateline
W_BODY_CLOSE = 2.0
W_HEAD = 3.0
W_DATELINE = 2.0
W_LIST = -4.0
HEAD_LINES = 6
W_POSITION = -2.0  # times the relative line position
W_CROWD = -1.0  # per neighbouring date, capped
W_EMBED = -5.0
W_COMMENT = -4.0
W_RANGE_END = -4.0
W_SENTENCE = -3.0  # a date in running prose is mostly about an event, not the article
W_AFTER_BODY = -2.0
AFTER_BODY_LINES = 4  # "Stand: ..." / "Published ..." lines right under the last paragraph still count
MIN_SCORE = 1.0
MIN_MARGIN = 0.5  # over the best candidate with another day


# Capitalised words: a word start (after a space or the line start) in upper case. Latin,
# Greek and Cyrillic capitals cover the cased scripts the archive receives.
_RE_CAPITAL_WORD = re.compile(r"(?<!\S)[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-ЯЁЄІЇ]")
# Lines long enough to be prose, found by the regex engine instead of a Python loop per line.
# Anchored on the newline character rather than `^` in MULTILINE mode: re then jumps from one
# newline to the next instead of trying every position (2-3x faster on whole dumps).
_RE_LONG_LINE = re.compile(r"\n[^\n-][^\n]{54,}")
_RE_LONG_FIRST_LINE = re.compile(r"[^\n-][^\n]{54,}")


def _is_prose(text: str, pos: int, end: int) -> bool:
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


def _body_span_at(text: str) -> tuple[int | None, int | None, int, tuple[list, list]]:
    """Line numbers of the first and last lines of the article's prose, the character offset
    where the first one starts, and the long lines found on the way (character spans and line
    numbers, for _main_block). A paragraph is one line of 120+ characters, or two prose lines
    in a row (a hard-wrapped paragraph); a single medium-long line alone (a teaser, a caption)
    does not start the body."""
    head = _RE_LONG_FIRST_LINE.match(text)
    spans = [(0, head.end())] if head else []
    spans += [(m.start() + 1, m.end()) for m in _RE_LONG_LINE.finditer(text)]
    lines, line, counted_to = [], 0, 0
    for pos, _ in spans:
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        lines.append(line)
    # The prose test is the costly part, and the article's middle needs none: walk forward to
    # the first paragraph and backward to the last one.
    first = last = None
    first_pos = 0
    prev_line, prev_pos = -2, 0  # the previous prose line
    for (pos, end), line in zip(spans, lines):
        if not _is_prose(text, pos, end):
            continue
        follows = prev_line == line - 1
        if end - pos >= 120 or follows:
            if follows and end - pos < 120:
                first, first_pos = line - 1, prev_pos
            else:
                first, first_pos = line, pos
            break
        prev_line, prev_pos = line, pos
    if first is None:
        return None, None, 0, (spans, lines)
    for i in range(len(spans) - 1, -1, -1):
        pos, end = spans[i]
        if lines[i] < first:
            break
        if not _is_prose(text, pos, end):
            continue
        if end - pos >= 120 or (i and lines[i - 1] == lines[i] - 1 and _is_prose(text, *spans[i - 1])):
            last = lines[i]
            break
    if last is None:
        last = first + 1  # the two-line paragraph that set `first`
    return first, last, first_pos, (spans, lines)


MAIN_BLOCK_GAP = 2  # long lines this close belong to one block (a short subheading between)
MAIN_BLOCK_MIN_CHARS = 600
MAIN_BLOCK_RATIO = 2.0  # how much more text the main block holds than the first paragraph's


def _main_block(text: str, spans: list[tuple[int, int]], lines: list[int], first: int) -> int | None:
    """First line of the page's largest block of long lines, when it starts more than a date
    line's distance below the first paragraph and holds at least twice its block's text: a site
    blurb in the header or a teaser list ("Mit allen Kräften für eine liberale Welt ...") can
    pass for the first paragraph, and the article's own date line then stands above the main
    block instead."""
    best_start, best_chars, first_chars = None, 0, 0
    start, chars, prev = None, 0, -10
    for (pos, end), line in zip(spans, lines):
        if line - prev > MAIN_BLOCK_GAP:
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
    if (best_start is None or best_chars < MAIN_BLOCK_MIN_CHARS or best_start <= first + HEAD_LINES
            or best_chars < MAIN_BLOCK_RATIO * first_chars):
        return None
    i = lines.index(best_start)
    # The block's article starts at its first paragraph as _body_span_at defines one (a line of
    # 120+ characters, or two prose lines in a row): the shorter lines chained before it are
    # notices or the headline ("Wenn Sie diesen Button anklicken, ..." under share buttons), and
    # the date line stands above that paragraph, not above them.
    j = i
    while j < len(spans) and lines[j] - lines[j - 1 if j > i else j] <= MAIN_BLOCK_GAP:
        pos, end = spans[j]
        if _is_prose(text, pos, end) and (end - pos >= 120 or (
                j + 1 < len(spans) and lines[j + 1] == lines[j] + 1 and _is_prose(text, *spans[j + 1]))):
            return lines[j]
        j += 1
    return best_start if _is_prose(text, *spans[i]) else None


def _score(c: _Candidate, n_lines: int, body: tuple[int | None, int | None], has_published: bool,
           heads_main: bool = False) -> float:
    s = 0.0
    body_start, body_end = body
    if c.label == "pub":
        # A "Published" line inside or under the article is often a box about something else
        # (a fact-check's statement, a quoted source); the one above the first paragraph is not.
        late = body_start is not None and c.line > body_start + 4 and not c.self_statement
        s += W_PUBLISHED_LATE if late else W_PUBLISHED
        if c.self_statement:
            s += W_SELF_STATEMENT
    elif c.label == "evt":
        s += W_EVENT
    elif c.label == "upd":
        # Beside a labelled publication date an update date is the later change; without one it
        # is the best evidence of the article's day there is (pages that show only "Updated ...").
        s += W_UPDATED if has_published else W_UPDATED_ONLY
    if c.alone:
        s += W_ALONE
    if c.byline:
        s += W_BYLINE
    if c.preposition:
        s += W_PREPOSITION
    if c.weekday_ok is True:
        s += W_WEEKDAY_OK
    elif c.weekday_ok is False:
        s += W_WEEKDAY_BAD
    if c.time:
        s += W_TIME
    if c.two_digit_year:
        s += W_TWO_DIGIT_YEAR
    if c.no_year:
        s += W_NO_YEAR
    if c.embed:
        s += W_EMBED
    if c.comment:
        s += W_COMMENT
    if c.range_end:
        s += W_RANGE_END
    if c.sentence:
        s += W_SENTENCE
    if body_start is not None:
        d = c.line - body_start
        if c.alone and -HEAD_LINES <= d <= 0:
            s += W_HEAD  # the date line between headline/byline and the first paragraph
        if -6 <= d <= 4:
            s += W_BODY_NEAR
        elif -15 <= d <= 15:
            s += W_BODY_CLOSE
            if heads_main:
                s += W_HEAD + W_BODY_NEAR - W_BODY_CLOSE  # the main block's date line (as above)
        elif heads_main:
            s += W_HEAD + W_BODY_NEAR
        if c.line > body_end + AFTER_BODY_LINES:
            s += W_AFTER_BODY  # below the article: related lists, trending, comments, footer
    s += W_POSITION * c.line / max(n_lines, 1)
    s += W_CROWD * min(c.crowd, 4)
    return s


def _main_block_head(cands: list[_Candidate], main_start: int | None) -> _Candidate | None:
    """The plain date line just above the main block: alone on its line, no tweet, comment or
    event label, and no other date line within LIST_NEIGHBOUR_LINES (a column of stamps,
    "Feb 16, 2013" under each signature, is a list however it is spaced)."""
    if main_start is None:
        return None
    alone_lines = [c.line for c in cands if c.alone]
    for c in cands:
        if (c.alone and -HEAD_LINES <= c.line - main_start <= 0 and not (c.embed or c.comment or c.crowd)
                and c.label != "evt"
                and not any(0 < abs(line - c.line) <= LIST_NEIGHBOUR_LINES for line in alone_lines)):
            return c
    return None


LIST_NEIGHBOUR_LINES = 3


SHORT_YEAR_LINES_ABOVE = 8  # lines above the first paragraph searched for 2-digit-year dates
SHORT_YEAR_LINES_BELOW = 4
SHORT_YEAR_LINE_CHARS = 120


def _candidates(text: str, acquired, lo, hi, language, site, date_lines: Sequence[str] = (),
                body: tuple[int | None, int | None] = (None, None),
                datelines: Sequence[tuple[int, int]] = (), body_pos: int = 0
                ) -> tuple[list[_Candidate], list[_Candidate]]:
    """The page's dates in page order, annotated and resolved; and apart, the ambiguous numeric
    dates nothing settled (scored only to report their readings)."""
    cands = _scan(text)
    if not cands:
        cands = _scan_short_years(text, cands)
    elif body[0] is not None:
        # The date line under the headline may write a 2-digit year ("Publié le 02/11/23 à 16h33",
        # "von lupa am 26/10/13"): looked for around the first paragraph only, where such a
        # date is the page's own and not a version number or a score in a sidebar.
        # Only short lines: a date line is one, and the regexes cost ~30 ns per character.
        # Where a usable full-year date already stands on a short line there, the page writes
        # 4-digit years on its date line.
        pos = _lines_before(text, body_pos, SHORT_YEAR_LINES_ABOVE)
        stop = _lines_after(text, body_pos, SHORT_YEAR_LINES_BELOW + 1)
        more = []
        if any(pos <= c.start < stop and lo <= c.day <= hi and _line_width(text, c.start) <= SHORT_YEAR_LINE_CHARS
               for c in cands):
            pos = stop
        while pos < stop:
            end = text.find("\n", pos, stop)
            end = stop if end < 0 else end
            if 6 <= end - pos <= SHORT_YEAR_LINE_CHARS:
                more += _scan_short_years(text, cands, pos, end, named=True)
            pos = end + 1
        if more:
            cands = sorted(cands + more, key=lambda c: c.start)
    _annotate(text, cands)
    if date_lines:
        extra = "\n".join(date_lines).translate(_NORMALISE_EXOTIC)
        more = _scan(extra) or _scan_short_years(extra, [])
        more += _scan_no_year(extra)
        # Lines the cleaner recognised as date lines go first, as if at the top of the page.
        _annotate(extra, more)
        for c in more:
            c.line = 0
            c.alone = True
        seen = {(c.day, c.no_year) for c in more}
        cands = more + [c for c in cands if (c.day, c.no_year) not in seen]
    cands, unresolved = _resolve(cands, acquired, lo, hi, language, site, body, datelines)
    # Candidates are in page order, so neighbours within 3 lines are a short walk either side.
    for i, c in enumerate(cands):
        crowd = 0
        for j in range(i - 1, -1, -1):
            if c.line - cands[j].line > 3:
                break
            crowd += cands[j].day != c.day
        for j in range(i + 1, len(cands)):
            if cands[j].line - c.line > 3:
                break
            crowd += cands[j].day != c.day
        c.crowd = crowd
    for c in unresolved:
        c.crowd = sum(1 for o in cands if abs(o.line - c.line) <= 3 and o.day not in c.readings)
    return cands, unresolved


def _from_text(text: str, acquired: dt.date, lo: dt.date, hi: dt.date, language, site: "_Site | None",
               date_lines: Sequence[str] = ()) -> tuple[_Candidate | None, tuple[dt.date, ...]]:
    """The page's written date, or None; and the readings of an ambiguous numeric date when the
    answer rests on one (read by a convention, or left unread and the page's best evidence)."""
    if any(zero in text for zero in _EXOTIC_ZEROS):
        text = text.translate(_NORMALISE_EXOTIC)
    if site is not None and site.text is None:
        site.text = text  # the footer's domain is looked up on the text scanned here
    body_start, body_end, body_pos, long_lines = _body_span_at(text)
    body = (body_start, body_end)
    datelines = _body_datelines(text, body_start, body_pos)
    cands, unresolved = _candidates(text, acquired, lo, hi, language, site, date_lines, body, datelines, body_pos)
    if not cands and not unresolved:
        return None, ()
    main_head = None
    if body_start is not None and cands:
        for c in cands:  # in page order: only the few above the first paragraph are looked at
            if c.line > body_start or (c.alone and c.line >= body_start - HEAD_LINES):
                break
        else:
            c = None
        if c is None or c.line > body_start:
            # No date line heads the first paragraph: it may be a blurb above the article's own.
            main_head = _main_block_head(cands, _main_block(text, *long_lines, body_start))
    n_lines = text.count("\n") + 1
    # A "published" inside running prose does not make a dated "Updated ..." line a later change.
    has_published = any(c.label == "pub" and not c.sentence for c in cands)
    # Only lists below the article's first paragraph: a "Latest" menu entry above the headline
    # heads nothing the date line belongs to.
    headings = []
    if body[0] is not None:
        # Only the stretch between the first paragraph and the last candidate can hold a
        # heading that matters; the rest of the page is not searched.
        last = max(c.end for c in cands + unresolved)
        headings = [h for h in _list_lines(text, body_pos, last) if h > body[0]]

    # The page's last change ("zuletzt am 29. Januar 2020 geändert", "last edited on ..."): no
    # date in its prose after that day is its publication; such a date announces an event.
    changes = [c.day for c in cands if c.label == "upd" and not (c.sentence or c.comment or c.embed)]
    last_change = max(changes) if changes else None
    best, best_score, runner_up = None, None, None
    for c in cands:
        # (Inline rather than a helper: a call per candidate is a measurable share of the time.)
        s = _score(c, n_lines, body, has_published, c is main_head)
        if last_change is not None and c.sentence and c.day > last_change:
            s += W_EVENT
        if headings and any(0 < c.line - h <= LIST_LINES for h in headings):
            s += W_LIST  # an item of a "Trending"/"Related"/"Comments" list
        if datelines and _follows_dateline(c.day, datelines):
            s += W_DATELINE  # the body's own "CITY, March 6 -" dateline agrees
        if best_score is None or s > best_score:
            if best is not None and best.day != c.day:
                runner_up = best_score
            best, best_score = c, s
        elif c.day != best.day and (runner_up is None or s > runner_up):
            runner_up = s
    # Claim only a clear winner: a wrong partition is worse than the acquisition fallback.
    claimed = best
    if best is not None:
        # The update penalty on pages without a "Published" date only ranks an update below an
        # unlabelled date line; an update that is the page's best evidence is judged without it.
        floor = MIN_SCORE + (W_UPDATED_ONLY if best.label == "upd" and not has_published else 0.0)
        if best_score < floor or (runner_up is not None and best_score - runner_up < MIN_MARGIN):
            claimed = None
    if claimed is not None:
        claimed.score = best_score
        claimed.lead = None if runner_up is None else best_score - runner_up
    else:
        if body_start is not None:
            claimed = _own_entry(text, cands, body_start, body_pos)
        if claimed is None and last_change is not None and not has_published:
            # Only change stamps date the page (wiki footers "This page was last edited on ...",
            # "Latest revision as of ..."): its latest one is the day of the version archived.
            claimed = next(c for c in cands if c.day == last_change and c.label == "upd")
    if claimed is not None:
        return claimed, tuple(sorted(claimed.readings)) if claimed.readings else ()
    # No claim: an ambiguous date that would have been a claim (or tied the best) is what the
    # page's date hangs on; dedup looks for copies under both its readings.
    top, top_score = None, None
    for c in unresolved:
        s = _score(c, n_lines, body, has_published)
        if headings and any(0 < c.line - h <= LIST_LINES for h in headings):
            s += W_LIST
        if s >= MIN_SCORE and (best_score is None or s > best_score - MIN_MARGIN) \
                and (top_score is None or s > top_score):
            top, top_score = c, s
    return None, tuple(sorted(top.readings)) if top is not None else ()


OWN_ENTRY_HEAD_LINES = 12  # lines above the first paragraph searched for the headline
OWN_ENTRY_MIN_CHARS = 20  # shorter lines ("Aktuelles", "News") name sections, not one story
_TITLE_STRIP = " \t-–—•·|:;,„“”\"'«»"


def _own_entry(text: str, cands: list[_Candidate], body_start: int, body_pos: int) -> _Candidate | None:
    """When nothing else dated the page: its own story as an item of a dated list ("Recent
    posts", "Aktuelles aus ...": "- „Zentrum am Berg“ offiziell eröffnet20.10.2021"), found by
    the page's headline (a line of the dozen above the first paragraph) written again elsewhere
    as an item's title, on the date's line or the line right above it. Only one day may be
    found that way. The headlines are looked for with str.find (a fast scan in C), not by
    comparing every candidate's line."""
    head_start = _lines_before(text, body_pos, OWN_ENTRY_HEAD_LINES)
    titles = {t for t in (line.strip(_TITLE_STRIP) for line in text[head_start:body_pos].split("\n"))
              if len(t) >= OWN_ENTRY_MIN_CHARS and t.count(" ") >= 2}
    found = None
    by_line = None
    for title in sorted(titles):  # sorted: the same answer whatever the set's order
        pos = text.find(title)
        while pos >= 0:
            if not head_start <= pos < body_pos:
                if by_line is None:
                    by_line = {}
                    for c in cands:
                        by_line.setdefault(c.line, []).append(c)
                line = text.count("\n", 0, pos)
                line_start = text.rfind("\n", 0, pos) + 1
                line_end = text.find("\n", pos)
                line_end = len(text) if line_end < 0 else line_end
                # The title alone on its line heads the item below; otherwise the date shares it.
                whole = text[line_start:line_end].strip(_TITLE_STRIP) == title
                for c in by_line.get(line, []) + (by_line.get(line + 1, []) if whole else []):
                    if found is not None and found.day != c.day:
                        return None  # two days claim the headline: no answer
                    found = found or c
            pos = text.find(title, pos + len(title))
    return found


# Every year written in another script's digits contains its zero (2020, 1990, 2009).
_EXOTIC_ZEROS = ("\u0660", "\u06f0", "\uff10")


# --------------------------------------------------------------------------------------------
# Parsing single strings (declared dates, metadata values, URLs).


def parse_date_string(value: str) -> tuple[dt.date, dt.datetime | None] | None:
    """A date (and UTC timestamp when time and zone are given) from one metadata value:
    ISO 8601 first, then any written form the text scanner knows."""
    value = (value or "").strip().translate(_NORMALISE_EXOTIC)
    if not value:
        return None
    iso = value.replace("Z", "+00:00").replace(" ", "T", 1) if len(value) > 10 else value
    try:
        stamp = dt.datetime.fromisoformat(iso)
    except ValueError:
        stamp = None
    if stamp is not None:
        utc = stamp.astimezone(_UTC) if stamp.tzinfo is not None and (stamp.hour or stamp.minute or stamp.second) else None
        return stamp.date(), utc
    cands = _scan(value)
    cands = [c for c in cands if not c.no_year]
    if not cands:
        return None
    _annotate(value, cands)
    c = cands[0]
    if c.ambiguous:
        return None
    return c.day, _stamp(c)


def _stamp(c: _Candidate) -> dt.datetime | None:
    if c.time is None or c.zone_minutes is None:
        return None
    h, mi, s = c.time
    local = dt.datetime(c.day.year, c.day.month, c.day.day, h, mi, s, tzinfo=dt.timezone(dt.timedelta(minutes=c.zone_minutes)))
    return local.astimezone(_UTC)


def url_date(url: str | None) -> dt.date | None:
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.IGNORECASE)
    for m in _RE_URL_DATE.finditer(path):
        if m["y"]:
            day = _mk_date(int(m["y"]), int(m["m"]), int(m["d"]))
        else:
            day = _mk_date(int(m["y2"]), int(m["m2"]), int(m["d2"]))
        if day:
            return day
    return None


# --------------------------------------------------------------------------------------------
# HTML.

_META_PUBLISHED = {
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "published",
    "dc.date.issued", "dc.date.created", "dc.date", "dcterms.date", "dcterms.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published", "article_date_original", "originalpublicationdate",
    "cxenseparse:recs:publishtime", "datecreated", "citation_publication_date", "citation_date",
    "date.available", "article.created", "created", "release_date", "displaydate", "dc.created",
}
_RE_JSONLD_PUBLISHED = re.compile(r'"(?:datePublished|dateCreated)"\s*:\s*"([^"]{8,40})"')


def _html_metadata(tree) -> tuple[dt.date, dt.datetime | None] | None:
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in _META_PUBLISHED:
            parsed = parse_date_string(meta.get("content") or "")
            if parsed:
                return parsed
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            m = _RE_JSONLD_PUBLISHED.search(script.text)
            if m:
                parsed = parse_date_string(m.group(1))
                if parsed:
                    return parsed
    for node in tree.iter("time"):
        if node.get("pubdate") is not None or (node.get("itemprop") or "").lower() == "datepublished":
            parsed = parse_date_string(node.get("datetime") or "".join(node.itertext()))
            if parsed:
                return parsed
    return None


def _htmldate(html: str, url: str | None, lo: dt.date, hi: dt.date) -> dt.date | None:
    from htmldate import find_date

    # The markup, not our tree: htmldate takes only lxml.html trees and raised TypeError (silently
    # "no evidence") on the plain etree one, so this witness never spoke before round 5.
    try:
        found = find_date(
            html, original_date=True, extensive_search=True, url=url,
            min_date=dt.datetime.combine(lo, dt.time()), max_date=dt.datetime.combine(hi, dt.time()),
        )
    except Exception:  # htmldate on broken markup: treat as no evidence
        return None
    if not found:
        return None
    try:
        return dt.date.fromisoformat(found[:10])
    except ValueError:
        return None


def _canonical_url(tree) -> str | None:
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href")
    for meta in tree.iter("meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            return meta.get("content")
    return None


# --------------------------------------------------------------------------------------------
# Sites and their date conventions.

def _tld_order(site: str | None) -> str | None:
    """Day-first or month-first as the site's country domain writes numeric dates (.ie, .de,
    .com.au: day first; .us, .gov: month first); generic domains (.com) say nothing."""
    if not site or "." not in site:
        return None
    tld = site.rsplit(".", 1)[1]
    if tld in pat.DAY_FIRST_TLDS:
        return "dmy"
    if tld in pat.MONTH_FIRST_TLDS:
        return "mdy"
    return None


# Numeric dates with a slash or dash and a 4-digit year: the ambiguous kind a site's convention
# settles (dotted dates are day-first everywhere). The patterns start at the second separator,
# a literal that re finds with a fast character search (a pattern starting at any digit is
# tried at every digit of the page: 6x slower); the first number is read backwards in Python,
# and the line is looked at only for the few hits.
_RE_CONVENTION_TAILS = (re.compile(r"/(\d\d?)/[12][09]\d\d(?!\d)"), re.compile(r"-(\d\d?)-[12][09]\d\d(?!\d)"))
CONVENTION_LINE_CHARS = 80  # a date line or a labelled date is short; longer lines are prose
CONVENTION_LIST_LINES = 2  # another numeric date this close makes an unlabelled one a list item


def _page_convention(text: str) -> str | None:
    """How a page writes its own numeric date line: "dmy"/"mdy" when its labelled date
    ("Published 25/03/2005") or, without one, its single unlabelled date line is unambiguous
    (a day over 12). Labelled dates outrank the rest: a live site's sidebar stamps
    ("11/20/2019 10:08 AM", a list) may be written otherwise than the archived story's line."""
    labelled: str | None = None
    has_label = False
    unlabelled: list[tuple[int, str | None]] = []  # (line start, order) of short unlabelled date lines
    hits = [(m.start(), m.end(), m.group(1)) for rx in _RE_CONVENTION_TAILS if rx.pattern[0] in text
            for m in rx.finditer(text)]
    if len(hits) > 1:
        hits.sort()
    for sep, end, second in hits:
        s = sep - 1 if sep and text[sep - 1].isdigit() else sep
        if s == sep:
            continue  # no first number
        if s and text[s - 1].isdigit():
            s -= 1
        if s and (text[s - 1].isdigit() or text[s - 1] in "/-."):
            continue  # part of a longer number (a version, a phone number, a path)
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", end)
        if (len(text) if line_end < 0 else line_end) - line_start > CONVENTION_LINE_CHARS:
            continue
        a, b = int(text[s:sep]), int(second)
        if not (1 <= a <= 31 and 1 <= b <= 31) or (a > 12 and b > 12):
            continue
        order = "dmy" if a > 12 else "mdy" if b > 12 else None
        words = _WORD_CHARS.findall(text[line_start:s].lower())
        kind = _label_in(words)
        if kind in ("pub", "upd"):
            if labelled is None:
                labelled = order  # the first unambiguous labelled date speaks for the page
            has_label = True
        elif len(words) <= 1 and not has_label:
            unlabelled.append((line_start, order))
    if has_label:
        return labelled
    if not unlabelled:
        return None
    first_start, order = unlabelled[0]
    if len(unlabelled) > 1 and text.count("\n", first_start, unlabelled[1][0]) <= CONVENTION_LIST_LINES:
        return None  # a list of stamps (sidebar, archive), not the page's date line
    return order


CONVENTION_MIN_PAGES = 2
CONVENTION_MIN_SHARE = 0.9


class DateConventions:
    """Per site, how many pages wrote their numeric date line day-first and month-first
    (unambiguous ones only: a day over 12). `order(site)` reads an ambiguous date of that site
    when the evidence is clear. Learned over a batch of pages (`from_pages`), merged with the
    archive's (`merge`, order-free), persisted as Arrow (`to_arrow` / `from_arrow`)."""

    __slots__ = ("_counts",)

    def __init__(self, counts: dict[str, tuple[int, int]] | None = None):
        self._counts: dict[str, tuple[int, int]] = dict(counts or {})  # site -> (dmy pages, mdy pages)

    @classmethod
    def from_pages(cls, pages: Iterable[str], *, sites: Iterable[str | None] | None = None) -> "DateConventions":
        """`sites`: each page's `sites.site_of`, parallel to `pages` (None: the page's own
        `site_key`)."""
        site_iter = iter(sites) if sites is not None else None
        counts: dict[str, list[int]] = {}
        for text in pages:
            site = next(site_iter, None) if site_iter is not None else None
            if not text:
                continue
            order = _page_convention(text)
            if order is None:
                continue  # only pages that vote pay for the site lookup
            site = site or site_key(text)
            if site is None:
                continue
            row = counts.setdefault(site, [0, 0])
            row[0 if order == "dmy" else 1] += 1
        return cls({site: (d, m) for site, (d, m) in counts.items()})

    def merge(self, other: "DateConventions") -> "DateConventions":
        merged = dict(self._counts)
        for site, (d, m) in other._counts.items():
            d0, m0 = merged.get(site, (0, 0))
            merged[site] = (d0 + d, m0 + m)
        return DateConventions(merged)

    def counts(self, site: str | None) -> tuple[int, int]:
        """(day-first pages, month-first pages) seen for `site`."""
        return self._counts.get(site, (0, 0)) if site else (0, 0)

    def order(self, site: str | None) -> str | None:
        d, m = self.counts(site)
        total = d + m
        if total < CONVENTION_MIN_PAGES:
            return None
        if d >= CONVENTION_MIN_SHARE * total:
            return "dmy"
        if m >= CONVENTION_MIN_SHARE * total:
            return "mdy"
        return None

    def to_arrow(self) -> "pa.Table":
        import pyarrow as pa

        sites = sorted(self._counts)
        return pa.table({
            "site": pa.array(sites, pa.string()),
            "dmy_pages": pa.array([self._counts[s][0] for s in sites], pa.int64()),
            "mdy_pages": pa.array([self._counts[s][1] for s in sites], pa.int64()),
        })

    @classmethod
    def from_arrow(cls, table: "pa.Table") -> "DateConventions":
        # The archive concatenates every run's part: a site may come in several rows.
        out = cls()
        for site, d, m in zip(table.column("site").to_pylist(), table.column("dmy_pages").to_pylist(),
                              table.column("mdy_pages").to_pylist()):
            if site is None:
                continue
            d0, m0 = out._counts.get(site, (0, 0))
            out._counts[site] = (d0 + (d or 0), m0 + (m or 0))
        return out

    def __len__(self) -> int:
        return len(self._counts)

    def __eq__(self, other) -> bool:
        return isinstance(other, DateConventions) and self._counts == other._counts

    def __repr__(self) -> str:
        return f"DateConventions({len(self._counts)} sites)"


class _Site:
    """The site evidence of one page, looked up only when an ambiguous date needs it (the
    footer search costs as much as a small page's scan)."""

    __slots__ = ("text", "url", "conventions", "_key", "_looked")

    def __init__(self, text: str | None, url: str | None, conventions: DateConventions | None,
                 site: str | None = None):
        self.text, self.url, self.conventions = text, url, conventions
        self._key, self._looked = site, site is not None

    def key(self) -> str | None:
        if not self._looked:
            self._key, self._looked = site_key(self.text, url=self.url), True
        return self._key

    def convention(self) -> str | None:
        return self.conventions.order(self.key()) if self.conventions else None

    def tld_order(self) -> str | None:
        return _tld_order(self.key())


# --------------------------------------------------------------------------------------------
# The stage.


def event_date(
    *,
    acquired: dt.date,
    page_text: str | None = None,
    html: str | None = None,
    url: str | None = None,
    declared: str | None = None,
    date_lines: Sequence[str] = (),
    body: str | None = None,
    language: str | None = None,
    settings=None,
    conventions: DateConventions | None = None,
    site: str | None = None,
) -> EventDate:
    """The event date of one page (see the module docstring for the precedence). `conventions`:
    sites' numeric date orders learned over the batch and the archive; an ambiguous numeric date
    the page itself does not settle is read in its site's order when that is clear."""
    if settings is None:
        from newsarchive.settings import Settings

        settings = Settings()
    lo: dt.date = getattr(settings, "date_floor", dt.date(1970, 1, 1))
    hi: dt.date = acquired + dt.timedelta(days=getattr(settings, "max_future_days", 1))

    def in_range(day: dt.date | None) -> bool:
        return day is not None and lo <= day <= hi

    declared_day = None
    if declared:
        parsed = parse_date_string(declared)
        if parsed and in_range(parsed[0]):
            declared_day = EventDate(parsed[0], "declared", parsed[1])
            if not html:
                return declared_day

    tree = _parse_html(html) if html else None
    if tree is not None:
        return _from_html(tree, html, acquired, lo, hi, page_text, url, declared_day, language, conventions, site)

    found, alternatives = None, ()
    if page_text is None and (date_lines or body):
        page_text = "\n".join(list(date_lines) + [body or ""])
        found, alternatives = _from_text(page_text, acquired, lo, hi, language, _Site(None, url, conventions, site),
                                         date_lines)
    elif page_text:
        # The cleaner's date lines are lines of this same page; scanning the page keeps where
        # each stands (above the body, in a sidebar, in the comments), which the list loses.
        found, alternatives = _from_text(page_text, acquired, lo, hi, language, _Site(page_text, url, conventions, site))
    if found is not None:
        return EventDate(found.day, "text", _stamp(found), alternatives)

    day = url_date(url)
    if in_range(day):
        return EventDate(day, "url", None)  # the URL settles the day: no ambiguity left
    return EventDate(acquired, "acquired", None, alternatives)


def _from_html(tree, html, acquired, lo, hi, page_text, url, declared_day, language,
               conventions: DateConventions | None = None, site: str | None = None) -> EventDate:
    """Publication metadata, checked against the date written on the visible page.

    On DEV the metadata is right far more often than the written date when the two disagree, with
    one exception: a written date one day off a metadata stamp serialised in UTC (or without a
    zone) is the publisher's local day. Without metadata the written date beats the declared date,
    which for HTML is usually the cleaner's own guess from the same markup (trafilatura/htmldate),
    unless the two are years apart (a confusing page: no claim). htmldate, the slow witness, runs
    only when there is nothing else."""
    url = url or _canonical_url(tree)
    meta = _html_metadata(tree)
    meta_day = EventDate(meta[0], "metadata", meta[1]) if meta and lo <= meta[0] <= hi else None
    # The visible text is read even when the declared date (in the pipeline: trafilatura's, mostly
    # from the same metadata) agrees: a decisive date line under the headline overrules both.
    found, alternatives = _from_text(page_text if page_text is not None else visible_text(tree), acquired, lo, hi,
                                     language, _Site(page_text, url, conventions, site))
    text_day = EventDate(found.day, "text", _stamp(found), alternatives) if found is not None else None
    if meta_day:
        if text_day is None or text_day.day == meta_day.day:
            stamp = meta_day.published_at or (text_day.published_at if text_day else None)
            return EventDate(meta_day.day, "metadata", stamp)
        if _local_day_of(meta_day, text_day.day):
            return EventDate(text_day.day, "text", meta_day.published_at or text_day.published_at,
                             text_day.alternatives)
        if declared_day and declared_day.day == text_day.day:
            return text_day  # two witnesses against the metadata
        if _decisive(found):
            # A lone date line heading the article, no rival day anywhere near its score: on DEV
            # such a line beat disagreeing metadata 3 to 0 (CMS creation stamps, "1 January"
            # year-only placeholders), while the weaker written dates that disagree (a column of
            # stamps, a sidebar list) lost to it 4 to 0 (docs/dates.md).
            return text_day
        return meta_day
    if text_day:
        if declared_day and abs((declared_day.day - text_day.day).days) > WITNESS_CONFLICT_DAYS:
            return EventDate(acquired, "acquired", None)
        return text_day
    if declared_day:
        return declared_day
    h = _htmldate(html, url, lo, hi)
    if h and lo <= h <= hi:
        return EventDate(h, "html", None)
    day = url_date(url)
    if day and lo <= day <= hi:
        return EventDate(day, "url", None)
    return EventDate(acquired, "acquired", None, alternatives)


WITNESS_CONFLICT_DAYS = 365
DECISIVE_SCORE = 5.0  # about a plain date line under the headline: alone + head + near the first paragraph
DECISIVE_LEAD = 3.0  # over the best other day written on the page


def _decisive(found: _Candidate) -> bool:
    """A written date strong enough to overrule the metadata: a plain date line heading the
    article (no list around it, no convention needed to read it) that no other day comes near."""
    return (found.score >= DECISIVE_SCORE and (found.lead is None or found.lead >= DECISIVE_LEAD)
            and not found.crowd and not found.readings and found.label != "upd")


def _local_day_of(meta_day: EventDate, written: dt.date) -> bool:
    """Whether a written day one off the metadata's is the same moment in the publisher's zone:
    the stamp has no zone, or its day is the UTC day and late (early) enough for the local day to be the next
    (previous) one."""
    delta = (written - meta_day.day).days
    if abs(delta) != 1:
        return False
    stamp = meta_day.published_at
    if stamp is None:
        return True
    if stamp.date() != meta_day.day:
        return False  # the metadata already wrote a local day in another zone
    return (delta == 1 and stamp.hour >= 15) or (delta == -1 and stamp.hour < 10)
