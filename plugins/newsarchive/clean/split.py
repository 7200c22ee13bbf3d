"""What `lines.split_lines` needs to know of a page's lines beyond str.splitlines and a strip,
found by one numba kernel over the page's code points: which lines need their spaces
collapsed, which pairs of lines the unwrapper must look at (`lines.wrap_candidates`) and its
greedy walk from each (`lines.wrap_walk`), and how many lines hold one number only
(`tables.may_hold_cell_table`).

That replaces a regex over the whole page (for space characters other than " "), another for
number-only lines, and Python loops over the lines (the first-word test of every pair, the
walks). Pages with a line to collapse (a run of spaces, a tab, nbsp, a zero-width character)
are rare: their pairs and walks are found in Python after the collapse; so are those of pages
holding a character past the BMP. Numba is imported on first use.
"""

from __future__ import annotations

import numpy as np

from newsarchive.codepoints import code_points

# Classes of code points in `_k_split`'s table (code points past the BMP are none of these).
_BREAK, _SPACE, _ZERO_WIDTH = 1, 2, 3
_LIST_MARKS = (45, 8226, 183, 42, 9642, 9679, 9702, 8227)  # lines.LIST_MARKS: - • · * ▪ ● ◦ ‣


def _k_split(codes, classes, decimal, lower_case, low, wmin, wmax, marks, walks):
    """Into `marks`, a byte per line of str.splitlines: bit 0 set when its stripped text holds
    a run of spaces or another space character (or it holds a zero-width one anywhere), bit 1
    when the line and the next pass the unwrapper's first test (`lines.wrap_candidates`, on the
    stripped lengths); into `walks`, for each such line in order, the unwrapper's greedy walk
    from it (`lines.wrap_walk`). Returns the number of lines and of number-only lines as
    `tables._NUMERIC_CELL_LINE_RE` counts them (-1 when a line ends in a break other than "\n":
    the regex's lines are then not these)."""
    n = codes.shape[0]
    # per line: stripped length, first word (at most 25), list item, lower-case opening
    sizes = np.empty(n + 1, np.int64)
    firsts = np.empty(n + 1, np.int64)
    opens = np.empty(n + 1, np.uint8)
    # Most pages hold no space character but " " and no double space: their lines need no
    # look inside (a branch-free pass over the page costs a fifth of that look).
    plain = _k_plain(codes, classes)
    prev_len = -1  # stripped length of the previous line
    row = 0
    numeric = 0
    start = 0
    while start < n:
        end = start
        flag = 0
        while end < n:
            c = codes[end]
            kind = classes[c] if c < 65536 else 0
            if kind == 1:
                break
            flag |= kind == 3  # str.strip keeps a zero-width character: the Python path takes it
            end += 1
        lo, hi = start, end
        while lo < hi and codes[lo] < 65536 and classes[codes[lo]] >= 2:
            lo += 1
        while hi > lo and codes[hi - 1] < 65536 and classes[codes[hi - 1]] >= 2:
            hi -= 1
        last = lo - 2  # the last space character inside the text
        for k in range(lo, lo if plain else hi):
            c = codes[k]
            space = c < 65536 and classes[c] >= 2
            flag |= space and (c != 32 or last == k - 1)
            last = k if space else last
        size = hi - lo
        first = size if size < 25 else 25
        for k in range(lo, min(hi, lo + 25)):
            if codes[k] == 32:
                first = k - lo
                break
        marks[row] = flag
        sizes[row], firsts[row], opens[row] = size, first, 0
        if size:
            c = codes[lo]
            if c < 65536 and lower_case[c]:
                opens[row] = 1
            elif c in _LIST_MARKS and size > 1 and codes[lo + 1] < 65536 and classes[codes[lo + 1]] == 2:
                opens[row] = 2
        if row and (low <= prev_len <= wmax and 0 < size <= wmax and size <= prev_len + 25
                    and size <= prev_len + first and wmin <= prev_len + first):
            marks[row - 1] |= 2
        if end < n and codes[end] != 10:
            numeric = -1
        elif row and end < n and numeric >= 0 and _k_is_number(codes, decimal, start, end):
            numeric += 1  # the regex wants a "\n" before the line and one after it
        prev_len = size
        row += 1
        start = end + 1
        if end + 1 < n and codes[end] == 13 and codes[end + 1] == 10:
            start += 1  # \r\n is one boundary
    w = 0
    for k in range(row):
        if marks[k] & 2:
            j, lower = k, 0
            lo, hi = max(wmin, sizes[k]), wmax
            while j + 1 < row:
                size_b = sizes[j + 1]
                if not size_b or opens[j + 1] == 2:
                    break
                nlo = lo if lo >= size_b else size_b
                nhi = min(sizes[j] + firsts[j + 1], hi)
                if nlo > nhi:
                    break
                lo, hi = nlo, nhi
                lower += opens[j + 1] == 1
                j += 1
            walks[w, 0], walks[w, 1], walks[w, 2] = j, lower, hi
            w += 1
    return row, numeric


def _k_plain(codes, classes):
    """No space character but " " (nor a zero-width one), and no two spaces in a row."""
    odd = False
    prev = 0
    for i in range(codes.shape[0]):
        c = codes[i]
        kind = classes[c] if c < 65536 else 0
        odd |= (kind == 3) | ((kind == 2) & (c != 32)) | ((c == 32) & (prev == 32))
        prev = c
    return not odd


def _k_is_number(codes, decimal, k, end):
    """Whether codes[k:end] is one number and spaces: an optional sign and parenthesis, a
    decimal digit, then digits and `.,:%/()+-` (`tables._NUMERIC_CELL_LINE_RE`)."""
    while k < end and (codes[k] == 32 or codes[k] == 9):
        k += 1
    if k < end and (codes[k] == 45 or codes[k] == 43):
        k += 1
    if k < end and codes[k] == 40:
        k += 1
    if k >= end or codes[k] >= 65536 or not decimal[codes[k]]:
        return False
    k += 1
    while k < end and ((codes[k] < 65536 and decimal[codes[k]])
                       or codes[k] in (46, 44, 58, 37, 47, 40, 41, 43, 45)):
        k += 1
    while k < end and (codes[k] == 32 or codes[k] == 9):
        k += 1
    return k == end


def _classes() -> np.ndarray:
    """str.splitlines' line boundaries, and the characters split_lines strips and collapses:
    str.isspace, and the zero-width ones it turns into spaces."""
    classes = np.zeros(65536, np.uint8)
    for cp in range(65536):
        char = chr(cp)
        if len(("a" + char + "a").splitlines()) > 1:
            classes[cp] = _BREAK
        elif char.isspace():
            classes[cp] = _SPACE
        elif char in "\u200b\u200c\u200d\u2060\ufeff":
            classes[cp] = _ZERO_WIDTH
    return classes


_SPLIT = None


def _kernel():
    global _SPLIT
    if _SPLIT is None:
        from numba import njit

        jit = njit(cache=True, nogil=True)
        for name in ("_k_plain", "_k_is_number"):
            globals()[name] = jit(globals()[name])
        decimal = np.array([chr(cp).isdecimal() for cp in range(65536)], np.bool_)
        lower_case = np.array([chr(cp).islower() for cp in range(65536)], np.bool_)
        _SPLIT = jit(_k_split), _classes(), decimal, lower_case
    return _SPLIT


def scan_lines(text: str, wrap_min_width: int, wrap_max_width: int
               ) -> tuple[np.ndarray, np.ndarray | None, int | None]:
    """`_k_split`'s byte per line of the page, its walks (None on a page holding a character
    past the BMP, which the tables of lower-case letters and decimal digits do not reach), and
    its count of number-only lines (None there too, and where a line break other than "\n"
    stands)."""
    kernel, classes, decimal, lower_case = _kernel()
    codes = code_points(text)
    low = wrap_min_width - 25
    # The arrays are made here, not in the kernel: numba unpickles a returned array's type on
    # every call, which costs more than the kernel's work on a short page. A candidate line
    # holds `low` characters or more, and a line break.
    marks = np.zeros(len(text) + 1, np.uint8)
    walks = np.empty((len(text) // max(low + 1, 1) + 2, 3), np.int64)
    count, numeric = kernel(codes, classes, decimal, lower_case, low, wrap_min_width, wrap_max_width, marks, walks)
    if codes.dtype != np.uint16:
        return marks[:count], None, None
    return marks[:count], walks, (numeric if numeric >= 0 else None)
