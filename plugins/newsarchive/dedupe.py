"""Dedupe: decide, for each new document, whether it is a canonical article, an exact copy or
a near-duplicate of an article already decided (in the archive or earlier in the batch).

Exact: the sha256 of the normalised body, against the whole archive. Near: MinHash + LSH
candidates among the canonical articles of the archive whose event date lies within
`window_days` of the document's, and among the batch; each candidate is then verified on the
shingle sets of the two bodies (title excluded, since the body never holds it):

    duplicate  <=>  Jaccard >= threshold
                    or (containment >= containment_threshold and Jaccard >= min_jaccard
                        and the shorter body is an article's, not template text)

Containment (shared shingles / shingles of the shorter body) keeps trimmed copies, which lose
their last paragraphs and with them Jaccard; the Jaccard floor keeps a short text that merely
quotes a background paragraph of a long one apart. A containment merge also needs the shorter
body to hold at least `containment_min_shingles` shingles (an article, not a block of page
text), and that body must not be contained in bodies of `boilerplate_stories` or more stories
that are unrelated to each other: text that recurs in different stories is template text (a
comment policy, a newsletter prompt), never a story's copy.

No chains: a document is a duplicate only of a canonical article it matches itself, within the
window of that canonical's event date. Copies of copies do not join a canonical they do not
match, so boilerplate or a run of small edits cannot pull unrelated stories into one cluster.

Canonical rule inside a batch: documents are decided in publication order: earliest
`event_date`, then earliest `published_at` (unknown last), then longest body, then
`source_path`; a document that matches no canonical decided before it becomes canonical, one
that matches joins its best-matching canonical. Deciding in publication order makes a corpus
landed day by day give the clusters one run over it gives. Across runs the archived article
always wins: archived rows are never rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from .minhash import SIGNATURE, LshIndex, ShingleSets, estimated_jaccard


def content_sha256(text: str) -> str:
    """sha256 of the body with Unicode compatibility forms folded and whitespace collapsed: a
    re-wrapped or re-encoded copy of the same text is an exact copy."""
    # str.split() splits on exactly the characters \s matches (str.isspace): re.sub(r"\s+", " ")
    # then strip(), in a third of its time
    body = " ".join(unicodedata.normalize("NFKC", text).split())
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
    {row: matches among other batch rows}), best first. `window` holds canonical articles.

    Candidates come from LSH at `candidate_threshold` (well under `threshold`, so that trimmed
    copies are found), restricted to the event-date window and to an estimated Jaccard that
    could pass verification; survivors are verified on exact shingle sets, and containment
    matches whose shorter body is template text are dropped (`_template_bodies`)."""
    num_perm = SIGNATURE.num_perm
    sigs = signature_matrix(batch.column("minhash"), num_perm)
    anchors, valid = _anchor_matrix(search_days(batch))
    # Estimated Jaccard has a standard error of about 0.04 at 128 permutations: keep a margin.
    floor = max(0.0, min(settings.min_jaccard, settings.threshold) - 0.1)

    def in_window(rows, other_days):
        """Whether any search day of each row lies within the window of the other's day."""
        near = np.abs(anchors[rows] - other_days[:, None]) <= settings.window_days
        return np.any(near & valid[rows], axis=1)

    undated = np.array([s == "acquired" for s in batch.column("event_date_source").to_pylist()], bool)

    def in_window_pairs(a, b):
        """Batch pairs within the window of each other's dates; a page that states no date
        (dated by its acquisition) is compared with the whole batch it was crawled with."""
        near = np.abs(anchors[a][:, :, None] - anchors[b][:, None, :]) <= settings.window_days
        return np.any(near & valid[a][:, :, None] & valid[b][:, None, :], axis=(1, 2)) | undated[a] | undated[b]

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
        sizes = (own.sizes(np.searchsorted(batch_rows, x)), other_sets.sizes(other_rows))
        return x[ok], y[ok], jaccard[ok], containment[ok], sizes[0][ok], sizes[1][ok]

    wq, ww, wj, wc, wqs, wws = verified(q, w, window_sets, np.searchsorted(window_rows, w))
    ba, bb, bj, bc, bas, bbs = verified(a, b, own, np.searchsorted(batch_rows, b))
    wsigs = signature_matrix(window.column("minhash"), num_perm) if len(window) else sigs[:0]
    template = _template_bodies(
        [(("b", x), ("w", y), j, c, sx, sy) for x, y, j, c, sx, sy in
         zip(wq.tolist(), ww.tolist(), wj.tolist(), wc.tolist(), wqs.tolist(), wws.tolist())]
        + [(("b", x), ("b", y), j, c, sx, sy) for x, y, j, c, sx, sy in
           zip(ba.tolist(), bb.tolist(), bj.tolist(), bc.tolist(), bas.tolist(), bbs.tolist())],
        lambda ref: (sigs if ref[0] == "b" else wsigs)[ref[1]], settings)

    def kept(x, y, j, c, sx, sy):
        """A containment-only match stands when the shorter body is an article's and not
        template text."""
        if j >= settings.threshold:
            return True
        shorter, size = (x, sx) if sx <= sy else (y, sy)
        return size >= settings.containment_min_shingles and shorter not in template

    to_window: dict[int, list[Match]] = {}
    for qi, wi, j, c, sq, sw in zip(wq.tolist(), ww.tolist(), wj.tolist(), wc.tolist(), wqs.tolist(), wws.tolist()):
        if kept(("b", qi), ("w", wi), j, c, sq, sw):
            to_window.setdefault(qi, []).append(Match(wi, j, c))
    in_batch: dict[int, list[Match]] = {}
    for ai, bi, j, c, sa, sb in zip(ba.tolist(), bb.tolist(), bj.tolist(), bc.tolist(), bas.tolist(), bbs.tolist()):
        if kept(("b", ai), ("b", bi), j, c, sa, sb):
            in_batch.setdefault(ai, []).append(Match(bi, j, c))
            in_batch.setdefault(bi, []).append(Match(ai, j, c))

    # Best first; ties broken by row number so the outcome never depends on hash order.
    for matches in (*to_window.values(), *in_batch.values()):
        matches.sort(key=lambda m: (-m.similarity, -m.containment, m.row))
    return to_window, in_batch


def _template_bodies(pairs, signature, settings) -> set:
    """The bodies whose containment in others is template text, not copying: each is the
    shorter side of containment matches with bodies of `boilerplate_stories` or more different
    stories, i.e. bodies that would not be near-duplicates of each other (judged on their
    signatures). A trimmed copy is contained in its story's other copies, which are copies of
    each other: one story.

    `pairs`: (ref_x, ref_y, jaccard, containment, shingles_x, shingles_y) of verified matches;
    refs are ("b", batch row) or ("w", window row); `signature(ref)` its MinHash row."""
    partners: dict = {}
    sizes: dict = {}
    for x, y, j, c, sx, sy in pairs:
        sizes[x], sizes[y] = sx, sy
        if c >= settings.containment_threshold:
            shorter, longer = (x, y) if sx <= sy else (y, x)
            partners.setdefault(shorter, []).append(longer)

    def related(u, v) -> bool:
        """Whether two bodies would be near-duplicates, estimated from signatures and sizes."""
        j = float(estimated_jaccard(signature(u)[None, :], signature(v)[None, :])[0])
        shared = j * (sizes[u] + sizes[v]) / (1 + j)
        containment = shared / max(1, min(sizes[u], sizes[v]))
        return bool(is_near_duplicate(j, containment, settings))

    template = set()
    for body, others in partners.items():
        if len(others) < settings.boilerplate_stories:
            continue
        heads: list = []  # one body per story found among the partners
        for other in sorted(set(others)):
            if not any(related(other, h) for h in heads):
                heads.append(other)
                if len(heads) >= settings.boilerplate_stories:
                    template.add(body)
                    break
    return template


def decide(batch: pa.Table, window: pa.Table, archived_exact: dict[str, tuple[str, dt.date]],
           settings, window_texts: Callable[[Sequence[int]], list[str]] | None = None) -> list[Decision]:
    """One Decision per batch row (same order as `batch`).

    `window`: archived canonical articles near the batch's dates (article_id, event_date,
    minhash, and `text` unless `window_texts(rows)` returns the bodies of given window rows);
    `archived_exact`: content_sha256 -> (article_id, its event_date) over the whole archive."""
    if "role" in window.column_names:  # only canonicals can be matched: no chains through copies
        window = window.filter(pa.compute.equal(window.column("role"), "article"))
    digests = batch.column("content_sha256").to_pylist()
    event_dates = batch.column("event_date").to_pylist()
    window_ids = window.column("article_id").to_pylist() if len(window) else []
    window_dates = window.column("event_date").to_pylist() if len(window) else []
    anchors = search_days(batch)
    undated = [s == "acquired" for s in batch.column("event_date_source").to_pylist()]
    to_window, in_batch = near_duplicates(batch, window, settings, window_texts)
    span = dt.timedelta(days=settings.window_days)

    def within(i: int, j: int) -> bool:
        """Whether batch document i lies within the window of batch canonical j's event date
        (either undated: the same crawl batch is all the time evidence there is)."""
        return undated[i] or undated[j] or any(abs(day - decided[j].event_date) <= span for day in anchors[i])

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
        else:
            # Canonicals this document matches itself: archived ones, and the batch's decided so
            # far; the best match wins (matches are sorted best first, archived first on a tie).
            options = [(m.similarity, m.containment, 0, m.row, window_ids[m.row], window_dates[m.row])
                       for m in to_window.get(i, ())]
            options += [(m.similarity, m.containment, 1, m.row, decided[m.row].article_id, decided[m.row].event_date)
                        for m in in_batch.get(i, ())
                        if m.row in decided and decided[m.row].role == "article"
                        and within(i, m.row)]
            if options:
                similarity, containment, _, _, aid, day = min(options, key=lambda o: (-o[0], -o[1], o[2], o[3]))
                decision = Decision("duplicate", aid, "near", similarity, containment, day)
        if decision is None:
            decision = Decision("article", article_id(digest), None, None, None, event_dates[i])
        # Any decided body, a copy's included, makes a later identical body an exact copy.
        batch_exact.setdefault(digest, i)
        decided[i] = decision
    return [decided[i] for i in range(len(batch))]
