"""Which site (outlet) a page belongs to: one answer for every stage.

`site_of` is the key under which the profile step files what it learns from a page (template
lines, date conventions) and under which the clean and dates stages look that evidence up, and
it fills the archive's `site` column. One function, so what is learned is always found again.
"""

from __future__ import annotations

import re

# Second-level labels under which country domains register names ("thesun.co.uk",
# "jaraguadosul.com.br"): the registered host keeps three labels there.
SECOND_LEVEL_LABELS: frozenset[str] = frozenset({
    "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gob", "gouv", "nic", "mil",
    "info", "biz", "nom", "ltd", "plc", "sch", "nhs", "news", "web",
})
# File extensions written like domains ("Node.js") that are no country code.
NOT_DOMAIN_ENDINGS: frozenset[str] = frozenset({"js", "py", "md", "rb", "sh", "cs", "ts", "db", "pdf", "jpg",
                                                "png", "gif", "htm", "html", "php", "asp", "aspx", "txt"})

_RE_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//(?:[^@/?#]*@)?([^/:?#]+)", re.IGNORECASE)
# A domain name as written in a footer ("© 1987 cnn.com.", "© BreakingNews.ie 2023"): labels of
# letters, digits and hyphens, a letter-only ending. Matched on lower-cased text.
_RE_DOMAIN = re.compile(r"(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,12}))(?![\w-]|\.[a-z0-9])")
_GENERIC_TLDS = frozenset({"com", "org", "net", "info", "biz", "news", "media", "online", "site", "blog", "press",
                           "today", "live", "world", "edu", "gov", "mil", "int", "tv", "io", "co", "me", "fm"})
_COPYRIGHT_MARKS = ("©", "(c)", "copyright", "&copy;")
COPYRIGHT_DOMAIN_CHARS = 100  # how far from the copyright mark a footer writes the site's domain
# og:site_name / canonical / og:url in raw markup, for site_key(html=...) without a parse.
_RE_HTML_CANONICAL = re.compile(
    r"<link\b[^>]*?\brel=[\"']?canonical\b[^>]*?\bhref=[\"']?([^\"'\s>]+)"
    r"|<link\b[^>]*?\bhref=[\"']?([^\"'\s>]+)[^>]*?\brel=[\"']?canonical\b"
    r"|<meta\b[^>]*?\bproperty=[\"']?og:url[\"']?[^>]*?\bcontent=[\"']?([^\"'\s>]+)", re.IGNORECASE)
# Every match of _RE_HTML_CANONICAL holds one of these words between its "<" and the next ">".
_RE_CANONICAL_WORD = re.compile(r"canonical|og:url", re.IGNORECASE)
_RE_HTML_SITE_NAME = re.compile(r"<meta\b[^>]*?\bproperty=[\"']?og:site_name[\"']?[^>]*?\bcontent=[\"']([^\"']{2,80})",
                                re.IGNORECASE)


def registered_host(host: str | None) -> str | None:
    """The registered name of a host: "www.thesun.co.uk" -> "thesun.co.uk", "edition.cnn.com"
    -> "cnn.com". Without the public-suffix list: three labels under a second-level label of a
    country domain ("co.uk", "com.br"), else two. IP addresses and bare names are no site."""
    if not host:
        return None
    labels = host.strip().strip(".").lower().split(".")
    if len(labels) < 2 or not labels[-1].isalpha() or not all(labels):
        return None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL_LABELS else 2
    return ".".join(labels[-keep:])


def _url_site(url: str | None) -> str | None:
    m = _RE_HOST.match(url.strip()) if url else None
    return registered_host(m.group(1)) if m else None


def _copyright_site(text: str) -> str | None:
    """The domain a page's own footer writes next to its copyright mark, the last mark first
    (the footer closes the page; a "©" inside the article is a photo credit)."""
    if "©" not in text and "opyright" not in text and "OPYRIGHT" not in text and "(c)" not in text \
            and "(C)" not in text and "&copy;" not in text:
        return None  # most pages: no lower-cased copy of the text
    lower = text.lower()
    marks = []
    for mark in _COPYRIGHT_MARKS:
        pos = lower.find(mark)
        while pos >= 0:
            marks.append(pos)
            pos = lower.find(mark, pos + 1)
    for pos in sorted(marks, reverse=True):
        line_start = lower.rfind("\n", 0, pos) + 1
        line_end = lower.find("\n", pos)
        line_end = len(lower) if line_end < 0 else line_end
        window = lower[max(line_start, pos - COPYRIGHT_DOMAIN_CHARS):min(line_end, pos + COPYRIGHT_DOMAIN_CHARS)]
        for m in _RE_DOMAIN.finditer(window):
            tld = m.group(2)
            if tld in _GENERIC_TLDS or (len(tld) == 2 and tld not in NOT_DOMAIN_ENDINGS):
                site = registered_host(m.group(1))
                if site:
                    return site
    return None


def _canonical_match(html: str):
    """`_RE_HTML_CANONICAL.search(html)`, in a fifth of its time: the pattern is tried only at
    the "<" that precede one of its words ("canonical", "og:url") with no ">" between, the only
    places a match can start, in page order, on the whole markup (so the match is the same)."""
    tried = 0  # candidates before this position were tried
    for word in _RE_CANONICAL_WORD.finditer(html):
        end = word.start()
        pos = html.find("<", max(tried, html.rfind(">", 0, end) + 1), end)
        while pos >= 0:
            m = _RE_HTML_CANONICAL.match(html, pos)
            if m:
                return m
            pos = html.find("<", pos + 1, end)
        tried = end
    return None


def site_key(page_text: str | None = None, *, url: str | None = None, html: str | None = None) -> str | None:
    """The outlet a page belongs to: the URL's registered host when known; else the site's own
    canonical URL / og:url (HTML); else a domain the page's footer writes beside its copyright
    mark ("© 1987 cnn.com. All rights reserved.", "© BreakingNews.ie 2023"); else the HTML's
    og:site_name, lower-cased. None when nothing identifies it."""
    site = _url_site(url)
    if site:
        return site
    if html:
        m = _canonical_match(html)
        site = _url_site(next(g for g in m.groups() if g)) if m else None
        if site:
            return site
    if page_text:
        site = _copyright_site(page_text)
        if site:
            return site
    if html:
        m = _RE_HTML_SITE_NAME.search(html)
        if m:
            name = " ".join(m.group(1).lower().split())
            return registered_host(name) if _RE_DOMAIN.fullmatch(name) else name or None
    return None


def site_of(*, url: str | None = None, source: str | None = None, page_text: str | None = None,
            html: str | None = None) -> str | None:
    """The site of one input, as every stage names it: the registered host of its URL; else the
    outlet its record declares (JSONL `source`: a domain is reduced to its registered host, a
    name is lower-cased); else what the page says of itself (`site_key`: canonical URL, the
    domain beside its copyright mark, og:site_name). None when nothing identifies it."""
    site = _url_site(url)
    if site:
        return site
    if source and source.strip():
        name = " ".join(source.lower().split())
        return (registered_host(name) if _RE_DOMAIN.fullmatch(name) else None) or name
    return site_key(page_text, html=html)
