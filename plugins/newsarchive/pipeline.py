"""The pipeline's steps, as the DAG's tasks and the command line call them.

    plan      discover the landing folder, write shard manifests          -> shard list
    profile   once: template lines of the batch, merged with the archive's -> staged evidence
    clean     per shard: decode, strip chrome, date, sign                  -> staged shard files
    dedupe    once: exact + near-duplicate decisions against the archive   -> staged tables
    validate  once: invariants over the staged rows; raises, publishing nothing, when broken
    publish   once: move the staged files into the archive

Steps exchange paths and counts only; rows travel through Parquet files under the run's
staging folder, so a retried step reads and overwrites exactly its own files.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import multiprocessing
import re
import shutil
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import PIPELINE_VERSION, archive, clean, dates, dedupe, ingest
from .minhash import SIGNATURE, minhash_signatures
from .page import Page
from .settings import Settings

log = logging.getLogger(__name__)

# A cleaned page between the clean and dedupe steps: the article columns known before dedupe.
CLEANED_SCHEMA = pa.schema(
    [archive.ARTICLES_SCHEMA.field(name) for name in (
        "source_path", "source_sha256", "url", "site", "title", "byline", "published_at")]
    + [pa.field("event_date", pa.date32())]
    + [archive.ARTICLES_SCHEMA.field(name) for name in (
        "event_date_source", "acquired_date", "language", "text", "word_count", "content_sha256", "minhash")]
    # Readings of a date left ambiguous on the page: dedupe searches around them too.
    + [pa.field("date_alternatives", pa.list_(pa.date32()))])

# A rejected input before it becomes a quarantine row.
REJECTED_SCHEMA = pa.schema([archive.QUARANTINE_SCHEMA.field(name) for name in (
    "source_path", "source_sha256", "reason", "detail", "size_bytes", "raw")])

_WORD = re.compile(r"\w+")


class InvariantError(RuntimeError):
    """The staged rows of a run break an archive invariant; nothing was published."""


# --- plan ----------------------------------------------------------------------------------

def plan(settings: Settings, run_id: str) -> list[dict]:
    """Start the run afresh (its staging folder emptied) and split the landing folder into
    shards of `shard_size` files; returns [{"shard", "manifest", "files"}]."""
    stage = archive.staging_dir(settings.archive_root, run_id)
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "shards").mkdir(parents=True)
    paths = ingest.discover(settings.landing)
    shards = []
    for number, start in enumerate(range(0, len(paths), settings.shard_size)):
        manifest = stage / "shards" / f"shard-{number:05d}.json"
        manifest.write_text(json.dumps(paths[start:start + settings.shard_size]))
        shards.append({"shard": number, "manifest": str(manifest),
                       "files": len(paths[start:start + settings.shard_size])})
    log.info("planned %d files in %d shards from %s", len(paths), len(shards), settings.landing)
    return shards


# --- profile -------------------------------------------------------------------------------

@dataclass(slots=True)
class Evidence:
    """What a batch of pages teaches about its sites: template lines (chrome recurring across
    a site's stories) and date conventions (a site's numeric day/month order)."""

    templates: "clean.TemplateLines"
    conventions: "dates.DateConventions"

    KINDS = {"templates": clean.TemplateLines, "conventions": dates.DateConventions}

    @classmethod
    def of_pages(cls, landing: str, paths: list[str], *, settings: Settings,
                 seen: set[tuple[str, str]] = frozenset(), chunk: int = 5000) -> "Evidence":
        """Evidence of the text pages among `paths` that are not in `seen`, learned a chunk
        of pages at a time so memory does not grow with the batch."""
        learned = None
        for start in range(0, max(len(paths), 1), chunk):
            pages, sites = [], []
            for item in ingest.read_inputs(landing, paths[start:start + chunk], max_bytes=settings.max_input_bytes):
                if isinstance(item, ingest.RawInput) and item.kind == "text" \
                        and (item.source_path, item.source_sha256) not in seen:
                    pages.append(item.content)
                    # the key clean_page looks the evidence up under (sites.site_of)
                    sites.append(Page("text", item.content, url=item.url, source=item.site).site)
            part = cls(clean.TemplateLines.from_pages(pages, sites=sites),
                       dates.DateConventions.from_pages(pages, sites=sites))
            learned = part if learned is None else learned.merge(part)
        return learned

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
    paths = [p for m in sorted((stage / "shards").glob("*.json")) for p in json.loads(m.read_text())]
    # Inputs already archived taught the archive their lines when they were new.
    seen = archive.seen_inputs(settings.archive_root, paths)
    learn = functools.partial(Evidence.of_pages, settings.landing, settings=settings, seen=seen)
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
    counts = {"template_lines": len(merged.templates), "new_template_lines": len(batch.templates),
              "date_conventions": len(merged.conventions)}
    log.info("profile: %s", counts)
    return counts


def staged_evidence(run_id: str, settings: Settings) -> "Evidence | None":
    stage = archive.staging_dir(settings.archive_root, run_id)
    return Evidence.read({k: pq.read_table(stage / f"{k}.parquet") for k in Evidence.KINDS
                          if (stage / f"{k}.parquet").exists()})


# --- clean ---------------------------------------------------------------------------------

def clean_shard(manifest: str, *, run_id: str, acquired: dt.date, settings: Settings) -> dict:
    """Clean, date and sign every input of one shard not yet in the archive; write the shard's
    cleaned rows and rejected inputs under the run's staging folder."""
    paths = json.loads(Path(manifest).read_text())
    seen = archive.seen_inputs(settings.archive_root, paths)
    evidence = staged_evidence(run_id, settings)
    cleaned, rejected, skipped = [], [], 0
    for item in ingest.read_inputs(settings.landing, paths, max_bytes=settings.max_input_bytes):
        if (item.source_path, item.source_sha256) in seen:
            skipped += 1
            continue
        if isinstance(item, ingest.Rejected):
            rejected.append(item)
            continue
        row = clean_input(item, acquired, settings, evidence)
        if isinstance(row, ingest.Rejected):
            rejected.append(row)
        else:
            cleaned.append(row)

    signatures = minhash_signatures([r["text"] for r in cleaned], **SIGNATURE._asdict())
    for row, signature in zip(cleaned, signatures):
        row["minhash"] = signature
    stem = Path(manifest).stem
    stage = archive.staging_dir(settings.archive_root, run_id)
    _write(stage / "cleaned" / f"{stem}.parquet", _cleaned_table(cleaned))
    _write(stage / "rejected" / f"{stem}.parquet", pa.Table.from_pylist(
        [{f: getattr(r, f) for f in REJECTED_SCHEMA.names} for r in rejected], REJECTED_SCHEMA))
    counts = {"files": len(paths), "cleaned": len(cleaned), "rejected": len(rejected),
              "already_archived": skipped,
              "rejected_by_reason": dict(Counter(r.reason for r in rejected))}
    log.info("%s: %s", stem, counts)
    return counts


def clean_input(item: ingest.RawInput, acquired: dt.date, settings: Settings, evidence: Evidence | None = None):
    """One decoded input -> a cleaned row (dict), or a Rejected with the clean stage's reason."""
    def reject(reason, detail):
        return ingest.Rejected(item.source_path, item.source_sha256, item.size_bytes, reason, detail,
                               item.content.encode("utf-8"))

    page = Page(item.kind, item.content, url=item.url, declared=item.declared, source=item.site)
    try:
        art = clean.clean_page(page, templates=evidence.templates if evidence is not None else None,
                               config=settings.clean, timeout_s=settings.extract_timeout_s)
    except clean.ExtractionTimeout as exc:
        return reject("extract_timeout", str(exc) or f"over {settings.extract_timeout_s} s")
    except Exception as exc:  # a parser bug must cost one input, not the run
        return reject("extract_error", f"{type(exc).__name__}: {exc}")
    if art.rejected:
        return reject("not_an_article", art.rejected)
    text = art.text.strip()
    if len(text) < max(settings.min_body_chars, 1):
        return reject("no_text", f"cleaning ({art.method}) left {len(text)} characters of body")
    url = item.url or art.url
    site = page.site
    when = dates.event_date(
        acquired=acquired,
        page_text=item.content if item.kind == "text" else None,
        html=item.content if item.kind == "html" else None,
        url=url, declared=item.declared or art.published, date_lines=art.date_lines,
        body=text, language=art.language, settings=settings,
        conventions=evidence.conventions if evidence is not None else None, site=site)
    return {
        "source_path": item.source_path, "source_sha256": item.source_sha256,
        "url": url, "site": site,
        "title": art.title, "byline": art.byline,
        "published_at": when.published_at, "event_date": when.day,
        "event_date_source": when.source, "acquired_date": acquired,
        "date_alternatives": list(getattr(when, "alternatives", ())),
        "language": art.language, "text": text, "word_count": len(_WORD.findall(text)),
        "content_sha256": dedupe.content_sha256(text),
    }


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
    the staged articles, duplicates and quarantine tables."""
    root = settings.archive_root
    stage = archive.staging_dir(root, run_id)
    # Shards hold their rows in landing order (paths sorted, JSONL lines in order): no re-sort,
    # which would copy the whole batch.
    batch = _read_shards(stage, "cleaned", CLEANED_SCHEMA)
    rejected = _read_shards(stage, "rejected", REJECTED_SCHEMA)

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
    quarantine = _with_columns(rejected, acquired_date=pa.array([acquired] * len(rejected), pa.date32()), **common)

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
        "window_rows": len(window),
    }
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
    every broken invariant."""
    root = settings.archive_root
    stage = archive.staging_dir(root, run_id)
    # Every column but the bodies and raw bytes: they are the bulk of a run, and their one
    # check (no empty body) reads them a file at a time below.
    columns = {t: [c for c in archive.with_partition(t).names if c not in ("text", "raw")] for t in archive.TABLES}
    staged = {t: archive.read_staged(root, run_id, t, columns[t]) for t in archive.TABLES}
    inputs = [_keys(_read_shards(stage, k, s)) for k, s in (("cleaned", CLEANED_SCHEMA), ("rejected", REJECTED_SCHEMA))]
    expected = Counter(inputs[0] + inputs[1])
    placed = Counter(k for t in archive.TABLES for k in _keys(staged[t]))
    problems = []

    if any(n > 1 for n in expected.values()):
        problems.append("an input was read twice in this run")
    lost = set(expected) - set(placed)
    if lost:
        problems.append(f"{len(lost)} inputs in no table, e.g. {sorted(lost)[:3]}")
    extra = set(placed) - set(expected)
    if extra:
        problems.append(f"{len(extra)} staged rows for inputs this run did not read, e.g. {sorted(extra)[:3]}")
    twice = [k for k, n in placed.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} inputs in more than one place, e.g. {sorted(twice)[:3]}")
    already = set(placed) & archive.seen_inputs(root, [path for path, _ in placed])
    if already:
        problems.append(f"{len(already)} inputs already archived, e.g. {sorted(already)[:3]}")

    articles, duplicates, quarantine = (staged[t] for t in archive.TABLES)
    ids = articles.column("article_id").to_pylist()
    if len(set(ids)) != len(ids):
        problems.append("article_id not unique within the run")
    archived_ids = set(archive.read_table(root, "articles", ["article_id"]).column(0).to_pylist())
    if set(ids) & archived_ids:
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
    if problems:
        raise InvariantError(f"run {run_id}: " + "; ".join(problems))
    counts = {"inputs": sum(expected.values()), **{t: len(staged[t]) for t in archive.TABLES}}
    log.info("validated: %s", counts)
    return counts


def _keys(table: pa.Table) -> list[tuple[str, str]]:
    return list(zip(table.column("source_path").to_pylist(), table.column("source_sha256").to_pylist()))


# --- publish -------------------------------------------------------------------------------

def publish(*, run_id: str, acquired: dt.date, settings: Settings, shards: list[dict],
            dedupe_counts: dict) -> dict:
    """Move the run's validated files into the archive; returns the run's summary."""
    root = settings.archive_root
    partitions = {t: sorted({f.parent.name for f in files})
                  for t, files in archive.staged_files(root, run_id).items()}
    summary = {
        "run_id": run_id,
        "acquired_date": acquired.isoformat(),
        "pipeline_version": PIPELINE_VERSION,
        "landing": str(settings.landing),
        "inputs": sum(s["cleaned"] + s["rejected"] + s["already_archived"] for s in shards),
        "already_archived": sum(s["already_archived"] for s in shards),
        "articles": dedupe_counts["articles"],
        "duplicates": dedupe_counts["duplicates"],
        "duplicates_by_match": dedupe_counts["duplicates_by_match"],
        "quarantined": dedupe_counts["quarantined"],
        "quarantined_by_reason": dedupe_counts["quarantined_by_reason"],
        "partitions_written": partitions,
    }
    moved = archive.publish(root, run_id, summary)
    log.info("published %s files: %s", moved, summary)
    return summary


# --- the whole run in one process ------------------------------------------------------------

def run(settings: Settings, *, run_id: str, acquired: dt.date, workers: int = 1) -> dict:
    """plan -> profile -> clean every shard -> dedupe -> validate -> publish, in this process
    or, with `workers` > 1, profiling and cleaning in that many forked processes."""
    shards = plan(settings, run_id)
    manifests = [s["manifest"] for s in shards]
    clean_one = functools.partial(clean_shard, run_id=run_id, acquired=acquired, settings=settings)
    if workers > 1 and len(shards) > 1:
        # fork after loading the language model and the compiled kernels once, so every
        # worker inherits them instead of loading its own.
        clean.detect_language("The quick brown fox jumps over the lazy dog near the river bank.")
        minhash_signatures(["warm up"], **SIGNATURE._asdict())
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            profile(run_id=run_id, settings=settings, pool=pool, workers=workers)
            counts = list(pool.map(clean_one, manifests))
    else:
        profile(run_id=run_id, settings=settings)
        counts = [clean_one(m) for m in manifests]
    dedupe_counts = deduplicate(run_id=run_id, acquired=acquired, settings=settings)
    validate(run_id=run_id, settings=settings)
    return publish(run_id=run_id, acquired=acquired, settings=settings, shards=counts,
                   dedupe_counts=dedupe_counts)


def format_summary(summary: dict) -> str:
    """The run summary as an operator reads it."""
    lines = [
        f"run {summary['run_id']} (acquired {summary['acquired_date']}, pipeline {summary['pipeline_version']})",
        f"  inputs:                {summary['inputs']}  ({summary['already_archived']} already archived)",
        f"  canonical articles:    {summary['articles']}",
        f"  duplicates:            {summary['duplicates']}  {_counts(summary['duplicates_by_match'])}".rstrip(),
        f"  quarantined:           {summary['quarantined']}  {_counts(summary['quarantined_by_reason'])}".rstrip(),
    ]
    for table, parts in summary["partitions_written"].items():
        shown = parts if len(parts) <= 6 else [*parts[:3], "...", *parts[-3:]]
        lines.append(f"  {table + ' partitions:':23s}{len(parts)}  {' '.join(shown)}".rstrip())
    return "\n".join(lines)


def _counts(by: dict) -> str:
    return "(" + ", ".join(f"{k}: {v}" for k, v in sorted(by.items())) + ")" if by else ""
