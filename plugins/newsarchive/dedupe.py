"""Dedupe: decide, for each new document, whether it is a canonical article, an exact copy or
a near-duplicate of an article already decided (in the archive or earlier in the batch).

Exact: the sha256 of the normalised body, against the whole archive. Near: MinHash + LSH
candidates among archived rows (articles and their duplicates) whose event date lies within
`window_days`, and among the batch, each candidate verified against `threshold`.

Canonical rule inside a batch: documents are decided in the order earliest `published_at`
(unknown last), then longest body, then `source_path`; a document that matches nothing decided
before it becomes canonical. Across runs the archived article always wins: archived rows are
never rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .minhash import LshIndex, estimated_jaccard

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
    similarity: float | None
    event_date: dt.date  # the canonical's event date: a duplicate is filed under it


def canonical_order(batch: pa.Table) -> list[int]:
    """Row indices in the order documents are decided (see module docstring)."""
    published = batch.column("published_at").to_pylist()
    words = batch.column("word_count").to_pylist()
    paths = batch.column("source_path").to_pylist()
    latest = dt.datetime.max.replace(tzinfo=dt.timezone.utc)

    def key(i):
        p = published[i]
        if p is not None and p.tzinfo is None:
            p = p.replace(tzinfo=dt.timezone.utc)
        return (p is None, p or latest, -(words[i] or 0), paths[i])

    return sorted(range(len(batch)), key=key)


def _within_window(a: np.ndarray, b: np.ndarray, days: int) -> np.ndarray:
    return np.abs(a.astype("datetime64[D]").astype(np.int64) - b.astype("datetime64[D]").astype(np.int64)) <= days


def _date_array(column) -> np.ndarray:
    return np.array(column.to_pylist(), dtype="datetime64[D]")


def near_duplicates(batch: pa.Table, window: pa.Table, settings) -> tuple[dict, dict]:
    """Verified candidate pairs: ({batch row: [(window row, similarity), ...]},
    {batch row: [(other batch row, similarity), ...]}), each list best first."""
    num_perm = settings.num_perm
    sigs = signature_matrix(batch.column("minhash"), num_perm)
    dates = _date_array(batch.column("event_date"))
    acquired = _date_array(batch.column("acquired_date"))
    fallback = np.array([s == "acquired" for s in batch.column("event_date_source").to_pylist()], bool)

    def in_window(rows, other_dates):
        ok = _within_window(dates[rows], other_dates, settings.window_days)
        # An undated input may be an old story: also look around the day it was acquired.
        return ok | (fallback[rows] & _within_window(acquired[rows], other_dates, settings.window_days))

    to_window: dict[int, list] = {}
    if len(window) and len(batch):
        wsigs = signature_matrix(window.column("minhash"), num_perm)
        wdates = _date_array(window.column("event_date"))
        index = LshIndex(threshold=settings.threshold, num_perm=num_perm)
        index.add(wsigs, np.arange(len(window), dtype=np.int64))
        q, w = index.query(sigs)
        keep = in_window(q, wdates[w])
        q, w = q[keep], w[keep]
        sim = estimated_jaccard(sigs[q], wsigs[w])
        for qi, wi, s in zip(q.tolist(), w.tolist(), sim.tolist()):
            if s >= settings.threshold:
                to_window.setdefault(qi, []).append((wi, s))

    in_batch: dict[int, list] = {}
    if len(batch) > 1:
        index = LshIndex(threshold=settings.threshold, num_perm=num_perm)
        index.add(sigs, np.arange(len(batch), dtype=np.int64))
        a, b = index.self_pairs()
        keep = in_window(a, dates[b]) | in_window(b, dates[a])
        a, b = a[keep], b[keep]
        sim = estimated_jaccard(sigs[a], sigs[b])
        for ai, bi, s in zip(a.tolist(), b.tolist(), sim.tolist()):
            if s >= settings.threshold:
                in_batch.setdefault(ai, []).append((bi, s))
                in_batch.setdefault(bi, []).append((ai, s))

    # Best first; ties broken by row number so the outcome never depends on hash order.
    for pairs in (*to_window.values(), *in_batch.values()):
        pairs.sort(key=lambda p: (-p[1], p[0]))
    return to_window, in_batch


def decide(batch: pa.Table, window: pa.Table, archived_exact: dict[str, tuple[str, dt.date]],
           settings) -> list[Decision]:
    """One Decision per batch row (same order as `batch`).

    `window`: archived rows near the batch's dates (columns article_id, event_date, minhash);
    `archived_exact`: content_sha256 -> (article_id, its event_date) over the whole archive."""
    digests = batch.column("content_sha256").to_pylist()
    event_dates = batch.column("event_date").to_pylist()
    window_ids = window.column("article_id").to_pylist() if len(window) else []
    window_dates = window.column("event_date").to_pylist() if len(window) else []
    to_window, in_batch = near_duplicates(batch, window, settings)

    decided: dict[int, Decision] = {}
    batch_exact: dict[str, int] = {}
    for i in canonical_order(batch):
        digest = digests[i]
        decision = None
        if digest in archived_exact:
            aid, day = archived_exact[digest]
            decision = Decision("duplicate", aid, "exact", 1.0, day)
        elif digest in batch_exact:
            first = decided[batch_exact[digest]]
            decision = Decision("duplicate", first.article_id, "exact", 1.0, first.event_date)
        elif i in to_window:
            w, sim = to_window[i][0]
            aid = window_ids[w]
            # Archived duplicates are filed under their canonical's date, so the row's date is it.
            decision = Decision("duplicate", aid, "near", sim, window_dates[w])
        else:
            for j, sim in in_batch.get(i, ()):
                if j in decided:
                    other = decided[j]
                    decision = Decision("duplicate", other.article_id, "near", sim, other.event_date)
                    break
        if decision is None:
            decision = Decision("article", article_id(digest), None, None, event_dates[i])
        # Any decided body, a copy's included, makes a later identical body an exact copy.
        batch_exact.setdefault(digest, i)
        decided[i] = decision
    return [decided[i] for i in range(len(batch))]

