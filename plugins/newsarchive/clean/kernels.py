"""Line hashes of many pages at once: one numba kernel over the pages' UTF-8 bytes.

Template evidence (templates.py) is keyed by xxh64 (seed 0) of each line's `line_key`, as a
signed int64 (the Arrow column type). The kernel reads a chunk of pages back to back and
writes, for every line key of 2 characters or more, its hash (bit-exact with
`xxhash.xxh64_intdigest` of the UTF-8 `line_key`) and its page. Lower case and word characters
come from per-code-point tables; pages holding a code point the tables cannot take (astral
characters, capital sigma, marks that may compose) go through `line_key` in Python, the
reference the kernel is tested against. Numba is imported on first use only, so processes that
only clean pages never load it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np

_KEY_STRIP_NL_RE = re.compile(r"[^\w\n]+")
_SIGN = 1 << 63

try:
    from xxhash import xxh64_intdigest as _xxh64_unsigned
except ImportError:  # pragma: no cover - xxhash is pinned in requirements.txt
    _xxh64_unsigned = None


def xxh64(data: bytes) -> int:
    """xxh64 (seed 0) of `data` as a signed int64."""
    h = _xxh64_unsigned(data) if _xxh64_unsigned is not None else _xxh64_py(data)
    return h - (1 << 64) if h >= _SIGN else h


@functools.lru_cache(maxsize=1 << 16)
def line_hash(key: str) -> int:
    return xxh64(key.encode("utf-8", "surrogatepass"))


@functools.lru_cache(maxsize=4096)
def site_salt(site: str) -> int:
    """Evidence is keyed by line hash XOR a per-site salt: one int64 per (site, line)."""
    return xxh64(b"site:" + site.encode("utf-8", "surrogatepass"))


def page_line_keys(page: str) -> list[str]:
    """`line_key` of every line of `page`, in page order, keys under 2 characters dropped (the
    reference the kernel is checked against, and its fallback)."""
    norm = "\n".join(unicodedata.normalize("NFKC", x) for x in page.splitlines()).lower()
    return [k for k in _KEY_STRIP_NL_RE.sub("", norm).split("\n") if len(k) >= 2]


def page_hashes_py(page: str) -> tuple[list[int], list[int]]:
    """(line hashes, key lengths) of a page's lines in Python, in page order."""
    keys = page_line_keys(page)
    return [line_hash(k) for k in keys], [len(k) for k in keys]


M64 = (1 << 64) - 1
_P1, _P2, _P3 = 0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
_P4, _P5 = 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5


def _xxh64_py(data: bytes) -> int:  # pragma: no cover - only without the xxhash package
    def rotl(x, r):
        return ((x << r) | (x >> (64 - r))) & M64

    def rnd(acc, lane):
        return (rotl((acc + lane * _P2) & M64, 31) * _P1) & M64

    n, p = len(data), 0
    if n >= 32:
        v = [(_P1 + _P2) & M64, _P2, 0, (-_P1) & M64]
        while p + 32 <= n:
            for i in range(4):
                v[i] = rnd(v[i], int.from_bytes(data[p + 8 * i:p + 8 * i + 8], "little"))
            p += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M64
        for x in v:
            h = ((h ^ rnd(0, x)) * _P1 + _P4) & M64
    else:
        h = _P5
    h = (h + n) & M64
    while p + 8 <= n:
        h = (rotl(h ^ rnd(0, int.from_bytes(data[p:p + 8], "little")), 27) * _P1 + _P4) & M64
        p += 8
    if p + 4 <= n:
        h = (rotl(h ^ (int.from_bytes(data[p:p + 4], "little") * _P1) & M64, 23) * _P2
             + _P3) & M64
        p += 4
    while p < n:
        h = (rotl(h ^ (data[p] * _P5) & M64, 11) * _P1) & M64
        p += 1
    h ^= h >> 33
    h = (h * _P2) & M64
    h ^= h >> 29
    h = (h * _P3) & M64
    return h ^ (h >> 32)


def _k_read64(buf, p):
    v = np.uint64(0)
    for i in range(8):
        v |= np.uint64(buf[p + i]) << np.uint64(8 * i)
    return v


def _k_read32(buf, p):
    v = np.uint64(0)
    for i in range(4):
        v |= np.uint64(buf[p + i]) << np.uint64(8 * i)
    return v


def _k_rotl(x, r):
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def _k_round(acc, lane):
    acc = acc + lane * np.uint64(0xC2B2AE3D27D4EB4F)
    acc = _k_rotl(acc, 31)
    return acc * np.uint64(0x9E3779B185EBCA87)


def _k_xxh64(buf, n):
    """xxh64 (seed 0) of buf[:n], as xxhash.xxh64_intdigest."""
    P1 = np.uint64(0x9E3779B185EBCA87)
    P2 = np.uint64(0xC2B2AE3D27D4EB4F)
    P3 = np.uint64(0x165667B19E3779F9)
    P4 = np.uint64(0x85EBCA77C2B2AE63)
    P5 = np.uint64(0x27D4EB2F165667C5)
    p = 0
    if n >= 32:
        v1 = P1 + P2
        v2 = P2
        v3 = np.uint64(0)
        v4 = np.uint64(0) - P1
        while p + 32 <= n:
            v1 = _k_round(v1, _k_read64(buf, p))
            v2 = _k_round(v2, _k_read64(buf, p + 8))
            v3 = _k_round(v3, _k_read64(buf, p + 16))
            v4 = _k_round(v4, _k_read64(buf, p + 24))
            p += 32
        h = _k_rotl(v1, 1) + _k_rotl(v2, 7) + _k_rotl(v3, 12) + _k_rotl(v4, 18)
        h = (h ^ _k_round(np.uint64(0), v1)) * P1 + P4
        h = (h ^ _k_round(np.uint64(0), v2)) * P1 + P4
        h = (h ^ _k_round(np.uint64(0), v3)) * P1 + P4
        h = (h ^ _k_round(np.uint64(0), v4)) * P1 + P4
    else:
        h = P5
    h = h + np.uint64(n)
    while p + 8 <= n:
        h = _k_rotl(h ^ _k_round(np.uint64(0), _k_read64(buf, p)), 27) * P1 + P4
        p += 8
    if p + 4 <= n:
        h = _k_rotl(h ^ (_k_read32(buf, p) * P1), 23) * P2 + P3
        p += 4
    while p < n:
        h = _k_rotl(h ^ (np.uint64(buf[p]) * P5), 11) * P1
        p += 1
    h ^= h >> np.uint64(33)
    h = h * P2
    h ^= h >> np.uint64(29)
    h = h * P3
    h ^= h >> np.uint64(32)
    return h


def _k_put_utf8(out, m, cp):
    # Code point cp (< U+10000: the tables stop there) as UTF-8 at out[m]; the next position.
    if cp < 0x80:
        out[m] = cp
        return m + 1
    if cp < 0x800:
        out[m] = 0xC0 | (cp >> 6)
        out[m + 1] = 0x80 | (cp & 0x3F)
        return m + 2
    out[m] = 0xE0 | (cp >> 12)
    out[m + 1] = 0x80 | ((cp >> 6) & 0x3F)
    out[m + 2] = 0x80 | (cp & 0x3F)
    return m + 3


def _k_page_lines(data, char_ends, amap, lower, word, rep_start, rep_cps, flags):
    """Line hashes of the pages in `data` (UTF-8, pages back to back; page i ends at code
    point char_ends[i]). Returns (hashes, pages, lengths, n): the hash, page and length in
    characters of each line key of 2 characters or more; writes flags[i] = 1 for a page
    holding a code point the tables cannot take. `amap` maps an ASCII
    byte to its lower-case word byte, 1 for a line break, 0 for a non-word byte."""
    n_pages = len(char_ends)
    size = len(data)
    scratch = np.empty(6 * size + 64, np.uint8)  # a replacement may outgrow its character
    # Lines are at most line breaks + pages: count them first, so the output arrays are
    # allocated once (growing them inside the loop costs numba ~15 ns per byte).
    cap = n_pages + 1
    for q in range(size):
        b = data[q]
        if b < 0x80:
            if amap[b] == 1:
                cap += 1
        elif (b == 0x85 and q > 0 and data[q - 1] == 0xC2) or (
                (b == 0xA8 or b == 0xA9) and q > 1 and data[q - 1] == 0x80
                and data[q - 2] == 0xE2):
            cap += 1
    out_hash = np.empty(cap, np.uint64)
    out_page = np.empty(cap, np.int64)
    out_len = np.empty(cap, np.int32)
    m = 0          # bytes of the current key
    nch = 0        # characters of the current key
    n = 0          # lines written
    page = 0
    chars = 0
    p = 0
    while page < n_pages and char_ends[page] == 0:
        page += 1
    while p < size:
        b0 = data[p]
        brk = False
        if b0 < 0x80:
            p += 1
            c = amap[b0]
            if c >= 2:
                scratch[m] = c
                m += 1
                nch += 1
            elif c == 1:
                brk = True
        else:
            if b0 < 0xE0:
                cp = (np.int64(b0 & 0x1F) << 6) | np.int64(data[p + 1] & 0x3F)
                p += 2
            elif b0 < 0xF0:
                cp = ((np.int64(b0 & 0x0F) << 12) | (np.int64(data[p + 1] & 0x3F) << 6)
                      | np.int64(data[p + 2] & 0x3F))
                p += 3
            else:
                cp = np.int64(0x10000)
                p += 4
            if cp == 0x85 or cp == 0x2028 or cp == 0x2029:
                brk = True
            elif cp < 65536 and rep_start[cp + 1] > rep_start[cp]:
                # NFKC and lower case turn it into these word characters ("™" -> "tm")
                for r in range(rep_start[cp], rep_start[cp + 1]):
                    lc = rep_cps[r]
                    m = _k_put_utf8(scratch, m, lc)
                    nch += 1
            else:
                lc = lower[cp] if cp < 65536 else -1
                if lc < 0:
                    flags[page] = 1
                elif word[lc]:
                    m = _k_put_utf8(scratch, m, lc)
                    nch += 1
        chars += 1
        end_page = chars == char_ends[page]
        if brk or end_page:
            if nch >= 2:
                h = _k_xxh64(scratch, m)
                out_hash[n] = h
                out_page[n] = page
                out_len[n] = nch
                n += 1
            m = 0
            nch = 0
            while end_page:
                page += 1
                end_page = page < n_pages and chars == char_ends[page]
    return out_hash, out_page, out_len, n


def _k_group_cap(key, story, cap):
    """For rows sorted by key: each key's stories sorted, deduplicated and cut to the `cap`
    smallest. Returns (index of the key's first row, story) per kept row."""
    n = len(key)
    out_first = np.empty(n, np.int64)
    out_story = np.empty(n, np.int64)
    m = 0
    i = 0
    while i < n:
        j = i + 1
        while j < n and key[j] == key[i]:
            j += 1
        if j - i == 1:
            out_first[m] = i
            out_story[m] = story[i]
            m += 1
        else:
            group = np.sort(story[i:j])
            kept = 0
            for q in range(j - i):
                if q > 0 and group[q] == group[q - 1]:
                    continue
                out_first[m] = i
                out_story[m] = group[q]
                m += 1
                kept += 1
                if kept == cap:
                    break
        i = j
    return out_first[:m], out_story[:m]


def sorted_unique(key, story, cap: int) -> bool:
    """Rows already sorted by (key, story), without duplicates, at most `cap` per key
    (evidence read back from one `to_arrow` table), so that no sort is needed."""
    if len(key) < 2:
        return True
    new_key = key[1:] != key[:-1]
    if not np.all((key[1:] > key[:-1]) | (~new_key & (story[1:] > story[:-1]))):
        return False
    starts = np.flatnonzero(np.concatenate(([True], new_key)))
    return int(np.diff(np.append(starts, len(key))).max()) <= cap


_GROUP_CAP = None


def group_cap_kernel():
    global _GROUP_CAP
    if _GROUP_CAP is None:
        from numba import njit

        _GROUP_CAP = njit(cache=True, nogil=True)(_k_group_cap)
    return _GROUP_CAP


_KERNEL = None


def _kernel():
    """The numba kernel and its tables, compiled (or loaded from numba's cache) on first use,
    so processes that only clean pages never import numba."""
    global _KERNEL
    if _KERNEL is None:
        from numba import njit

        jit = njit(cache=True, nogil=True)
        for name in ("_k_read64", "_k_read32", "_k_rotl", "_k_round", "_k_xxh64", "_k_put_utf8"):
            globals()[name] = jit(globals()[name])
        kernel = jit(_k_page_lines)
        lower = np.full(65536, -1, np.int32)
        word = np.zeros(65536, np.uint8)
        replacements: dict[int, list[int]] = {}
        nfkc, category = unicodedata.normalize, unicodedata.category
        for cp in range(65536):
            if 0xD800 <= cp <= 0xDFFF or cp == 0x03A3:  # surrogates; capital sigma: context
                continue
            char = chr(cp)
            # The kernel skips NFKC: a character NFKC would turn into word characters
            # (ligatures, full-width forms, superscripts) or one that may compose with its
            # neighbour (marks, Hangul vowel and final jamo) sends its page to the Python path.
            norm = nfkc("NFKC", char)
            if category(char)[0] == "M" or 0x1160 <= cp <= 0x11FF:
                continue
            if norm != char and any(x.isalnum() or x == "_" for x in norm):
                # Replaced by the word characters of its lower-cased NFKC form when that form
                # stands on its own: no mark, jamo, capital sigma or multi-character lower case
                # that could interact with the neighbours.
                low = norm.lower()
                if (all(unicodedata.combining(x) == 0 and not 0x1100 <= ord(x) <= 0x11FF
                        and ord(x) < 65536 and x != "\u03a3" for x in norm)
                        and len(low) == len(norm) and nfkc("NFKC", low) == low):
                    replacements[cp] = [ord(x) for x in low if x.isalnum() or x == "_"]
                continue
            low = char.lower()
            if len(low) == 1 and ord(low) < 65536:
                lower[cp] = ord(low)
        for cp in range(65536):
            if not 0xD800 <= cp <= 0xDFFF:
                c = chr(cp)
                word[cp] = c.isalnum() or c == "_"
        amap = np.zeros(128, np.uint8)
        for cp in range(128):
            c = chr(cp)
            if c in "\n\r\x0b\x0c\x1c\x1d\x1e":
                amap[cp] = 1
            elif c.isalnum() or c == "_":
                amap[cp] = ord(c.lower())
        rep_start = np.zeros(65537, np.int64)
        for cp, cps in replacements.items():
            rep_start[cp + 1] = len(cps)
        rep_start = np.cumsum(rep_start)
        rep_cps = np.zeros(max(1, int(rep_start[-1])), np.int64)
        for cp, cps in replacements.items():
            rep_cps[rep_start[cp]:rep_start[cp] + len(cps)] = cps
        _KERNEL = (kernel, amap, lower, word, rep_start, rep_cps)
    return _KERNEL


_CHUNK_PAGES = 2048


def pages_line_hashes(pages: list[str]):
    """(line hash, page index, key length) rows for `pages`, in page order, as numpy arrays
    (uint64, int64, int32)."""
    kernel, amap, lower, word, rep_start, rep_cps = _kernel()
    hashes, page_ids, lengths = [], [], []
    for c0 in range(0, len(pages), _CHUNK_PAGES):
        # No NFKC here: the kernel's tables flag every page on which it could change a key.
        chunk = pages[c0:c0 + _CHUNK_PAGES]
        data = "".join(chunk).encode("utf-8", "surrogatepass")
        ends = np.cumsum(np.fromiter(map(len, chunk), np.int64, len(chunk)))
        flags = np.zeros(len(chunk), np.uint8)
        out_hash, out_page, out_len, n = kernel(np.frombuffer(data, np.uint8), ends, amap, lower,
                                                word, rep_start, rep_cps, flags)
        out_hash, out_page, out_len = out_hash[:n], out_page[:n], out_len[:n]
        if flags.any():
            # Pages the tables cannot take go through line_key, spliced in (page order kept).
            keep = flags[out_page] == 0
            out_hash, out_page, out_len = out_hash[keep], out_page[keep], out_len[keep]
            for i in np.flatnonzero(flags)[::-1]:
                hs, ls = page_hashes_py(chunk[i])
                at = int(np.searchsorted(out_page, i))
                out_hash = np.insert(out_hash, at, np.asarray([h & M64 for h in hs], np.uint64))
                out_page = np.insert(out_page, at, np.full(len(hs), i, np.int64))
                out_len = np.insert(out_len, at, np.asarray(ls, np.int32))
        hashes.append(out_hash)
        page_ids.append(out_page + c0)
        lengths.append(out_len)
    if not hashes:
        return np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.int32)
    return np.concatenate(hashes), np.concatenate(page_ids), np.concatenate(lengths)
