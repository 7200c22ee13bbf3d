"""The HTML path: trafilatura on the page's parsed tree, its output post-filtered; when it
finds nothing or too little, the page's visible text goes the text-dump path instead.

The tree is `Page.tree`, parsed once for every stage (as trafilatura's own `load_html` parses
it); trafilatura copies a tree it is given before changing it, so the page's stays as it was.
"""

from __future__ import annotations

from .article import CleanArticle
from .config import CleanConfig
from .fields import TitleMatcher, byline_names, title_keys
from .language import detect_language
from .lines import (ZERO_WIDTH_RE, collapse, holds_gate_needle, is_byline, is_chrome, is_date_line,
                    line_key, units)


def trafilatura_extract(tree, url: str | None):
    """trafilatura as the pipeline calls it: precision mode, metadata kept, tables in, comments
    out, its own cross-document dedup cache off (dedupe is the pipeline's job)."""
    import trafilatura

    return trafilatura.bare_extraction(
        tree, url=url, favor_precision=True, include_comments=False, include_tables=True,
        deduplicate=False, with_metadata=True,
    )


def clean_html(page, *, templates, config: CleanConfig, clean_text) -> CleanArticle:
    """Clean an HTML page with trafilatura; when it returns nothing or under
    `config.html_short_chars`, clean the page's visible text on the text path (`clean_text`)
    and keep that when it finds `fallback_gain` times more (method "html_fallback")."""
    tree = page.tree
    doc = trafilatura_extract(tree, page.url) if tree is not None else None
    meta_title = getattr(doc, "title", None) if doc is not None else None
    text = post_filter(getattr(doc, "text", None) or "", meta_title) if doc is not None else ""
    art = None
    if len(text) < config.html_short_chars:
        # Only a short or empty result pays for the second pass over the visible text.
        fallback = clean_text(page.text, templates=templates, config=config)
        if len(fallback.text) > config.fallback_gain * len(text):
            art = fallback
            art.method = "html_fallback"
    if art is None:
        art = CleanArticle(text=text, method="html", language=detect_language(text, config))
    if doc is not None:
        art.title = meta_title or art.title
        art.byline = byline_names(getattr(doc, "author", None)) or art.byline
        art.published = getattr(doc, "date", None)
        art.url = getattr(doc, "url", None)
    return art


def post_filter(text: str, title: str | None) -> str:
    """Drop from trafilatura's body the chrome lines its precision mode still lets through:
    date lines, bylines, share widgets, "READ MORE" teasers, title repeats."""
    matcher = TitleMatcher(title_keys(title)) if title else None
    out = []
    for raw in text.splitlines():
        if raw.isascii():
            t = raw.strip() if "  " not in raw and "\t" not in raw and "\x1f" not in raw \
                else " ".join(raw.split())
        else:  # str.split() splits on every \s character; collapse also on zero-width ones
            t = collapse(raw) if ZERO_WIDTH_RE.search(raw) else " ".join(raw.split())
        if not t:
            continue
        n_units = units(t)
        if is_date_line(t, n_units) or is_byline(t, n_units):
            continue
        lower = t.lower()
        if is_chrome(t, lower, holds_gate_needle(t, lower)):
            continue
        if matcher is not None and matcher.matches(line_key(t)):
            continue
        out.append(t)
    return "\n".join(out)

