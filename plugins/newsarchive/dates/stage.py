"""The dates stage: the event date of one page, and where it came from.

The event date is the calendar day of the article's first publication as its publisher wrote it
(their local day). A day is claimed only when it is written: in the input's own declaration, the
markup's publication metadata, the visible page, or the URL. When nothing written settles the day
the answer is the acquisition day with source `acquired` (abstaining): a wrong date files the
article in the wrong partition, which is worse than no date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from newsarchive.dates.config import DateConfig
from newsarchive.dates.conventions import DateConventions, SiteEvidence
from newsarchive.dates.html_meta import canonical_url, html_metadata, htmldate_guess, url_date, written_in_markup
from newsarchive.dates.scan import Candidate, parse_date_string, stamp
from newsarchive.dates.score import written_date

EVENT_DATE_SOURCES: tuple[str, ...] = ("declared", "metadata", "text", "html", "url", "acquired")


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


_DEFAULT = DateConfig()


def event_date(page, *, acquired: dt.date, article=None, config: DateConfig | None = None,
               conventions: DateConventions | None = None) -> EventDate:
    """The event date of `page` (a `newsarchive.page.Page`), in this precedence:

    declared  the date the input declares (`page.declared`: a JSONL `published` field)
    metadata  HTML publication metadata, checked against the written date (`_from_html`)
    text      the date written on the visible page, when one clearly wins (`score.written_date`)
    html      htmldate's answer on the markup, only for a day the page or its markup writes
    url       a full date in the URL path (the page's URL, or its canonical URL)
    acquired  nothing written settles the day: the acquisition day (no claim)

    `article`: the clean stage's `CleanArticle` of the page: its `language` (the order of
    ambiguous numeric dates), `body_span` (where the article's prose runs in `page.text`; found
    here when None) and, on HTML, `published` (trafilatura's date: htmldate's answer, so no
    second run of htmldate). `conventions`: sites' numeric date orders learned over the batch
    and the archive. Pure: the same inputs give the same answer (no clock is read)."""
    cfg = config or _DEFAULT
    lo, hi = cfg.date_floor, acquired + dt.timedelta(days=cfg.max_future_days)
    if page.declared:
        parsed = parse_date_string(page.declared)
        if parsed and lo <= parsed[0] <= hi:
            return EventDate(parsed[0], "declared", parsed[1])
    language = getattr(article, "language", None)
    # The cleaner's body span is in `page.text` (the dump, or the HTML's visible text when the
    # cleaner fell back to it); trafilatura's path gives none.
    span = getattr(article, "body_span", None) if cfg.use_body_span else None
    site = SiteEvidence(page, conventions, cfg)
    if page.kind == "html":
        return _from_html(page, article, acquired, lo, hi, language, site, span, cfg)
    found = written_date(page.text, lo, hi, language, site, cfg, span) if page.text else None
    if found is not None and found.claimed is not None:
        return EventDate(found.claimed.day, "text", stamp(found.claimed), found.alternatives)
    day = url_date(page.url)
    if day is not None and lo <= day <= hi:
        return EventDate(day, "url", None)  # the URL settles the day: no ambiguity left
    return EventDate(acquired, "acquired", None, found.alternatives if found is not None else ())


def _from_html(page, article, acquired, lo, hi, language, site, span, cfg) -> EventDate:
    """Publication metadata, checked against the date written on the visible page.

    On DEV the metadata is right far more often than the written date when the two disagree, with
    two exceptions: a written date one day off a metadata stamp serialised in UTC (or without a
    zone) is the publisher's local day; a decisive date line heading the article beats it. Without
    metadata the written date stands, unless htmldate's answer is years away from it (a confusing
    page: no claim). htmldate's answer alone is believed only for a day the page writes."""
    tree = page.tree
    if tree is None:
        return EventDate(acquired, "acquired", None)
    url = page.url or canonical_url(tree)
    meta = html_metadata(tree)
    meta_day = EventDate(meta[0], "metadata", meta[1]) if meta and lo <= meta[0] <= hi else None
    found = written_date(page.text, lo, hi, language, site, cfg, span) if page.text else None
    claimed: Candidate | None = found.claimed if found is not None else None
    alternatives = found.alternatives if found is not None else ()
    text_day = EventDate(claimed.day, "text", stamp(claimed), alternatives) if claimed is not None else None
    if meta_day:
        if text_day is None or text_day.day == meta_day.day:
            moment = meta_day.published_at or (text_day.published_at if text_day else None)
            return EventDate(meta_day.day, "metadata", moment)
        if _local_day_of(meta_day, text_day.day):
            return EventDate(text_day.day, "text", meta_day.published_at or text_day.published_at,
                             text_day.alternatives)
        if _decisive(claimed, cfg):
            # A lone date line heading the article, no rival day anywhere near its score: on DEV
            # such a line beat disagreeing metadata 3 to 0 (CMS creation stamps, "1 January"
            # year-only placeholders), while the weaker written dates that disagree (a column of
            # stamps, a sidebar list) lost to it (docs/dates.md).
            return text_day
        return meta_day
    guess = _htmldate_written(page, article, url, lo, hi, found.written if found is not None else frozenset(),
                              lazy=text_day is not None)
    if text_day:
        if guess is not None and abs((guess - text_day.day).days) > cfg.witness_conflict_days:
            return EventDate(acquired, "acquired", None)
        return text_day
    if guess is not None:
        return EventDate(guess, "html", None)
    day = url_date(url)
    if day and lo <= day <= hi:
        return EventDate(day, "url", None)
    return EventDate(acquired, "acquired", None, alternatives)


def _htmldate_written(page, article, url, lo, hi, written: frozenset, lazy: bool) -> dt.date | None:
    """htmldate's answer for the page when the day it names is written in the page or its markup
    (its guesses are not: a copyright year as 1 January, a clamp to its date range). The
    cleaner's `published` is that answer already (trafilatura runs htmldate); without a cleaner
    htmldate runs here, unless `lazy` (another witness already answers)."""
    if article is not None:
        parsed = parse_date_string(getattr(article, "published", None) or "")
        day = parsed[0] if parsed else None
    elif lazy:
        return None
    else:
        day = htmldate_guess(page.content, url, lo, hi)
    if day is None or not lo <= day <= hi or not written_in_markup(day, page.content, written):
        return None
    return day


def _decisive(found: Candidate, cfg) -> bool:
    """A written date strong enough to overrule the metadata: a plain date line heading the
    article (no list around it, no convention needed to read it) that no other day comes near."""
    return (found.score >= cfg.decisive_score and (found.lead is None or found.lead >= cfg.decisive_lead)
            and not found.crowd and not found.readings and found.label != "upd")


def _local_day_of(meta_day: EventDate, written: dt.date) -> bool:
    """Whether a written day one off the metadata's is the same moment in the publisher's zone:
    the stamp has no zone, or its day is the UTC day and late (early) enough for the local day
    to be the next (previous) one."""
    delta = (written - meta_day.day).days
    if abs(delta) != 1:
        return False
    moment = meta_day.published_at
    if moment is None:
        return True
    if moment.date() != meta_day.day:
        return False  # the metadata already wrote a local day in another zone
    return (delta == 1 and moment.hour >= 15) or (delta == -1 and moment.hour < 10)
