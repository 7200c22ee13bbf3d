"""Page structure: which lines around a line make it chrome, and where the body is.

After each line has its shape (lines.py), the neighbourhood decides: repeated "headline +
summary" pairs are a teaser widget; each line then scores for the body (prose) or against it
(chrome, headlines), and the body is the best-scoring contiguous run of lines, with isolated
short prose at its ends trimmed (a caption above, a promo below).
"""

from __future__ import annotations

from . import patterns as cp
from .config import CleanConfig
from .lines import CHROME, GOOD, HEAD, HEADLINE_END_RE, NEAR, SHORT, Line, is_list_item

# --------------------------------------------------------------------------------------------
# Teaser lists: headline + one-sentence summary, repeated
# --------------------------------------------------------------------------------------------


def _is_headline_like(line: Line) -> bool:
    return line.role is None and line.shape.headline


def _is_summary(line: Line, head: Line, config: CleanConfig) -> bool:
    """One sentence under a teaser headline. A sentence-shaped one may be shorter than its
    headline ("A routine review of content labeled satire."); one without end punctuation must
    be longer, or two headlines in a row would pass for a pair."""
    if line.role is not None or not line.shape.one_sentence or line.units > config.teaser_max_units:
        return False
    if line.kind in (GOOD, NEAR):
        return line.units >= config.summary_min_units
    # A headline-shaped summary must be longer than its headline; a table row never is one
    # (rows of an earnings table would otherwise pair up as "headline, summary").
    return line.kind == HEAD and line.units > max(8.0, head.units) and not line.shape.data_row


def _is_meta(line: Line) -> bool:
    return line.role == "date" or line.units <= 2


def mark_teasers(lines: list[Line], config: CleanConfig) -> None:
    """Mark "headline, summary sentence" pairs repeated at least three times in a row (related
    and latest-news widgets, optionally with a time stamp or section label per item, before or
    after the summary) as chrome. A body paragraph runs on into more prose, so a summary
    followed by a prose paragraph breaks the chain."""
    n = len(lines)

    def skip_meta(k: int) -> int:
        while k < n and _is_meta(lines[k]):
            k += 1
        return k

    # Only a headline-shaped line can start a teaser list (marking only changes lines before
    # the point the scan resumes from, so the candidates can be listed up front).
    i = 0
    for start in [k for k, x in enumerate(lines) if x.role is None and x.shape.headline]:
        if start < i:
            continue
        i = start
        if i >= n - 1:
            break
        j, pairs, end = i, 0, i
        while j < n and _is_headline_like(lines[j]):
            m = skip_meta(j + 1)
            if m >= n or not _is_summary(lines[m], lines[j], config):
                break
            k = skip_meta(m + 1)
            if k < n and lines[k].kind == GOOD and not _is_headline_like(lines[k]):
                break
            pairs, end, j = pairs + 1, m + 1, k
        if pairs >= config.teaser_min_pairs:
            for k in range(i, end):
                if lines[k].role is None:
                    lines[k].kind, lines[k].role = CHROME, "teaser"
            i = end
        else:
            i += 1


# --------------------------------------------------------------------------------------------
# Body run
# --------------------------------------------------------------------------------------------

# Score of a line the body run never crosses (the comment section's heading).
SECTION_END = -1e6


def line_score(line: Line, config: CleanConfig) -> float:
    """Evidence that a line belongs to the body: prose counts for, chrome and link-like lines
    count against, so the best-scoring contiguous run is the article."""
    kind = line.kind
    if kind == GOOD:
        return min(line.units, config.good_score_cap)
    if kind == NEAR:
        if line.role == "table":
            return config.table_row_weight * min(line.units, 10.0)
        return config.score_near
    if kind == HEAD:
        return config.score_head
    if kind == SHORT:
        return config.score_short
    if line.role == "stop":
        return config.score_stop
    if line.role == "comments" or line.role == "comments_label":
        return SECTION_END  # the comment section follows the article: the body never crosses it
    return config.score_chrome if line.role in (None, "template", "teaser") else config.score_meta


def scores(lines: list[Line], config: CleanConfig) -> list[float]:
    """Per-line scores where each further line of an unbroken non-prose stretch costs more than
    the last: a related-links box inside an article is bridged, a footer's long menu is not."""
    out = []
    streak = 0
    kinds = [x.kind for x in lines]
    prose = [k == GOOD or k == NEAR for k in kinds] + [False]  # [-1] and [n]: no neighbour
    cap, growth, isolated = config.good_score_cap, config.gap_growth, config.isolated_weight
    fixed = {HEAD: config.score_head, SHORT: config.score_short}
    for i, line in enumerate(lines):
        kind = kinds[i]
        if kind == GOOD:
            s = line.units if line.units < cap else cap
            if not prose[i - 1] and not prose[i + 1] and line.units < cap:
                s *= isolated
            streak = 0
        else:
            s = fixed.get(kind)
            if s is None:
                s = line_score(line, config)
            if s < 0:
                s *= 1.0 + growth * streak
                streak += 1
            elif line.role == "table":
                streak = 0  # prose, or a row of a long table, ends the stretch
        out.append(s)
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


def trim_edges(lines: list[Line], lo: int, hi: int, config: CleanConfig) -> tuple[int, int]:
    """Drop a short prose line isolated at either end of a run (a caption or teaser above the
    article, a promo line below it): it is separated from the rest by non-prose lines."""
    def gap_after(i: int) -> int:
        n = 0
        for j in range(i + 1, hi):
            if lines[j].kind == GOOD:
                return n
            n += lines[j].kind != NEAR
        return n

    def gap_before(i: int) -> int:
        # Headlines of a related-links box between the last paragraphs do not count: the
        # article often resumes after such a box.
        n = 0
        for j in range(i - 1, lo - 1, -1):
            if lines[j].kind == GOOD:
                return n
            n += lines[j].kind not in (NEAR, HEAD) and not lines[j].shape.link_label
        return n

    while lo < hi:
        firsts = [i for i in range(lo, hi) if lines[i].kind == GOOD]
        if len(firsts) < 3:
            break
        i, k = firsts[0], firsts[-1]
        if lines[i].units < config.edge_max_units and gap_after(i) >= config.edge_gap_lines:
            lo = i + 1
        elif lines[k].units < config.edge_max_units and gap_before(k) >= config.edge_gap_lines:
            hi = k
        else:
            break
    return lo, hi


def body_range(lines: list[Line], config: CleanConfig) -> tuple[int, int] | None:
    """(first, end) indices of the body run, or None when no run scores above zero.

    The comment section's heading splits the page into sections the run never crosses. The
    article comes before its comments: the body is the best run of the first section whose
    best run is substantial (`section_min_score`) and not much weaker than the page's best
    (`earlier_section_share` of it, or `section_enough_score`: a long paragraph), since many
    readers' comments outweigh one article."""
    values = scores(lines, config)
    # (best run of the section, whether readers' posts follow it)
    runs: list[tuple[tuple[float, int, int], bool]] = []
    lo = 0
    heading = None
    for i, line in enumerate(lines + [None]):
        role = line.role if line is not None else None
        if line is None or role == "comments" or role == "comments_label":
            if i > lo:
                if runs and heading == "comments_label":
                    # A bare "Comments" label heads the comment section only when readers'
                    # posts follow it; it may be a share bar's link above the article.
                    runs[-1] = (runs[-1][0], looks_like_posts(lines, lo, i, config))
                runs.append((best_run(values, lo, i), role == "comments"))
            heading = role
            lo = i + 1
    top = max((r[0] for r, _ in runs), default=0.0)
    if top <= 0:
        return None
    floor = max(config.section_min_score,
                min(config.earlier_section_share * top, config.section_enough_score))
    for (total, lo, hi), before_comments in runs:
        if total == top or (before_comments and total >= floor):
            return trim_edges(lines, lo, hi, config)
    return None


def looks_like_posts(lines: list[Line], lo: int, hi: int, config: CleanConfig) -> bool:
    """Whether lines[lo:hi] are readers' posts: prose after at least `posts_min_headers` post
    headers (a commenter's name line "Jane says:", a time stamp, "by Jane on May 3, 2011",
    or a short line such as "Reply" or "Permalink" printed with every post)."""
    shape_counts: dict[str, int] = {}
    for i in range(lo, hi):
        x = lines[i]
        if x.kind not in (GOOD, NEAR) and x.units <= 6:
            k = _digits_as_zero(x.key)
            shape_counts[k] = shape_counts.get(k, 0) + 1
    headers = 0
    for i in range(lo, hi):
        x = lines[i]
        if x.kind in (GOOD, NEAR):
            continue
        if not (x.role in ("date", "byline") or cp.POST_ATTRIBUTION_RE.match(x.text)
                or (x.units <= 6 and shape_counts.get(_digits_as_zero(x.key), 0) >= 3)):
            continue
        if any(lines[k].kind == GOOD for k in range(i + 1, min(hi, i + 3))):
            headers += 1
            if headers >= config.posts_min_headers:
                return True
    return False


_ZERO = str.maketrans("0123456789", "0000000000")


def _digits_as_zero(key: str) -> str:
    return key.translate(_ZERO)


# --------------------------------------------------------------------------------------------
# Lines inside the body that are not body
# --------------------------------------------------------------------------------------------


def opens_with_standfirst(lines: list[Line], body_idx: list[int]) -> bool:
    """True when the body run opens with bulleted prose followed by unbulleted paragraphs: the
    bullets are then a standfirst. A body made of a list alone keeps its list."""
    k = 0
    while k < len(body_idx) and lines[body_idx[k]].kind not in (GOOD, NEAR):
        k += 1
    if k == len(body_idx) or not is_list_item(lines[body_idx[k]].text):
        return False
    return any(lines[i].kind == GOOD and not is_list_item(lines[i].text) for i in body_idx[k:])


def is_subheading(lines: list[Line], i: int, config: CleanConfig) -> bool:
    """A short heading between body paragraphs; a longer one there is an inline related-story
    link."""
    return (lines[i].units <= config.subhead_max_units and i + 1 < len(lines)
            and lines[i + 1].kind == GOOD)


def is_caption(lines: list[Line], i: int, config: CleanConfig) -> bool:
    """A photo caption: printed twice within a few lines (image alt text plus figcaption), or
    ending in a picture credit such as "(Korean Central News Agency-Yonhap)" or "(AP Photo)"."""
    text = lines[i].text
    if text.endswith((")", ").")) and cp.CREDIT_TAIL_RE.search(text[-120:]):
        return True
    if (i + 1 < len(lines) and lines[i + 1].shape.credit
            and lines[i].units <= config.caption_max_units):
        return True  # the caption above a picture's credit line
    key = lines[i].key
    half = len(key) // 2
    if half >= 20 and key[:half] == key[half:]:
        return True  # alt text and caption run together on one line
    window = config.caption_repeat_window
    lo, hi = max(0, i - window), min(len(lines), i + window + 1)
    return [x.key for x in lines[lo:hi]].count(key) > 1  # line i itself counts once


def is_truncated_copy(line: Line, lines: list[Line]) -> bool:
    """A teaser cut off with an ellipsis whose text opens another line of the page."""
    if not line.text.endswith(("...", "…")):
        return False
    key = line.key
    return len(key) >= 20 and any(x.key != key and x.key.startswith(key) for x in lines)


def headline_above(lines: list[Line], start: int, config: CleanConfig) -> str | None:
    """The headline-shaped line nearest above the body, looking past byline, date and share
    lines (pages without a <title> line, such as archive dumps)."""
    for i in range(start - 1, max(-1, start - 1 - config.headline_lookback), -1):
        x = lines[i]
        if x.kind == CHROME or x.kind == SHORT:
            continue
        if x.units >= 3 and not HEADLINE_END_RE.search(x.text):
            return x.text
        return None
    return None
