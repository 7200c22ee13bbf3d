"""Day-first or month-first: how sites write numeric dates (`DateConventions`, learned over a
batch of pages and the archive) and how one page's ambiguous numeric dates (09/04/1987) are read
(`resolve`): by the page's own evidence first, then its site's convention, then the page's
softer conventions (its other dates, language, country domain). Nothing settles it: no guess.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterable, Sequence

from newsarchive.dates import patterns as pat
from newsarchive.dates.context import label_in
from newsarchive.dates.scan import Candidate, mk_date
from newsarchive.sites import site_key

if TYPE_CHECKING:
    import pyarrow as pa

_WORD_CHARS = re.compile(r"[^\W\d_]+")

# Numeric dates with a slash or dash and a 4-digit year: the ambiguous kind a site's convention
# settles (dotted dates are day-first everywhere). The patterns start at the second separator, a
# literal that re finds with a fast character search (a pattern starting at any digit is tried at
# every digit of the page: 6x slower); the first number is read backwards in Python, and the line
# is looked at only for the few hits.
_RE_CONVENTION_TAILS = (re.compile(r"/(\d\d?)/[12][09]\d\d(?!\d)"), re.compile(r"-(\d\d?)-[12][09]\d\d(?!\d)"))


def page_convention(text: str, line_chars: int = 80, list_lines: int = 2) -> str | None:
    """How a page writes its own numeric date line: "dmy"/"mdy" when its labelled date
    ("Published 25/03/2005") or, without one, its single unlabelled date line is unambiguous (a
    day over 12). Labelled dates outrank the rest: a live site's sidebar stamps ("11/20/2019
    10:08 AM", a list) may be written otherwise than the archived story's line. Only lines of at
    most `line_chars` count; another date line within `list_lines` makes a list."""
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
        if (len(text) if line_end < 0 else line_end) - line_start > line_chars:
            continue
        a, b = int(text[s:sep]), int(second)
        if not (1 <= a <= 31 and 1 <= b <= 31) or (a > 12 and b > 12):
            continue
        order = "dmy" if a > 12 else "mdy" if b > 12 else None
        words = _WORD_CHARS.findall(text[line_start:s].lower())
        kind = label_in(words)
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
    if len(unlabelled) > 1 and text.count("\n", first_start, unlabelled[1][0]) <= list_lines:
        return None  # a list of stamps (sidebar, archive), not the page's date line
    return order


class DateConventions:
    """Per site, how many pages wrote their numeric date line day-first and month-first
    (unambiguous ones only: a day over 12). `order(site)` reads an ambiguous date of that site
    when the evidence is clear. Learned over a batch of pages (`from_pages`), merged with the
    archive's (`merge`, order-free), persisted as Arrow (`to_arrow` / `from_arrow`)."""

    __slots__ = ("_counts",)

    def __init__(self, counts: dict[str, tuple[int, int]] | None = None):
        self._counts: dict[str, tuple[int, int]] = dict(counts or {})  # site -> (dmy pages, mdy pages)

    @classmethod
    def from_pages(cls, pages: Iterable[str], *, sites: Iterable[str | None] | None = None,
                   config=None) -> "DateConventions":
        """`pages`: text dumps; `sites`: each page's `sites.site_of`, parallel to `pages` (None:
        the page's own `site_key`); `config`: a `DateConfig` (its line limits)."""
        line_chars = config.convention_line_chars if config is not None else 80
        list_lines = config.convention_list_lines if config is not None else 2
        site_iter = iter(sites) if sites is not None else None
        counts: dict[str, list[int]] = {}
        for text in pages:
            site = next(site_iter, None) if site_iter is not None else None
            if not text:
                continue
            order = page_convention(text, line_chars, list_lines)
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

    def order(self, site: str | None, min_pages: int = 2, min_share: float = 0.9) -> str | None:
        """"dmy"/"mdy" when at least `min_pages` pages of `site` voted and `min_share` of them
        one way; else None."""
        d, m = self.counts(site)
        total = d + m
        if total < min_pages:
            return None
        if d >= min_share * total:
            return "dmy"
        if m >= min_share * total:
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


def tld_order(site: str | None) -> str | None:
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


class SiteEvidence:
    """The site of one page and what is known of its order, looked up only when an ambiguous date
    needs it (`Page.site` costs a footer search on dumps without a URL)."""

    __slots__ = ("page", "conventions", "cfg")

    def __init__(self, page, conventions: DateConventions | None, cfg):
        self.page, self.conventions, self.cfg = page, conventions, cfg

    def convention(self) -> str | None:
        if not self.conventions:
            return None
        return self.conventions.order(self.page.site, self.cfg.convention_min_pages, self.cfg.convention_min_share)

    def tld_order(self) -> str | None:
        return tld_order(self.page.site)


def page_order(cands: list[Candidate], language: str | None, site: SiteEvidence | None,
               body: tuple[int | None, int | None], readings: tuple[dt.date, dt.date], cfg) -> str | None:
    """Day-first or month-first for this page's ambiguous numeric dates, from its own evidence:
    unambiguous numeric dates, the order it writes month names in, its language, its country
    domain. Month names inside the article's prose do not vote: syndicated wire copy keeps its
    agency's style ("July 2, 1987") whatever the outlet's own date line looks like. Nor do dates
    more than `order_evidence_days` away from the ambiguous one: an archived 2005 article's
    "Published 11/02/2005" is not written by the same hand as the live site's "11/20/2019 10:08
    AM" sidebar stamps."""
    votes = {"dmy": 0.0, "mdy": 0.0}
    body_start, body_end = body
    near_lo = min(readings) - dt.timedelta(days=cfg.order_evidence_days)
    near_hi = max(readings) + dt.timedelta(days=cfg.order_evidence_days)
    for c in cands:
        if not near_lo <= c.day <= near_hi:
            continue
        if c.order:
            if body_start is None or not body_start <= c.line <= body_end:
                votes[c.order] += cfg.order_vote_month_name
        elif c.numeric_order:
            votes[c.numeric_order] += cfg.order_vote_numeric
    lang = (language or "").lower()
    if lang.startswith("en-us"):
        votes["mdy"] += cfg.order_vote_language
    elif lang and (not lang.startswith("en") or lang.startswith("en-")):
        votes["dmy"] += cfg.order_vote_language
    domain = site.tld_order() if site is not None else None
    if domain:
        votes[domain] += cfg.order_vote_domain
    if votes["dmy"] == votes["mdy"]:
        return None
    return "dmy" if votes["dmy"] > votes["mdy"] else "mdy"


def follows_dateline(day: dt.date, datelines: Sequence[tuple[int, int]], lag_days: int) -> bool:
    """Whether `day` is a wire dateline's day (month, day; no year) or up to `lag_days` after it."""
    for month, d in datelines:
        for year in (day.year, day.year - 1):
            written = mk_date(year, month, d)
            if written and 0 <= (day - written).days <= lag_days:
                return True
    return False


def resolve(cands: list[Candidate], lo: dt.date, hi: dt.date, language: str | None, site: SiteEvidence | None,
            body: tuple[int | None, int | None], datelines: Sequence[tuple[int, int]], cfg
            ) -> tuple[list[Candidate], list[Candidate]]:
    """Settle ambiguous numeric dates and drop out-of-range ones. Ambiguous dates nothing settles
    come back apart, marked `unresolved` (never claimed). In order: only one reading in range;
    only one following a wire dateline; only one near (or equal to) another date of the page;
    the site's convention; the page's own conventions."""
    settled = {c.day for c in cands if c.ambiguous is None}
    ok: list[Candidate] = []
    unresolved: list[Candidate] = []
    for c in cands:
        if c.ambiguous:
            in_range = [d for d in c.ambiguous if lo <= d <= hi]
            if len(in_range) == 1:
                c.day = in_range[0]
            elif len(fits := [d for d in in_range if follows_dateline(d, datelines, cfg.dateline_lag_days)]) == 1:
                c.day = fits[0]  # "WASHINGTON, April 9 -" above 09/04/1987: 9 April
            elif len(near := [d for d in in_range
                              if any(abs((d - o).days) <= cfg.near_days for o in settled)]) == 1:
                c.day = near[0]  # "02/10/2020" on a page whose other dates are late September 2020
            else:
                order = site.convention() if site is not None else None
                if order is None:
                    order = page_order(cands, language, site, body, c.ambiguous, cfg)
                c.readings = c.ambiguous
                c.ambiguous = None
                if order is None:  # no evidence either way: no guess, the date is only reported
                    c.day = c.readings[0]
                    unresolved.append(c)
                    continue
                c.day = c.readings[0] if order == "dmy" else c.readings[1]
            c.ambiguous = None
        if lo <= c.day <= hi:
            ok.append(c)
    return ok, unresolved
