"""What the UI reads from one archive: its run logs and its Parquet files, nothing else.

No Airflow here (the benchmark and the tests call it directly). Costs are kept proportional to
what a page shows, not to the archive's size:

- counts per partition come from the run logs (`rows_per_partition`, written at publish) or,
  for files a log does not describe, from the file's footer, remembered by path, size and
  mtime (archived files are never rewritten); a partition folder's listing is remembered
  until the folder's mtime changes;
- a run's rows are read from its own files, `part-<run_key>-c<commit>.parquet` in the partitions its log
  lists (a directory scan when it lists none);
- an article is read from its event-date partition; a duplicate's canonical from the same
  partition (duplicates are filed under their canonical's date);
- search scans the title, url and article_id columns with DuckDB, newest event dates first,
  in chunks, and stops at a page of hits or a time budget, returning where it stopped so the
  next page goes on from there.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newsarchive import archive

# Columns a page may show; bodies (`text`), signatures and raw bytes only where a page needs them.
QUARANTINE_COLUMNS = ["source_path", "source_sha256", "url", "reason", "detail", "size_bytes", "acquired_date"]
DUPLICATE_COLUMNS = ["source_path", "source_sha256", "site", "title", "url", "match", "similarity",
                     "containment", "article_id", "event_date", "event_date_source"]
ARTICLE_COLUMNS = ["article_id", "source_path", "source_sha256", "url", "site", "title", "byline",
                   "published_at", "event_date_source", "acquired_date", "language", "word_count",
                   "run_id", "pipeline_version", "event_date"]

# Search scans a chunk of partitions per DuckDB query and checks its time budget between
# chunks. A chunk's cost is its rows plus SEARCH_FILE_ROWS per file (opening a file and its
# footer costs about as much as scanning that many rows: ~0.25 ms against ~1 us per row, both
# measured on the 1M-article benchmark archive); SEARCH_CHUNK_COST keeps a chunk near 0.1 s.
SEARCH_CHUNK_COST = 100_000
SEARCH_FILE_ROWS = 250
_HEX_ID = re.compile(r"[0-9a-f]{6,31}")  # an id's first digits (6+: fewer also match many words)
_FULL_ID = re.compile(r"[0-9a-f]{32}")  # a whole article_id

_footers: dict[tuple[str, int, int], int] = {}
_listings: dict[str, tuple[int, list[tuple[str, str, int]]]] = {}
_logs: dict[str, tuple[int, int, dict]] = {}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ArchiveFile:
    table: str
    partition: str  # the folder name, e.g. "event_date=2024-01-14"
    day: dt.date
    path: str
    run_key: str
    size: int


@dataclass(slots=True)
class SearchResult:
    hits: list[dict]
    searched_rows: int
    total_rows: int
    searched_days: tuple[dt.date, dt.date] | None
    resume: tuple[dt.date, int] | None  # (search dates up to this one, skip this many of its hits)
    seconds: float = 0.0


@dataclass(slots=True)
class Totals:
    rows: dict[str, int] = field(default_factory=dict)
    partitions: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    runs: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None


class ArchiveReader:
    """Read-only views of the archive under `root`."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def exists(self) -> bool:
        return self.root.is_dir()

    # --- run logs --------------------------------------------------------------------------

    def run_logs(self) -> list[dict]:
        """Every run log, oldest publication first; each with `_key` (its file stem) and
        `_published` (its `published_at`, else the file's mtime)."""
        folder = self.root / "_runs"
        if not folder.is_dir():
            return []
        logs = []
        for entry in os.scandir(folder):
            if not entry.name.endswith(".json") or not entry.is_file():
                continue
            stat = entry.stat()
            with _lock:
                cached = _logs.get(entry.path)
            if cached is None or cached[:2] != (stat.st_mtime_ns, stat.st_size):
                try:
                    log = json.loads(Path(entry.path).read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue  # being replaced right now, or not a run log
                if not isinstance(log, dict):
                    continue
                log["_key"] = entry.name[:-len(".json")]
                log["_published"] = _published(log.get("published_at"), stat.st_mtime)
                with _lock:
                    _logs[entry.path] = cached = (stat.st_mtime_ns, stat.st_size, log)
            logs.append(cached[2])
        return sorted(logs, key=lambda log: (log["_published"], log["_key"]))

    def run_log(self, run_id: str) -> dict | None:
        """The newest run log of a run (a rerun of the same run id commits again)."""
        logs = self.run_logs_of(run_id)
        return logs[-1] if logs else None

    def run_logs_of(self, run_id: str) -> list[dict]:
        """Every run log of one run id, oldest commit first (`_runs/<run_key>-c<commit>.json`)."""
        return sorted((log for log in self.run_logs() if log.get("run_id") == run_id),
                      key=lambda log: (log.get("commit") or 0, log["_published"]))

    # --- files and counts ------------------------------------------------------------------

    def files(self, table: str) -> list[ArchiveFile]:
        """The table's published files (a directory scan; no file is opened). A partition's
        listing is remembered until its folder's mtime changes (a file added or renamed)."""
        base = self.root / table
        key = archive.PARTITION_KEY[table]
        found = []
        if not base.is_dir():
            return found
        for part in os.scandir(base):
            name, _, value = part.name.partition("=")
            if name != key or not part.is_dir():
                continue
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                continue
            found += [ArchiveFile(table, part.name, day, path, run, size)
                      for path, run, size in _listing(part.path, part.stat().st_mtime_ns)]
        return found

    def partition_rows(self, table: str, files: list[ArchiveFile] | None = None) -> dict[dt.date, int]:
        """Rows per partition day of one table."""
        logged = {log["_key"]: log.get("rows_per_partition") or {} for log in self.run_logs()}
        counts: dict[dt.date, int] = {}
        for f in self.files(table) if files is None else files:
            rows = (logged.get(f.run_key) or {}).get(table, {}).get(f.partition)
            if not isinstance(rows, int):
                rows = _footer_rows(f.path)
            counts[f.day] = counts.get(f.day, 0) + rows
        return counts

    def overview(self) -> tuple[Totals, dict[str, dict[dt.date, int]]]:
        """The archive's totals and its rows per partition day of each table, in one scan."""
        totals = Totals(runs=len(self.run_logs()))
        per_table = {}
        for table in archive.TABLES:
            files = self.files(table)
            per_day = per_table[table] = self.partition_rows(table, files)
            totals.rows[table] = sum(per_day.values())
            totals.partitions[table] = len(per_day)
            totals.files += len(files)
            totals.bytes += sum(f.size for f in files)
        days = set(per_table["articles"]) | set(per_table["duplicates"])
        if days:
            totals.first_day, totals.last_day = min(days), max(days)
        return totals, per_table

    def totals(self) -> Totals:
        return self.overview()[0]

    # --- one run's rows --------------------------------------------------------------------

    def run_files(self, table: str, run_id: str) -> list[ArchiveFile]:
        """The files a run added to one table, over all its commits: each log lists its
        partitions, and each commit's file there is `part-<its log's key>.parquet`."""
        logs = self.run_logs_of(run_id)
        found = []
        for log in logs:
            listed = (log.get("partitions_written") or {}).get(table)
            if not isinstance(listed, list):
                found += [f for f in self.files(table) if f.run_key == log["_key"]]
                continue
            for partition in listed:
                path = self.root / table / str(partition) / f"part-{log['_key']}.parquet"
                try:
                    day = dt.date.fromisoformat(str(partition).partition("=")[2])
                    size = path.stat().st_size
                except (ValueError, OSError):
                    continue
                found.append(ArchiveFile(table, str(partition), day, str(path), log["_key"], size))
        if not logs:  # no log (yet): found by the run key in the file names
            key = archive.run_key(run_id)
            found = [f for f in self.files(table) if f.run_key.rsplit("-c", 1)[0] == key]
        return found

    def run_rows(self, table: str, run_id: str, columns: list[str], filter=None) -> pa.Table:
        return _read(self.root, table, self.run_files(table, run_id), columns, filter)

    def run_partitions(self, run_id: str) -> dict[str, list[tuple[str, int]]]:
        """(partition, rows) of every file the run added, per table."""
        logged = {log["_key"]: log.get("rows_per_partition") or {} for log in self.run_logs_of(run_id)}
        out = {}
        for table in archive.TABLES:
            rows = []
            for f in self.run_files(table, run_id):
                listed = (logged.get(f.run_key) or {}).get(table) or {}
                count = listed.get(f.partition)
                rows.append((f.partition, count if isinstance(count, int) else _footer_rows(f.path)))
            out[table] = sorted(rows)
        return out

    # --- articles and their copies ---------------------------------------------------------

    def day_files(self, table: str, day: dt.date) -> list[ArchiveFile]:
        partition = f"{archive.PARTITION_KEY[table]}={day.isoformat()}"
        folder = self.root / table / partition
        if not folder.is_dir():
            return []
        return [ArchiveFile(table, partition, day, f.path, f.name[5:-8], f.stat().st_size)
                for f in os.scandir(folder) if f.name.startswith("part-") and f.name.endswith(".parquet")]

    def article(self, article_id: str, day: dt.date, *, text: bool = True) -> dict | None:
        columns = ARTICLE_COLUMNS + (["text"] if text else [])
        rows = _read(self.root, "articles", self.day_files("articles", day), columns,
                     pc.field("article_id") == article_id)
        return rows.slice(0, 1).to_pylist()[0] if len(rows) else None

    def copies(self, article_id: str, day: dt.date) -> list[dict]:
        """The duplicates pointing to an article (filed under its date), first archived first."""
        rows = _read(self.root, "duplicates", self.day_files("duplicates", day),
                     DUPLICATE_COLUMNS + ["run_id", "acquired_date"], pc.field("article_id") == article_id)
        return rows.sort_by([("acquired_date", "ascending"), ("source_path", "ascending")]).to_pylist()

    def canonicals(self, wanted: list[tuple[str, dt.date]]) -> dict[str, dict]:
        """article_id -> its title, site, source_path, url, for (article_id, event_date) pairs."""
        if not wanted:
            return {}
        files = [f for day in sorted({day for _, day in wanted}) for f in self.day_files("articles", day)]
        ids = pa.array(sorted({aid for aid, _ in wanted}), pa.string())
        rows = _read(self.root, "articles", files, ["article_id", "title", "site", "source_path", "url", "event_date"],
                     pc.field("article_id").isin(ids))
        return {r["article_id"]: r for r in rows.to_pylist()}

    def duplicate(self, run_id: str, source_path: str, source_sha256: str | None = None) -> dict | None:
        """One duplicate row of a run, body included."""
        where = pc.field("source_path") == source_path
        if source_sha256:
            where = where & (pc.field("source_sha256") == source_sha256)
        rows = self.run_rows("duplicates", run_id, DUPLICATE_COLUMNS + ["run_id", "acquired_date", "text"], where)
        return rows.slice(0, 1).to_pylist()[0] if len(rows) else None

    # --- search ----------------------------------------------------------------------------

    def search(self, query: str, *, resume: tuple[dt.date, int] | None = None, limit: int = 50,
               budget_s: float = 0.5) -> SearchResult:
        """Articles whose title or URL contains `query` (any case), or whose article_id starts
        with it; newest event dates first. Stops after `limit` hits or when `budget_s` is spent,
        and says where to resume."""
        started = time.perf_counter()
        needle = query.strip().lower()
        files = self.files("articles")
        per_day = self.partition_rows("articles", files)
        total = sum(per_day.values())
        if not needle or not files:
            return SearchResult([], 0, total, None, None)
        by_day: dict[dt.date, list[str]] = {}
        for f in files:
            by_day.setdefault(f.day, []).append(f.path)
        days = sorted((d for d in by_day if resume is None or d <= resume[0]), reverse=True)
        skip = resume[1] if resume and days and days[0] == resume[0] else 0
        if _FULL_ID.fullmatch(needle):  # a whole article id: only that column is read
            where = "article_id = $needle"
        elif _HEX_ID.fullmatch(needle):
            where = ("contains(lower(title), $needle) OR contains(lower(url), $needle) "
                     "OR starts_with(article_id, $needle)")
        else:
            where = "contains(lower(title), $needle) OR contains(lower(url), $needle)"

        import duckdb

        hits: list[dict] = []
        searched, at = 0, 0
        with duckdb.connect() as con:
            while at < len(days) and len(hits) < limit:
                chunk, rows, cost = [], 0, 0
                while at < len(days) and (not chunk or cost < SEARCH_CHUNK_COST):
                    chunk.append(days[at])
                    rows += per_day[days[at]]
                    cost += per_day[days[at]] + SEARCH_FILE_ROWS * len(by_day[days[at]])
                    at += 1
                wanted = limit - len(hits) + (skip if chunk[0] == days[0] else 0)
                found = con.execute(
                    "SELECT article_id, title, url, site, event_date FROM read_parquet($files, "
                    "hive_partitioning = true, hive_types = {'event_date': DATE}) "
                    f"WHERE {where} ORDER BY event_date DESC, article_id LIMIT $wanted",
                    {"files": [p for d in chunk for p in sorted(by_day[d])], "needle": needle,
                     "wanted": wanted}).fetchall()
                for aid, title, url, site, day in found:
                    if skip and day == days[0]:
                        skip -= 1
                        continue
                    hits.append({"article_id": aid, "title": title, "url": url, "site": site, "event_date": day})
                searched += rows
                if time.perf_counter() - started > budget_s:
                    break
        hits = hits[:limit]
        resume_at = None
        if len(hits) == limit:
            last = hits[-1]["event_date"]
            before = resume[1] if resume and resume[0] == last else 0
            resume_at = (last, before + sum(1 for h in hits if h["event_date"] == last))
        elif at < len(days):
            resume_at = (days[at], 0)
        span = (days[at - 1], days[0]) if at else None
        return SearchResult(hits, searched, total, span, resume_at, time.perf_counter() - started)


def words_diff(left: str, right: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Two changed paragraphs as runs of (text, differs) per side, word by word."""
    a, b = re.findall(r"\S+\s*", left), re.findall(r"\S+\s*", right)
    out_a, out_b = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            out_a.append(("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            out_b.append(("".join(b[j1:j2]), tag != "equal"))
    return out_a, out_b


def side_by_side(left: str, right: str) -> list[tuple[str | None, str | None, str]]:
    """Paragraph rows aligning two bodies: (left, right, how) with how one of `same`, `changed`,
    `left` (only in the left body), `right` (only in the right one)."""
    a = [p for p in (left or "").split("\n") if p.strip()]
    b = [p for p in (right or "").split("\n") if p.strip()]
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [(x, y, "same") for x, y in zip(a[i1:i2], b[j1:j2])]
        elif tag == "delete":
            rows += [(x, None, "left") for x in a[i1:i2]]
        elif tag == "insert":
            rows += [(None, y, "right") for y in b[j1:j2]]
        else:
            rows += [(x, y, "changed" if x is not None and y is not None else ("left" if y is None else "right"))
                     for x, y in itertools.zip_longest(a[i1:i2], b[j1:j2])]
    return rows


def sort_and_page(table: pa.Table, sort: str, allowed: tuple[str, ...], page: int, per_page: int
                  ) -> tuple[pa.Table, str, int, int]:
    """Rows `page` (1-based) of `table` sorted by `sort` ("column" or "-column" for descending,
    one of `allowed`, else the first); returns (rows, the sort used, the page used, pages)."""
    column = sort.lstrip("-")
    if column not in allowed:
        sort = column = allowed[0]
    order = "descending" if sort.startswith("-") else "ascending"
    keys = [(column, order, "at_end")] + [(c, "ascending", "at_end") for c in ("source_path",)
                                          if c != column and c in table.column_names]
    pages = max(1, -(-len(table) // per_page))
    page = min(max(1, page), pages)
    ordered = table.take(pc.sort_indices(table, sort_keys=keys))
    return ordered.slice((page - 1) * per_page, per_page), sort, page, pages


# --- helpers ---------------------------------------------------------------------------------

def _published(value, mtime: float) -> dt.datetime:
    if isinstance(value, str):
        try:
            when = dt.datetime.fromisoformat(value)
            return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(mtime, dt.timezone.utc)


def _listing(folder: str, mtime_ns: int) -> list[tuple[str, str, int]]:
    """(path, run key, size) of the Parquet files in one partition folder, remembered by the
    folder's mtime; a folder changed in the last seconds is listed afresh every time (a
    second change within the mtime's resolution would otherwise go unseen)."""
    with _lock:
        cached = _listings.get(folder)
    if cached is not None and cached[0] == mtime_ns:
        return cached[1]
    entries = []
    for f in os.scandir(folder):
        if f.name.startswith("part-") and f.name.endswith(".parquet"):
            try:
                entries.append((f.path, f.name[5:-8], f.stat().st_size))
            except OSError:
                continue  # renamed away meanwhile
    if time.time_ns() - mtime_ns > 2_000_000_000:
        with _lock:
            if len(_listings) > 200_000:  # bounded: an entry per partition folder
                _listings.clear()
            _listings[folder] = (mtime_ns, entries)
    return entries


def _footer_rows(path: str) -> int:
    """Rows in one Parquet file, from its footer; remembered (archived files never change)."""
    try:
        stat = os.stat(path)
    except OSError:
        return 0
    key = (path, stat.st_mtime_ns, stat.st_size)
    with _lock:
        rows = _footers.get(key)
    if rows is None:
        try:
            rows = pq.read_metadata(path).num_rows
        except (OSError, pa.ArrowException):
            return 0  # vanished or being written: counted when it is complete
        with _lock:
            if len(_footers) > 500_000:  # bounded: an entry per archived file
                _footers.clear()
            _footers[key] = rows
    return rows


def _read(root: Path, table: str, files: list[ArchiveFile], columns: list[str], filter=None) -> pa.Table:
    """Selected columns of the given files, the partition column typed as a date; columns a
    file predates come back null."""
    schema = archive.with_partition(table)
    columns = [c for c in columns if c in schema.names]
    if not files:
        return schema.empty_table().select(columns)
    partitioning = ds.partitioning(pa.schema([(archive.PARTITION_KEY[table], pa.date32())]), flavor="hive")
    data = ds.dataset([f.path for f in files], format="parquet", partitioning=partitioning,
                      partition_base_dir=str(root / table), schema=schema)
    return data.to_table(columns=columns, filter=filter)
