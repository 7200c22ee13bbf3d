"""A text's code points as a numpy array, for the numba kernels of the clean and dates stages.

Both stages read the same string of a text dump (`Page.text` is the dump itself), so the last
text's array is kept: the dates stage then reuses the clean stage's instead of encoding the
page again (a quarter of the stages' kernel time). One entry, replaced as a whole, so threads
that clean pages at once at worst miss it.
"""

from __future__ import annotations

import numpy as np

_LAST: tuple[str | None, np.ndarray | None] = (None, None)


def code_points(text: str) -> np.ndarray:
    """UTF-16 code units (uint16) when the text holds no character past the BMP, so that they
    are its code points; else UTF-32 (uint32)."""
    global _LAST
    last = _LAST
    if last[0] is text:
        return last[1]
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) == 2 * len(text):
        codes = np.frombuffer(data, np.uint16)
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    _LAST = (text, codes)
    return codes
