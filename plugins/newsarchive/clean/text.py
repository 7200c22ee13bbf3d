"""The text path: a plain-text dump of a whole page (navigation and footer included) -> body.

    1. lines      split, whitespace collapsed, hard-wrapped paragraphs and one-cell-per-line
                  tables joined; each line's shape on its own (lines.py, tables.py)
    2. evidence   lines recurring across the site's stories are template chrome (templates.py)
    3. structure  teaser widgets and data tables marked (structure.py, tables.py)
    4. body       the best-scoring run of lines, its isolated ends trimmed (structure.py)
    5. output     inside the run: prose, short sentences, table rows, subheadings; captions,
                  standfirst bullets, truncated teasers and title repeats dropped; title, byline
                  and date lines moved to their fields
"""

from __future__ import annotations

from . import patterns as cp
from .article import CleanArticle
from .config import CleanConfig
from .fields import TitleMatcher, byline_names, title_keys
from .language import detect_language
from .lines import CHROME, GOOD, HEAD, SHORT, Line, is_list_item, line_key, shapes_for, \
    split_lines, strip_list_marker, unwrap
from .structure import (body_range, headline_above, is_caption, is_subheading, is_truncated_copy,
                        mark_teasers, opens_with_standfirst)
from .tables import join_cell_rows, mark_data_rows, may_hold_cell_table


def prepare(page_text: str, config: CleanConfig) -> list[Line]:
    """The page's lines (blank lines dropped), each with its shape and its place in the page."""
    raw = split_lines(page_text)
    texts, starts = unwrap(raw, config)
    if may_hold_cell_table(page_text, config):
        texts, starts = join_cell_rows(texts, starts, config)
    shape = shapes_for(config).shape
    ends = starts[1:] + [len(raw)]
    return [Line(text, shape(text), starts[i], ends[i]) for i, text in enumerate(texts) if text]


def clean_text(page_text: str, *, templates=None, config: CleanConfig) -> CleanArticle:
    """Clean a plain-text dump of a whole page: the article body (one paragraph per line) with
    title, byline and date-bearing chrome lines moved to their own fields. `templates`: the
    evidence of the page's site (`TemplateLines.for_site`). Deterministic; never raises on odd
    input (an empty page gives an empty body)."""
    lines = prepare(page_text, config)
    if not lines:
        return CleanArticle(text="", method="text")
    art = _clean_lines(lines, page_text, templates, config)
    if not art.text and templates is not None and any(x.role == "template" for x in lines):
        # Evidence left no body. Cleaned without it, the page shows what it holds: an article
        # that several copies made look like a template (re-sent tables), or nothing but the
        # site's boilerplate (a comment policy, a newsletter prompt), which is no article.
        art = _clean_lines(prepare(page_text, config), page_text, None, config)
        art.rejected = _boilerplate_only(art.text, templates, config)
    return art


def _boilerplate_only(body: str, templates, config: CleanConfig) -> str | None:
    """A one-line reason when `body` is (by `reject_template_share` of its characters) lines
    that recur across stories of the site or across sites, else None."""
    if not body:
        return None
    found = [(len(x), templates.match_key(line_key(x))) for x in body.split("\n")]
    shared = sum(n for n, kind in found if kind in ("site", "cross_site"))
    if shared < config.reject_template_share * sum(n for n, _ in found):
        return None
    lines = sum(1 for _, kind in found if kind in ("site", "cross_site"))
    return (f"the body is only text that recurs across the site's or other sites' pages "
            f"({lines} of {len(found)} lines)")


def apply_templates(lines: list[Line], templates) -> None:
    """Lines recurring across stories of the page's site, or template on other sites, are
    template chrome. Evidence pooled over pages of unknown site demotes only non-prose lines:
    a paragraph recurring across unknown sites is a syndicated story re-edited by each outlet
    (its copies then need not share their longest line, which is how one story is told from
    another), not a template."""
    if templates is None:
        return
    for line in lines:
        if line.kind != CHROME:
            found = templates.match_key(line.key)
            if found is not None and (found != "pooled" or line.kind != GOOD):
                line.kind, line.role = CHROME, "template"


def _clean_lines(lines: list[Line], page_text: str, templates, config: CleanConfig) -> CleanArticle:
    apply_templates(lines, templates)
    mark_teasers(lines, config)
    mark_data_rows(lines, config)

    title_match = TitleMatcher(title_keys(lines[0].text))
    run = body_range(lines, config)
    lo, hi = run if run is not None and run[0] < run[1] else (len(lines), len(lines))
    title = _title(lines, lo, title_match, config)

    body: list[str] = []
    kept: list[Line] = []
    byline = None
    date_lines: list[str] = []
    after_label = False
    # Bulleted points between the headline and the first paragraph are the standfirst
    # ("Key Points"), not body; bullets after the body has begun are.
    standfirst = opens_with_standfirst(lines, list(range(lo, hi)))
    for i, x in enumerate(lines):
        # Headlines listed under a "Related" / "Read more" label are links, up to the next
        # prose paragraph.
        if x.kind == GOOD:
            after_label = False
        elif x.kind == CHROME and x.shape.link_label:
            after_label = True
            continue
        elif after_label and x.role not in ("data", "table"):
            continue
        if x.role == "date":
            date_lines.append(x.text)
            continue
        if x.role == "byline":
            byline = byline or byline_names(x.text)
            continue
        if not lo <= i < hi or x.kind in (CHROME, SHORT):
            continue
        if x.kind == HEAD and not is_subheading(lines, i, config):
            continue
        if i == 0 or title_match.matches(x.key):
            continue
        if is_caption(lines, i, config) or is_truncated_copy(x, lines):
            continue
        if is_list_item(x.text):
            if standfirst:
                continue
            body.append(strip_list_marker(x.text))  # "- " marks a list item in the dump
        else:
            standfirst = False
            body.append(x.text)
        kept.append(x)
    text = "\n".join(body)
    return CleanArticle(text=text, title=title, byline=byline, date_lines=date_lines,
                        language=detect_language(text, config), method="text",
                        body_span=_span(page_text, kept[0], kept[-1]) if kept else None)


def _title(lines: list[Line], start: int, title_match: TitleMatcher, config: CleanConfig) -> str | None:
    """The in-page headline matching the dump's first (<title>) line (the last such line above
    the body), else the headline-shaped line just above the body, else the first line without
    its site suffix."""
    title = None
    for i in range(1, start):
        if title_match.matches(lines[i].key):
            title = lines[i].text
    if title is None:
        title = headline_above(lines, start, config)
    if title is None and lines[0].kind not in (CHROME, SHORT):
        title = cp.TITLE_SUFFIX_RE.sub("", lines[0].text) or lines[0].text
    return title


def _span(page_text: str, first: Line, last: Line) -> tuple[int, int]:
    """Character offsets into the page of the start of `first`'s text and the end of `last`'s
    (the lines of `str.splitlines`, whose breaks are all whitespace)."""
    raw = page_text.splitlines(keepends=True)
    begin = sum(map(len, raw[:first.start]))
    head = raw[first.start]
    begin += len(head) - len(head.lstrip())
    end = sum(map(len, raw[:last.end - 1]))
    end += len(raw[last.end - 1].rstrip())
    return begin, end
