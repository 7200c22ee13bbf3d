"""A synthetic archive in the archive's own layout and schemas, for the UI benchmark.

    python benchmarks/ui_archive.py OUT_DIR [--articles 1000000] [--runs 300] [--seed 9]

Written directly with pyarrow (no cleaning, no dedupe): `runs` daily runs, each publishing
its articles, duplicates and quarantined inputs as `part-<run>.parquet` files under the hive
partitions, and its `_runs/<run>.json` summary as `pipeline.publish` writes it. The shape is
that of a daily news crawl: most of a run's articles are dated on the acquisition day or the
two days before, the rest scattered over about two years (so a run writes 10-20 partitions and
a partition holds files of many runs); 30% as many duplicates, a fifth of them copies of an
article of the week's earlier runs; 1% quarantined. Bodies are about 2 KB of random words and unique;
MinHash signatures are drawn from a small pool (the UI never reads them). Deterministic for a
given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsarchive import PIPELINE_VERSION, archive  # noqa: E402
from newsarchive.minhash import SIGNATURE  # noqa: E402

START = dt.date(2023, 3, 1)
SITES = [f"outlet{i}.example" for i in range(40)]
SOURCES = ("text", "metadata", "html", "url", "declared", "acquired")
SOURCE_P = (0.48, 0.2, 0.15, 0.05, 0.02, 0.1)
REASONS = ("no_text", "binary", "empty", "not_an_article", "too_large", "undecodable")
REASON_P = (0.55, 0.15, 0.12, 0.1, 0.05, 0.03)


class _Words:
    def __init__(self, rng: np.random.Generator):
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        self.vocab = ["".join(rng.choice(letters, rng.integers(3, 10))) for _ in range(6000)]
        self.rng = rng

    def phrases(self, n: int, low: int, high: int) -> list[str]:
        lengths = self.rng.integers(low, high, n)
        picks = self.rng.integers(0, len(self.vocab), int(lengths.sum()))
        out, at = [], 0
        for size in lengths:
            out.append(" ".join(self.vocab[k] for k in picks[at:at + size]))
            at += size
        return out


def _signatures(pool: np.ndarray, picks: np.ndarray) -> pa.Array:
    flat = pa.array(pool[picks].ravel(), pa.uint32())
    return pa.FixedSizeListArray.from_arrays(flat, SIGNATURE.num_perm)


def _write(root: Path, table: str, rows: pa.Table, run_id: str) -> dict[str, int]:
    """One file per partition value, as archive.write_partitioned lays them out."""
    return {f.parent.name: pq.read_metadata(f).num_rows
            for f in archive.write_partitioned(root, table, rows, run_id)}


def build(root: Path, *, articles: int = 1_000_000, runs: int = 300, seed: int = 9) -> dict:
    """Write the archive under `root` (must not exist yet); returns its row counts."""
    root = Path(root)
    root.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    words = _Words(rng)
    bodies = ["\n".join(words.phrases(6, 40, 90)) for _ in range(300)]
    pool = rng.integers(0, 2**32, (300, SIGNATURE.num_perm), dtype=np.uint64).astype(np.uint32)
    sizes = rng.multinomial(articles, [1 / runs] * runs)
    earlier_ids: list[np.ndarray] = []
    earlier_days: list[np.ndarray] = []
    totals = Counter()
    stamp = time.time() - runs * 86400
    for number, n in enumerate(sizes.tolist()):
        acquired = START + dt.timedelta(days=number)
        run_id = f"scheduled__{acquired.isoformat()}T00:00:00+00:00"
        ids = np.array([rng.bytes(16).hex() for _ in range(n)])
        offsets = rng.choice([0, -1, -2, -3], n, p=[0.7, 0.12, 0.05, 0.13])
        old = offsets == -3
        old_days = rng.integers(3, 700, 12)
        offsets[old] = -rng.choice(old_days, int(old.sum()))
        days = np.array([acquired + dt.timedelta(days=int(o)) for o in offsets])
        titles = [t.capitalize() for t in words.phrases(n, 5, 12)]
        sites = rng.choice(SITES, n)
        picks = rng.integers(0, len(bodies), n)
        texts = [f"{bodies[k]}\nDesk note {number}-{i}." for i, k in enumerate(picks)]
        common = {"run_id": [run_id] * n, "pipeline_version": [PIPELINE_VERSION] * n,
                  "acquired_date": pa.array([acquired] * n, pa.date32())}
        sources = rng.choice(SOURCES, n, p=SOURCE_P)
        art = pa.table({
            "article_id": ids, "source_path": [f"{acquired:%Y%m%d}/page-{i:06d}.html" for i in range(n)],
            "source_sha256": [rng.bytes(32).hex() for _ in range(n)],
            "url": [f"https://{s}/{d:%Y/%m}/{t[:40].replace(' ', '-')}-{a[:6]}" for s, d, t, a in zip(sites, days, titles, ids)],
            "site": sites, "title": titles, "byline": [None] * n,
            "published_at": pa.nulls(n, archive.UTC_TS), "event_date_source": sources,
            "language": ["en"] * n, "text": texts,
            "word_count": pa.array([len(t.split()) for t in texts], pa.int32()),
            "content_sha256": [rng.bytes(32).hex() for _ in range(n)],
            "minhash": _signatures(pool, picks), **common,
            "event_date": pa.array(days, pa.date32()),
        })

        k = int(n * 0.3)
        from_earlier = rng.random(k) < 0.2 if earlier_ids else np.zeros(k, bool)
        own = rng.integers(0, n, k)
        canon_ids, canon_days = ids[own].copy(), days[own].copy()
        if from_earlier.any():
            # Copies of earlier runs' articles come from the last week's runs: near copies are
            # only searched within +-window_days of their date.
            past = len(earlier_ids) - 1 - rng.integers(0, min(7, len(earlier_ids)), int(from_earlier.sum()))
            rows = [rng.integers(0, len(earlier_ids[p])) for p in past]
            canon_ids[from_earlier] = [earlier_ids[p][r] for p, r in zip(past, rows)]
            canon_days[from_earlier] = [earlier_days[p][r] for p, r in zip(past, rows)]
        exact = rng.random(k) < 0.4
        similarity = np.where(exact, 1.0, rng.uniform(0.5, 0.98, k)).astype(np.float32)
        dsites = rng.choice(SITES, k)
        dtitles = [titles[i] for i in own]
        dtexts = [texts[i] if e else texts[i].rsplit("\n", 1)[0] for i, e in zip(own, exact)]
        dup = pa.table({
            "source_path": [f"{acquired:%Y%m%d}/copy-{i:06d}.txt" for i in range(k)],
            "source_sha256": [rng.bytes(32).hex() for _ in range(k)],
            "article_id": canon_ids, "match": np.where(exact, "exact", "near"),
            "similarity": similarity,
            "containment": np.maximum(similarity, rng.uniform(0.6, 1.0, k)).astype(np.float32),
            "url": [f"https://{s}/copy/{i}" for i, s in enumerate(dsites)], "site": dsites,
            "title": dtitles, "published_at": pa.nulls(k, archive.UTC_TS),
            "event_date_source": rng.choice(SOURCES, k, p=SOURCE_P), "text": dtexts,
            "content_sha256": [rng.bytes(32).hex() for _ in range(k)],
            "minhash": _signatures(pool, picks[own]),
            "acquired_date": pa.array([acquired] * k, pa.date32()),
            "run_id": [run_id] * k, "pipeline_version": [PIPELINE_VERSION] * k,
            "event_date": pa.array(canon_days, pa.date32()),
        })

        q = max(1, n // 100)
        reasons = rng.choice(REASONS, q, p=REASON_P)
        raws = [rng.bytes(int(s)) for s in rng.integers(0, 3000, q)]
        quarantine = pa.table({
            "source_path": [f"{acquired:%Y%m%d}/bad-{i:05d}.txt" for i in range(q)],
            "source_sha256": [rng.bytes(32).hex() for _ in range(q)],
            "reason": reasons, "detail": [f"synthetic {r} input" for r in reasons],
            "size_bytes": pa.array([len(r) for r in raws], pa.int64()),
            "raw": pa.array(raws, pa.large_binary()),
            "run_id": [run_id] * q, "pipeline_version": [PIPELINE_VERSION] * q,
            "acquired_date": pa.array([acquired] * q, pa.date32()),
        })

        rows = {name: _write(root, name, table, run_id)
                for name, table in (("articles", art), ("duplicates", dup), ("quarantine", quarantine))}
        summary = {
            "run_id": run_id, "acquired_date": acquired.isoformat(), "pipeline_version": PIPELINE_VERSION,
            "landing": f"/landing/{acquired:%Y%m%d}", "inputs": n + k + q, "already_archived": 0,
            "articles": n, "duplicates": k,
            "duplicates_by_match": {"exact": int(exact.sum()), "near": int(k - exact.sum())},
            "quarantined": q, "quarantined_by_reason": dict(Counter(reasons.tolist())),
            "partitions_written": {t: sorted(r) for t, r in rows.items()},
            "rows_per_partition": rows,
            "event_date_sources": {"articles": dict(Counter(sources.tolist())),
                                   "duplicates": dict(Counter(dup.column("event_date_source").to_pylist()))},
            "published_at": dt.datetime.fromtimestamp(stamp + number * 86400, dt.timezone.utc).isoformat(),
        }
        target = root / "_runs" / f"{archive.run_key(run_id)}.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(summary, indent=2, sort_keys=True))
        os.utime(target, (stamp + number * 86400,) * 2)
        earlier_ids.append(ids)
        earlier_days.append(days)
        totals.update(articles=n, duplicates=k, quarantined=q)
    return dict(totals)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = build(args.out, articles=args.articles, runs=args.runs, seed=args.seed)
    print(f"{counts} in {time.perf_counter() - start:.0f} s under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
