"""Dedupe: decide, for each new document, whether it is a canonical article, an exact copy or
a near-duplicate of an article already decided (in the archive or earlier in the batch).

Exact: the sha256 of the normalised body, against the whole archive. Near: MinHash + LSH
candidates among archived rows (articles and their duplicates) whose event date lies within
`window_days`, and among the batch; each candidate is then verified on the shingle sets of the
two bodies (title excluded, since the body never holds it):

    duplicate  <=>  Jaccard >= threshold
                    or (containment >= containment_threshold and Jaccard >= min_jaccard)

Containment (shared shingles / shingles of the shorter body) keeps trimmed copies, which lose
their last paragraphs and with them Jaccard; the Jaccard floor keeps a short text that merely
quotes a background paragraph of a long one apart.

Canonical rule inside a batch: documents are decided in publication order: earliest
`event_date`, then earliest `published_at` (unknown last), then longest body, then
`source_path`; a document that matches nothing decided before it becomes canonical, one that
matches joins the canonical of its best match. Deciding in publication order makes a corpus
landed day by day give the clusters one run over it gives. Across runs the archived article
always wins: archived rows are never rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pyarrow as pa

from .minhash import SIGNATURE, LshIndex, ShingleSets, estimated_jaccard

_SPACE = re.compile(r"\s+")


def content_sha256(text: str) -> str:
    """sha256 of the body with Unicode compatibility forms folded and whitespace collapsed: a
    re-wrapped or re-encoded copy of the same text is an exact copy."""
    body = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def article_id(content_digest: str) -> str:
    """Stable id of a canonical article: the first 128 bits of its content digest."""
    return content_digest[:32]


def signature_matrix(column: pa.ChunkedArray | pa.Array, num_perm: int) -> np.ndarray:
    """(n, num_perm) uint32 view of a fixed-size-list `minhash` column."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], column.type)
    if len(column) == 0:
        return np.empty((0, num_perm), np.uint32)
    values = column.flatten().to_numpy(zero_copy_only=False)
    return values.reshape(len(column), num_perm).astype(np.uint32, copy=False)


@dataclass(frozen=True, slots=True)
class Decision:
    role: str  # "article" or "duplicate"
    article_id: str  # the canonical's id (its own, for an article)
    match: str | None  # "exact" or "near" for a duplicate
    similarity: float | None  # Jaccard of the two bodies' shingle sets
    containment: float | None  # shared shingles / shingles of the shorter body
    event_date: dt.date  # the canonical's event date: a duplicate is filed under it


@dataclass(frozen=True, slots=True)
class Match:
    row: int  # a window row or a batch row
    similarity: float
    containment: float


def is_near_duplicate(jaccard, containment, settings):
    """The verification rule of the module docstring (element-wise over arrays)."""
    jaccard, containment = np.asarray(jaccard), np.asarray(containment)
    return (jaccard >= settings.threshold) | (
        (containment >= settings.containment_threshold) & (jaccard >= settings.min_jaccard))


def canonical_order(batch: pa.Table) -> list[int]:
    """Row indices in the order documents are decided (see module docstring)."""
    days = batch.column("event_date").to_pylist()
    published = batch.column("published_at").to_pylist()
    words = batch.column("word_count").to_pylist()
    paths = batch.column("source_path").to_pylist()
    latest = dt.datetime.max.replace(tzinfo=dt.timezone.utc)

    def key(i):
        p = published[i]
        if p is not None and p.tzinfo is None:
            p = p.replace(tzinfo=dt.timezone.utc)
        return (days[i], p is None, p or latest, -(words[i] or 0), paths[i])

    return sorted(range(len(batch)), key=key)


def _day_numbers(column) -> np.ndarray:
    return np.array(column.to_pylist(), dtype="datetime64[D]").astype(np.int64)


def search_days(batch: pa.Table) -> list[list[dt.date]]:
    """The days around which each batch row is compared: its event date; the acquisition day
    when the date fell back to it; and every reading of a date left ambiguous on the page
    (`date_alternatives`, e.g. 09/04 read both ways), so a copy dated either way is found."""
    days = batch.column("event_date").to_pylist()
    acquired = batch.column("acquired_date").to_pylist()
    sources = batch.column("event_date_source").to_pylist()
    alternatives = (batch.column("date_alternatives").to_pylist()
                    if "date_alternatives" in batch.column_names else [None] * len(batch))
    out = []
    for day, got, source, alt in zip(days, acquired, sources, alternatives):
        anchors = [day, *(alt or ())]
        if source == "acquired":
            anchors.append(got)
        out.append(sorted(set(anchors)))
    return out


def _anchor_matrix(anchors: list[list[dt.date]]) -> tuple[np.ndarray, np.ndarray]:
    """(n, k) day numbers and a validity mask, k = the most anchors of any row."""
    k = max((len(a) for a in anchors), default=1)
    values = np.zeros((len(anchors), k), np.int64)
    valid = np.zeros((len(anchors), k), bool)
    for i, row in enumerate(anchors):
        values[i, :len(row)] = np.array(row, dtype="datetime64[D]").astype(np.int64)
        valid[i, :len(row)] = True
    return values, valid


def exact_similarity(a: ShingleSets, a_rows, b: ShingleSets, b_rows) -> tuple[np.ndarray, np.ndarray]:
    """(Jaccard, containment) of the shingle sets of a[a_rows[k]] and b[b_rows[k]]."""
    shared = a.overlaps(a_rows, b, b_rows)
    na, nb = a.sizes(a_rows), b.sizes(b_rows)
    union, smaller = na + nb - shared, np.minimum(na, nb)
    jaccard = np.divide(shared, union, out=np.zeros(len(shared)), where=union > 0)
    containment = np.divide(shared, smaller, out=np.zeros(len(shared)), where=smaller > 0)
    return jaccard, containment


def near_duplicates(batch: pa.Table, window: pa.Table, settings,
                    window_texts: Callable[[Sequence[int]], list[str]] | None = None
                    ) -> tuple[dict[int, list[Match]], dict[int, list[Match]]]:
    """Verified near-duplicates of each batch row: ({row: matches among window rows},
    {row: matches among other batch rows}), best first.

    Candidates come from LSH at `candidate_threshold` (well under `threshold`, so that trimmed
    copies are found), restricted to the event-date window and to an estimated Jaccard that
    could pass verification; survivors are verified on exact shingle sets."""
    num_perm = SIGNATURE.num_perm
    sigs = signature_matrix(batch.column("minhash"), num_perm)
    anchors, valid = _anchor_matrix(search_days(batch))
    # Estimated Jaccard has a standard error of about 0.04 at 128 permutations: keep a margin.
    floor = max(0.0, min(settings.min_jaccard, settings.threshold) - 0.1)

    def in_window(rows, other_days):
        """Whether any search day of each row lies within the window of the other's day."""
        near = np.abs(anchors[rows] - other_days[:, None]) <= settings.window_days
        return np.any(near & valid[rows], axis=1)

    def in_window_pairs(a, b):
        near = np.abs(anchors[a][:, :, None] - anchors[b][:, None, :]) <= settings.window_days
        return np.any(near & valid[a][:, :, None] & valid[b][:, None, :], axis=(1, 2))

    def plausible(a, b, other_sigs):
        keep = estimated_jaccard(sigs[a], other_sigs[b]) >= floor
        return a[keep], b[keep]

    empty = np.empty(0, np.int64)
    q = w = a = b = empty
    if len(window) and len(batch):
        wsigs = signature_matrix(window.column("minhash"), num_perm)
        wdays = _day_numbers(window.column("event_date"))
        index = LshIndex(threshold=settings.candidate_threshold, num_perm=num_perm)
        index.add(wsigs, np.arange(len(window), dtype=np.int64))
        q, w = index.query(sigs)
        keep = in_window(q, wdays[w])
        q, w = plausible(q[keep], w[keep], wsigs)
    if len(batch) > 1:
        index = LshIndex(threshold=settings.candidate_threshold, num_perm=num_perm)
        index.add(sigs, np.arange(len(batch), dtype=np.int64))
        a, b = index.self_pairs()
        keep = in_window_pairs(a, b)
        a, b = plausible(a[keep], b[keep], sigs)

    # Bodies are shingled for plausible candidates only, once each; window bodies are read
    # from the archive for those rows only.
    batch_rows = np.unique(np.concatenate([q, a, b]))
    own = ShingleSets(batch.column("text").take(pa.array(batch_rows, pa.int64())), ngram=SIGNATURE.ngram)
    window_rows = np.unique(w)
    read = window_texts or (lambda r: window.column("text").take(pa.array(r, pa.int64())).to_pylist())
    window_sets = ShingleSets(read(window_rows.tolist()) if len(window_rows) else [], ngram=SIGNATURE.ngram)

    def verified(x, y, other_sets, other_rows):
        jaccard, containment = exact_similarity(own, np.searchsorted(batch_rows, x), other_sets, other_rows)
        ok = is_near_duplicate(jaccard, containment, settings)
        return zip(x[ok].tolist(), y[ok].tolist(), jaccard[ok].tolist(), containment[ok].tolist())

    to_window: dict[int, list[Match]] = {}
    for qi, wi, j, c in verified(q, w, window_sets, np.searchsorted(window_rows, w)):
        to_window.setdefault(qi, []).append(Match(wi, j, c))
    in_batch: dict[int, list[Match]] = {}
    for ai, bi, j, c in verified(a, b, own, np.searchsorted(batch_rows, b)):
        in_batch.setdefault(ai, []).append(Match(bi, j, c))
        in_batch.setdefault(bi, []).append(Match(ai, j, c))

    # Best first; ties broken by row number so the outcome never depends on hash order.
    for matches in (*to_window.values(), *in_batch.values()):
        matches.sort(key=lambda m: (-m.similarity, -m.containment, m.row))
    return to_window, in_batch


def decide(batch: pa.Table, window: pa.Table, archived_exact: dict[str, tuple[str, dt.date]],
           settings, window_texts: Callable[[Sequence[int]], list[str]] | None = None) -> list[Decision]:
    """One Decision per batch row (same order as `batch`).

    `window`: archived rows near the batch's dates (article_id, event_date, minhash, and `text`
    unless `window_texts(rows)` returns the bodies of given window rows);
    `archived_exact`: content_sha256 -> (article_id, its event_date) over the whole archive."""
    digests = batch.column("content_sha256").to_pylist()
    event_dates = batch.column("event_date").to_pylist()
    window_ids = window.column("article_id").to_pylist() if len(window) else []
    window_dates = window.column("event_date").to_pylist() if len(window) else []
    to_window, in_batch = near_duplicates(batch, window, settings, window_texts)

    decided: dict[int, Decision] = {}
    batch_exact: dict[str, int] = {}
    for i in canonical_order(batch):
        digest = digests[i]
        decision = None
        if digest in archived_exact:
            aid, day = archived_exact[digest]
            decision = Decision("duplicate", aid, "exact", 1.0, 1.0, day)
        elif digest in batch_exact:
            first = decided[batch_exact[digest]]
            decision = Decision("duplicate", first.article_id, "exact", 1.0, 1.0, first.event_date)
        elif i in to_window:
            best = to_window[i][0]
            # Archived duplicates are filed under their canonical's date, so the row's date is it.
            decision = Decision("duplicate", window_ids[best.row], "near", best.similarity,
                                best.containment, window_dates[best.row])
        else:
            for m in in_batch.get(i, ()):
                if m.row in decided:
                    other = decided[m.row]
                    decision = Decision("duplicate", other.article_id, "near", m.similarity,
                                        m.containment, other.event_date)
                    break
        if decision is None:
            decision = Decision("article", article_id(digest), None, None, None, event_dates[i])
        # Any decided body, a copy's included, makes a later identical body an exact copy.
        batch_exact.setdefault(digest, i)
        decided[i] = decision
    return [decided[i] for i in range(len(batch))]
