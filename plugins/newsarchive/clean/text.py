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

from itertools import compress, repeat
from operator import eq

from . import patterns as cp
from .article import CleanArticle
from .config import CleanConfig
from .fields import TitleMatcher, byline_names, title_keys
from .language import detect_language
from .lines import CHROME, GOOD, HEAD, LINK_LABEL, LIST_MARKS, SHORT, PageLines, is_list_item, line_key, \
    sentence_count, shapes_for, split_lines, strip_list_marker, unwrap
from .structure import (body_range, headline_above, is_caption, is_subheading, is_truncated_copy,
                        mark_teasers, opens_with_standfirst)
from .tables import join_cell_rows, mark_data_rows, may_hold_cell_table


def prepare(page_text: str, config: CleanConfig) -> PageLines:
    """The page's lines (blank lines dropped), each with its shape and its place in the page."""
    raw, raw_lengths, candidates, numeric_lines, walks = split_lines(page_text, config)
    texts, starts = unwrap(raw, config, candidates, walks)
    if may_hold_cell_table(page_text, config, numeric_lines):
        texts, starts = join_cell_rows(texts, starts, config)
    ends = starts[1:] + [len(raw)]
    if "" in texts:
        keep = list(map(bool, texts))
        texts, starts, ends = list(compress(texts, keep)), list(compress(starts, keep)), list(compress(ends, keep))
    return PageLines(texts, shapes_for(config).of(texts), starts, ends, raw_lengths)


def clean_text(page_text: str, *, templates=None, config: CleanConfig) -> CleanArticle:
    """Clean a plain-text dump of a whole page: the article body (one paragraph per line) with
    title, byline and date-bearing chrome lines moved to their own fields. `templates`: the
    evidence of the page's site (`TemplateLines.for_site`). Deterministic; never raises on odd
    input (an empty page gives an empty body)."""
    lines = prepare(page_text, config)
    if not lines:
        return CleanArticle(text="", method="text")
    art = _clean_lines(lines, page_text, templates, config)
    if not art.text and templates is not None and "template" in lines.roles:
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


def apply_templates(p: PageLines, templates) -> None:
    """Lines recurring across stories of the page's site, or template on other sites, are
    template chrome. Evidence pooled over pages of unknown site demotes only non-prose lines:
    a paragraph recurring across unknown sites is a syndicated story re-edited by each outlet
    (its copies then need not share their longest line, which is how one story is told from
    another), not a template."""
    if templates is None:
        return
    kinds, roles = p.kinds, p.roles
    for i, shape in enumerate(p.shapes):
        if kinds[i] != CHROME:
            found = templates.match_key(shape.key)
            if found is not None and (found != "pooled" or kinds[i] != GOOD):
                kinds[i], roles[i] = CHROME, "template"


def _clean_lines(p: PageLines, page_text: str, templates, config: CleanConfig) -> CleanArticle:
    apply_templates(p, templates)
    mark_teasers(p, config)
    mark_data_rows(p, config)

    texts, shapes, keys, kinds, roles = p.texts, p.shapes, p.keys, p.kinds, p.roles
    n = len(texts)
    titled = not _is_prose_first_line(texts[0], config)
    title_match = TitleMatcher(title_keys(texts[0]) if titled else set())
    run = body_range(p, config)
    lo, hi = run if run is not None and run[0] < run[1] else (n, n)
    title = _title(p, lo, title_match, config, titled)

    # Lines listed under a "Related" / "Read more" label are links, up to the next prose
    # paragraph (table rows aside): neither body nor this article's date or byline.
    links = set()
    for label in compress(range(n), map(LINK_LABEL, shapes)):
        if kinds[label] == CHROME:
            links.add(label)
            k = label + 1
            while k < n and kinds[k] != GOOD:
                if roles[k] not in ("data", "table"):
                    links.add(k)
                k += 1
    date_lines = [texts[i] for i in compress(range(n), map(eq, roles, repeat("date"))) if i not in links]
    byline = next((b for i in compress(range(n), map(eq, roles, repeat("byline"))) if i not in links
                   for b in [byline_names(texts[i])] if b), None)

    body: list[str] = []
    kept: list[int] = []
    # Bulleted points between the headline and the first paragraph are the standfirst
    # ("Key Points"), not body; bullets after the body has begun are.
    standfirst = opens_with_standfirst(p, lo, hi)
    for i in range(lo, hi):
        kind = kinds[i]
        if kind == CHROME or kind == SHORT or i in links:
            continue
        if kind == HEAD and not is_subheading(p, i, config):
            continue
        if (i == 0 and titled) or title_match.matches(keys[i]):
            continue
        text = texts[i]
        # (the cheap first tests of is_truncated_copy and is_list_item here: most lines fail them)
        if is_caption(p, i, config) or (text.endswith(("...", "…")) and is_truncated_copy(p, i)):
            continue
        if text[:1] in LIST_MARKS and is_list_item(text):
            if standfirst:
                continue
            body.append(strip_list_marker(text))  # "- " marks a list item in the dump
        else:
            standfirst = False
            body.append(text)
        kept.append(i)
    text = "\n".join(body)
    span = _span(page_text, p.raw_lengths, p.starts[kept[0]], p.ends[kept[-1]]) if kept else None
    return CleanArticle(text=text, title=title, byline=byline, date_lines=date_lines,
                        language=detect_language(text, config), method="text", body_span=span)


def _is_prose_first_line(line: str, config: CleanConfig) -> bool:
    return (len(line.split()) >= config.first_line_prose_words
            and sentence_count(line) >= config.first_line_prose_sentences)


def _title(p: PageLines, start: int, title_match: TitleMatcher, config: CleanConfig,
           titled: bool = True) -> str | None:
    """The in-page headline matching the dump's first (<title>) line (the last such line above
    the body), else the headline-shaped line just above the body, else the first line without
    its site suffix (unless that line is prose: `titled` False)."""
    title = None
    keys, lo_len, hi_len, line_keys = title_match.keys, title_match.lo_len, title_match.hi_len, p.keys
    for i in range(1, start):
        key = line_keys[i]
        if len(key) >= 8 and (key in keys or (lo_len <= len(key) <= hi_len
                                              and title_match.matches(key))):
            title = p.texts[i]
    if title is None:
        title = headline_above(p, start, config)
    if title is None and titled and p.kinds[0] not in (CHROME, SHORT):
        title = cp.TITLE_SUFFIX_RE.sub("", p.texts[0]) or p.texts[0]
    return title


def _span(page_text: str, raw_lengths: list[int], start: int, end: int) -> tuple[int, int]:
    """Character offsets into the page from the first character of line `start` to the last
    of line `end - 1` (lines of `str.splitlines`, whose breaks are all whitespace)."""
    # A two-character break: count from the lines as the page has them. (A one-character
    # search first: it runs ten times faster than the two-character one.)
    if "\r" in page_text and "\r\n" in page_text:
        raw = page_text.splitlines(keepends=True)
        begin, stop = sum(map(len, raw[:start])), sum(map(len, raw[:end - 1]))
    else:  # every break is one character
        begin, stop = sum(raw_lengths[:start]) + start, sum(raw_lengths[:end - 1]) + end - 1
    head = page_text[begin:begin + raw_lengths[start]]
    last = page_text[stop:stop + raw_lengths[end - 1]]
    return begin + len(head) - len(head.lstrip()), stop + len(last.rstrip())
