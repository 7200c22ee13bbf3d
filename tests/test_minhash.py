"""MinHash signatures equal datasketch's; the kernel's normalisation equals normalise();
LshIndex finds exactly the pairs sharing a band."""

from __future__ import annotations

import random
import unicodedata

import numpy as np
import pyarrow as pa
import pytest
import xxhash
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from newsarchive import minhash as mh
from newsarchive.minhash import (
    LshIndex,
    estimated_jaccard,
    lsh_params,
    minhash_signatures,
    normalise,
    shingles,
)

# Accents, CJK, emoji (with modifier and ZWJ), typographic quotes/dashes, NFKC-affected
# characters (ligature, fullwidth, circled digit, NBSP), format characters, ß (casefold).
_ALPHABET = list(
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ   \n\n\t0123456789"
    ".,;:!?'\"()-_/&%$€£+=<>|^`~#@*[]{}"
    "—–‐“”‘’«»„…•·"
    "éèêëçñüöäÅØÆœ ΣσςΑ ЖжЁ"
    "日本語中文한국어ไทย"
    "😀👍🏽👨‍👩‍👧🇬🇧"
    "\u00ad\u200b\u200d\ufeff\u00a0\u2009\u3000\u2028"
    "ﬁﬂ①２Ａｂß ǅ İ"
)


def _random_texts(count: int, seed: int, max_words: int = 60) -> list[str]:
    rng = random.Random(seed)
    words = ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 9))) for _ in range(400)]
    texts = []
    for _ in range(count):
        n = rng.choice([0, 1, 2, 4, 5, 6, rng.randint(7, max_words)])
        texts.append(rng.choice([" ", "  ", "\n", ", ", " — "]).join(rng.choice(words) for _ in range(n)))
    return texts


def _datasketch(text: str, num_perm: int = 128, seed: int = 1, ngram: int = 5) -> np.ndarray:
    m = MinHash(num_perm, seed=seed, hashfunc=xxhash.xxh32_intdigest)
    m.update_batch(shingles(text, ngram=ngram))
    return m.hashvalues


@pytest.mark.parametrize(("num_perm", "seed", "ngram"), [(128, 1, 5), (64, 7, 3), (32, 3, 1)])
def test_signatures_equal_datasketch_on_random_unicode_texts(num_perm, seed, ngram):
    texts = _random_texts(150, seed=num_perm + seed)
    got = minhash_signatures(texts, num_perm=num_perm, seed=seed, ngram=ngram)
    assert got.dtype == np.uint32 and got.shape == (len(texts), num_perm)
    want = np.array([_datasketch(t, num_perm, seed, ngram) for t in texts])
    assert np.array_equal(got, want)


def test_signatures_equal_datasketch_on_long_texts():
    texts = _random_texts(20, seed=11, max_words=3000)
    want = np.array([_datasketch(t) for t in texts])
    assert np.array_equal(minhash_signatures(texts), want)


def test_empty_and_wordless_texts_give_datasketchs_empty_signature():
    texts = ["", "   \n\t ", "—…!?“”", "\u00ad\u200b", None]
    got = minhash_signatures(texts)
    empty = MinHash(128, seed=1, hashfunc=xxhash.xxh32_intdigest)
    assert empty.is_empty()
    assert np.array_equal(got, np.tile(empty.hashvalues, (len(texts), 1)))
    assert np.array_equal(got[0], mh.empty_signature(128))
    assert [shingles(t) for t in texts[:4]] == [[], [], [], []]


def test_texts_shorter_than_ngram_are_one_shingle_of_all_words():
    assert shingles("Breaking: Storm hits!", ngram=5) == [b"breaking storm hits"]
    assert shingles("one two three four five", ngram=5) == [b"one two three four five"]
    assert shingles("one two three four five six", ngram=5) == [
        b"one two three four five",
        b"two three four five six",
    ]
    texts = ["a", "Breaking: Storm hits!", "one two three four five"]
    assert np.array_equal(minhash_signatures(texts), np.array([_datasketch(t) for t in texts]))


def test_normalise_ignores_typography_wrapping_and_case():
    straight = 'He said "it\'s over" - the 2019-2020 season\nis done.'
    smart = "HE SAID \u201cit\u2019s over\u201d \u2014 the 2019\u20132020   season is\r\n  done"
    assert normalise(straight) == normalise(smart) == "he said it s over the 2019 2020 season is done"
    assert normalise("\ufb01nal \uff21\uff22 \u2460") == "final ab 1"  # NFKC
    assert normalise("STRASSE Straße") == "strasse strasse"  # casefold
    assert normalise("co\u00adop\u200beration") == "cooperation"  # format chars vanish
    assert normalise("\u00a0 price: 5\u00a0€ \U0001f600 ") == "price 5 € \U0001f600"
    assert normalise("") == ""
    sigs = minhash_signatures([" ".join([straight] * 3), "\n".join([smart] * 3)])
    assert np.array_equal(sigs[0], sigs[1])


def test_kernel_normalisation_equals_normalise_on_every_code_point():
    # Every code point of the Unicode range, in shuffled chunks with ASCII context.
    cps = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    random.Random(5).shuffle(cps)
    texts = ["Ab " + "".join(map(chr, cps[i : i + 50])) + " Z" for i in range(0, len(cps), 50)]
    texts += _random_texts(200, seed=9) + ["lone \ud800 surrogate"]
    got = mh._kernel_normalised(texts)
    want = [normalise(t).encode("utf-8") for t in texts]
    assert got == want


def test_class_table_covers_full_range():
    # The table builder skips planes without separators/format characters; prove it.
    table = mh._class_table()
    skipped = [cp for cp in range(0x40000, 0xE0000, 7)] + list(range(0xF0000, 0x110000, 7))
    assert all(mh._char_class(chr(cp)) == table[cp] == mh._KEEP for cp in skipped)
    assert all(unicodedata.category(chr(cp))[0] in "CL" for cp in skipped)


def test_xxh32_kernel_equals_xxhash():
    rng = np.random.default_rng(1)
    buf = rng.integers(0, 256, 200, dtype=np.uint8)
    for start in range(0, 5):
        for end in range(start, start + 70):
            assert mh._xxh32(buf, start, end) == xxhash.xxh32_intdigest(buf[start:end].tobytes())


def test_permutations_equal_datasketch():
    for num_perm, seed in [(128, 1), (64, 42)]:
        a, b = mh._permutations(num_perm, seed)
        ref = MinHash(num_perm, seed=seed).permutations
        assert np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])


def test_pyarrow_input_equals_list_input():
    texts = _random_texts(40, seed=3)
    want = minhash_signatures(texts)
    for typ in (pa.string(), pa.large_string()):
        arr = pa.array(texts, type=typ)
        assert np.array_equal(minhash_signatures(arr), want)
        assert np.array_equal(minhash_signatures(arr.slice(5, 20)), want[5:25])
    chunked = pa.chunked_array([texts[:10], texts[10:]])
    assert np.array_equal(minhash_signatures(chunked), want)
    with_null = pa.array(["", None, texts[1]])
    assert np.array_equal(minhash_signatures(with_null), minhash_signatures(["", "", texts[1]]))
    assert minhash_signatures([]).shape == (0, 128)


def test_stored_signatures_load_into_datasketch_and_jaccard_agrees():
    text = " ".join(f"word{i}" for i in range(200))
    edited = text.replace("word50 ", "").replace("word120", "changed")
    sigs = minhash_signatures([text, edited])
    loaded = [MinHash(hashvalues=s, seed=1, scheme="affine32", hashfunc=xxhash.xxh32_intdigest) for s in sigs]
    assert loaded[0].jaccard(loaded[1]) == pytest.approx(float(estimated_jaccard(sigs[0], sigs[1])))
    assert estimated_jaccard(sigs, sigs[::-1]).tolist() == [loaded[0].jaccard(loaded[1])] * 2
    assert 0.8 < estimated_jaccard(sigs[0], sigs[1]) < 1.0


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 128), (0.3, 128), (0.8, 128), (0.9, 64)])
def test_lsh_params_equal_datasketch(threshold, num_perm):
    assert lsh_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)
    assert LshIndex(threshold=threshold, num_perm=num_perm).bands == lsh_params(threshold, num_perm)[0]


def _signatures_with_near_copies(n: int, copies: int, seed: int):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 2**32, (n, 128), dtype=np.uint32)
    near = base[rng.integers(0, n, copies)].copy()
    changed = rng.random(near.shape) < rng.random((copies, 1)) * 0.8
    near[changed] = rng.integers(0, 2**32, int(changed.sum()), dtype=np.uint32)
    return base, near


def _brute_pairs(index: LshIndex, queries: np.ndarray, indexed: np.ndarray) -> set:
    pairs = set()
    for band in range(index.bands):
        cols = slice(band * index.rows, (band + 1) * index.rows)
        buckets: dict = {}
        for j, row in enumerate(indexed):
            buckets.setdefault(row[cols].tobytes(), []).append(j)
        for i, row in enumerate(queries):
            pairs.update((i, j) for j in buckets.get(row[cols].tobytes(), []))
    return pairs


def test_lsh_query_finds_exactly_the_pairs_sharing_a_band():
    base, near = _signatures_with_near_copies(1500, 300, seed=2)
    indexed = np.vstack([base, near[:150]])
    ids = np.arange(len(indexed), dtype=np.int64) * 3 + 1000
    index = LshIndex(threshold=0.5)
    index.add(indexed[:700], ids[:700])
    index.add(indexed[700:], ids[700:])
    queries = np.vstack([near, base[:20]])
    q, found = index.query(queries)
    assert q.dtype == found.dtype == np.int64
    got = list(zip(q.tolist(), ((found - 1000) // 3).tolist()))
    assert got == sorted(set(got))  # deduplicated and sorted
    assert set(got) == _brute_pairs(index, queries, indexed)
    assert len(got) > 300


def test_lsh_query_matches_datasketch_minhashlsh():
    base, near = _signatures_with_near_copies(400, 100, seed=4)
    index = LshIndex(threshold=0.5)
    index.add(base, np.arange(len(base)))
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, sig in enumerate(base):
        lsh.insert(i, MinHash(hashvalues=sig, seed=1, scheme="affine32"))
    q, found = index.query(near)
    ours = {i: set() for i in range(len(near))}
    for a, b in zip(q.tolist(), found.tolist()):
        ours[a].add(b)
    for i, sig in enumerate(near):
        assert ours[i] == set(lsh.query(MinHash(hashvalues=sig, seed=1, scheme="affine32")))


def test_lsh_self_pairs_and_incremental_adds():
    base, near = _signatures_with_near_copies(800, 200, seed=6)
    sigs = np.vstack([base, near])
    ids = np.arange(len(sigs), dtype=np.int64)[::-1].copy()  # ids need not follow row order
    index = LshIndex(threshold=0.5)
    index.add(sigs[:500], ids[:500])
    assert len(index.query(sigs[:5])[0]) >= 5  # query between adds
    index.add(sigs[500:], ids[500:])
    first, second = index.self_pairs()
    assert (first < second).all()
    got = set(zip(first.tolist(), second.tolist()))
    assert len(got) == len(first)
    want = {
        (min(ids[i], ids[j]), max(ids[i], ids[j])) for i, j in _brute_pairs(index, sigs, sigs) if i != j
    }
    assert got == want
    assert index.nbytes == len(sigs) * index.bytes_per_article == len(sigs) * 8 * (index.bands + 1)


def test_lsh_empty_index_and_batches():
    index = LshIndex(threshold=0.5)
    assert [a.size for a in index.query(np.zeros((3, 128), np.uint32))] == [0, 0]
    assert [a.size for a in index.self_pairs()] == [0, 0]
    index.add(np.zeros((0, 128), np.uint32), np.zeros(0, np.int64))
    assert [a.size for a in index.query(np.zeros((0, 128), np.uint32))] == [0, 0]
    with pytest.raises(ValueError):
        index.add(np.zeros((2, 64), np.uint32), np.arange(2))


def test_end_to_end_near_duplicate_texts_are_candidates():
    rng = random.Random(8)
    vocab = [f"w{i}" for i in range(3000)]
    stories = [" ".join(rng.choice(vocab) for _ in range(300)) for _ in range(50)]
    copies = [s.replace(" ", "\n", 20).upper()[: int(len(s) * 0.9)] for s in stories[:10]]
    index = LshIndex(threshold=0.5)
    index.add(minhash_signatures(stories), np.arange(50) + 100)
    q, found = index.query(minhash_signatures(copies))
    assert set(zip(q.tolist(), found.tolist())) == {(i, i + 100) for i in range(10)}


def _normalise_definition(text: str) -> str:
    # normalise() as documented, computed the slow, obvious way.
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.translate(mh._translate_table()).split())


def test_normalise_equals_its_definition():
    cps = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    random.Random(6).shuffle(cps)
    texts = ["Ab " + "".join(map(chr, cps[i : i + 50])) + " Z" for i in range(0, len(cps), 50)]
    texts += _random_texts(200, seed=10) + ["lone \ud800 surrogate", "ΣΑΣ ǅ İstanbul ﬃ ẞ"]
    assert [normalise(t) for t in texts] == [_normalise_definition(t) for t in texts]


def test_ascii_pyarrow_input_is_read_in_place():
    texts = ["Plain ASCII text, number %d; with -- punctuation." % i * (i % 4) for i in range(30)]
    want = minhash_signatures(texts)
    for typ in (pa.string(), pa.large_string()):
        arr = pa.array(texts, type=typ)
        assert mh._arrow_ascii_buffers(arr) is not None
        assert np.array_equal(minhash_signatures(arr.slice(3, 20)), want[3:23])
    assert np.array_equal(minhash_signatures(pa.chunked_array([texts[:7], texts[7:]])), want)


def test_shingle_sets_are_exact_and_independent_of_chunking(monkeypatch):
    import pyarrow as pa

    from newsarchive.minhash import ShingleSets, shingles, token_hash

    texts = ["The quick brown fox jumps over the lazy dog again", "Über „naïve“ Café — Straße", "", "two words"] * 7
    whole = ShingleSets(pa.array(texts))
    for i, text in enumerate(texts):
        expected = sorted({token_hash(s) for s in shingles(text)})
        assert whole.values[whole.offsets[i]:whole.offsets[i + 1]].tolist() == expected
    monkeypatch.setattr(ShingleSets, "CHUNK", 3)
    chunked = ShingleSets(texts)
    assert chunked.values.tolist() == whole.values.tolist() and chunked.offsets.tolist() == whole.offsets.tolist()
    assert whole.overlaps([0, 0], whole, [4, 1]).tolist() == [len(whole.values[whole.offsets[0]:whole.offsets[1]]), 0]


def test_class_table_is_char_class_of_every_code_point_built():
    table = mh._class_table()
    for lo, hi in ((0, 0x40000), (0xE0000, 0xF0000)):
        assert table[lo:hi].tolist() == [mh._char_class(chr(cp)) for cp in range(lo, hi)]


def test_known_lsh_params_are_the_optimal_ones():
    for (threshold, num_perm, weights), params in mh.KNOWN_LSH_PARAMS.items():
        assert mh.optimal_lsh_params(threshold, num_perm, weights) == params
