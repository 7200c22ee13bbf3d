"""Command line: the same stage code as the DAG, without Airflow.

    python -m newsarchive run      --input DIR --archive DIR [--acquired-date D] [--threshold T]
    python -m newsarchive extract  --input DIR --output DIR [--acquired-date D]
    python -m newsarchive clusters --archive DIR
    python -m newsarchive summary  --archive DIR

Every failure ends with one line on stderr that names what failed, where, and what to do
(the traceback goes to a log file, or to the terminal with --verbose). Exit status: 0 done,
1 the run failed (nothing half-published: see docs/operations.md), 2 a bad argument or setting.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import errno
import logging
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import archive, commit, ingest, pipeline
from .settings import Settings, SettingsError


class UsageError(Exception):
    """A bad argument: exit 2."""


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
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step's counts; tracebacks on failure")
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
    p.add_argument("--lock-timeout", type=float, default=None,
                   help="seconds to wait while another run publishes to the same archive")

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
    try:
        settings = Settings.from_env()
        if getattr(args, "workers", 1) < 1:
            raise UsageError("--workers must be at least 1")
        return COMMANDS[args.command](args, settings)
    except (SettingsError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted: nothing was published by this run; run it again to finish", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure ends in one line
        print(f"error: {_explain(exc, args)}", file=sys.stderr)
        if args.verbose:
            traceback.print_exception(exc)
        return 1


def _explain(exc: BaseException, args) -> str:
    """One line: what failed, where, and what to do; the traceback goes to a log file."""
    step = getattr(exc, "step", None)
    cause = exc.__cause__ if isinstance(exc, pipeline.StepFailed) and exc.__cause__ else exc
    where = f"{step}: " if step else ""
    if isinstance(cause, ingest.LandingError):
        return f"{where}{cause.strerror}: {cause.filename}: check the --input folder"
    if isinstance(cause, commit.ArchiveLocked):
        return f"{where}{cause}"
    if isinstance(cause, commit.StagingGone):
        return f"{where}{cause}"
    if isinstance(cause, pipeline.InvariantError):
        return (f"{where}{cause}: nothing was published; the staged rows stay under the archive's _staging/ "
                f"folder for inspection; please report this")
    if isinstance(cause, OSError) and cause.errno in _OS_ADVICE:
        path = cause.filename or getattr(args, "archive", "")
        return (f"{where}{os.strerror(cause.errno).lower()}: {path}: {_OS_ADVICE[cause.errno]}; "
                f"nothing half-published: the next run finishes or discards this one")
    log_file = _traceback_file(cause)
    return f"{where}internal error: {ingest.one_line(cause)} (traceback in {log_file}; --verbose shows it)"


_OS_ADVICE = {
    errno.ENOSPC: "free space (or inodes) on that file system and run again",
    errno.EDQUOT: "raise the disk quota and run again",
    errno.EACCES: "give this user write access there and run again",
    errno.EPERM: "give this user write access there and run again",
    errno.EROFS: "the file system is read-only: point --archive at a writable folder",
    errno.ENOENT: "the path does not exist: check --input / --archive",
}


def _traceback_file(exc: BaseException) -> str:
    path = Path(tempfile.gettempdir()) / f"newsarchive-error-{os.getpid()}.log"
    try:
        path.write_text("".join(traceback.format_exception(exc)))
    except OSError:
        return "(could not be written)"
    return str(path)


class _Progress:
    """A progress bar on a terminal; plain lines (every 30 s) otherwise."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.tty = stream, stream.isatty()
        self.start = self.last = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        rate = done / max(now - self.start, 1e-9)
        if self.tty:
            if now - self.last < 0.2 and done < total:
                return
            width = 30
            filled = width * done // max(total, 1)
            self.stream.write(f"\rcleaning [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files "
                              f"{rate:,.0f}/s ")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
            self.last, self.shown = now, True
        elif now - self.last >= 30 or (done >= total and not self.shown):
            print(f"cleaned {done} of {total} files ({rate:,.0f} files/s)", file=self.stream, flush=True)
            self.last, self.shown = now, done >= total


def _run(args, settings: Settings) -> int:
    settings = settings.replace(landing=args.input, archive_root=args.archive, threshold=args.threshold,
                                window_days=args.window_days, shard_size=args.shard_size,
                                lock_timeout_s=args.lock_timeout)
    acquired = args.acquired_date or _today()
    run_id = args.run_id or "cli__" + dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    summary = pipeline.run(settings, run_id=run_id, acquired=acquired, workers=args.workers, progress=_Progress())
    print(pipeline.format_summary(summary))
    return 0


def _extract(args, settings: Settings) -> int:
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    acquired = args.acquired_date or _today()
    paths = ingest.discover(args.input, archive_root=str(out))  # an output folder inside the input is no input
    # The batch's own evidence, as a run over this folder into an empty archive has.
    evidence = pipeline.Evidence.of_pages(args.input, paths, settings=settings)
    rows, rejected = [], {}
    for item in ingest.read_inputs(args.input, paths, max_bytes=settings.max_input_bytes):
        if isinstance(item, ingest.RawInput):
            item = pipeline.clean_input(item, pipeline.acquired_day(item, acquired), settings, evidence)
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
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "date", "date_source"])
        writer.writerows(rows)
    print(f"extracted {len(rows)} of {len(rows) + sum(rejected.values())} inputs to {out}"
          + (f"; quarantined {rejected}" if rejected else ""), file=sys.stderr)
    return 0


def _existing_archive(path: str) -> str:
    if not Path(path).is_dir():
        raise UsageError(f"archive not found: {path}: check --archive")
    return path


def _clusters(args, settings: Settings) -> int:
    root = _existing_archive(args.archive)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["doc_id", "cluster_id"])
    rows = []
    for table in ("articles", "duplicates"):
        t = archive.read_table(root, table, ["source_path", "article_id"])
        rows += [(ingest.doc_id(p), a) for p, a in zip(t.column(0).to_pylist(), t.column(1).to_pylist())]
    writer.writerows(sorted(rows))
    return 0


def _summary(args, settings: Settings) -> int:
    runs = archive.run_summaries(_existing_archive(args.archive))
    if not runs:
        print(f"no published run in {args.archive}", file=sys.stderr)
        return 1
    print(pipeline.format_summary(runs[-1]))
    return 0


COMMANDS = {"run": _run, "extract": _extract, "clusters": _clusters, "summary": _summary}
