"""Archive: the Parquet tables, their schemas, and the staged, validated, atomic write of a run.

Layout under one root (hive partitions, zstd):

    articles/event_date=YYYY-MM-DD/part-<run>.parquet     one row per canonical article
    duplicates/event_date=YYYY-MM-DD/part-<run>.parquet   one row per copy (the canonical's date)
    quarantine/acquired_date=YYYY-MM-DD/part-<run>.parquet  one row per rejected input
    _blobs/<sha256>                                       bytes of quarantined inputs too large for a row
    _staging/<run>/...                                    a run's rows before they are published
    _commits/<seq>-<run>.json                             what each publish moved where (commit.py)
    _runs/<run>-c<seq>.json                               each published run's summary
    _templates/, _conventions/ part-<run>-c<seq>.parquet  what each run learned from its pages

A run writes nothing under the three tables until its commit moves its validated files in
(`commit.commit`), so readers never see rows of a run that failed, and archived files are never
rewritten: every published file name carries the commit's sequence number.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

TABLES = ("articles", "duplicates", "quarantine")
PARTITION_KEY = {"articles": "event_date", "duplicates": "event_date", "quarantine": "acquired_date"}
MATCH_KINDS = ("exact", "near")


def _minhash_type() -> pa.DataType:
    from .minhash import SIGNATURE

    return pa.list_(pa.uint32(), SIGNATURE.num_perm)


UTC_TS = pa.timestamp("us", tz="UTC")

ARTICLES_SCHEMA = pa.schema([
    ("article_id", pa.string()),
    ("source_path", pa.string()),
    ("source_path_bytes", pa.binary()),
    ("source_sha256", pa.string()),
    ("url", pa.string()),
    ("site", pa.string()),
    ("title", pa.string()),
    ("byline", pa.string()),
    ("published_at", UTC_TS),
    ("event_date_source", pa.string()),
    ("acquired_date", pa.date32()),
    ("crawled_at", UTC_TS),
    ("language", pa.string()),
    ("text", pa.string()),
    ("word_count", pa.int32()),
    ("content_sha256", pa.string()),
    ("minhash", _minhash_type()),
    ("run_id", pa.string()),
    ("pipeline_version", pa.string()),
])

DUPLICATES_SCHEMA = pa.schema([
    ("source_path", pa.string()),
    ("source_path_bytes", pa.binary()),
    ("source_sha256", pa.string()),
    ("article_id", pa.string()),
    ("match", pa.string()),
    ("similarity", pa.float32()),
    ("containment", pa.float32()),
    ("url", pa.string()),
    ("site", pa.string()),
    ("title", pa.string()),
    ("published_at", UTC_TS),
    ("event_date_source", pa.string()),
    ("text", pa.string()),
    ("content_sha256", pa.string()),
    ("minhash", _minhash_type()),
    ("acquired_date", pa.date32()),
    ("crawled_at", UTC_TS),
    ("run_id", pa.string()),
    ("pipeline_version", pa.string()),
])

QUARANTINE_SCHEMA = pa.schema([
    ("source_path", pa.string()),
    ("source_path_bytes", pa.binary()),
    ("source_sha256", pa.string()),
    ("reason", pa.string()),
    ("detail", pa.string()),
    ("size_bytes", pa.int64()),
    ("raw", pa.large_binary()),
    ("raw_path", pa.string()),
    ("url", pa.string()),
    ("crawled_at", UTC_TS),
    ("run_id", pa.string()),
    ("pipeline_version", pa.string()),
])

SCHEMAS = {"articles": ARTICLES_SCHEMA, "duplicates": DUPLICATES_SCHEMA, "quarantine": QUARANTINE_SCHEMA}


# Columns that are null for ordinary inputs (a non-UTF-8 file name, bytes kept outside the row, a
# quarantined file with no URL, an input that is not a WARC record).
OPTIONAL_COLUMNS = ("source_path_bytes", "raw_path", "url", "crawled_at")


def with_partition(table: str) -> pa.Schema:
    """A table's schema with its partition column appended, as readers see it."""
    return SCHEMAS[table].append(pa.field(PARTITION_KEY[table], pa.date32()))


def run_key(run_id: str) -> str:
    """A file-name-safe form of a run id (Airflow's contain ':' and '+')."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)


def staging_dir(root: str | os.PathLike, run_id: str) -> Path:
    return Path(root) / "_staging" / run_key(run_id)


# --- reading -------------------------------------------------------------------------------

def dataset(root: str | os.PathLike, table: str) -> ds.Dataset | None:
    """The published rows of one table, partition column typed as a date; None while empty."""
    path = Path(root) / table
    if not path.is_dir() or not any(path.glob("*/*.parquet")):
        return None
    partitioning = ds.partitioning(pa.schema([(PARTITION_KEY[table], pa.date32())]), flavor="hive")
    return ds.dataset(path, format="parquet", partitioning=partitioning,
                      schema=with_partition(table), exclude_invalid_files=False)


def read_table(root, table: str, columns: list[str] | None = None, filter=None) -> pa.Table:
    """Published rows (selected columns, optional dataset filter); an empty table when none."""
    data = dataset(root, table)
    schema = with_partition(table)
    if data is None:
        empty = schema.empty_table()
        return empty.select(columns) if columns else empty
    return data.to_table(columns=columns, filter=filter)


def seen_inputs(root, paths: list[str] | None = None, prefixes: list[str] = ()) -> set[tuple[str, str]]:
    """(source_path, source_sha256) of archived inputs, in any of the three tables: all of
    them, or those whose source_path is one of `paths` or starts with one of `prefixes`
    (`feed.jsonl#`: every line of a file), read with a pushed-down filter so a shard's check
    does not scan the whole archive."""
    where = None
    if paths is not None or prefixes:
        where = pc.field("source_path").isin(pa.array(sorted(set(paths or ())), pa.string()))
        for prefix in sorted(set(prefixes)):
            where = where | pc.starts_with(pc.field("source_path"), prefix)
    seen: set[tuple[str, str]] = set()
    for table in TABLES:
        t = read_table(root, table, ["source_path", "source_sha256"], filter=where)
        seen.update(zip(t.column(0).to_pylist(), t.column(1).to_pylist()))
    return seen


def content_index(root, digests: list[str]) -> dict[str, tuple[str, dt.date]]:
    """content_sha256 -> (canonical article_id, its event_date) for the given digests, over the
    whole archive (articles and duplicates), so exact copies are caught whatever their date."""
    if not digests:
        return {}
    wanted = pa.array(sorted(set(digests)), pa.string())
    found: dict[str, tuple[str, dt.date]] = {}
    for table in ("articles", "duplicates"):
        t = read_table(root, table, ["content_sha256", "article_id", "event_date", "source_path"],
                       filter=pc.field("content_sha256").isin(wanted))
        # Deterministic when several archived rows share a body: the earliest source_path wins.
        t = t.sort_by([("source_path", "ascending")])
        for digest, aid, day in zip(*(t.column(k).to_pylist() for k in range(3))):
            found.setdefault(digest, (aid, day))
    return found


def window_rows(root, days: set[dt.date]) -> pa.Table:
    """Archived canonical articles whose event_date is one of `days`: article_id, event_date,
    minhash, source_path, role ("article"). A new document can only be a duplicate of a
    canonical it matches itself (dedupe.py), so archived duplicates are not read. Partition
    pruning keeps the read proportional to the window, not to the archive's age; bodies are
    read later, for candidates only (`bodies`)."""
    columns = ["article_id", "event_date", "minhash", "source_path"]
    wanted = pa.array(sorted(days), pa.date32())
    t = read_table(root, "articles", columns, filter=pc.field("event_date").isin(wanted))
    t = t.append_column("role", pa.array(["article"] * len(t), pa.string()))
    return t.sort_by([("event_date", "ascending"), ("source_path", "ascending")])


def bodies(root, window: pa.Table, rows) -> list[str]:
    """The `text` of the given window rows (articles or duplicates), read from their partitions."""
    if not len(rows):
        return []
    picked = window.take(pa.array(rows, pa.int64()))
    found: dict[tuple[str, str], str] = {}
    days = pa.array(sorted(set(picked.column("event_date").to_pylist())), pa.date32())
    for table in ("articles", "duplicates"):
        mask = pc.equal(picked.column("role"), table[:-1])
        paths = pc.unique(picked.column("source_path").filter(mask))
        if not len(paths):
            continue
        t = read_table(root, table, ["source_path", "text"],
                       filter=pc.field("event_date").isin(days) & pc.field("source_path").isin(paths))
        found.update(((table[:-1], p), x) for p, x in zip(t.column(0).to_pylist(), t.column(1).to_pylist()))
    return [found[(r, p)] for r, p in zip(picked.column("role").to_pylist(), picked.column("source_path").to_pylist())]


# --- writing -------------------------------------------------------------------------------

def write_partitioned(directory: Path, table_name: str, rows: pa.Table, run_id: str) -> list[Path]:
    """Write `rows` (schema plus the partition column) as one file per partition value under
    `directory/<table>/`, each file written to a temporary name and renamed into place."""
    key = PARTITION_KEY[table_name]
    schema = SCHEMAS[table_name]
    written = []
    if len(rows) == 0:
        return written
    values = pc.unique(rows.column(key)).to_pylist()
    for name in OPTIONAL_COLUMNS:  # null unless special: writers may leave them out
        if name in schema.names and name not in rows.column_names:
            rows = rows.append_column(name, pa.nulls(len(rows), schema.field(name).type))
    for value in sorted(values):
        part = rows.filter(pc.equal(rows.column(key), pa.scalar(value, pa.date32())))
        part = part.select(schema.names).cast(schema)
        target = directory / table_name / f"{key}={value.isoformat()}" / f"part-{run_key(run_id)}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        pq.write_table(part, tmp, compression="zstd")
        os.replace(tmp, target)
        written.append(target)
    return written


def staged_files(root, run_id: str) -> dict[str, list[Path]]:
    stage = staging_dir(root, run_id)
    return {t: sorted((stage / t).glob("*/*.parquet")) for t in TABLES}


def read_staged(root, run_id: str, table: str, columns: list[str] | None = None) -> pa.Table:
    """A run's staged rows of one table (selected columns), partition column typed."""
    files = staged_files(root, run_id)[table]
    if not files:
        empty = with_partition(table).empty_table()
        return empty.select(columns) if columns else empty
    partitioning = ds.partitioning(pa.schema([(PARTITION_KEY[table], pa.date32())]), flavor="hive")
    return ds.dataset([str(f) for f in files], format="parquet", partitioning=partitioning,
                      partition_base_dir=str(staging_dir(root, run_id) / table),
                      schema=with_partition(table)).to_table(columns=columns)


EVIDENCE = ("templates", "conventions")  # learned from each run's pages, kept for later runs


def read_evidence(root, kind: str) -> pa.Table | None:
    """The evidence of one kind (`_templates/`: template lines, `_conventions/`: sites' date
    orders) that every published run left, or None."""
    files = sorted((Path(root) / f"_{kind}").glob("*.parquet"))
    return pa.concat_tables(pq.read_table(f) for f in files) if files else None


def publish_moves(root, run_id: str) -> list[tuple[Path, str]]:
    """What a run's commit moves: (staged file, path in the archive) for its table files, the
    evidence its pages taught, and the bytes of its too-large quarantined inputs. Published
    names get the commit's number appended by `commit.commit` through `{commit}`."""
    root = Path(root)
    stage = staging_dir(root, run_id)
    key = run_key(run_id)
    moves = []
    for table, files in staged_files(root, run_id).items():
        for f in files:
            moves.append((f, f"{table}/{f.parent.name}/part-{key}-c{{commit}}.parquet"))
    for kind in EVIDENCE:
        evidence = stage / f"{kind}-new.parquet"
        if evidence.exists():
            moves.append((evidence, f"_{kind}/part-{key}-c{{commit}}.parquet"))
    blobs = stage / "blobs"
    if blobs.is_dir():
        moves += [(b, f"{BLOBS}/{b.name}") for b in sorted(blobs.iterdir()) if not b.name.startswith(".")]
    return moves + _placeholder_moves(root, stage, {t for t, files in staged_files(root, run_id).items() if files})


# A table with no rows yet holds one zero-row file in Hive's partition for "no value", so that
# every reader (DuckDB, Polars, pandas through pyarrow, Spark) finds the table and its types
# instead of "no files found"; it is taken out by the commit that brings the table's first rows.
EMPTY_PARTITION = "__HIVE_DEFAULT_PARTITION__"


def placeholder(root, table: str) -> Path:
    return Path(root) / table / f"{PARTITION_KEY[table]}={EMPTY_PARTITION}" / "part-empty.parquet"


def _placeholder_moves(root: Path, stage: Path, filled: set[str]) -> list[tuple[Path, str]]:
    moves = []
    for table in TABLES:
        empty = placeholder(root, table)
        if table in filled:
            if empty.exists():  # the first rows arrive: the placeholder leaves with this commit
                moves.append((empty, str((stage / "retired" / f"{table}.parquet").relative_to(root))))
        elif not empty.exists() and not any(p != empty for p in (root / table).glob("*/*.parquet")):
            staged = stage / "empty" / f"{table}.parquet"
            staged.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(SCHEMAS[table].empty_table(), staged, compression="zstd")
            moves.append((staged, str(empty.relative_to(root))))
    return moves


BLOBS = "_blobs"


class KeptBytesError(RuntimeError):
    """A quarantined input's kept bytes are missing or do not match their sha256."""


def quarantined_bytes(root, row: dict) -> bytes | None:
    """The raw bytes a quarantine row keeps (in `raw`, or in the file `raw_path` names),
    checked against `source_sha256`; None for an entry that was never read (a link out of the
    landing folder, a FIFO, a vanished file: `size_bytes` is null)."""
    import hashlib

    if row.get("raw") is not None:
        data = row["raw"]
    elif row.get("raw_path"):
        try:
            data = (Path(root) / row["raw_path"]).read_bytes()
        except FileNotFoundError:
            raise KeptBytesError(f"{row['source_path']}: kept bytes {row['raw_path']} are missing") from None
    else:
        return None
    if hashlib.sha256(data).hexdigest() != row["source_sha256"]:
        raise KeptBytesError(f"{row['source_path']}: kept bytes do not match source_sha256")
    return data


def run_summaries(root) -> list[dict]:
    """Published runs' summaries (run logs), oldest commit first."""
    runs = Path(root) / "_runs"
    if not runs.is_dir():
        return []
    logs = [json.loads(p.read_text()) for p in runs.glob("*.json")]
    return sorted(logs, key=lambda s: (s.get("commit") or 0, s.get("run_id") or ""))
