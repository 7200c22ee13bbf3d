"""Command line: the same stage code as the DAG, without Airflow.

    python -m newsarchive run      --input DIR --archive DIR [--acquired-date D] [--threshold T]
    python -m newsarchive extract  --input DIR --output DIR [--acquired-date D]
    python -m newsarchive clusters --archive DIR
    python -m newsarchive summary  --archive DIR
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from . import archive, ingest, pipeline
from .settings import Settings


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}")


def _today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsarchive", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step's counts")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="clean, date, dedupe and archive a landing folder")
    p.add_argument("--input", required=True, help="landing folder (path or fsspec URL)")
    p.add_argument("--archive", required=True, help="archive root folder")
    p.add_argument("--acquired-date", type=_date, default=None, help="UTC acquisition date (default: today)")
    p.add_argument("--threshold", type=float, default=None, help="near-duplicate similarity threshold")
    p.add_argument("--window-days", type=int, default=None, help="event-date window for near-duplicates")
    p.add_argument("--run-id", default=None, help="run id (default: cli__<UTC timestamp>)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes cleaning shards in parallel (default: all cores)")
    p.add_argument("--shard-size", type=int, default=None, help="files per cleaning shard")

    p = sub.add_parser("extract", help="write each input's clean body and dates.csv (no archive)")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--acquired-date", type=_date, default=None)

    p = sub.add_parser("clusters", help="CSV doc_id,cluster_id for every archived input")
    p.add_argument("--archive", required=True)

    p = sub.add_parser("summary", help="print the summary of the latest published run")
    p.add_argument("--archive", required=True)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    try:
        return COMMANDS[args.command](args, settings)
    except (FileNotFoundError, pipeline.InvariantError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args, settings: Settings) -> int:
    settings = settings.replace(landing=args.input, archive_root=args.archive, threshold=args.threshold,
                                window_days=args.window_days, shard_size=args.shard_size)
    acquired = args.acquired_date or _today()
    run_id = args.run_id or "cli__" + dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    summary = pipeline.run(settings, run_id=run_id, acquired=acquired, workers=args.workers)
    print(pipeline.format_summary(summary))
    return 0


def _extract(args, settings: Settings) -> int:
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    acquired = args.acquired_date or _today()
    paths = ingest.discover(args.input)
    # The batch's own evidence, as a run over this folder into an empty archive has.
    evidence = pipeline.Evidence.of_pages(args.input, paths, settings=settings)
    rows, rejected = [], {}
    for item in ingest.read_inputs(args.input, paths, max_bytes=settings.max_input_bytes):
        if isinstance(item, ingest.RawInput):
            item = pipeline.clean_input(item, acquired, settings, evidence)
        if isinstance(item, ingest.Rejected):
            rejected[item.reason] = rejected.get(item.reason, 0) + 1
            print(f"quarantined {item.source_path}: {item.reason} ({item.detail})", file=sys.stderr)
            continue
        name = ingest.doc_id(item["source_path"])
        target = out / f"{name}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item["text"] + "\n", encoding="utf-8")
        rows.append((name, item["event_date"].isoformat(), item["event_date_source"]))
    with open(out / "dates.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "date_source"])
        writer.writerows(rows)
    print(f"extracted {len(rows)} of {len(rows) + sum(rejected.values())} inputs to {out}"
          + (f"; quarantined {rejected}" if rejected else ""), file=sys.stderr)
    return 0


def _clusters(args, settings: Settings) -> int:
    writer = csv.writer(sys.stdout)
    writer.writerow(["doc_id", "cluster_id"])
    rows = []
    for table in ("articles", "duplicates"):
        t = archive.read_table(args.archive, table, ["source_path", "article_id"])
        rows += [(ingest.doc_id(p), a) for p, a in zip(t.column(0).to_pylist(), t.column(1).to_pylist())]
    writer.writerows(sorted(rows))
    return 0


def _summary(args, settings: Settings) -> int:
    runs = archive.run_summaries(args.archive)
    if not runs:
        print(f"no published run in {args.archive}", file=sys.stderr)
        return 1
    print(pipeline.format_summary(runs[-1]))
    return 0


COMMANDS = {"run": _run, "extract": _extract, "clusters": _clusters, "summary": _summary}
