"""The dates stage: the event date of an article = the calendar day of its first publication as
the publisher wrote it (their local day). The archive is partitioned on it.

Evidence, in order of precedence (the first that yields a day in range wins):

    declared  the publication date the input itself declares (JSONL `published`)
    metadata  publication metadata in the HTML (JSON-LD datePublished, article:published_time, ...)
    text      a date written on the page, labelled "Published"/"Veröffentlicht"/"입력"/... or
              standing on its own line just above the article's first paragraph; "Updated ..."
              only when no "Published" date is written. On HTML pages it checks the metadata
              (it wins when it is the publisher's local day of a UTC stamp) and replaces the
              declared value when there is no metadata.
    html      htmldate's heuristics on the markup (HTML input, only when nothing else is found)
    url       a full date in the URL path (/2023/10/19/, 2023-10-19, _19.10.2023_)
    acquired  fallback: the acquisition day

Everything is a pure function of its inputs (no wall-clock time), so reruns are reproducible.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Sequence

from newsarchive import date_patterns as pat

EVENT_DATE_SOURCES: tuple[str, ...] = ("declared", "metadata", "text", "html", "url", "acquired")

_UTC = dt.timezone.utc


@dataclass(frozen=True, slots=True)
class EventDate:
    day: dt.date
    source: str  # one of EVENT_DATE_SOURCES
    published_at: dt.datetime | None  # UTC, only when a time and its zone are known


# --------------------------------------------------------------------------------------------
# Patterns, compiled once.

_WORD = r"[^\W\d_]"

# Whole-text scans are the cost of this stage (Python's re walks every character), so there are
# only two: 4-digit years (every dated form except 2-digit years contains one) and, as a fallback,
# numeric dates with 2-digit years. Everything else is matched in short windows around a hit.
_RE_YEAR_HIT = re.compile(r"[12][09]\d\d")
# No lookbehind for what may not precede the date: it would cost a check at every position of
# the text; the character before a match is tested in Python instead (_SHORT_YEAR_NOT_AFTER).
_RE_SHORT_YEAR = re.compile(r"(\d\d?)([./])(\d\d?)\2(\d\d)(?![\d./-]|,\d)")
_SHORT_YEAR_NOT_AFTER = frozenset("0123456789.,/:-")
# "Publié le 27 Mar 20 à 9:21": a month name with a 2-digit year, only looked for near the top
# of the article (see _candidates).
_RE_SHORT_YEAR_NAMED = re.compile(r"(\d{1,2})\.?\s(" + _WORD + r"{3,})\.?\s(\d\d)(?![\d.:/])")
# Forms that start with the year: 2023-10-19, 2023/10/19, 2023.10.19, 2020. 08. 18., 2023년 10월
# 19일, 2020年07月03日, 2020. augusztus 18.
_RE_AFTER_YEAR = re.compile(
    r"(?:(?P<sep>[-/.])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<d>\d{1,2})(?![\d])"
    r"|\.\s(?P<m2>\d{1,2})\.\s(?P<d2>\d{1,2})(?!\d)"
    r"|\s*[년年]\s*(?P<m3>\d{1,2})\s*[월月]\s*(?P<d3>\d{1,2})"
    r"|\.\s(?P<mon>" + _WORD + r"{3,})\.?\s(?P<d4>\d{1,2})\.)"
)
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
# What a written date can have right before its year ("19.10.2023", "Oct 19, 2023", "2. Mai2023").
_BEFORE_YEAR_CHARS = frozenset(" .,/-\t\u00a0\u202f") | frozenset("abcdefghijklmnopqrstuvwxyzäöüéèûôíóúáñçşğıµ")

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
    for hit in _RE_YEAR_HIT.finditer(text):
        s = hit.start()
        if s < last_end or (s and text[s - 1].isdigit()):
            continue
        y = int(hit.group())
        if y < 1900 or y > 2099:
            continue
        c = None
        after = _RE_AFTER_YEAR.match(text, hit.end())
        if after:
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
            if _may_end_date(text, s):
                window = max(0, last_end, s - 32)
                before = _RE_BEFORE_YEAR_REVERSED.match(text[window:s][::-1])
            else:
                before = None
            if before:
                bs = s - before.end()
                if before["a"]:
                    if not (bs and (text[bs - 1].isdigit() or text[bs - 1] in "./")):
                        c = _numeric(int(before["a"][::-1]), int(before["b"][::-1]), y, before["sep"], bs,
                                     hit.end(), False)
                elif before["mon"]:
                    m = _month(before["mon"][::-1])
                    day = _mk_date(y, m, int(before["d"][::-1])) if m else None
                    if day and not (bs and text[bs - 1].isdigit()):
                        c = _Candidate(day, bs, hit.end(), order="dmy")
                else:
                    m = _month(before["mon2"][::-1])
                    day = _mk_date(y, m, int(before["d2"][::-1])) if m else None
                    if day:
                        c = _Candidate(day, bs, hit.end(), order="mdy")
        if c is not None:
            found.append(c)
            last_end = c.end
    return found


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
        prefix_words = _WORD_CHARS.findall(text[cut:c.start].lower())
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
        c.embed = "@" in text[max(line_start, c.start - 60):c.start]  # "— Name (@handle) May 1, 2020": a quoted tweet
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
        suffix_words = _WORD_CHARS.findall(text[suffix_from:min(line_end, suffix_from + 60)].lower())
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
            c.comment = len(next_line) <= 60 and next_line.lower().endswith(_COMMENT_SAYS)
        c.range_end = _RE_RANGE_BEFORE.search(text, max(line_start, c.start - 12), c.start) is not None
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


def _page_order(cands: list[_Candidate], language: str | None, url: str | None,
                body: tuple[int | None, int | None] = (None, None),
                readings: tuple[dt.date, dt.date] | None = None) -> str | None:
    """Day-first or month-first for this page's ambiguous numeric dates, from its own evidence:
    unambiguous numeric dates, the order it writes month names in, its language, its domain.
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
    if url:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
        tld = host.rsplit(".", 1)[-1]
        if tld in ("us", "gov", "edu", "mil"):
            votes["mdy"] += 1.0
        elif tld.isalpha() and len(tld) == 2:
            votes["dmy"] += 1.0
    if votes["dmy"] == votes["mdy"]:
        return None
    return "dmy" if votes["dmy"] > votes["mdy"] else "mdy"


ORDER_EVIDENCE_DAYS = 365  # dates further than this from an ambiguous one say nothing of its order


def _resolve(cands, acquired: dt.date, lo: dt.date, hi: dt.date, language, url,
             body: tuple[int | None, int | None] = (None, None),
             datelines: Sequence[tuple[int, int]] = ()) -> list[_Candidate]:
    """Give year-less dates a year, settle ambiguous numeric dates, drop out-of-range ones."""
    order: str | None = None
    settled = {c.day for c in cands if c.ambiguous is None and not c.no_year}
    ok: list[_Candidate] = []
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
                order = _page_order(cands, language, url, body, c.ambiguous)
                if order is None:
                    continue  # no evidence either way: no guess
                c.day = c.ambiguous[0] if order == "dmy" else c.ambiguous[1]
            c.ambiguous = None
        if lo <= c.day <= hi:
            ok.append(c)
    return ok


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
# "\n" rather than "^" in MULTILINE mode: re skips from newline to newline. The lookahead on
# the headings' first letters turns most lines away before the ~60 alternatives are tried.
_RE_LIST_HEADING = re.compile(
    r"\n[ \t]*(?=[0-9" + "".join(sorted({h[0] for h in _LIST_HEADINGS if h[0].isalpha()})) + r"])(?:"
    + "|".join(_LIST_HEADINGS)
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


def _body_span_at(text: str) -> tuple[int | None, int | None, int]:
    """Line numbers of the first and last lines of the article's prose, and the character offset
    where the first one starts. A paragraph is one line of 120+ characters, or two prose lines
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
        return None, None, 0
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
    return first, last, first_pos


def _score(c: _Candidate, n_lines: int, body: tuple[int | None, int | None], has_published: bool) -> float:
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
        if c.line > body_end + AFTER_BODY_LINES:
            s += W_AFTER_BODY  # below the article: related lists, trending, comments, footer
    s += W_POSITION * c.line / max(n_lines, 1)
    s += W_CROWD * min(c.crowd, 4)
    return s


SHORT_YEAR_LINES_ABOVE = 8  # lines above the first paragraph searched for 2-digit-year dates
SHORT_YEAR_LINES_BELOW = 4
SHORT_YEAR_LINE_CHARS = 120


def _candidates(text: str, acquired, lo, hi, language, url, date_lines: Sequence[str] = (),
                body: tuple[int | None, int | None] = (None, None),
                datelines: Sequence[tuple[int, int]] = (), body_pos: int = 0) -> list[_Candidate]:
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
    cands = _resolve(cands, acquired, lo, hi, language, url, body, datelines)
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
    return cands


def _from_text(text: str, acquired: dt.date, lo: dt.date, hi: dt.date, language, url,
               date_lines: Sequence[str] = ()) -> _Candidate | None:
    if any(zero in text for zero in _EXOTIC_ZEROS):
        text = text.translate(_NORMALISE_EXOTIC)
    body_start, body_end, body_pos = _body_span_at(text)
    body = (body_start, body_end)
    datelines = _body_datelines(text, body_start, body_pos)
    cands = _candidates(text, acquired, lo, hi, language, url, date_lines, body, datelines, body_pos)
    if not cands:
        return None
    n_lines = text.count("\n") + 1
    # A "published" inside running prose does not make a dated "Updated ..." line a later change.
    has_published = any(c.label == "pub" and not c.sentence for c in cands)
    # Only lists below the article's first paragraph: a "Latest" menu entry above the headline
    # heads nothing the date line belongs to.
    headings = []
    if body[0] is not None:
        # Only the stretch between the first paragraph and the last candidate can hold a
        # heading that matters; the rest of the page is not searched.
        last = max(c.end for c in cands)
        headings = [h for h in _list_lines(text, body_pos, last) if h > body[0]]
    best, best_score, runner_up = None, None, None
    for c in cands:
        s = _score(c, n_lines, body, has_published)
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
    if best is None:
        return None
    # The update penalty on pages without a "Published" date only ranks an update below an
    # unlabelled date line; an update that is the page's best evidence is judged without it.
    floor = MIN_SCORE + (W_UPDATED_ONLY if best.label == "upd" and not has_published else 0.0)
    if best_score < floor:
        return None
    if runner_up is not None and best_score - runner_up < MIN_MARGIN:
        return None
    return best


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


_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article",
    "header", "footer", "nav", "aside", "main", "time", "span", "dd", "dt", "figcaption", "blockquote",
    "ul", "ol", "table", "title", "form", "label", "button", "body",
}


def visible_text(tree) -> str:
    """A rough one-block-per-line text of a parsed page, close to the eval's text dumps.
    Consumes the tree (scripts and styles are cut out, block ends get a newline): the C-level
    itertext() is several times faster than walking the elements in Python."""
    from lxml import etree

    parts: list[str] = []
    title = tree.find(".//title")
    if title is not None and title.text:
        parts.append(title.text.strip() + "\n")
    body = tree.find(".//body")
    if body is None:
        body = tree
    etree.strip_elements(body, *_HIDDEN_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in body.iter(*_BLOCK_TAGS):
        try:
            el.tail = "\n" + el.tail if el.tail else "\n"
        except ValueError:  # a control character lxml read but will not write back: one line less
            pass
    parts.extend(body.itertext())
    return _RE_BLANK_RUNS.sub("\n", "".join(parts))


_RE_BLANK_RUNS = re.compile(r"[ \t\r\f\v]*\n\s*")
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "svg", "select", "head")


def _parse_html(html: str):
    from lxml import etree

    # Plain etree elements: lxml.html's element-class lookup costs more than the parse itself.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        data = html.encode("utf-8", "replace") if html.lstrip().startswith("<?xml") else html
        return etree.fromstring(data, parser)
    except Exception:  # lxml raises several types on empty/odd documents
        return None


def _htmldate(tree, url: str | None, lo: dt.date, hi: dt.date) -> dt.date | None:
    from htmldate import find_date

    try:
        found = find_date(
            tree, original_date=True, extensive_search=True, url=url,
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
) -> EventDate:
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
        return _from_html(tree, html, acquired, lo, hi, page_text, url, declared_day, language)

    if page_text is None and (date_lines or body):
        page_text = "\n".join(list(date_lines) + [body or ""])
        found = _from_text(page_text, acquired, lo, hi, language, url, date_lines)
    elif page_text:
        # The cleaner's date lines are lines of this same page; scanning the page keeps where
        # each stands (above the body, in a sidebar, in the comments), which the list loses.
        found = _from_text(page_text, acquired, lo, hi, language, url)
    else:
        found = None
    if found is not None:
        return EventDate(found.day, "text", _stamp(found))

    day = url_date(url)
    if in_range(day):
        return EventDate(day, "url", None)
    return EventDate(acquired, "acquired", None)


def _from_html(tree, html, acquired, lo, hi, page_text, url, declared_day, language) -> EventDate:
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
    if meta_day and declared_day and declared_day.day == meta_day.day and not _may_be_utc_shifted(meta_day):
        # Nothing the written date could say would change the answer: skip the visible text.
        return meta_day
    found = _from_text(page_text if page_text is not None else visible_text(tree), acquired, lo, hi, language, url)
    text_day = EventDate(found.day, "text", _stamp(found)) if found is not None else None
    if meta_day:
        if text_day is None or text_day.day == meta_day.day:
            stamp = meta_day.published_at or (text_day.published_at if text_day else None)
            return EventDate(meta_day.day, "metadata", stamp)
        if _local_day_of(meta_day, text_day.day):
            return EventDate(text_day.day, "text", meta_day.published_at or text_day.published_at)
        if declared_day and declared_day.day == text_day.day:
            return text_day  # two witnesses against the metadata
        return meta_day
    if text_day:
        if declared_day and abs((declared_day.day - text_day.day).days) > WITNESS_CONFLICT_DAYS:
            return EventDate(acquired, "acquired", None)
        return text_day
    if declared_day:
        return declared_day
    h = _htmldate(_parse_html(html), url, lo, hi)  # the text witness consumed the first tree
    if h and lo <= h <= hi:
        return EventDate(h, "html", None)
    day = url_date(url)
    if day and lo <= day <= hi:
        return EventDate(day, "url", None)
    return EventDate(acquired, "acquired", None)


WITNESS_CONFLICT_DAYS = 365


def _may_be_utc_shifted(meta_day: EventDate) -> bool:
    """Whether the publisher's local day could be a day off the metadata's (see _local_day_of)."""
    stamp = meta_day.published_at
    return stamp is None or (stamp.date() == meta_day.day and not 10 <= stamp.hour < 15)


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
