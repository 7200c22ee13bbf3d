"""The pipeline's steps, as the DAG's tasks and the command line call them.

    plan      finish crashed commits, drop dead runs' staging, list the landing folder,
              write shard manifests                                          -> shard list
    profile   once: template lines of the batch, merged with the archive's -> staged evidence
    clean     per shard: decode, strip chrome, date, sign                  -> staged shard files
    dedupe    once: exact + near-duplicate decisions against the archive   -> staged tables
    validate  once: invariants over the staged rows; raises, publishing nothing, when broken
    publish   once, under the archive's lock: decide again if another run published since
              dedupe, then commit the staged files in one journaled step (commit.py)

Steps exchange paths and counts only; rows travel through Parquet files under the run's
staging folder, so a retried step reads and overwrites exactly its own files. One input never
fails a run: whatever goes wrong with it (reading, decoding, cleaning, dating, hashing) puts it
in quarantine with the reason and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import multiprocessing
import os
import re
import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import PIPELINE_VERSION, archive, clean, commit, dates, dedupe, faults, ingest
from .minhash import SIGNATURE, minhash_signatures
from .page import Page
from .settings import Settings

log = logging.getLogger(__name__)

# A cleaned page between the clean and dedupe steps: the article columns known before dedupe.
CLEANED_SCHEMA = pa.schema(
    [archive.ARTICLES_SCHEMA.field(name) for name in (
        "source_path", "source_path_bytes", "source_sha256", "url", "site", "title", "byline", "published_at")]
    + [pa.field("event_date", pa.date32())]
    + [archive.ARTICLES_SCHEMA.field(name) for name in (
        "event_date_source", "acquired_date", "crawled_at", "language", "text", "word_count", "content_sha256",
        "minhash")]
    # Readings of a date left ambiguous on the page: dedupe searches around them too.
    + [pa.field("date_alternatives", pa.list_(pa.date32()))])

# A rejected input before it becomes a quarantine row.
REJECTED_SCHEMA = pa.schema([archive.QUARANTINE_SCHEMA.field(name) for name in (
    "source_path", "source_path_bytes", "source_sha256", "reason", "detail", "size_bytes", "raw", "raw_path",
    "url", "crawled_at")])

_WORD = re.compile(r"\w+")


class InvariantError(RuntimeError):
    """The staged rows of a run break an archive invariant; nothing was published."""


class StepFailed(RuntimeError):
    """A step of a whole run failed (the cause is chained): names the step for the message."""

    def __init__(self, step: str, cause: BaseException):
        super().__init__(f"{step}: {ingest.one_line(cause)}")
        self.step = step


def _step(name: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except StepFailed:
        raise
    except Exception as exc:
        raise StepFailed(name, exc) from exc


# --- plan ----------------------------------------------------------------------------------

def plan(settings: Settings, run_id: str, *, owner: str = "process") -> list[dict]:
    """Start the run afresh and split the landing folder into shards: up to `shard_size`
    files, or WARC byte ranges of up to `warc_range_bytes` or about `shard_size` responses (a
    large WARC is cut into ranges by record offsets, so it feeds every worker); returns
    [{"shard", "manifest", "files"}]. Under the archive's lock it first finishes any commit a
    crash interrupted and removes the staging folders of dead runs. `owner`: "process" when
    this process runs every step (the command line), "airflow" when the steps run as tasks in
    many processes."""
    root = settings.archive_root
    stage = archive.staging_dir(root, run_id)
    paths = ingest.discover(settings.landing, archive_root=root)  # a missing landing folder fails before any write
    entries = ingest.plan_entries(settings.landing, paths, settings.warc_range_bytes, settings.shard_size)
    with commit.archive_lock(root, holder=f"run {run_id} (plan)", timeout_s=settings.lock_timeout_s):
        commit.recover(root)
        commit.remove_stale(root, keep={stage.name}, ttl_s=settings.staging_ttl_hours * 3600)
        attempt = commit.start_staging(stage, run_id=run_id, kind=owner)
    (stage / "shards").mkdir()
    shards = []
    for number, group in enumerate(_shard_groups(entries, settings)):
        manifest = stage / "shards" / f"shard-{number:05d}.json"
        manifest.write_text(json.dumps(group))
        shards.append({"shard": number, "manifest": str(manifest), "files": len(group)})
    log.info("planned %d entries (%d files) in %d shards from %s (attempt %s)", len(entries), len(paths),
             len(shards), settings.landing, attempt)
    return shards


def _shard_groups(entries: list[tuple], settings: Settings) -> list[list]:
    """Consecutive entries (landing order kept) grouped so that a shard holds at most
    `shard_size` entries and at most about `warc_range_bytes` of WARC; a range of a WARC that
    was cut is a shard of its own."""
    groups, group, warc_bytes = [], [], 0
    for entry, size in entries:
        if group and (len(group) >= settings.shard_size or warc_bytes + size > settings.warc_range_bytes
                      or not isinstance(entry, str) or not isinstance(group[-1], str)):
            groups.append(group)
            group, warc_bytes = [], 0
        group.append(entry)
        warc_bytes += size
    if group:
        groups.append(group)
    return groups


# --- profile -------------------------------------------------------------------------------

@dataclass(slots=True)
class Evidence:
    """What a batch of pages teaches about its sites: template lines (chrome recurring across
    a site's stories) and date conventions (a site's numeric day/month order)."""

    templates: "clean.TemplateLines"
    conventions: "dates.DateConventions"

    KINDS = {"templates": clean.TemplateLines, "conventions": dates.DateConventions}

    @classmethod
    def of_pages(cls, landing: str, paths: list, *, settings: Settings, archive_root=None,
                 chunk: int = 5000) -> "Evidence":
        """Evidence of the text pages among the manifest entries `paths` that are not archived
        in `archive_root` (when given), learned a chunk of entries at a time so memory does not
        grow with the batch."""
        learned = None
        # An HTML file holds no text page: it is not read (nor decoded) for nothing.
        paths = [p for p in paths if ingest.input_kind(ingest.entry_path(p))[0] != "html"]
        for start in range(0, max(len(paths), 1), chunk):
            pages, sites = [], []
            part = paths[start:start + chunk]
            seen = _seen(archive_root, landing, part) if archive_root is not None else frozenset()
            for item in ingest.read_inputs(landing, part, max_bytes=settings.max_input_bytes):
                if isinstance(item, ingest.RawInput) and item.kind == "text" \
                        and (item.source_path, item.source_sha256) not in seen:
                    pages.append(item.content)
                    # the key clean_page looks the evidence up under (sites.site_of)
                    sites.append(Page("text", item.content, url=item.url, source=item.site).site)
            part = cls._learned(pages, sites, settings)
            learned = part if learned is None else learned.merge(part)
        return learned

    @classmethod
    def _learned(cls, pages: list, sites: list, settings: Settings) -> "Evidence":
        def learn(p, s):
            return cls(clean.TemplateLines.from_pages(p, sites=s),
                       dates.DateConventions.from_pages(p, sites=s, config=settings.dates))

        try:
            return learn(pages, sites)
        except Exception:  # a page that breaks a learner costs what it would teach, not the run
            parts = []
            for page, site in zip(pages, sites):
                try:
                    parts.append(learn([page], [site]))
                except Exception as exc:
                    log.warning("profile: a page could not be learned from (site %s): %s", site, ingest.one_line(exc))
            return functools.reduce(cls.merge, parts, learn([], []))

    def merge(self, other: "Evidence") -> "Evidence":
        return Evidence(self.templates.merge(other.templates), self.conventions.merge(other.conventions))

    def write(self, folder: Path, suffix: str = "") -> None:
        for kind in self.KINDS:
            _write(folder / f"{kind}{suffix}.parquet", getattr(self, kind).to_arrow())

    @classmethod
    def read(cls, tables: dict) -> "Evidence | None":
        if any(tables.get(kind) is None for kind in cls.KINDS):
            return None
        return cls(*(loader.from_arrow(tables[kind]) for kind, loader in cls.KINDS.items()))

    def __len__(self) -> int:
        return len(self.templates) + len(self.conventions)


def profile(*, run_id: str, settings: Settings, pool=None, workers: int = 1) -> dict:
    """Learn the evidence of the run's new text pages, merge it with the archive's, and stage
    both: the merged evidence for the clean step, the batch's own for the archive at publish.
    With a process pool of `workers`, the pages are read and learned in parallel parts
    (merging is order-free, so the result is the same)."""
    stage = archive.staging_dir(settings.archive_root, run_id)
    commit.touch(stage)
    paths = [p for m in sorted((stage / "shards").glob("*.json")) for p in json.loads(m.read_text())]
    # Inputs already archived taught the archive their lines when they were new.
    learn = functools.partial(Evidence.of_pages, settings.landing, settings=settings,
                              archive_root=settings.archive_root)
    if pool is None:
        batch = learn(paths)
    else:
        parts = [paths[i::workers] for i in range(workers)]
        batch = functools.reduce(Evidence.merge, pool.map(learn, parts))
    archived = Evidence.read({k: archive.read_evidence(settings.archive_root, k) for k in Evidence.KINDS})
    merged = batch if archived is None else batch.merge(archived)
    merged.write(stage)
    if len(batch):
        batch.write(stage, "-new")
    faults.crash_point("profile.written")
    counts = {"template_lines": len(merged.templates), "new_template_lines": len(batch.templates),
              "date_conventions": len(merged.conventions)}
    log.info("profile: %s", counts)
    return counts


def staged_evidence(run_id: str, settings: Settings) -> "Evidence | None":
    stage = archive.staging_dir(settings.archive_root, run_id)
    return Evidence.read({k: pq.read_table(stage / f"{k}.parquet") for k in Evidence.KINDS
                          if (stage / f"{k}.parquet").exists()})


# --- clean ---------------------------------------------------------------------------------

def _seen(root, landing: str, entries: list) -> set[tuple[str, str]]:
    """(source_path, source_sha256) of the archived inputs among manifest entries: a file's,
    every line of a JSONL file, the records of a WARC range (their ids read from the record
    headers first, so the set holds a range's records, not a whole crawl's) and its
    unreadable regions."""
    exact, prefixes = [], []
    for entry in entries:
        path = ingest.stored_path(ingest.entry_path(entry))[0]
        if not isinstance(entry, str):
            exact += ingest.record_paths(landing, entry)
            prefixes.append(f"{path}#@")
        elif ingest.has_parts(path):
            prefixes.append(f"{path}#")
        else:
            exact.append(path)
    return archive.seen_inputs(root, exact, prefixes)


PROGRESS_EVERY_S = 30.0  # operators watching a long clean task see it move at least this often


FLUSH_ROWS = 500  # cleaned rows held before they are signed and written: memory per task is flat
FLUSH_RAW_BYTES = 64 << 20  # raw bytes of rejected inputs held before they are written


def acquired_day(item, acquired: dt.date) -> dt.date:
    """An input's acquisition day: the UTC day a WARC record was crawled (`WARC-Date`), else
    the run's acquisition date."""
    crawled = getattr(item, "crawled_at", None)
    return crawled.astimezone(dt.timezone.utc).date() if crawled is not None else acquired


def clean_shard(manifest: str, *, run_id: str, acquired: dt.date, settings: Settings) -> dict:
    """Clean, date and sign every input of one shard not yet in the archive; write the shard's
    cleaned rows and rejected inputs under the run's staging folder, a few hundred rows at a
    time (memory does not grow with the shard). Whatever fails for one input quarantines that
    input; the shard goes on."""
    stage = archive.staging_dir(settings.archive_root, run_id)
    commit.touch(stage)
    paths = json.loads(Path(manifest).read_text())
    seen = _seen(settings.archive_root, settings.landing, paths)
    evidence = staged_evidence(run_id, settings)
    stem = Path(manifest).stem
    out = _ShardWriter(stage, stem)
    cleaned, rejected, skipped, not_inputs = [], [], 0, Counter()
    warc_records = warc_skipped = 0
    started = noted = time.monotonic()
    files, current = 0, None
    for done, item in enumerate(ingest.read_inputs(settings.landing, paths, max_bytes=settings.max_input_bytes,
                                                   blobs=stage / "blobs", not_inputs=not_inputs), start=1):
        path = item.source_path.split("#", 1)[0]
        if path != current:
            files, current = files + 1, path
            if _PROGRESS is not None and files > 1:
                with _PROGRESS.get_lock():
                    _PROGRESS.value += 1
        if time.monotonic() - noted >= PROGRESS_EVERY_S:
            noted = time.monotonic()
            log.info("%s: %d of %d entries, %d inputs done, %.0f docs/s", stem, files - 1, len(paths), done - 1,
                     (done - 1) / (noted - started))
        record = _is_warc_record(item.source_path)
        warc_records += record
        if (item.source_path, item.source_sha256) in seen:
            skipped += 1
            warc_skipped += record
            continue
        if isinstance(item, ingest.Rejected):
            rejected.append(item)
        else:
            row = clean_input(item, acquired_day(item, acquired), settings, evidence)
            if isinstance(row, ingest.Rejected):
                rejected.append(row)
            else:
                row["crawled_at"] = item.crawled_at
                cleaned.append(row)
        if len(cleaned) >= FLUSH_ROWS:
            cleaned = out.cleaned(cleaned, rejected)
        if len(rejected) >= FLUSH_ROWS or sum(len(r.raw or b"") for r in rejected) >= FLUSH_RAW_BYTES:
            rejected = out.rejected(rejected)

    if _PROGRESS is not None and files:
        with _PROGRESS.get_lock():
            _PROGRESS.value += 1
    out.cleaned(cleaned, rejected)
    out.rejected(rejected)
    out.close()
    faults.crash_point("clean.shard_written")
    counts = {"files": len(paths), "cleaned": out.counts["cleaned"], "rejected": out.counts["rejected"],
              "already_archived": skipped, "rejected_by_reason": dict(out.by_reason),
              # WARC accounting: response records read (each one input, in one table or already
              # archived), and the records that are not inputs, by type.
              "warc_records": warc_records, "warc_records_already_archived": warc_skipped,
              "warc_not_inputs": dict(not_inputs)}
    (stage / "cleaned" / f"{stem}.json").write_text(json.dumps(counts, sort_keys=True))
    log.info("%s: %s (%.1f s)", stem, counts, time.monotonic() - started)
    return counts


def _is_warc_record(source_path: str) -> bool:
    """Whether an input is one WARC response record (not an unreadable region `#@...`)."""
    path, sep, part = source_path.partition("#")
    return bool(sep) and not part.startswith("@") and ingest.input_kind(path)[0] == "warc"


class _ShardWriter:
    """A shard's cleaned and rejected rows, appended to Parquet files a batch at a time and
    renamed into place when the shard is done (a retried task overwrites them whole)."""

    def __init__(self, stage: Path, stem: str):
        self.targets = {k: stage / k / f"{stem}.parquet" for k in ("cleaned", "rejected")}
        self.counts, self.by_reason, self.writers = Counter(), Counter(), {}
        for kind, schema in (("cleaned", CLEANED_SCHEMA), ("rejected", REJECTED_SCHEMA)):
            target = self.targets[kind]
            target.parent.mkdir(parents=True, exist_ok=True)
            self.writers[kind] = pq.ParquetWriter(target.with_name(target.name + ".tmp"), schema,
                                                  compression="zstd")

    def cleaned(self, rows: list[dict], rejected: list) -> list:
        """Sign and write `rows`; rows whose signing fails join `rejected`. Returns []."""
        rows, failed = _signed(rows)
        rejected += failed
        if rows:
            self.writers["cleaned"].write_table(_cleaned_table(rows))
        self.counts["cleaned"] += len(rows)
        return []

    def rejected(self, rows: list) -> list:
        """Write `rows`. Returns []."""
        if rows:
            self.writers["rejected"].write_table(
                pa.Table.from_pylist([_rejected_row(r) for r in rows], REJECTED_SCHEMA))
        self.counts["rejected"] += len(rows)
        self.by_reason.update(r.reason for r in rows)
        return []

    def close(self) -> None:
        for kind, writer in self.writers.items():
            writer.close()
            target = self.targets[kind]
            target.with_name(target.name + ".tmp").replace(target)


def _rejected_row(r: ingest.Rejected) -> dict:
    row = {f: getattr(r, f) for f in REJECTED_SCHEMA.names if f != "raw_path"}
    # Bytes too large for a row are published under _blobs/, named by their sha256.
    row["raw_path"] = f"{archive.BLOBS}/{Path(r.raw_file).name}" if r.raw_file else None
    return row


def _signed(rows: list[dict]) -> tuple[list[dict], list[ingest.Rejected]]:
    """Sign the cleaned rows (one batch call); when the batch call fails, sign one row at a
    time so that only the rows that fail are quarantined."""
    def sign(batch):
        for row in batch:
            faults.inject("minhash", row["source_path"])
        return minhash_signatures([r["text"] for r in batch], **SIGNATURE._asdict())

    try:
        signatures = list(sign(rows))
        failed = []
    except Exception:
        kept, signatures, failed = [], [], []
        for row in rows:
            try:
                signatures.append(sign([row])[0])
                kept.append(row)
            except Exception as exc:
                failed.append(_reject_row(row, "internal_error", f"minhash: {ingest.one_line(exc)}"))
        rows = kept
    for row, signature in zip(rows, signatures):
        row["minhash"] = signature
    return rows, failed


def _reject_row(row: dict, reason: str, detail: str) -> ingest.Rejected:
    item = row["_input"]
    return ingest.Rejected(item.source_path, item.source_sha256, item.size_bytes, reason, detail,
                           item.raw_bytes(), source_path_bytes=item.source_path_bytes, url=item.url,
                           crawled_at=item.crawled_at)


def clean_input(item: ingest.RawInput, acquired: dt.date, settings: Settings, evidence: Evidence | None = None):
    """One decoded input -> a cleaned row (dict), or a Rejected with the reason: the clean
    stage's own (`no_text`, `extract_timeout`, `extract_error`), or `internal_error` naming the
    stage that failed on it (the run goes on without it)."""
    def reject(reason, detail):
        return ingest.Rejected(item.source_path, item.source_sha256, item.size_bytes, reason, detail,
                               item.raw_bytes(), source_path_bytes=item.source_path_bytes, url=item.url,
                               crawled_at=item.crawled_at)

    stage = "clean"
    try:
        page = Page(item.kind, item.content, url=item.url, declared=item.declared, source=item.site)
        site = page.site
        try:
            faults.inject("clean", item.source_path)
            article = clean.clean_page(page, templates=evidence.templates if evidence is not None else None,
                                       config=settings.clean, timeout_s=settings.extract_timeout_s)
        except clean.ExtractionTimeout as exc:
            return reject("extract_timeout", str(exc) or f"over {settings.extract_timeout_s} s")
        except Exception as exc:  # a parser bug must cost one input, not the run
            return reject("extract_error", ingest.one_line(exc))
        if article.rejected:  # only text that recurs across pages: no article in it
            return reject("not_an_article", article.rejected)
        text = article.text.strip()
        if len(text) < max(settings.min_body_chars, 1):
            return reject("no_text", f"cleaning ({article.method}) left {len(text)} characters of body")
        url = item.url or article.url
        stage = "dates"
        faults.inject("dates", item.source_path)
        when = dates.event_date(page, acquired=acquired, article=article, config=settings.dates,
                                conventions=evidence.conventions if evidence is not None else None)
        stage = "clean"
        return {
            "source_path": item.source_path, "source_path_bytes": item.source_path_bytes,
            "source_sha256": item.source_sha256,
            "url": url, "site": site,
            "title": article.title, "byline": article.byline,
            "published_at": when.published_at, "event_date": when.day,
            "event_date_source": when.source, "acquired_date": acquired,
            "date_alternatives": list(when.alternatives),
            "language": article.language, "text": text, "word_count": len(_WORD.findall(text)),
            "content_sha256": dedupe.content_sha256(text), "_input": item,
        }
    except Exception as exc:  # a bug in any stage must cost one input, not the run
        # One line where the user watches; the traceback in the task log (INFO) or with --verbose.
        log.warning("%s failed on %s: %s", stage, item.source_path, ingest.one_line(exc))
        log.info("traceback of the failure above", exc_info=True)
        return reject("internal_error", f"{stage}: {ingest.one_line(exc)}")


def _cleaned_table(rows: list[dict]) -> pa.Table:
    columns = {name: [r[name] for r in rows] for name in CLEANED_SCHEMA.names if name != "minhash"}
    minhash_type = CLEANED_SCHEMA.field("minhash").type
    flat = pa.array([v for r in rows for v in r["minhash"].tolist()], pa.uint32())
    columns["minhash"] = pa.FixedSizeListArray.from_arrays(flat, minhash_type.list_size)
    return pa.table({n: columns[n] for n in CLEANED_SCHEMA.names}, schema=CLEANED_SCHEMA)


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)


def _read_shards(stage: Path, kind: str, schema: pa.Schema) -> pa.Table:
    files = sorted((stage / kind).glob("*.parquet"))
    if not files:
        return schema.empty_table()
    return pa.concat_tables(pq.read_table(f, schema=schema) for f in files)


# --- dedupe --------------------------------------------------------------------------------

def deduplicate(*, run_id: str, acquired: dt.date, settings: Settings) -> dict:
    """Decide canonical / exact / near for the run's cleaned rows against the archive and write
    the staged articles, duplicates and quarantine tables. Inputs another run archived since
    this run's clean step are dropped here (counted as already archived), and the archive
    version decided against is recorded: `publish` decides again if it changed."""
    root = settings.archive_root
    stage = archive.staging_dir(root, run_id)
    commit.touch(stage)
    based_on = commit.version(root)
    # Shards hold their rows in landing order (paths sorted, JSONL lines in order): no re-sort,
    # which would copy the whole batch.
    batch = _read_shards(stage, "cleaned", CLEANED_SCHEMA)
    rejected = _read_shards(stage, "rejected", REJECTED_SCHEMA)
    late = archive.seen_inputs(root, sorted({p for t in (batch, rejected) for p in t.column("source_path").to_pylist()}))
    if late:
        batch, rejected = (t.filter(pa.array([k not in late for k in _keys(t)], pa.bool_())) for t in (batch, rejected))

    centres = {day for anchors in dedupe.search_days(batch) for day in anchors}
    span = range(-settings.window_days, settings.window_days + 1)
    window = archive.window_rows(root, {c + dt.timedelta(d) for c in centres for d in span})
    exact = archive.content_index(root, batch.column("content_sha256").to_pylist())
    decisions = dedupe.decide(batch, window, exact, settings,
                              window_texts=lambda rows: archive.bodies(root, window, rows))

    common = {"run_id": run_id, "pipeline_version": PIPELINE_VERSION}
    is_article = pa.array([d.role == "article" for d in decisions], pa.bool_())
    articles = batch.filter(is_article)
    articles = _with_columns(articles, article_id=[d.article_id for d in decisions if d.role == "article"], **common)
    dupes = [d for d in decisions if d.role == "duplicate"]
    duplicates = batch.filter(pc.invert(is_article)).drop_columns(["event_date"])
    duplicates = _with_columns(
        duplicates, article_id=[d.article_id for d in dupes], match=[d.match for d in dupes],
        similarity=pa.array([d.similarity for d in dupes], pa.float32()),
        containment=pa.array([d.containment for d in dupes], pa.float32()),
        event_date=pa.array([d.event_date for d in dupes], pa.date32()), **common)
    # A WARC record's acquisition day is its crawl day; any other input's, the run's.
    crawl_day = pc.cast(rejected.column("crawled_at"), pa.date32())
    quarantine = _with_columns(rejected, acquired_date=pc.fill_null(crawl_day, pa.scalar(acquired, pa.date32())),
                               **common)

    for table in archive.TABLES:
        shutil.rmtree(stage / table, ignore_errors=True)
    archive.write_partitioned(stage, "articles", articles, run_id)
    archive.write_partitioned(stage, "duplicates", duplicates, run_id)
    archive.write_partitioned(stage, "quarantine", quarantine, run_id)
    counts = {
        "articles": len(articles),
        "duplicates": len(duplicates),
        "duplicates_by_match": dict(Counter(d.match for d in dupes)),
        "quarantined": len(quarantine),
        "quarantined_by_reason": dict(Counter(rejected.column("reason").to_pylist())),
        "archived_meanwhile": len(late),
        "window_rows": len(window),
        "archive_version": based_on,
    }
    (stage / "decided.json").write_text(json.dumps(counts, sort_keys=True))
    log.info("dedupe: %s", counts)
    return counts


def _with_columns(table: pa.Table, **columns) -> pa.Table:
    for name, values in columns.items():
        if not isinstance(values, (pa.Array, pa.ChunkedArray, list)):
            values = [values] * len(table)
        table = table.append_column(name, values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values))
    return table


# --- validate ------------------------------------------------------------------------------

def validate(*, run_id: str, settings: Settings) -> dict:
    """Check the run's staged rows before anything is published; raises InvariantError listing
    every broken invariant. The checks against the archive hold for the archive version the
    rows were decided against: when another run has published since, they are left to
    `publish`, which decides again under the lock and validates then."""
    root = settings.archive_root
    stage = archive.staging_dir(root, run_id)
    decided = json.loads((stage / "decided.json").read_text()) if (stage / "decided.json").exists() else {}
    before = commit.settled(root)
    # Every column but the bodies and raw bytes: they are the bulk of a run, and their one
    # check (no empty body) reads them a file at a time below.
    columns = {t: [c for c in archive.with_partition(t).names if c not in ("text", "raw")] for t in archive.TABLES}
    staged = {t: archive.read_staged(root, run_id, t, columns[t]) for t in archive.TABLES}
    inputs = [_keys(_read_shards(stage, k, s)) for k, s in (("cleaned", CLEANED_SCHEMA), ("rejected", REJECTED_SCHEMA))]
    expected = Counter(inputs[0] + inputs[1])
    placed = Counter(k for t in archive.TABLES for k in _keys(staged[t]))
    archived = archive.seen_inputs(root, sorted({p for p, _ in expected}))
    problems = []

    if any(n > 1 for n in expected.values()):
        problems.append("an input was read twice in this run")
    lost = set(expected) - set(placed) - archived
    if lost:
        problems.append(f"{len(lost)} inputs in no table, e.g. {sorted(lost)[:3]}")
    extra = set(placed) - set(expected)
    if extra:
        problems.append(f"{len(extra)} staged rows for inputs this run did not read, e.g. {sorted(extra)[:3]}")
    twice = [k for k, n in placed.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} inputs in more than one place, e.g. {sorted(twice)[:3]}")
    already = set(placed) & archived

    articles, duplicates, quarantine = (staged[t] for t in archive.TABLES)
    ids = articles.column("article_id").to_pylist()
    if len(set(ids)) != len(ids):
        problems.append("article_id not unique within the run")
    archived_ids = set(archive.read_table(root, "articles", ["article_id"]).column(0).to_pylist())
    # The checks against the archive count only when no other run published while they read:
    # otherwise publish decides again under the lock and validates then.
    current = before == commit.settled(root) == (decided.get("archive_version"), True)
    if already and current:
        problems.append(f"{len(already)} inputs already archived, e.g. {sorted(already)[:3]}")
    if set(ids) & archived_ids and current:
        problems.append("a staged article_id is already archived")
    canonical = set(ids) | archived_ids
    orphans = set(duplicates.column("article_id").to_pylist()) - canonical
    if orphans:
        problems.append(f"{len(orphans)} duplicates point to no article, e.g. {sorted(orphans)[:3]}")
    for path in archive.staged_files(root, run_id)["articles"]:
        if pc.min(pc.utf8_length(pq.read_table(path, columns=["text"]).column(0))).as_py() == 0:
            problems.append(f"an article has an empty body ({path.parent.name})")
    for name, table in (("articles", articles), ("duplicates", duplicates)):
        sources = set(table.column("event_date_source").to_pylist()) - set(dates.EVENT_DATE_SOURCES)
        if sources:
            problems.append(f"{name}: event_date_source outside the vocabulary: {sorted(sources)}")
        if table.column("event_date").null_count or table.column("minhash").null_count:
            problems.append(f"{name}: missing event_date or minhash")
    if set(duplicates.column("match").to_pylist()) - set(archive.MATCH_KINDS):
        problems.append("duplicates: match outside the vocabulary")
    reasons = set(quarantine.column("reason").to_pylist()) - set(ingest.QUARANTINE_REASONS)
    if reasons:
        problems.append(f"quarantine: reason outside the vocabulary: {sorted(reasons)}")
    for path in archive.staged_files(root, run_id)["quarantine"]:
        kept = pq.read_table(path, columns=["source_path", "size_bytes", "raw", "raw_path", "reason"]).to_pylist()
        for row in kept:
            if row["size_bytes"] is not None and row["raw"] is None and not row["raw_path"] \
                    and row["reason"] not in ingest.PAYLOAD_NOT_KEPT:
                problems.append(f"quarantine: the bytes of {row['source_path']} are not kept")
            elif row["raw_path"] and not (stage / "blobs" / Path(row["raw_path"]).name).exists() \
                    and not (Path(root) / row["raw_path"]).exists():
                problems.append(f"quarantine: the kept bytes of {row['source_path']} are missing")
    # Every WARC response record read is one input: in exactly one table (checked above) or
    # already archived.
    shard_counts = [json.loads(p.read_text()) for p in sorted((stage / "cleaned").glob("*.json"))]
    read = sum(c.get("warc_records", 0) for c in shard_counts)
    accounted = sum(c.get("warc_records_already_archived", 0) for c in shard_counts) + sum(
        1 for p, _ in expected if _is_warc_record(p))
    if read != accounted:
        problems.append(f"{read} WARC response records read, {accounted} accounted for as inputs")
    if problems:
        raise InvariantError(f"run {run_id}: " + "; ".join(problems))
    counts = {"inputs": sum(expected.values()), **{t: len(staged[t]) for t in archive.TABLES},
              "decided_against_current_archive": current}
    if not current:
        log.warning("another run published since this run's dedupe: publish will decide again")
    log.info("validated: %s", counts)
    return counts


def _keys(table: pa.Table) -> list[tuple[str, str]]:
    return list(zip(table.column("source_path").to_pylist(), table.column("source_sha256").to_pylist()))


# --- publish -------------------------------------------------------------------------------

def publish(*, run_id: str, acquired: dt.date, settings: Settings) -> dict:
    """Commit the run's validated files to the archive; returns the run's summary.

    Under the archive's lock: finish any commit a crash interrupted; if this run's attempt is
    already committed (a retried task), return its summary; if another run published since
    this run's dedupe, decide again against the archive as it is now and validate; then commit
    everything in one journaled step (commit.py)."""
    root = settings.archive_root
    stage = archive.staging_dir(root, run_id)
    with commit.archive_lock(root, holder=f"run {run_id} (publish)", timeout_s=settings.lock_timeout_s):
        commit.recover(root)
        if not (stage / commit.OWNER).exists():
            done = commit.find(root, run_id)
            if done is not None:
                log.info("run %s was already committed (commit %d)", run_id, done.seq)
                return done.summary
        owner = commit.read_owner(stage)  # StagingGone: nothing to publish
        done = commit.find(root, run_id, owner["attempt"])
        if done is not None:
            return done.summary
        commit.touch(stage)
        decided = json.loads((stage / "decided.json").read_text())
        if decided.get("archive_version") != commit.version(root):
            log.warning("the archive changed since this run's dedupe: deciding again")
            deduplicate(run_id=run_id, acquired=acquired, settings=settings)
            validate(run_id=run_id, settings=settings)
        summary = _summary(run_id, acquired, settings, stage)
        faults.crash_point("publish.before_commit")
        applied = commit.commit(root, stage, run_id=run_id, attempt=owner["attempt"],
                                moves=archive.publish_moves(root, run_id), summary=summary)
    log.info("published commit %d: %s", applied.seq, applied.summary)
    return applied.summary


def _summary(run_id: str, acquired: dt.date, settings: Settings, stage: Path) -> dict:
    shards = [json.loads(p.read_text()) for p in sorted((stage / "cleaned").glob("*.json"))]
    decided = json.loads((stage / "decided.json").read_text())
    staged = archive.staged_files(settings.archive_root, run_id)
    partitions = {t: sorted({f.parent.name for f in files}) for t, files in staged.items()}
    return {
        "run_id": run_id,
        "acquired_date": acquired.isoformat(),
        "pipeline_version": PIPELINE_VERSION,
        "landing": str(settings.landing),
        "archive_root": str(settings.archive_root),
        "inputs": sum(s["cleaned"] + s["rejected"] + s["already_archived"] for s in shards),
        "already_archived": sum(s["already_archived"] for s in shards) + decided["archived_meanwhile"],
        "articles": decided["articles"],
        "duplicates": decided["duplicates"],
        "duplicates_by_match": decided["duplicates_by_match"],
        "quarantined": decided["quarantined"],
        "quarantined_by_reason": decided["quarantined_by_reason"],
        "warc_records_not_inputs": dict(sum((Counter(s.get("warc_not_inputs", {})) for s in shards), Counter())),
        "partitions_written": partitions,
        # Rows of each file the run adds (from the staged files' footers), so readers such as
        # the UI count the archive per partition from the run logs instead of every footer.
        "rows_per_partition": {t: {f.parent.name: pq.read_metadata(f).num_rows for f in files}
                               for t, files in staged.items()},
        "published_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def articles_uri(settings: Settings) -> str:
    """The URI of the articles table of the run's archive, as its asset is named."""
    return Path(settings.archive_root).resolve().joinpath("articles").as_uri()


def asset_extra(summary: dict) -> dict:
    """What a run added, for the `extra` of its asset event (counts only, JSON values)."""
    keys = ("run_id", "acquired_date", "inputs", "already_archived", "articles", "duplicates",
            "duplicates_by_match", "quarantined", "quarantined_by_reason")
    return {**{k: summary[k] for k in keys if k in summary},
            "partitions_written": {t: len(p) for t, p in summary.get("partitions_written", {}).items()}}


# --- the whole run in one process ------------------------------------------------------------

def run(settings: Settings, *, run_id: str, acquired: dt.date, workers: int = 1, progress=None) -> dict:
    """plan -> profile -> clean every shard -> dedupe -> validate -> publish, in this process
    or, with `workers` > 1, profiling and cleaning in that many forked processes (which die
    with this one). `progress(files_done, files_total)` is called about twice a second while
    shards are cleaned."""
    shards = _step("plan", plan, settings, run_id)
    manifests = [s["manifest"] for s in shards]
    total = sum(s["files"] for s in shards)
    clean_one = functools.partial(clean_shard, run_id=run_id, acquired=acquired, settings=settings)
    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)
    if workers > 1 and len(shards) > 1:
        # fork after loading the language model and the compiled kernels once, so every
        # worker inherits them instead of loading its own.
        clean.detect_language("The quick brown fox jumps over the lazy dog near the river bank.")
        minhash_signatures(["warm up"], **SIGNATURE._asdict())
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                                 initargs=(os.getpid(), counter)) as pool:
            _step("profile", profile, run_id=run_id, settings=settings, pool=pool, workers=workers)
            futures = [pool.submit(clean_one, m) for m in manifests]
            _step("clean", _await, futures, counter, total, progress)
    else:
        global _PROGRESS
        _PROGRESS = counter
        try:
            _step("profile", profile, run_id=run_id, settings=settings)
            for m in manifests:
                _step("clean", clean_one, m)
                if progress:
                    progress(counter.value, total)
        finally:
            _PROGRESS = None
    if progress:
        progress(total, total)
    _step("dedupe", deduplicate, run_id=run_id, acquired=acquired, settings=settings)
    _step("validate", validate, run_id=run_id, settings=settings)
    return _step("publish", publish, run_id=run_id, acquired=acquired, settings=settings)


_PROGRESS = None  # a shared counter of files cleaned, set in the command line's workers


def _worker_init(parent: int, counter) -> None:
    """A cleaning worker: dies with the process that started it (a killed run must not leave
    workers writing into its staging folder), and counts the files it cleans."""
    global _PROGRESS
    _PROGRESS = counter
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent check below still stops it
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _await(futures, counter, total: int, progress) -> None:
    """Wait for the shard futures, reporting progress; the first failure is raised."""
    from concurrent.futures import FIRST_EXCEPTION, wait

    pending = set(futures)
    while pending:
        finished, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
        for f in finished:
            f.result()
        if progress:
            progress(counter.value, total)


def format_summary(summary: dict) -> str:
    """The run summary as an operator reads it."""
    lines = [
        f"run {summary['run_id']} (acquired {summary['acquired_date']}, pipeline {summary['pipeline_version']})",
        f"  inputs:                {summary['inputs']}  ({summary['already_archived']} already archived)",
        f"  canonical articles:    {summary['articles']}",
        f"  duplicates:            {summary['duplicates']}  {_counts(summary['duplicates_by_match'])}".rstrip(),
        f"  quarantined:           {summary['quarantined']}  {_counts(summary['quarantined_by_reason'])}".rstrip(),
    ]
    skipped = summary.get("warc_records_not_inputs") or {}
    if skipped:
        lines.append(f"  WARC records, not inputs: {sum(skipped.values())}  {_counts(skipped)}")
    for table, parts in summary["partitions_written"].items():
        shown = parts if len(parts) <= 6 else [*parts[:3], "...", *parts[-3:]]
        lines.append(f"  {table + ' partitions:':23s}{len(parts)}  {' '.join(shown)}".rstrip())
    return "\n".join(lines)


def _counts(by: dict) -> str:
    return "(" + ", ".join(f"{k}: {v}" for k, v in sorted(by.items())) + ")" if by else ""
