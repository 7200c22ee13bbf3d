"""What the markup and the address say of a page's date: publication metadata (meta tags, JSON-LD,
`<time pubdate>`), the canonical URL, a full date in the URL path, and htmldate's heuristics,
which are trusted only for a day the page or its markup writes.
"""

from __future__ import annotations

import datetime as dt
import re

from newsarchive.dates import patterns as pat
from newsarchive.dates.scan import mk_date, parse_date_string

_RE_JSONLD_PUBLISHED = re.compile(r'"(?:datePublished|dateCreated)"\s*:\s*"([^"]{8,40})"')


def html_metadata(tree) -> tuple[dt.date, dt.datetime | None] | None:
    """The first publication date the markup declares: a publication <meta>, then JSON-LD
    `datePublished`/`dateCreated`, then `<time pubdate>` / `itemprop=datePublished`."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in pat.META_PUBLISHED:
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


def canonical_url(tree) -> str | None:
    """The page's own address: `<link rel=canonical>`, else `og:url`."""
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href")
    for meta in tree.iter("meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            return meta.get("content")
    return None


_RE_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_.-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
    r"|(?<!\d)(?P<d2>[0-3]?\d)[._-](?P<m2>[01]?\d)[._-](?P<y2>(?:19|20)\d\d)(?!\d)"
)
_RE_URL_HOST = re.compile(r"^[a-z]+://[^/]+", re.IGNORECASE)


def url_date(url: str | None) -> dt.date | None:
    """A full date in a URL's path: /2023/10/19/, 2023-10-19, 20231019, _19.10.2023_."""
    if not url:
        return None
    path = _RE_URL_HOST.sub("", url.strip())
    for m in _RE_URL_DATE.finditer(path):
        if m["y"]:
            day = mk_date(int(m["y"]), int(m["m"]), int(m["d"]))
        else:
            day = mk_date(int(m["y2"]), int(m["m2"]), int(m["d2"]))
        if day:
            return day
    return None


def htmldate_guess(html: str, url: str | None, lo: dt.date, hi: dt.date) -> dt.date | None:
    """htmldate's original-date heuristics on the markup (slow: only when nothing else dates the
    page). Its answer may be a guess (a copyright year as 1 January, a clamp to the range):
    callers accept it only when `written_in_markup`."""
    from htmldate import find_date

    try:
        found = find_date(
            html, original_date=True, extensive_search=True, url=url,
            min_date=dt.datetime.combine(lo, dt.time()), max_date=dt.datetime.combine(hi, dt.time()),
        )
    except Exception:  # htmldate on broken markup: no evidence
        return None
    if not found:
        return None
    try:
        return dt.date.fromisoformat(found[:10])
    except ValueError:
        return None


def written_in_markup(day: dt.date, html: str, written_days: set[dt.date]) -> bool:
    """Whether `day` is written on the page: among the days its visible text writes
    (`written_days`, both readings of ambiguous ones), or in the markup in a machine form
    (2024-02-14, 2024/02/14, 20240214, 14.02.2024, 14-02-2024) as attributes and URLs write it."""
    if day in written_days:
        return True
    y, m, d = day.year, day.month, day.day
    forms = (f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}", f"{y}{m:02d}{d:02d}", f"{d:02d}.{m:02d}.{y}",
             f"{d:02d}-{m:02d}-{y}", f"{y}/{m}/{d}/")
    return any(form in html for form in forms)
