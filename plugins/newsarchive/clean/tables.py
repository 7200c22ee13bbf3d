"""Tables in text dumps: data rows that are body, and tables dumped one cell per line.

Runs of short lines carrying numbers (results, earnings, schedules, standings) look like link
lists to the body scorer; they are marked as neutral prose, and a long table (or a short one
under a wire dateline) as content in its own right. Tables dumped one cell per line ("1",
"Kyle Busch", "5040", "5", ...) are first joined back into one line per row.
"""

from __future__ import annotations

import re
from itertools import compress

from . import patterns as cp
from .config import CleanConfig
from .lines import CHROME, DATA_ROW, LIST_PREFIX_RE, NEAR, SHORT, PageLines


def mark_data_rows(p: PageLines, config: CleanConfig) -> None:
    """Table rows and schedules ("June 9 – Tampa, FL @ Amphitheatre", "1 Kyle Busch 5040 5")
    are body when they run on for several lines: mark runs of short lines that carry numbers
    beyond a leading rank as neutral prose instead of link-list evidence. A ranked headline
    list ("1 Headline") has no number past its rank and stays as it is. Inline chrome ("READ
    MORE: ...", "Advertisement") and one- or two-word row labels ("Year") may interrupt a
    table without ending it."""
    shapes, kinds, roles, texts = p.shapes, p.kinds, p.roles, p.texts
    rows_at = [i for i in compress(range(len(shapes)), map(DATA_ROW, shapes)) if roles[i] is None]
    if len(rows_at) < config.data_row_min_run:
        return  # most pages: no table to find
    rows: list[int] = []     # data rows of the current table
    labels: list[int] = []   # row labels between them
    pending: list[int] = []  # labels since the last row: kept only if another row follows
    gap = 0
    n = len(kinds)
    for i in range(rows_at[0], n + 1):  # i == n closes the last table
        if i < n and shapes[i].data_row and roles[i] is None:
            rows.append(i)
            labels.extend(pending)
            pending, gap = [], 0
            continue
        if i < n and rows and gap < config.data_row_max_gap:
            if kinds[i] == CHROME and roles[i] in (None, "template"):
                gap += 1
                continue
            if (kinds[i] == SHORT and roles[i] is None and shapes[i].units <= 2
                    and not LIST_PREFIX_RE.match(texts[i])):
                gap += 1
                pending.append(i)
                continue
        if len(rows) >= config.data_row_min_run:
            # A long table is content in its own right (results, earnings, schedules); a short
            # one only must not count as a link list, unless it opens with a wire dateline
            # ("NEW YORK, March 12 - Shr 2.03 dlrs vs 1.53 dlrs"): it is then a wire brief.
            role = "table" if (len(rows) >= config.table_min_rows
                               or any(cp.DATELINE_RE.match(texts[r]) for r in rows[:2])) else "data"
            for r in rows + labels:
                kinds[r], roles[r] = NEAR, role
        if rows:
            rows, labels, pending, gap = [], [], [], 0


# --------------------------------------------------------------------------------------------
# Tables dumped one cell per line
# --------------------------------------------------------------------------------------------

# (a literal "\n" first lets the engine skip to line starts)
_NUMERIC_CELL_LINE_RE = re.compile(r"\n[ \t]*[-+]?\(?\d[\d.,:%/()+-]*[ \t\r]*(?=\n)")
_NUMERIC_CELL_RE = re.compile(r"[-+]?\(?\d[\d.,:%/()+-]*")


def may_hold_cell_table(page_text: str, config: CleanConfig, numeric_lines: int | None = None) -> bool:
    """Only pages holding a few number-only lines can hold a table dumped one cell per line
    (lines 2 to n-1 are counted: one regex count per page, unless `numeric_lines` gives the
    count, as `lines.split_lines` does)."""
    if numeric_lines is None:
        numeric_lines = len(_NUMERIC_CELL_LINE_RE.findall(page_text))
    return numeric_lines >= config.cell_min_rows


def _cell_kind(text: str, config: CleanConfig) -> str:
    if not text:
        return ""
    if _NUMERIC_CELL_RE.fullmatch(text):
        # a date ("04.11.2021") is a teaser's time stamp, not a table cell
        return "" if cp.DATE_NUMERIC_HINT_RE.search(text) and cp.DATE_RE.search(text) else "N"
    return "T" if len(text) <= config.cell_max_chars and not text.startswith(("- ", "• ")) else ""


def join_cell_rows(lines: list[str], starts: list[int], config: CleanConfig
                   ) -> tuple[list[str], list[int]]:
    """A stretch of lines whose numeric / text pattern repeats with a period of 4-12 cells for at
    least 3 rows joined into one line per row (and the header row of text cells just above it),
    so the rows read as data rows. `starts` (where each line starts in the page) follows."""
    kinds = [_cell_kind(x, config) for x in lines]
    n = len(lines)
    periods = range(config.cell_min_period, config.cell_max_period + 1)
    min_rows = config.cell_min_rows

    def table_at(i: int):
        """(rows, period) of the longest periodic stretch starting at line i, or None."""
        best = None
        if kinds[i]:
            for k in periods:
                sig = kinds[i:i + k]
                if len(sig) < k or "" in sig or "T" not in sig or 3 * sig.count("N") < k:
                    continue  # a table row: text cells and at least a third of numbers
                if any(k % d == 0 and sig == sig[:d] * (k // d) for d in range(1, k)):
                    continue  # a shorter pattern repeated: a ranked list ("1", headline, ...)
                rows = 1
                while kinds[i + rows * k:i + (rows + 1) * k] == sig:
                    rows += 1
                if rows >= min_rows and (best is None or rows * k > best[0] * best[1]):
                    best = (rows, k)
        return best

    # End of the stretch of cell-shaped lines each line belongs to: a stretch shorter than
    # 3 rows of the shortest period, or with fewer than 3 number cells, holds no table.
    stretch_end = [n] * (n + 1)
    for q in range(n - 1, -1, -1):
        stretch_end[q] = stretch_end[q + 1] if kinds[q] else q
    out: list[str] = []
    out_starts: list[int] = []
    i = 0
    while i < n:
        end = stretch_end[i]
        if end - i < min_rows * periods[0] or kinds[i:end].count("N") < min_rows:
            stop = max(end, i + 1)
            out.extend(lines[i:stop])
            out_starts.extend(starts[i:stop])
            i = stop
            continue
        found = table_at(i)
        if found is None:
            out.append(lines[i])
            out_starts.append(starts[i])
            i += 1
            continue
        # The stretch may have been entered mid-row (a header cell reads like a row's first
        # cell): of the phases within one period, keep the one covering most cells, then the
        # one whose last row ends where the cells end.
        choices = []
        for j in range(i, min(n, i + found[1])):
            got = table_at(j)
            if got is not None:
                end = j + got[0] * got[1]
                choices.append((got[0] * got[1], end >= n or not kinds[end], -j, got))
        _cover, _ends, neg_j, (rows, k) = max(choices)
        start = -neg_j
        out.extend(lines[i:start])
        out_starts.extend(starts[i:start])
        # a header of k text cells right above the rows
        if len(out) >= k and all(_cell_kind(x, config) == "T" for x in out[-k:]):
            header = " ".join(out[-k:])
            head_start = out_starts[-k]
            del out[-k:], out_starts[-k:]
            out.append(header)
            out_starts.append(head_start)
        for r in range(rows):
            out.append(" ".join(lines[start + r * k:start + (r + 1) * k]))
            out_starts.append(starts[start + r * k])
        i = start + rows * k
    return out, out_starts
