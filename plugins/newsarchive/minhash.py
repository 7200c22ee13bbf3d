"""MinHash signatures and LSH candidate search for the dedupe stage.

Signatures are bit-exactly datasketch 2.0's ``MinHash(num_perm, seed=seed,
hashfunc=xxhash.xxh32_intdigest)`` (default permutation scheme ``affine32``) fed
``shingles(text, ngram=ngram)``, so analysts can load stored signatures with
``datasketch.MinHash(hashvalues=sig, seed=seed, scheme="affine32",
hashfunc=xxhash.xxh32_intdigest)``.

Shingle convention (see ``shingles``): word n-grams of ``normalise(text)`` joined by one
space and UTF-8 encoded; a text with 1..ngram-1 words gives one shingle of all its words;
a text with no words gives no shingles, i.e. datasketch's empty signature (all slots
0xFFFFFFFF).

Why xxh32: affine32 needs a hash that fits 32 bits; ``xxhash.xxh32_intdigest`` (PyPI
``xxhash``) returns exactly that, so datasketch takes it as ``hashfunc`` without a wrapper
(mmh3.hash is signed by default and would need one), and it is short enough to
reimplement bit-exactly in numba.

The fast path (``minhash_signatures``) leaves only NFKC of non-ASCII texts to CPython;
one numba kernel over the UTF-8 bytes does the rest (casefold by a per-code-point table,
separators, tokens, xxh32 of each shingle, datasketch's pre-mix and permutation minimum).
Tests prove its normalisation equals ``normalise`` and its signatures equal datasketch's.

Candidate search (``LshIndex``) holds 8 * (bands + 1) bytes per indexed article (208 B at
threshold 0.5, 128 permutations); the caller indexes only the archived articles of the
event-date window (``Settings.window_days``, default +-7 days) around a batch.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
from numba import njit

from typing import NamedTuple


class SignatureFormat(NamedTuple):
    num_perm: int
    seed: int
    ngram: int


# The archive's signature format: every archived row's `minhash` column is MinHash(128
# permutations, seed 1) over word 5-grams. It is part of the archive's schema, not a setting:
# rows signed another way could never be compared with the rows already archived.
SIGNATURE = SignatureFormat(num_perm=128, seed=1, ngram=5)

__all__ = [
    "normalise",
    "shingles",
    "token_hash",
    "minhash_signatures",
    "estimated_jaccard",
    "ShingleSets",
    "empty_signature",
    "lsh_params",
    "LshIndex",
]

# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------

_KEEP, _SEPARATOR, _DELETE = 0, 1, 2
_MAX_CODEPOINT = 0x110000


def _char_class(ch: str) -> int:
    # Punctuation (all P*, which covers every quote and dash), maths/modifier symbols
    # (+ = < > | ^ ` ~ ...), control characters and whitespace separate words; format
    # characters (soft hyphen, zero-width space/joiner, BOM) and lone surrogates vanish
    # so they never split a word. Letters, digits, marks, currency and other symbols
    # (emoji, ©, °) are kept.
    return _SEPARATOR if ch.isspace() else _category_class(unicodedata.category(ch))


def _category_class(cat: str) -> int:
    if cat[0] == "P" or cat in ("Sm", "Sk", "Cc"):
        return _SEPARATOR
    if cat in ("Cf", "Cs"):
        return _DELETE
    return _KEEP


@functools.cache
def _class_table() -> np.ndarray:
    """uint8 class (_KEEP/_SEPARATOR/_DELETE) of every code point."""
    table = np.zeros(_MAX_CODEPOINT, dtype=np.uint8)
    # Planes 4-13 and 15-16 hold no separators or format characters (unassigned or private
    # use); skipping them keeps the table build at ~0.1 s (a test checks the full range).
    for lo, hi in ((0, 0x40000), (0xE0000, 0xF0000)):
        # _char_class of each code point, its Python calls made per category (a few dozen),
        # not per code point: a third of the time
        categories = list(map(unicodedata.category, map(chr, range(lo, hi))))
        of_category = {cat: _category_class(cat) for cat in set(categories)}
        table[lo:hi] = np.fromiter(map(of_category.__getitem__, categories), np.uint8, hi - lo)
        chars = "".join(map(chr, range(lo, hi)))
        table[[lo + m.start() for m in _RE_ONE_SPACE.finditer(chars)]] = _SEPARATOR  # \s: str.isspace
    return table


_RE_ONE_SPACE = re.compile(r"\s")


@functools.cache
def _translate_table() -> dict:
    table = _class_table()
    mapping = {int(cp): " " for cp in np.flatnonzero(table == _SEPARATOR)}
    mapping.update({int(cp): None for cp in np.flatnonzero(table == _DELETE)})
    return mapping


@functools.cache
def _ascii_bytes_table() -> bytes:
    # bytes.translate table: ASCII separators -> space, A-Z -> a-z, other bytes unchanged.
    classes = _class_table()
    return bytes(
        32 if b < 128 and classes[b] == _SEPARATOR else (b + 32 if 65 <= b <= 90 else b) for b in range(256)
    )


@functools.cache
def _fold_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """str.casefold of single non-ASCII code points for the kernel: slot per code point
    (0 = unchanged) into UTF-8 bytes of the folded text. casefold is per code point
    (no context), so folding each one equals folding the string."""
    classes = _class_table()
    chunks = [b""]
    folds = {}
    for cp in range(0x80, 0x20000):  # no code point above 0x1E921 has a case folding
        folded = chr(cp).casefold()
        if folded != chr(cp):
            if any(classes[ord(c)] != _KEEP for c in folded):
                raise RuntimeError(f"casefold of U+{cp:04X} gives a non-word character")
            folds[cp] = len(chunks)
            chunks.append(folded.encode("utf-8"))
    limit = max(folds) + 1
    fold_slot = np.zeros(limit, dtype=np.int32)
    for cp, slot in folds.items():
        fold_slot[cp] = slot
    fold_offsets = np.zeros(len(chunks) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in chunks], out=fold_offsets[1:])
    return fold_slot, np.frombuffer(b"".join(chunks), dtype=np.uint8).copy(), fold_offsets


@functools.cache
def _ascii_map() -> np.ndarray:
    # Kernel's ASCII table: 0 = separator, else the lowercased byte.
    table = np.frombuffer(_ascii_bytes_table()[:128], dtype=np.uint8).copy()
    table[table == 32] = 0
    return table


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _fold_run(match: re.Match) -> str:
    return match.group().casefold().translate(_translate_table())


def normalise(text: str) -> str:
    """Body normalisation used for shingles and content hashes.

    NFKC, casefold, then punctuation (which includes every typographic quote and dash),
    maths/modifier symbols (+ = < > | ^ ` ~), control characters and whitespace become
    word separators, format characters (soft hyphen, zero-width space/joiner, BOM) are
    removed, and separator runs collapse to one space with no leading/trailing space.
    So smart vs straight quotes, en/em vs ASCII dashes, re-wrapping and case do not change
    the result. Letters, digits, marks, currency signs and other symbols (emoji, ©, °) are
    kept. Uses the Unicode tables of the running CPython (3.11: Unicode 14.0).

    Equal to ``" ".join(casefold(NFKC(text)).translate(separators -> " ", format -> "")
    .split())``; computed faster by casefolding/mapping only the non-ASCII runs (casefold
    is per code point) and the ASCII bytes with one bytes.translate.
    """
    if not text:
        return ""
    if text.isascii():
        data = text.encode("ascii")
    else:
        text = _NON_ASCII_RUN.sub(_fold_run, unicodedata.normalize("NFKC", text))
        data = text.encode("utf-8")
    return b" ".join(data.translate(_ascii_bytes_table()).split()).decode("utf-8")


def shingles(text: str, *, ngram: int = 5) -> list[bytes]:
    """Reference shingles: word ``ngram``-grams of ``normalise(text)``, UTF-8 encoded.

    1..ngram-1 words give one shingle of all words; no words give no shingles.
    """
    if ngram < 1:
        raise ValueError("ngram must be >= 1")
    words = normalise(text).split(" ")
    if words == [""]:
        return []
    if len(words) <= ngram:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i : i + ngram]).encode("utf-8") for i in range(len(words) - ngram + 1)]


def token_hash(shingle: bytes) -> int:
    """The token hash (``hashfunc`` for datasketch): xxh32, seed 0, of the UTF-8 bytes."""
    import xxhash

    return xxhash.xxh32_intdigest(shingle)


# --------------------------------------------------------------------------------------
# Permutations (datasketch 2.0 affine32)
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # Same draws, in the same order, as datasketch.MinHash._init_permutations (affine32).
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.flags.writeable = False
    b.flags.writeable = False
    return a, b


def empty_signature(num_perm: int = 128) -> np.ndarray:
    """datasketch's signature of an empty set: every slot 0xFFFFFFFF."""
    return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)


# --------------------------------------------------------------------------------------
# numba kernel
# --------------------------------------------------------------------------------------


@njit(cache=True)
def _rotl32(x, r):
    # x < 2**32 held in uint64; r a uint64 constant.
    return ((x << r) | (x >> (np.uint64(32) - r))) & np.uint64(0xFFFFFFFF)


@njit(cache=True)
def _read32(buf, p):
    return (
        np.uint64(buf[p])
        | (np.uint64(buf[p + 1]) << np.uint64(8))
        | (np.uint64(buf[p + 2]) << np.uint64(16))
        | (np.uint64(buf[p + 3]) << np.uint64(24))
    )


@njit(cache=True)
def _xxh32(buf, start, end):
    """xxHash32 with seed 0 of buf[start:end], as xxhash.xxh32_intdigest."""
    n = end - start
    p = start
    M = np.uint64(0xFFFFFFFF)
    P1 = np.uint64(0x9E3779B1)
    P2 = np.uint64(0x85EBCA77)
    P3 = np.uint64(0xC2B2AE3D)
    P4 = np.uint64(0x27D4EB2F)
    P5 = np.uint64(0x165667B1)
    if n >= 16:
        v1 = (P1 + P2) & M
        v2 = P2
        v3 = np.uint64(0)
        v4 = (np.uint64(0x100000000) - P1) & M
        limit = end - 16
        while p <= limit:
            v1 = (_rotl32((v1 + _read32(buf, p) * P2) & M, np.uint64(13)) * P1) & M
            v2 = (_rotl32((v2 + _read32(buf, p + 4) * P2) & M, np.uint64(13)) * P1) & M
            v3 = (_rotl32((v3 + _read32(buf, p + 8) * P2) & M, np.uint64(13)) * P1) & M
            v4 = (_rotl32((v4 + _read32(buf, p + 12) * P2) & M, np.uint64(13)) * P1) & M
            p += 16
        h = (_rotl32(v1, np.uint64(1)) + _rotl32(v2, np.uint64(7)) + _rotl32(v3, np.uint64(12)) + _rotl32(v4, np.uint64(18))) & M
    else:
        h = P5
    h = (h + np.uint64(n)) & M
    while p + 4 <= end:
        h = (h + _read32(buf, p) * P3) & M
        h = (_rotl32(h, np.uint64(17)) * P4) & M
        p += 4
    while p < end:
        h = (h + np.uint64(buf[p]) * P5) & M
        h = (_rotl32(h, np.uint64(11)) * P1) & M
        p += 1
    h ^= h >> np.uint64(15)
    h = (h * P2) & M
    h ^= h >> np.uint64(13)
    h = (h * P3) & M
    h ^= h >> np.uint64(16)
    return h


@njit(cache=True)
def _fmix32(h):
    # MurmurHash3 finalizer, datasketch's one-shot pre-mix for affine32.
    M = np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & M
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & M
    h ^= h >> np.uint64(16)
    return h


@njit(cache=True)
def _start_word(out, n_out, n_tok, tok_start):
    # Called before the first byte of a word: separating space, then the word's start.
    if n_tok > 0:
        out[n_out] = 32
        n_out += 1
    tok_start[n_tok] = n_out
    return n_out, n_tok + 1


@njit(cache=True)
def _normalise_doc(data, start, end, tables, out, tok_start, tok_end):
    """Write normalise() of data[start:end] (UTF-8, NFKC already applied if non-ASCII) to
    ``out``: casefold, separators and format characters by table. Return (bytes, words);
    word w is out[tok_start[w]:tok_end[w]], words are joined by one space."""
    ascii_map, classes, fold_slot, fold_bytes, fold_offsets = tables
    fold_limit = fold_slot.shape[0]
    n_out = 0
    n_tok = 0
    in_word = False
    p = start
    while p < end:
        c = data[p]
        if c < 0x80:
            p += 1
            o = ascii_map[c]
            if o == 0:
                if in_word:
                    tok_end[n_tok - 1] = n_out
                    in_word = False
                continue
            if not in_word:
                n_out, n_tok = _start_word(out, n_out, n_tok, tok_start)
                in_word = True
            out[n_out] = o
            n_out += 1
            continue
        if c < 0xE0:
            size = 2
            cp = ((np.int64(c) & 0x1F) << 6) | (np.int64(data[p + 1]) & 0x3F)
        elif c < 0xF0:
            size = 3
            cp = ((np.int64(c) & 0x0F) << 12) | ((np.int64(data[p + 1]) & 0x3F) << 6) | (np.int64(data[p + 2]) & 0x3F)
        else:
            size = 4
            cp = (
                ((np.int64(c) & 0x07) << 18)
                | ((np.int64(data[p + 1]) & 0x3F) << 12)
                | ((np.int64(data[p + 2]) & 0x3F) << 6)
                | (np.int64(data[p + 3]) & 0x3F)
            )
        slot = fold_slot[cp] if cp < fold_limit else 0
        if slot != 0:
            # Case folding: its output is always word characters (checked at table build).
            if not in_word:
                n_out, n_tok = _start_word(out, n_out, n_tok, tok_start)
                in_word = True
            for k in range(fold_offsets[slot], fold_offsets[slot + 1]):
                out[n_out] = fold_bytes[k]
                n_out += 1
        else:
            cls = classes[cp]
            if cls == 0:
                if not in_word:
                    n_out, n_tok = _start_word(out, n_out, n_tok, tok_start)
                    in_word = True
                for k in range(size):
                    out[n_out + k] = data[p + k]
                n_out += size
            elif cls == 1 and in_word:
                tok_end[n_tok - 1] = n_out
                in_word = False
        p += size
    if in_word:
        tok_end[n_tok - 1] = n_out
    return n_out, n_tok


@njit(cache=True)
def _work_buffers(offsets):
    # Sized for the longest document; casefolding can grow a character 3x (U+0390 -> 3 code points).
    max_len = 1
    for d in range(offsets.shape[0] - 1):
        max_len = max(max_len, offsets[d + 1] - offsets[d])
    return (np.empty(3 * max_len + 1, dtype=np.uint8), np.empty(max_len + 1, dtype=np.int64),
            np.empty(max_len + 1, dtype=np.int64), np.empty(max_len + 1, dtype=np.uint32))


@njit(cache=True)
def _shingle_hashes(data, start, end, tables, ngram, premix, buffers):
    """xxh32 of each shingle of one document into buffers[3] (fmix32-premixed for the
    signature, raw for exact sets); returns how many. No words: none; fewer than `ngram`
    words: one shingle of them all."""
    buf, tok_start, tok_end, hashes = buffers
    n_out, n_tok = _normalise_doc(data, start, end, tables, buf, tok_start, tok_end)
    if n_tok == 0:
        return 0
    if n_tok <= ngram:
        h = _xxh32(buf, 0, n_out)
        hashes[0] = np.uint32(_fmix32(h) if premix else h)
        return 1
    n_sh = n_tok - ngram + 1
    for i in range(n_sh):
        h = _xxh32(buf, tok_start[i], tok_end[i + ngram - 1])
        hashes[i] = np.uint32(_fmix32(h) if premix else h)
    return n_sh


@njit(cache=True)
def _signatures_kernel(data, offsets, tables, ngram, perm_a, perm_b, out):
    num_perm = perm_a.shape[0]
    buffers = _work_buffers(offsets)
    hashes = buffers[3]
    for d in range(offsets.shape[0] - 1):
        n_sh = _shingle_hashes(data, offsets[d], offsets[d + 1], tables, ngram, True, buffers)
        # Permutation-major so the inner loop is a vectorised min over the shingle hashes;
        # no shingles leaves datasketch's empty signature (all slots 0xFFFFFFFF).
        for k in range(num_perm):
            a = perm_a[k]
            b = perm_b[k]
            m = np.uint32(0xFFFFFFFF)
            for i in range(n_sh):
                v = np.uint32(a * hashes[i] + b)
                if v < m:
                    m = v
            out[d, k] = m


@njit(cache=True)
def _shingle_sets_kernel(data, offsets, tables, ngram, values, out_offsets):
    # Per document: the sorted distinct xxh32 hashes of its shingles (the values datasketch
    # hashes), written back to back into `values`; a document has at most as many shingles
    # as bytes, so len(data) bounds the total.
    buffers = _work_buffers(offsets)
    pos = 0
    for d in range(offsets.shape[0] - 1):
        n_sh = _shingle_hashes(data, offsets[d], offsets[d + 1], tables, ngram, False, buffers)
        unique = np.unique(buffers[3][:n_sh])
        values[pos:pos + unique.shape[0]] = unique
        pos += unique.shape[0]
        out_offsets[d + 1] = pos


@njit(cache=True)
def _overlaps_kernel(a_values, a_offsets, a_rows, b_values, b_offsets, b_rows, out):
    # Size of the intersection of two sorted distinct runs, pair by pair (a merge walk).
    for k in range(a_rows.shape[0]):
        i, i_end = a_offsets[a_rows[k]], a_offsets[a_rows[k] + 1]
        j, j_end = b_offsets[b_rows[k]], b_offsets[b_rows[k] + 1]
        n = 0
        while i < i_end and j < j_end:
            x, y = a_values[i], b_values[j]
            if x == y:
                n += 1
                i += 1
                j += 1
            elif x < y:
                i += 1
            else:
                j += 1
        out[k] = n


@njit(cache=True)
def _normalise_kernel(data, offsets, tables, out, out_offsets):
    # The kernel's normalisation on its own, for tests against normalise().
    n_docs = offsets.shape[0] - 1
    tok = np.empty(data.shape[0] + 1, dtype=np.int64)
    pos = 0
    for d in range(n_docs):
        n_out, _ = _normalise_doc(data, offsets[d], offsets[d + 1], tables, out[pos:], tok, tok)
        pos += n_out
        out_offsets[d + 1] = pos


@functools.cache
def _kernel_tables() -> tuple:
    return (_ascii_map(), _class_table(), *_fold_tables())


def _kernel_normalised(texts) -> list[bytes]:
    """normalise() as the signature kernel computes it, UTF-8 encoded."""
    data, offsets = _utf8_batch(texts)
    out = np.empty(3 * data.shape[0], dtype=np.uint8)
    out_offsets = np.zeros_like(offsets)
    _normalise_kernel(data, offsets, _kernel_tables(), out, out_offsets)
    raw = out.tobytes()
    return [raw[out_offsets[i] : out_offsets[i + 1]] for i in range(len(out_offsets) - 1)]


# --------------------------------------------------------------------------------------
# Public signature API
# --------------------------------------------------------------------------------------


def _prepare(text) -> bytes:
    if not text:
        return b""
    if text.isascii():
        return text.encode("ascii")
    # The one step of normalise() left to CPython; surrogates pass through to be deleted.
    return unicodedata.normalize("NFKC", text).encode("utf-8", "surrogatepass")


def _arrow_ascii_buffers(array) -> tuple[np.ndarray, np.ndarray] | None:
    """Zero-copy (data, offsets) of a pyarrow string array without nulls that is all
    ASCII (ASCII needs no NFKC, so the kernel can read Arrow's buffers directly)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    if array.null_count or len(array) == 0 or not pc.all(pc.string_is_ascii(array)).as_py():
        return None
    _, offsets_buf, data_buf = array.buffers()
    offset_type = np.int32 if pa.types.is_string(array.type) else np.int64
    offsets = np.frombuffer(offsets_buf, dtype=offset_type)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data_buf if data_buf is not None else b"\0", dtype=np.uint8)
    return data, offsets.astype(np.int64)


def _utf8_batch(texts) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated UTF-8 bytes and int64 offsets of the texts, NFKC applied to non-ASCII
    ones; None/null is an empty text."""
    if hasattr(texts, "to_pylist"):  # pyarrow Array / ChunkedArray
        buffers = _arrow_ascii_buffers(texts)
        if buffers is not None:
            # Read-only like the list path's buffer, so numba compiles one specialisation.
            buffers[0].flags.writeable = False
            return buffers
        texts = texts.to_pylist()
    encoded = [_prepare(t) for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    if encoded:
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    data = np.frombuffer(b"".join(encoded) + b"\0", dtype=np.uint8)
    return data, offsets


def minhash_signatures(texts, *, num_perm: int = 128, seed: int = 1, ngram: int = 5) -> np.ndarray:
    """MinHash signatures, shape (len(texts), num_perm), uint32.

    Row i equals ``datasketch.MinHash(num_perm, seed=seed,
    hashfunc=xxhash.xxh32_intdigest)`` updated with ``shingles(texts[i], ngram=ngram)``.
    ``texts``: list of str or a pyarrow string array (nulls count as empty texts).
    """
    if ngram < 1:
        raise ValueError("ngram must be >= 1")
    if num_perm < 1:
        raise ValueError("num_perm must be positive")
    data, offsets = _utf8_batch(texts)
    perm_a, perm_b = _permutations(int(num_perm), int(seed))
    out = np.empty((offsets.shape[0] - 1, num_perm), dtype=np.uint32)
    if out.shape[0]:
        _signatures_kernel(data, offsets, _kernel_tables(), np.int64(ngram), perm_a, perm_b, out)
    return out


class ShingleSets:
    """The distinct shingle hashes of each text (xxh32 of `shingles(text)`), packed: exact
    Jaccard and containment for candidate pairs without building Python sets."""

    CHUNK = 5000  # texts encoded at a time: the UTF-8 copy of a whole batch is not held at once

    def __init__(self, texts, *, ngram: int = 5):
        values, offsets = [], [np.zeros(1, dtype=np.int64)]
        for start in range(0, len(texts), self.CHUNK):
            data, chunk_offsets = _utf8_batch(texts[start:start + self.CHUNK])
            chunk_values = np.empty(max(1, data.shape[0]), dtype=np.uint32)
            ends = np.zeros(chunk_offsets.shape[0], dtype=np.int64)
            _shingle_sets_kernel(data, chunk_offsets, _kernel_tables(), np.int64(ngram), chunk_values, ends)
            values.append(chunk_values[: ends[-1]].copy())
            offsets.append(ends[1:] + offsets[-1][-1])
        self.values = np.concatenate(values) if values else np.empty(0, dtype=np.uint32)
        self.offsets = np.concatenate(offsets)

    def __len__(self) -> int:
        return self.offsets.shape[0] - 1

    def sizes(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        return self.offsets[rows + 1] - self.offsets[rows]

    def overlaps(self, rows: np.ndarray, other: "ShingleSets", other_rows: np.ndarray) -> np.ndarray:
        """|set(rows[k]) & other.set(other_rows[k])| for each k."""
        rows = np.asarray(rows, dtype=np.int64)
        other_rows = np.asarray(other_rows, dtype=np.int64)
        out = np.zeros(rows.shape[0], dtype=np.int64)
        if rows.shape[0]:
            _overlaps_kernel(self.values, self.offsets, rows, other.values, other.offsets, other_rows, out)
        return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise fraction of equal slots (datasketch's ``MinHash.jaccard``); broadcasts."""
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError("signatures have different num_perm")
    return np.count_nonzero(a == b, axis=-1) / a.shape[-1]


# --------------------------------------------------------------------------------------
# LSH
# --------------------------------------------------------------------------------------


def _false_positive_area(threshold, b, r):
    from scipy.integrate import quad

    return quad(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)[0]


def _false_negative_area(threshold, b, r):
    from scipy.integrate import quad

    return quad(lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b)), threshold, 1.0)[0]


# lsh_params of the dedupe settings' default candidate threshold, worked out once (the search
# integrates ~650 curves: 0.4 s of every run); a test works them out again.
KNOWN_LSH_PARAMS = {(0.15, 128, (0.5, 0.5)): (51, 2)}


@functools.lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int = 128, weights: tuple = (0.5, 0.5)) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive/negative areas, exactly as
    datasketch's MinHashLSH chooses them."""
    known = KNOWN_LSH_PARAMS.get((threshold, num_perm, tuple(weights)))
    return known if known is not None else optimal_lsh_params(threshold, num_perm, weights)


def optimal_lsh_params(threshold: float, num_perm: int = 128, weights: tuple = (0.5, 0.5)) -> tuple[int, int]:
    """lsh_params searched for: every (bands, rows) with bands * rows <= num_perm."""
    fp_w, fn_w = weights
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            error = _false_positive_area(threshold, b, r) * fp_w + _false_negative_area(threshold, b, r) * fn_w
            if error < best:
                best, opt = error, (b, r)
    return opt


@njit(cache=True)
def _band_keys(signatures, first, bands, rows, out):
    # 64-bit key per (band, row) for rows first..first+out.shape[1]; equal bands always
    # give equal keys, unequal ones collide with probability ~2^-64 (a spurious candidate,
    # never a missed one).
    for i in range(out.shape[1]):
        for band in range(bands):
            h = np.uint64(0x9E3779B97F4A7C15) * np.uint64(band + 1)
            base = band * rows
            for j in range(rows):
                h ^= np.uint64(signatures[first + i, base + j])
                h *= np.uint64(0xFF51AFD7ED558CCD)
                h ^= h >> np.uint64(32)
            h ^= h >> np.uint64(29)
            h *= np.uint64(0xC4CEB9FE1A85EC53)
            h ^= h >> np.uint64(32)
            out[band, i] = h


_KEY_BLOCK = 1 << 16


class LshIndex:
    """Banded LSH over MinHash signatures, held as one sorted uint64 array per band.

    Each entry packs the band key (high bits) with the article's position (low
    ``ceil(log2(n))`` bits), so a band costs 8 bytes per indexed article; with the
    caller's int64 id that is ``8 * (bands + 1)`` bytes per article: 208 B at the default
    threshold 0.5 / 128 permutations (25 bands of 5 rows), ~200 MiB for a 1M-article
    window. Signatures are not kept (the caller has them for verification). Truncating
    keys to 64 minus the position bits (44 bits at 1M articles) can only add a spurious
    candidate (odds ~2^-44 per pair and band), never drop a pair sharing a band.

    ``add`` is cheap (keys only); the sort happens once, on the first ``query`` or
    ``self_pairs`` after adds, so add the whole window first, then query.
    """

    def __init__(self, *, threshold: float, num_perm: int = 128, weights: tuple = (0.5, 0.5)):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError("threshold must be in [0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands, self.rows = lsh_params(float(threshold), int(num_perm), tuple(weights))
        # Per band: one sorted packed array, plus key arrays added since the last sort.
        # Separate 1-D arrays per band let the sort free each band's inputs as it goes.
        self._sorted = [np.empty(0, dtype=np.uint64) for _ in range(self.bands)]
        self._pending: list[list[np.ndarray]] = [[] for _ in range(self.bands)]
        self._ids = np.empty(0, dtype=np.int64)
        self._pending_ids: list[np.ndarray] = []
        self._pos_bits = 1

    def __len__(self) -> int:
        return self._ids.shape[0] + sum(ids.shape[0] for ids in self._pending_ids)

    def _check(self, signatures) -> np.ndarray:
        signatures = np.ascontiguousarray(signatures, dtype=np.uint32)
        if signatures.ndim != 2 or signatures.shape[1] != self.num_perm:
            raise ValueError(f"signatures must have shape (n, {self.num_perm})")
        return signatures

    def _keys(self, signatures: np.ndarray) -> list[np.ndarray]:
        """Band keys as one array per band, built block-wise so no (bands, n) copy exists."""
        n = signatures.shape[0]
        keys = [np.empty(n, dtype=np.uint64) for _ in range(self.bands)]
        block = np.empty((self.bands, min(n, _KEY_BLOCK)), dtype=np.uint64)
        for first in range(0, n, _KEY_BLOCK):
            count = min(_KEY_BLOCK, n - first)
            _band_keys(signatures, first, self.bands, self.rows, block[:, :count])
            for band in range(self.bands):
                keys[band][first : first + count] = block[band, :count]
        return keys

    def add(self, signatures: np.ndarray, ids: np.ndarray) -> None:
        """Index articles; ``ids`` (int64, chosen by the caller, unique) name them in results."""
        signatures = self._check(signatures)
        ids = np.asarray(ids, dtype=np.int64).ravel()
        if signatures.shape[0] != ids.shape[0]:
            raise ValueError("signatures and ids differ in length")
        if ids.shape[0] == 0:
            return
        for band, keys in enumerate(self._keys(signatures)):
            self._pending[band].append(keys)
        self._pending_ids.append(ids.copy())

    def _consolidate(self) -> None:
        if not self._pending_ids:
            return
        old_n = self._ids.shape[0]
        ids = np.concatenate([self._ids, *self._pending_ids])
        n = ids.shape[0]
        pos_bits = max(1, (n - 1).bit_length())
        mask = np.uint64((1 << pos_bits) - 1)
        positions = np.arange(old_n, n, dtype=np.uint64)
        for band in range(self.bands):
            pending = self._pending[band]
            new = pending[0] if len(pending) == 1 else np.concatenate(pending)
            self._pending[band] = []
            new &= ~mask
            new |= positions
            if old_n:
                # Indexed entries keep their position bits; only re-truncate the key part.
                old = self._sorted[band]
                old_keys = old & ~mask
                old_keys |= old & np.uint64((1 << self._pos_bits) - 1)
                new = np.concatenate([old_keys, new])
                del old, old_keys
            self._sorted[band] = np.empty(0, dtype=np.uint64)
            new.sort()
            self._sorted[band] = new
        self._pending_ids = []
        self._ids = ids
        self._pos_bits = pos_bits

    def query(self, signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Candidate pairs (query_row, id): every indexed article sharing at least one band
        with query row ``query_row``; deduplicated, sorted by (query_row, id position)."""
        signatures = self._check(signatures)
        self._consolidate()
        n = self._ids.shape[0]
        n_query = signatures.shape[0]
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
        if n == 0 or n_query == 0:
            return empty
        mask = np.uint64((1 << self._pos_bits) - 1)
        pairs = []
        for band, keys in enumerate(self._keys(signatures)):
            table = self._sorted[band]
            keys &= ~mask
            lo = np.searchsorted(table, keys, side="left")
            hi = np.searchsorted(table, keys | mask, side="right")
            counts = hi - lo
            hit = np.flatnonzero(counts)
            if hit.size == 0:
                continue
            c = counts[hit]
            starts = np.repeat(lo[hit] - np.cumsum(c) + c, c)
            idx = starts + np.arange(starts.shape[0])
            pairs.append(np.repeat(hit.astype(np.int64), c) * n + (table[idx] & mask).astype(np.int64))
        if not pairs:
            return empty
        pair = np.unique(np.concatenate(pairs))
        return pair // n, self._ids[pair % n]

    def self_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Candidate pairs (id_i, id_j), id_i < id_j, among added articles sharing a band;
        deduplicated, sorted. A bucket of k identical signatures gives k*(k-1)/2 pairs."""
        self._consolidate()
        n = self._ids.shape[0]
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
        if n < 2:
            return empty
        mask = np.uint64((1 << self._pos_bits) - 1)
        pairs = [_bucket_pairs(table, mask, n) for table in self._sorted]
        pair = np.unique(np.concatenate(pairs))
        i = self._ids[pair // n]
        j = self._ids[pair % n]
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        keep = lo != hi
        if (self._ids[1:] > self._ids[:-1]).all():
            return lo[keep], hi[keep]  # positions ascending => already sorted by (lo, hi)
        order = np.lexsort((hi[keep], lo[keep]))
        lo, hi = lo[keep][order], hi[keep][order]
        if lo.size:
            new = np.ones(lo.size, dtype=bool)
            new[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
            lo, hi = lo[new], hi[new]
        return lo, hi

    @property
    def nbytes(self) -> int:
        """Bytes held by the index: ``8 * (bands + 1)`` per indexed article."""
        return (
            sum(t.nbytes for t in self._sorted)
            + sum(k.nbytes for band in self._pending for k in band)
            + self._ids.nbytes
            + sum(i.nbytes for i in self._pending_ids)
        )

    @property
    def bytes_per_article(self) -> int:
        return 8 * (self.bands + 1)


@njit(cache=True)
def _bucket_pairs(table, mask, n):
    # Two passes over the runs of equal keys in one band: count, then emit every pair as
    # lo_position * n + hi_position (positions within a run are ascending).
    inv = ~mask
    size = table.shape[0]
    total = 0
    start = 0
    for i in range(1, size + 1):
        if i == size or (table[i] & inv) != (table[start] & inv):
            run = i - start
            total += run * (run - 1) // 2
            start = i
    out = np.empty(total, dtype=np.int64)
    k = 0
    start = 0
    for i in range(1, size + 1):
        if i == size or (table[i] & inv) != (table[start] & inv):
            for x in range(start, i):
                px = np.int64(table[x] & mask) * n
                for y in range(x + 1, i):
                    out[k] = px + np.int64(table[y] & mask)
                    k += 1
            start = i
    return out
