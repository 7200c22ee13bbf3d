"""Where the years and the long lines of a text are, found by one numba kernel pass over its
code points instead of a Python loop over every "19" and "20" (`scan._year_starts`) and a regex
walking every character (`layout.long_lines`). Pages holding a character past the BMP (the
kernel's digit table stops there) take those two functions instead. Numba is imported on first
use.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from newsarchive.codepoints import code_points
from newsarchive.dates.layout import LONG_LINE_CHARS


class TextIndex(NamedTuple):
    year_starts: list[int]  # as `scan._year_starts`
    long_lines: tuple[list[tuple[int, int]], list[int]]  # as `layout.long_lines`


def _k_index(codes, digit, min_chars, years, starts, ends, lines):
    """Offsets of "19" and "20" followed by digits (as `text[i + 2:i + 4].isdigit()`), and the
    start, end and line number of each "\\n"-delimited line of `min_chars` or more that does not
    open with "-". Returns the two counts."""
    n = codes.shape[0]
    n_years = 0
    for i in range(n - 2):
        c, d = codes[i], codes[i + 1]
        if ((c == 49 and d == 57) or (c == 50 and d == 48)) and digit[codes[i + 2]] \
                and (i + 3 >= n or digit[codes[i + 3]]):
            years[n_years] = i
            n_years += 1
    n_long = 0
    line = 0
    pos = 0
    while pos <= n:
        end = pos
        while end < n and codes[end] != 10:
            end += 1
        if end - pos >= min_chars and codes[pos] != 45:
            starts[n_long] = pos
            ends[n_long] = end
            lines[n_long] = line
            n_long += 1
        line += 1
        pos = end + 1
    return n_years, n_long


_KERNEL = None


def _kernel():
    global _KERNEL
    if _KERNEL is None:
        from numba import njit

        digit = np.array([chr(cp).isdigit() for cp in range(65536)], np.bool_)
        _KERNEL = njit(cache=True, nogil=True)(_k_index), digit
    return _KERNEL


def text_index(text: str) -> TextIndex | None:
    """The text's year offsets and long lines; None for a text holding a character past the BMP."""
    codes = code_points(text)  # the clean stage's, when it split this text just before
    if codes.dtype != np.uint16:
        return None
    kernel, digit = _kernel()
    n = len(text)
    # Arrays made here: numba would unpickle a returned array's type on every call.
    years = np.empty(n // 2 + 1, np.int64)
    bound = n // LONG_LINE_CHARS + 1  # each long line takes that many characters and a break
    starts, ends, lines = np.empty(bound, np.int64), np.empty(bound, np.int64), np.empty(bound, np.int64)
    n_years, n_long = kernel(codes, digit, LONG_LINE_CHARS, years, starts, ends, lines)
    return TextIndex(years[:n_years].tolist(),
                     (list(zip(starts[:n_long].tolist(), ends[:n_long].tolist())), lines[:n_long].tolist()))
