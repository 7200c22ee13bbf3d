"""Page structure: which lines around a line make it chrome, and where the body is.

After each line has its shape (lines.py), the neighbourhood decides: repeated "headline +
summary" pairs are a teaser widget; each line then scores for the body (prose) or against it
(chrome, headlines), and the body is the best-scoring contiguous run of lines, with isolated
short prose at its ends trimmed (a caption above, a promo below). The article comes before
its readers' comments: a comment section's heading ends the article.
"""

from __future__ import annotations

from itertools import compress

from . import patterns as cp
from .config import CleanConfig
from .lines import (CHROME, GOOD, HEAD, HEADLINE, HEADLINE_END_RE, NEAR, SHORT, PageLines,
                    is_list_item)

# --------------------------------------------------------------------------------------------
# Teaser lists: headline + one-sentence summary, repeated
# --------------------------------------------------------------------------------------------


def mark_teasers(p: PageLines, config: CleanConfig) -> None:
    """Mark "headline, summary sentence" pairs repeated at least three times in a row (related
    and latest-news widgets, optionally with a time stamp or section label per item, before or
    after the summary) as chrome. A body paragraph runs on into more prose, so a summary
    followed by a prose paragraph breaks the chain."""
    shapes, kinds, roles = p.shapes, p.kinds, p.roles
    n = len(kinds)
    max_units, min_units = config.teaser_max_units, config.summary_min_units

    def headline_like(k: int) -> bool:
        return roles[k] is None and shapes[k].headline

    def skip_meta(k: int) -> int:
        while k < n and (roles[k] == "date" or shapes[k].units <= 2):
            k += 1
        return k

    def summary(k: int, head: int) -> bool:
        """One sentence under a teaser headline. A sentence-shaped one may be shorter than its
        headline ("A routine review of content labeled satire."); one without end punctuation
        must be longer, or two headlines in a row would pass for a pair; a table row never is
        one (rows of an earnings table would otherwise pair up as "headline, summary")."""
        s = shapes[k]
        if roles[k] is not None or not s.one_sentence or s.units > max_units:
            return False
        if kinds[k] in (GOOD, NEAR):
            return s.units >= min_units
        return kinds[k] == HEAD and s.units > max(8.0, shapes[head].units) and not s.data_row

    # Only a headline-shaped line can start a teaser list (marking only changes lines before
    # the point the scan resumes from, so the candidates can be listed up front).
    i = 0
    for start in [k for k in compress(range(n), map(HEADLINE, shapes)) if roles[k] is None]:
        if start < i:
            continue
        i = start
        if i >= n - 1:
            break
        j, pairs, end = i, 0, i
        while j < n and headline_like(j):
            m = skip_meta(j + 1)
            if m >= n or not summary(m, j):
                break
            k = skip_meta(m + 1)
            if k < n and kinds[k] == GOOD and not headline_like(k):
                break
            pairs, end, j = pairs + 1, m + 1, k
        if pairs >= config.teaser_min_pairs:
            for k in range(i, end):
                if roles[k] is None:
                    kinds[k], roles[k] = CHROME, "teaser"
            i = end
        else:
            i += 1


# --------------------------------------------------------------------------------------------
# Body run
# --------------------------------------------------------------------------------------------

# Score of a line the body run never crosses (the comment section's heading).
SECTION_END = -1e6
_SECTION_ROLES = ("comments", "comments_label")
_PROSE = frozenset((GOOD, NEAR))


def scores(p: PageLines, config: CleanConfig) -> list[float]:
    """Evidence that each line belongs to the body: prose counts for (by its length, up to a
    cap), chrome and link-like lines count against, so the best-scoring contiguous run is the
    article. Each further line of an unbroken non-prose stretch costs `gap_growth` more than
    the last: a related-links box inside an article is bridged, a footer's long menu is not."""
    kinds, roles, shapes = p.kinds, p.roles, p.shapes
    cap, growth, isolated = config.good_score_cap, config.gap_growth, config.isolated_weight
    table_weight = config.table_row_weight
    by_role = {None: config.score_chrome, "template": config.score_chrome,
               "teaser": config.score_chrome, "stop": config.score_stop,
               "comments": SECTION_END, "comments_label": SECTION_END}
    meta = config.score_meta  # other chrome of a known use: dates, bylines, credits
    # The score of each line by kind (and role, for chrome), GOOD lines by length below.
    fixed = {NEAR: config.score_near, HEAD: config.score_head, SHORT: config.score_short}
    prose = list(map(_PROSE.__contains__, kinds)) + [False]  # [-1] and [n]: no neighbour
    out = []
    append = out.append
    streak = 0
    for i, (kind, role) in enumerate(zip(kinds, roles)):
        if kind == GOOD:
            units = shapes[i].units
            s = units if units < cap else cap
            # A lone prose line between chrome is a teaser or caption more often than body,
            # unless it is a whole paragraph's length.
            if not prose[i - 1] and not prose[i + 1] and units < cap:
                s *= isolated
            streak = 0
        else:
            s = fixed.get(kind)
            if s is None:  # chrome
                s = by_role.get(role, meta)
            if s < 0:
                if streak:
                    s *= 1.0 + growth * streak
                streak += 1
            elif kind == NEAR and role == "table":
                units = shapes[i].units
                s = table_weight * (units if units < 10.0 else 10.0)
                streak = 0  # a row of a long table ends a non-prose stretch like prose does
        append(s)
    return out


def best_run(values: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    """Maximum-sum contiguous run of values[lo:hi] (Kadane); returns (sum, start, end)."""
    best, best_lo, best_hi = 0.0, lo, lo
    cur, cur_lo = 0.0, lo
    for i in range(lo, hi):
        if cur <= 0:
            cur, cur_lo = 0.0, i
        cur += values[i]
        if cur > best:
            best, best_lo, best_hi = cur, cur_lo, i + 1
    return best, best_lo, best_hi


def trim_edges(p: PageLines, lo: int, hi: int, config: CleanConfig) -> tuple[int, int]:
    """Drop a short prose line isolated at either end of a run (a caption or teaser above the
    article, a promo line below it): it is separated from the rest by non-prose lines."""
    kinds, shapes = p.kinds, p.shapes

    def gap_after(i: int) -> int:
        n = 0
        for j in range(i + 1, hi):
            if kinds[j] == GOOD:
                return n
            n += kinds[j] != NEAR
        return n

    def gap_before(i: int) -> int:
        # Headlines of a related-links box between the last paragraphs do not count: the
        # article often resumes after such a box.
        n = 0
        for j in range(i - 1, lo - 1, -1):
            if kinds[j] == GOOD:
                return n
            n += kinds[j] not in (NEAR, HEAD) and not shapes[j].link_label
        return n

    while lo < hi:
        firsts = [i for i in range(lo, hi) if kinds[i] == GOOD]
        if len(firsts) < 3:
            break
        i, k = firsts[0], firsts[-1]
        if shapes[i].units < config.edge_max_units and gap_after(i) >= config.edge_gap_lines:
            lo = i + 1
        elif shapes[k].units < config.edge_max_units and gap_before(k) >= config.edge_gap_lines:
            hi = k
        else:
            break
    return lo, hi


def body_range(p: PageLines, config: CleanConfig) -> tuple[int, int] | None:
    """(first, end) indices of the body run, or None when no run scores above zero.

    The comment section's heading splits the page into sections the run never crosses. The
    article comes before its comments: the body is the best run of the first section before a
    comment section whose best run is substantial (`section_min_score`) and not much weaker
    than the page's best (`earlier_section_share` of it, or `section_enough_score`: a long
    paragraph), since many readers' comments outweigh one article. A bare "Comments" label
    heads a comment section only when readers' posts follow it: it may be a share bar's link
    above the article."""
    values = scores(p, config)
    roles = p.roles
    # (most pages have no comment section: two C-level scans spare a Python loop over the roles)
    heads = ([i for i, r in enumerate(roles) if r in _SECTION_ROLES]
             if "comments" in roles or "comments_label" in roles else [])
    if not heads:
        total, lo, hi = best_run(values, 0, len(values))
        return trim_edges(p, lo, hi, config) if total > 0 else None
    runs = []  # (best run of the section, whether a comment section follows it)
    lo = 0
    for k, end in enumerate(heads + [len(values)]):
        if end > lo:
            before_comments = end < len(values) and (
                roles[end] == "comments"
                or looks_like_posts(p, end + 1, heads[k + 1] if k + 1 < len(heads) else len(values),
                                    config))
            runs.append((best_run(values, lo, end), before_comments))
        lo = end + 1
    top = max((r[0] for r, _ in runs), default=0.0)
    if top <= 0:
        return None
    floor = max(config.section_min_score,
                min(config.earlier_section_share * top, config.section_enough_score))
    for (total, lo, hi), before_comments in runs:
        if total == top or (before_comments and total >= floor):
            return trim_edges(p, lo, hi, config)
    return None


def looks_like_posts(p: PageLines, lo: int, hi: int, config: CleanConfig) -> bool:
    """Whether lines[lo:hi] are readers' posts: prose after at least `posts_min_headers` post
    headers (a commenter's name line "Jane says:", a time stamp, "by Jane on May 3, 2011",
    or a short line such as "Reply" or "Permalink" printed with every post)."""
    kinds, roles, shapes, texts = p.kinds, p.roles, p.shapes, p.texts
    shape_counts: dict[str, int] = {}
    for i in range(lo, hi):
        if kinds[i] not in (GOOD, NEAR) and shapes[i].units <= 6:
            k = shapes[i].key.translate(_ZERO)
            shape_counts[k] = shape_counts.get(k, 0) + 1
    headers = 0
    for i in range(lo, hi):
        if kinds[i] in (GOOD, NEAR):
            continue
        if not (roles[i] in ("date", "byline") or cp.POST_ATTRIBUTION_RE.match(texts[i])
                or (shapes[i].units <= 6 and shape_counts.get(shapes[i].key.translate(_ZERO), 0) >= 3)):
            continue
        if any(kinds[k] == GOOD for k in range(i + 1, min(hi, i + 3))):
            headers += 1
            if headers >= config.posts_min_headers:
                return True
    return False


_ZERO = str.maketrans("123456789", "000000000")  # "Score:3" and "Score:5" are one shape


# --------------------------------------------------------------------------------------------
# Lines inside the body that are not body
# --------------------------------------------------------------------------------------------


def opens_with_standfirst(p: PageLines, lo: int, hi: int) -> bool:
    """True when the body run opens with bulleted prose followed by unbulleted paragraphs: the
    bullets are then a standfirst. A body made of a list alone keeps its list."""
    kinds, texts = p.kinds, p.texts
    k = lo
    while k < hi and kinds[k] not in (GOOD, NEAR):
        k += 1
    if k == hi or not is_list_item(texts[k]):
        return False
    return any(kinds[i] == GOOD and not is_list_item(texts[i]) for i in range(k, hi))


def is_subheading(p: PageLines, i: int, config: CleanConfig) -> bool:
    """A short heading between body paragraphs; a longer one there is an inline related-story
    link."""
    return (p.shapes[i].units <= config.subhead_max_units and i + 1 < len(p.kinds)
            and p.kinds[i + 1] == GOOD)


def is_caption(p: PageLines, i: int, config: CleanConfig) -> bool:
    """A photo caption: printed twice within a few lines (image alt text plus figcaption), or
    ending in a picture credit such as "(Korean Central News Agency-Yonhap)" or "(AP Photo)"."""
    text, shapes = p.texts[i], p.shapes
    if text.endswith((")", ").")) and cp.CREDIT_TAIL_RE.search(text[-120:]):
        return True
    if (i + 1 < len(shapes) and shapes[i + 1].credit
            and shapes[i].units <= config.caption_max_units):
        return True  # the caption above a picture's credit line
    key = p.keys[i]
    half = len(key) // 2
    if half >= 20 and key[:half] == key[half:]:
        return True  # alt text and caption run together on one line
    window = config.caption_repeat_window
    # another line of the window with the same key (the line itself is one)
    return p.keys[max(0, i - window):i + window + 1].count(key) > 1


def is_truncated_copy(p: PageLines, i: int) -> bool:
    """A teaser cut off with an ellipsis whose text opens another line of the page."""
    if not p.texts[i].endswith(("...", "…")):
        return False
    key = p.keys[i]
    return len(key) >= 20 and any(k != key and k.startswith(key) for k in p.keys)


def headline_above(p: PageLines, start: int, config: CleanConfig) -> str | None:
    """The headline-shaped line nearest above the body, looking past byline, date and share
    lines (pages without a <title> line, such as archive dumps)."""
    for i in range(start - 1, max(-1, start - 1 - config.headline_lookback), -1):
        if p.kinds[i] == CHROME or p.kinds[i] == SHORT:
            continue
        if p.shapes[i].units >= 3 and not HEADLINE_END_RE.search(p.texts[i]):
            return p.texts[i]
        return None
    return None
