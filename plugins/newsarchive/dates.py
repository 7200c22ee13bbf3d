"""The dates stage: the event date of an article = the calendar day of its first publication as
the publisher wrote it (their local day). The archive is partitioned on it.

Evidence, in order of precedence (the first that yields a day in range wins):

    declared  the publication date the input itself declares (JSONL `published`)
    metadata  publication metadata in the HTML (JSON-LD datePublished, article:published_time, ...)
    text      a date written on the page, labelled "Published"/"Veröffentlicht"/"입력"/... or
              standing on its own line near the headline; "Updated ..." only when nothing else
    html      htmldate's heuristics on the markup (HTML input only)
    url       a full date in the URL path (/2023/10/19/, 2023-10-19, _19.10.2023_)
    acquired  fallback: the acquisition day

Everything is a pure function of its inputs (no wall-clock time), so reruns are reproducible.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
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

# Digits other scripts write (Arabic-Indic, Persian, full-width) become ASCII first so every
# pattern below only has to know [0-9].
_DIGITS = {}
for _base in (0x0660, 0x06F0, 0xFF10):
    for _i in range(10):
        _DIGITS[_base + _i] = ord("0") + _i
_DIGITS.update({0x00A0: " ", 0x202F: " ", 0x2009: " ", 0x200B: None, 0x200E: None, 0x200F: None})
_NORMALISE = str.maketrans(_DIGITS)


def _alternation(words) -> str:
    # Longest first so "januar" is not cut to "jan"; spaces inside names may be any whitespace.
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


_MONTH = _alternation(pat.MONTHS)
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_YEAR4 = r"(?:19|20)\d\d"

_RE_YMD = re.compile(
    r"(?<![\d.,/:-])(?P<y>" + _YEAR4 + r")(?P<sep>[-/.])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<d>\d{1,2})(?!\d)"
    r"|(?<![\d.,])(?P<y2>" + _YEAR4 + r")\.\s(?P<m2>\d{1,2})\.\s(?P<d2>\d{1,2})(?!\d)"  # 2020. 08. 18.
)
_RE_YMD_CJK = re.compile(r"(?P<y>" + _YEAR4 + r")\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日号]?")
_RE_NUM = re.compile(
    r"(?<![\d.,/:-])(?P<a>\d{1,2})\s?(?P<sep>[./-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?"
    r"(?P<y>" + _YEAR4 + r"|\d\d(?![\d]))"
    r"|(?<![\d.,:-])(?P<a2>\d{1,2})\s/\s(?P<b2>\d{1,2})\s/\s(?P<y2>" + _YEAR4 + r")"  # 1 / 12 / 2020
)
_RE_D_MON_Y = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?(?:\s*de)?[\s./-]*" + _NOT_LETTER_BEFORE
    + r"(?P<mon>" + _MONTH + r")" + _NOT_LETTER_AFTER
    + r"\.?(?:\s*de)?[\s,./-]*(?P<y>" + _YEAR4 + r")",
    re.IGNORECASE,
)
_RE_MON_D_Y = re.compile(
    _NOT_LETTER_BEFORE + r"(?P<mon>" + _MONTH + r")" + _NOT_LETTER_AFTER
    + r"\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)\s*,?\s*(?P<y>" + _YEAR4 + r")",
    re.IGNORECASE,
)
# Day and month without a year: accepted only when labelled or alone on a short line.
_RE_D_MON = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?(?:\s*de)?\s*" + _NOT_LETTER_BEFORE
    + r"(?P<mon>" + _MONTH + r")" + _NOT_LETTER_AFTER + r"\.?(?!\s*,?\s*\d)",
    re.IGNORECASE,
)
_RE_MON_D = re.compile(
    _NOT_LETTER_BEFORE + r"(?P<mon>" + _MONTH + r")" + _NOT_LETTER_AFTER
    + r"\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d.:])(?!\s*,?\s*\d{2,4})",
    re.IGNORECASE,
)

_LABEL_KIND = {w: "pub" for w in pat.PUBLISHED_LABELS}
_LABEL_KIND.update({w: "upd" for w in pat.UPDATED_LABELS})
_RE_LABEL = re.compile(_NOT_LETTER_BEFORE + r"(" + _alternation(_LABEL_KIND) + r")" + _NOT_LETTER_AFTER, re.IGNORECASE)
_RE_WEEKDAY_BEFORE = re.compile(
    _NOT_LETTER_BEFORE + r"(" + _alternation(pat.WEEKDAYS) + r")\.?,?\s*(?:den\s+|the\s+|le\s+)?$", re.IGNORECASE
)
_RE_TIME_AFTER = re.compile(
    r"\s*(?:,|-|–|—|/|\||·|•|at|um|à|a las|alle|klo|kl\.?|@)?\s*(?:[a-z]{2,3},?\s*)?"
    r"(?P<h>\d{1,2})(?::|h|\.)(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?)?\s*(?:uhr|h)?\s*\(?"
    r"(?P<zone>[+-]\d{2}:?\d{2}|" + _alternation(pat.ZONES) + r")?" + _NOT_LETTER_AFTER,
    re.IGNORECASE,
)
_RE_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>" + _YEAR4 + r")(?P<sep>[/_.-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
    r"|(?<!\d)(?P<d2>[0-3]?\d)[._-](?P<m2>[01]?\d)[._-](?P<y2>" + _YEAR4 + r")(?!\d)"
)

_WORD_CHARS = re.compile(r"[^\W\d_]+")


# --------------------------------------------------------------------------------------------
# Candidates.


@dataclass(slots=True)
class _Candidate:
    day: dt.date
    start: int
    end: int
    line: int
    label: str | None = None  # "pub", "upd" or None
    weight: float = 0.0
    alone: bool = False  # the date (with time, weekday, author-ish words) is most of its line
    weekday_ok: bool | None = None
    two_digit_year: bool = False
    no_year: bool = False
    order: str | None = None  # "dmy"/"mdy" when written with a month name (a page convention)
    ambiguous: tuple[dt.date, dt.date] | None = None  # numeric d/m vs m/d both valid
    time: tuple[int, int, int] | None = None
    zone_minutes: int | None = None


def _mk_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year(text: str) -> tuple[int, bool]:
    y = int(text)
    if len(text) == 2:
        # Two-digit years: the archive's 1980s wire copy writes 8x/9x, the web 0x-2x.
        return (1900 + y if y >= 70 else 2000 + y), True
    return y, False


def _scan(text: str) -> list[_Candidate]:
    """Every date written in `text` (already normalised), unresolved ambiguity kept."""
    found: list[_Candidate] = []
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in taken)

    def add(c: _Candidate) -> None:
        if not overlaps(c.start, c.end):
            found.append(c)
            taken.append((c.start, c.end))

    for m in _RE_D_MON_Y.finditer(text):
        day = _mk_date(int(m["y"]), pat.MONTHS[_month_key(m["mon"])], int(m["d"]))
        if day:
            add(_Candidate(day, m.start(), m.end(), 0, order="dmy"))
    for m in _RE_MON_D_Y.finditer(text):
        day = _mk_date(int(m["y"]), pat.MONTHS[_month_key(m["mon"])], int(m["d"]))
        if day:
            add(_Candidate(day, m.start(), m.end(), 0, order="mdy"))
    for rx in (_RE_YMD_CJK, _RE_YMD):
        for m in rx.finditer(text):
            y, mo, d = (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
            day = _mk_date(int(y), int(mo), int(d))
            if day:
                add(_Candidate(day, m.start(), m.end(), 0))
    for m in _RE_NUM.finditer(text):
        if m["a"]:
            a, b, ytxt, sep = int(m["a"]), int(m["b"]), m["y"], m["sep"]
        else:
            a, b, ytxt, sep = int(m["a2"]), int(m["b2"]), m["y2"], "/"
        y, short = _year(ytxt)
        dmy, mdy = _mk_date(y, b, a), _mk_date(y, a, b)
        if not dmy and not mdy:
            continue
        c = _Candidate(dmy or mdy, m.start(), m.end(), 0, two_digit_year=short)
        if dmy and mdy and dmy != mdy and sep != ".":
            c.ambiguous = (dmy, mdy)
        elif sep == "." and dmy:
            c.day = dmy  # dots are day-first everywhere they are used
        add(c)
    for rx in (_RE_D_MON, _RE_MON_D):
        for m in rx.finditer(text):
            if overlaps(m.start(), m.end()):
                continue
            month = pat.MONTHS[_month_key(m["mon"])]
            day = int(m["d"])
            if 1 <= day <= 31:
                # Year resolved later against the acquisition day; 2000 is a leap year placeholder.
                placeholder = _mk_date(2000, month, day)
                if placeholder:
                    add(_Candidate(placeholder, m.start(), m.end(), 0, no_year=True))
    found.sort(key=lambda c: c.start)
    return found


def _month_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.lower())


def _annotate(text: str, cands: list[_Candidate]) -> None:
    """Line number, label, weekday check, time and zone, 'alone on its line' for each candidate."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"] if len(cands) else []
    prev_end_on_line = {}
    for c in cands:
        c.line = bisect.bisect_left(newlines, c.start)
        line_start = newlines[c.line - 1] + 1 if c.line > 0 else 0
        line_end = newlines[c.line] if c.line < len(newlines) else len(text)
        cut = max(line_start, prev_end_on_line.get(c.line, line_start), c.start - 80)
        prefix = text[cut:c.start]
        prev_end_on_line[c.line] = c.end

        wd = _RE_WEEKDAY_BEFORE.search(prefix[-25:])
        if wd:
            iso = pat.WEEKDAYS.get(_month_key(wd.group(1)))
            if iso and not c.no_year:
                if c.ambiguous:
                    matches = [d for d in c.ambiguous if d.isoweekday() == iso]
                    if len(matches) == 1:
                        c.day, c.ambiguous = matches[0], None
                        c.weekday_ok = True
                else:
                    c.weekday_ok = c.day.isoweekday() == iso
            prefix_wo = prefix[: wd.start() + len(prefix) - len(prefix[-25:])]
        else:
            prefix_wo = prefix

        labels = list(_RE_LABEL.finditer(prefix_wo))
        if labels:
            c.label = _LABEL_KIND[_month_key(labels[-1].group(1))]
        elif not _WORD_CHARS.search(prefix_wo) and c.line > 0:
            # "Published:" on its own line right above the date.
            above_end = line_start - 1
            above_start = text.rfind("\n", 0, max(0, above_end - 1)) + 1
            above = text[above_start:above_end].strip()
            if 0 < len(above) <= 40:
                labels = list(_RE_LABEL.finditer(above))
                if labels and len(_WORD_CHARS.findall(above)) <= 4:
                    c.label = _LABEL_KIND[_month_key(labels[-1].group(1))]

        suffix = text[c.end:line_end]
        tm = _RE_TIME_AFTER.match(suffix[:40])
        rest_len = len(suffix)
        if tm and tm.end() > 0 and tm["h"] is not None:
            h, mi = int(tm["h"]), int(tm["mi"])
            ampm = (tm["ampm"] or "").replace(".", "").replace(" ", "").lower()
            if ampm == "pm" and h < 12:
                h += 12
            elif ampm == "am" and h == 12:
                h = 0
            if h < 24 and mi < 60:
                c.time = (h, mi, int(tm["s"] or 0))
                zone = tm["zone"]
                if zone:
                    c.zone_minutes = _zone_minutes(zone)
            rest_len -= tm.end()
        if c.label is None:
            lab = _RE_LABEL.search(suffix[:45])
            if lab and _LABEL_KIND[_month_key(lab.group(1))] in ("pub", "upd") and lab.group(1).lower() in (
                "veröffentlicht", "geändert", "aktualisiert", "publié", "published", "erstellt"
            ):
                c.label = _LABEL_KIND[_month_key(lab.group(1))]
        other = len(_WORD_CHARS.findall(prefix_wo)) + len(_WORD_CHARS.findall(suffix[:80]))
        c.alone = other <= 6 and (line_end - line_start) <= 120


def _zone_minutes(zone: str) -> int | None:
    zone = zone.lower()
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4])
        return minutes if zone[0] == "+" else -minutes
    return pat.ZONES.get(zone)


# --------------------------------------------------------------------------------------------
# Choosing among candidates.


def _page_order(cands: list[_Candidate], language: str | None, url: str | None) -> str | None:
    """Day-first or month-first for this page's ambiguous numeric dates, from its own evidence."""
    votes = {"dmy": 0.0, "mdy": 0.0}
    for c in cands:
        if c.order:
            votes[c.order] += 1.0
        elif c.ambiguous is None and not c.no_year:
            pass
    lang = (language or "").lower()
    if lang and not lang.startswith("en"):
        votes["dmy"] += 1.5
    elif lang in ("en-us",):
        votes["mdy"] += 1.5
    elif lang.startswith("en-"):
        votes["dmy"] += 1.5
    if url:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0]
        tld = host.rsplit(".", 1)[-1]
        if tld in ("us", "gov", "edu"):
            votes["mdy"] += 1.0
        elif tld not in ("com", "org", "net", "info", "io", "co"):
            votes["dmy"] += 1.0
    if votes["dmy"] == votes["mdy"]:
        return None
    return "dmy" if votes["dmy"] > votes["mdy"] else "mdy"


def _resolve(cands: list[_Candidate], acquired: dt.date, lo: dt.date, hi: dt.date, language, url) -> list[_Candidate]:
    # Unambiguous numeric dates written with the same separator settle the page's convention.
    numeric_votes = {"dmy": 0, "mdy": 0}
    for c in cands:
        if c.ambiguous is None and c.order is None and not c.no_year:
            pass
    order = None
    ok: list[_Candidate] = []
    days_seen = {c.day for c in cands if c.ambiguous is None and not c.no_year}
    for c in cands:
        if c.no_year:
            c.day = _with_year(c.day, acquired, hi)
            if c.day is None:
                continue
        elif c.ambiguous:
            dmy, mdy = c.ambiguous
            in_range = [d for d in (dmy, mdy) if lo <= d <= hi]
            seen = [d for d in in_range if d in days_seen]
            if len(in_range) == 1:
                c.day = in_range[0]
            elif len(seen) == 1:
                c.day = seen[0]
            else:
                if order is None:
                    order = _page_order(cands, language, url) or "?"
                if order == "?":
                    continue
                c.day = dmy if order == "dmy" else mdy
            c.ambiguous = None
        if lo <= c.day <= hi:
            ok.append(c)
    del numeric_votes
    return ok


def _with_year(placeholder: dt.date, acquired: dt.date, hi: dt.date) -> dt.date | None:
    """A day and month without a year: the latest such day not after the future limit."""
    for year in (hi.year, hi.year - 1):
        day = _mk_date(year, placeholder.month, placeholder.day)
        if day and day <= hi:
            return day
    return None


def _title_line(lines_head: list[str]) -> int | None:
    """Where the headline (the dump's first line, the <title>) is repeated as the page's h1."""
    if not lines_head:
        return None
    title = lines_head[0].strip().lower()
    if len(title) < 12:
        return None
    for i in range(1, len(lines_head)):
        line = lines_head[i].strip().lower()
        if len(line) >= 12 and (line in title or title in line):
            return i
    return None


def _score(c: _Candidate, n_lines: int, title_line: int | None, count: int) -> float:
    s = 0.0
    if c.label == "pub":
        s += 10
    elif c.label == "upd":
        s += 4
    if c.alone:
        s += 3
    if c.weekday_ok is True:
        s += 2
    elif c.weekday_ok is False:
        s -= 6
    if c.time:
        s += 1
    if c.two_digit_year:
        s -= 1
    if c.no_year:
        s -= 4
    if title_line is not None and title_line <= c.line <= title_line + 15:
        s += 3
    s -= 3.0 * c.line / max(n_lines, 1)
    s += min(count - 1, 3) * 0.7
    return s


def _from_text(text: str, acquired: dt.date, lo: dt.date, hi: dt.date, language, url) -> _Candidate | None:
    text = text.translate(_NORMALISE)
    cands = _scan(text)
    if not cands:
        return None
    _annotate(text, cands)
    # A year-less date is only believable labelled or standing alone.
    cands = [c for c in cands if not c.no_year or c.label or c.alone]
    cands = _resolve(cands, acquired, lo, hi, language, url)
    if not cands:
        return None
    has_pub = any(c.label == "pub" for c in cands)
    n_lines = text.count("\n") + 1
    head = text[:4000].split("\n", 80)[:80]
    title_line = _title_line(head)
    counts: dict[dt.date, int] = {}
    for c in cands:
        counts[c.day] = counts.get(c.day, 0) + 1
    best, best_score = None, None
    for c in cands:
        if has_pub and c.label == "upd":
            continue
        s = _score(c, n_lines, title_line, counts[c.day])
        if best_score is None or s > best_score:
            best, best_score = c, s
    if best is None or best_score < 0:
        return None
    return best


# --------------------------------------------------------------------------------------------
# Parsing single strings (declared dates, metadata values, URLs).


def parse_date_string(value: str) -> tuple[dt.date, dt.datetime | None] | None:
    """A date (and UTC timestamp when time and zone are given) from one metadata value:
    ISO 8601 first, then any written form the text scanner knows."""
    value = (value or "").strip().translate(_NORMALISE)
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
            parsed = parse_date_string(node.get("datetime") or node.text_content() or "")
            if parsed:
                return parsed
    return None


_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article",
    "header", "footer", "nav", "aside", "main", "time", "span", "dd", "dt", "figcaption", "blockquote",
    "ul", "ol", "table", "title", "form", "label", "button", "body",
}


def visible_text(tree) -> str:
    """A rough one-block-per-line text of a parsed page, close to the eval's text dumps."""
    parts: list[str] = []
    title = tree.find(".//title")
    if title is not None and title.text:
        parts.append(title.text.strip() + "\n")
    body = tree.find(".//body")
    try:
        _walk(body if body is not None else tree, parts)
    except RecursionError:  # absurdly deep markup: what was collected so far is enough
        pass
    return re.sub(r"[ \t\r\f\v]*\n\s*", "\n", "".join(parts))


_HIDDEN_TAGS = {"script", "style", "noscript", "template", "svg", "select", "head"}


def _walk(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag not in _HIDDEN_TAGS and tag:
        if el.text:
            parts.append(el.text)
        for child in el:
            _walk(child, parts)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
    if el.tail:
        parts.append(el.tail)


def _parse_html(html: str):
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(html.encode("utf-8", "replace") if html.lstrip().startswith("<?xml") else html)
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

    if declared:
        parsed = parse_date_string(declared)
        if parsed and in_range(parsed[0]):
            return EventDate(parsed[0], "declared", parsed[1])

    tree = _parse_html(html) if html else None
    if tree is not None:
        url = url or _canonical_url(tree)
        meta = _html_metadata(tree)
        if meta and in_range(meta[0]):
            return EventDate(meta[0], "metadata", meta[1])
        if page_text is None:
            page_text = visible_text(tree)

    if page_text is None and (date_lines or body):
        page_text = "\n".join(list(date_lines) + [body or ""])
    if page_text:
        found = _from_text(page_text, acquired, lo, hi, language, url)
        if found is not None:
            return EventDate(found.day, "text", _stamp(found))

    if tree is not None:
        day = _htmldate(tree, url, lo, hi)
        if in_range(day):
            return EventDate(day, "html", None)

    day = url_date(url)
    if in_range(day):
        return EventDate(day, "url", None)
    return EventDate(acquired, "acquired", None)
