"""Choosing the page's written date: every candidate scored by its evidence (label, position
relative to the article, marks of lists, comments and prose), and a claim only for a clear
winner. Abstaining (no claim) is the answer whenever the page does not settle its day: a wrong
date files the article in the wrong partition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from newsarchive.dates import layout
from newsarchive.dates.context import annotate
from newsarchive.dates.conventions import SiteEvidence, follows_dateline, resolve
from newsarchive.dates.scan import Candidate, normalise_digits, scan, scan_short_years
from newsarchive.dates.textindex import text_index


@dataclass(slots=True)
class WrittenDate:
    """The page's written date (None: no claim) and the readings of an ambiguous numeric date
    when the answer rests on one (read by a convention, or left unread as the page's best)."""

    claimed: Candidate | None
    alternatives: tuple[dt.date, ...] = ()
    # Every day the text writes (both readings of an ambiguous numeric date, out-of-range days
    # too): what a witness that only guesses (htmldate) must find written to be believed.
    written: frozenset[dt.date] = frozenset()


@dataclass(slots=True)
class _Body:
    """Where the article's prose runs, in lines (None: no prose found), and the character
    offset where its first line starts."""

    start: int | None
    end: int | None
    pos: int


def score(c: Candidate, n_lines: int, body: _Body, has_published: bool, cfg, heads_main: bool = False) -> float:
    """The evidence that candidate `c` is the page's first publication (see `DateConfig`)."""
    s = 0.0
    if c.label == "pub":
        # A "Published" line inside or under the article is often a box about something else
        # (a fact-check's statement, a quoted source); the one above the first paragraph is not.
        late = body.start is not None and c.line > body.start + cfg.late_published_lines and not c.self_statement
        s += cfg.w_published_late if late else cfg.w_published
    elif c.label == "evt":
        s += cfg.w_event
    elif c.label == "upd":
        # Beside a labelled publication date an update date is the later change; without one it
        # is the best evidence of the article's day there is (pages that show only "Updated ...").
        s += cfg.w_updated if has_published else cfg.w_updated_only
    if c.alone:
        s += cfg.w_alone
    if c.byline:
        s += cfg.w_byline
    if c.preposition:
        s += cfg.w_preposition
    if c.weekday_ok is False:
        s += cfg.w_weekday_bad
    if c.time:
        s += cfg.w_time
    if c.embed:
        s += cfg.w_embed
    if c.comment:
        s += cfg.w_comment
    if c.range_end:
        s += cfg.w_range_end
    if c.sentence:
        s += cfg.w_sentence
    if body.start is not None:
        d = c.line - body.start
        if c.alone and -cfg.head_lines <= d <= 0:
            s += cfg.w_head  # the date line between headline/byline and the first paragraph
        if -cfg.near_above <= d <= cfg.near_below:
            s += cfg.w_body_near
        elif -cfg.close_lines <= d <= cfg.close_lines:
            s += cfg.w_body_close
            if heads_main:
                s += cfg.w_head + cfg.w_body_near - cfg.w_body_close  # the main block's date line (as above)
        elif heads_main:
            s += cfg.w_head + cfg.w_body_near
        if c.line > body.end + cfg.after_body_lines:
            s += cfg.w_after_body  # below the article: related lists, trending, comments, footer
    s += cfg.w_position * c.line / max(n_lines, 1)
    s += cfg.w_crowd * min(c.crowd, cfg.crowd_cap)
    return s


def candidates(text: str, lo: dt.date, hi: dt.date, language: str | None, site: SiteEvidence | None,
               body: _Body, datelines: Sequence[tuple[int, int]], cfg, year_starts: list[int] | None = None
               ) -> tuple[list[Candidate], list[Candidate], frozenset[dt.date]]:
    """The page's dates in page order, annotated and resolved; apart, the ambiguous numeric dates
    nothing settled (scored only to report their readings); and every day written.
    `year_starts`: where "19dd" and "20dd" stand, when known (`textindex`)."""
    cands = scan(text, year_starts)
    if not cands:
        cands = scan_short_years(text, cands)
    elif body.start is not None:
        cands = _with_short_years_near_body(text, cands, lo, hi, body.pos, cfg)
    written = frozenset([c.day for c in cands] + [d for c in cands if c.ambiguous for d in c.ambiguous])
    annotate(text, cands)
    cands, unresolved = resolve(cands, lo, hi, language, site, (body.start, body.end), datelines, cfg)
    # Candidates are in page order, so neighbours within a few lines are a short walk either side.
    reach = cfg.crowd_lines
    for i, c in enumerate(cands):
        crowd = 0
        for j in range(i - 1, -1, -1):
            if c.line - cands[j].line > reach:
                break
            crowd += cands[j].day != c.day
        for j in range(i + 1, len(cands)):
            if cands[j].line - c.line > reach:
                break
            crowd += cands[j].day != c.day
        c.crowd = crowd
    for c in unresolved:
        c.crowd = sum(1 for o in cands if abs(o.line - c.line) <= reach and o.day not in c.readings)
    return cands, unresolved, written


def _with_short_years_near_body(text: str, cands: list[Candidate], lo: dt.date, hi: dt.date, body_pos: int,
                                cfg) -> list[Candidate]:
    """The date line under the headline may write a 2-digit year ("Publié le 02/11/23 à 16h33",
    "von lupa am 26/10/13"): looked for on the short lines around the first paragraph only,
    where such a date is the page's own and not a version number or a score. Where a usable
    full-year date already stands on a short line there, the page writes 4-digit years."""
    pos = layout.lines_before(text, body_pos, cfg.short_year_lines_above)
    stop = layout.lines_after(text, body_pos, cfg.short_year_lines_below + 1)
    if any(pos <= c.start < stop and lo <= c.day <= hi
           and layout.line_width(text, c.start) <= cfg.short_year_line_chars for c in cands):
        return cands
    more = []
    while pos < stop:
        end = text.find("\n", pos, stop)
        end = stop if end < 0 else end
        if 6 <= end - pos <= cfg.short_year_line_chars:  # 6: "1.2.23" is the shortest such date
            more += scan_short_years(text, cands, pos, end, named=True)
        pos = end + 1
    return sorted(cands + more, key=lambda c: c.start) if more else cands


def written_date(text: str, lo: dt.date, hi: dt.date, language: str | None, site: SiteEvidence | None, cfg,
                 body_span: tuple[int, int] | None = None) -> WrittenDate:
    """The page's written date: the best-scored candidate when it scores at least `min_score`
    and leads every other day by `min_margin`; else no claim."""
    text = normalise_digits(text)
    index = text_index(text)  # years and long lines in one kernel pass (None: the Python paths)
    long_lines = index.long_lines if index is not None else None
    if body_span is not None:
        body = _Body(*layout.span_lines(text, body_span))
    else:
        long_lines = long_lines or layout.long_lines(text)
        body = _Body(*layout.body_span_at(text, *long_lines))
    datelines = layout.body_datelines(text, body.pos if body.start is not None else None)
    cands, unresolved, written = candidates(text, lo, hi, language, site, body, datelines, cfg,
                                            index.year_starts if index is not None else None)
    if not cands and not unresolved:
        return WrittenDate(None, (), written)
    main_head = None
    if body.start is not None and cands:
        for c in cands:  # in page order: only the few above the first paragraph are looked at
            if c.line > body.start or (c.alone and c.line >= body.start - cfg.head_lines):
                break
        else:
            c = None
        if c is None or c.line > body.start:
            # No date line heads the first paragraph: it may be a blurb above the article's own.
            long_lines = long_lines or layout.long_lines(text)
            main_head = _main_block_head(cands, layout.main_block(text, *long_lines, body.start, cfg), cfg)
    n_lines = text.count("\n") + 1
    # A "published" inside running prose does not make a dated "Updated ..." line a later change.
    has_published = any(c.label == "pub" and not c.sentence for c in cands)
    # Only lists below the article's first paragraph: a "Latest" menu entry above the headline
    # heads nothing the date line belongs to. Only the stretch from `list_lines` above the first
    # candidate below the first paragraph to the last candidate can hold a heading that matters.
    headings = []
    below = [c for c in cands + unresolved if body.start is not None and c.line > body.start]
    if below:
        first = min(below, key=lambda c: c.start)
        start = max(body.pos, layout.lines_before(text, text.rfind("\n", 0, first.start) + 1, cfg.list_lines))
        last = max(c.end for c in below)
        headings = [h for h in layout.list_heading_lines(text, max(start - 1, 0), last) if h > body.start]

    best, best_score, runner_up = None, None, None
    for c in cands:
        s = score(c, n_lines, body, has_published, cfg, c is main_head)
        if headings and any(0 < c.line - h <= cfg.list_lines for h in headings):
            s += cfg.w_list  # an item of a "Trending"/"Related"/"Comments" list
        if datelines and follows_dateline(c.day, datelines, cfg.dateline_lag_days):
            s += cfg.w_dateline  # the body's own "CITY, March 6 -" dateline agrees
        if best_score is None or s > best_score:
            if best is not None and best.day != c.day:
                runner_up = best_score
            best, best_score = c, s
        elif c.day != best.day and (runner_up is None or s > runner_up):
            runner_up = s
    lead = None if best is None or runner_up is None else best_score - runner_up
    if best is not None and best_score >= cfg.min_score and (lead is None or lead >= cfg.min_margin):
        best.score, best.lead = best_score, lead
        return WrittenDate(best, tuple(sorted(best.readings)) if best.readings else (), written)
    # No claim: an ambiguous date that would have been a claim (or tied the best) is what the
    # page's date hangs on; dedup looks for copies under both its readings.
    top, top_score = None, None
    for c in unresolved:
        s = score(c, n_lines, body, has_published, cfg)
        if headings and any(0 < c.line - h <= cfg.list_lines for h in headings):
            s += cfg.w_list
        if s >= cfg.min_score and (best_score is None or s > best_score - cfg.min_margin) \
                and (top_score is None or s > top_score):
            top, top_score = c, s
    return WrittenDate(None, tuple(sorted(top.readings)) if top is not None else (), written)


def _main_block_head(cands: list[Candidate], main_start: int | None, cfg) -> Candidate | None:
    """The plain date line just above the main block: alone on its line, no tweet, comment or
    event label, and no other date line within `list_neighbour_lines` (a column of stamps, "Feb
    16, 2013" under each signature, is a list however it is spaced)."""
    if main_start is None:
        return None
    alone_lines = [c.line for c in cands if c.alone]
    for c in cands:
        if (c.alone and -cfg.head_lines <= c.line - main_start <= 0 and not (c.embed or c.comment or c.crowd)
                and c.label != "evt"
                and not any(0 < abs(line - c.line) <= cfg.list_neighbour_lines for line in alone_lines)):
            return c
    return None
