"""WARC input: reading speed, the whole pipeline on a crawl against the same pages landed as
`.html` files, and the memory of a clean task as the WARC grows.

    python benchmarks/bench_warc.py [--pages 20000] [--big-gb 1.0] [--workers 2] [--eval ../shared/eval]

1. A crawl of `--pages` pages (benchmarks/corpus.py text pages wrapped in HTML) is written as
   `crawl.warc.gz` (gzip per record; a request and a response record per page, WARC/1.1) and
   as one `.html` file per page, the same bytes.
2. Reading alone, one process, CPU time: FastWARC iterating every record and reading each
   block; `ingest.read_inputs` over the planned byte ranges (records parsed, HTTP decoded,
   charset decoded: what a clean task reads); the same pages read from `.html` files.
3. The whole pipeline (`python -m newsarchive run --workers N`) on the WARC and on the `.html`
   folder, each into a fresh archive, interleaved (html, warc, html, warc with --rounds 2):
   wall time, CPU of the process tree, and the ratio of WARC to HTML throughput.
4. Memory: a WARC of about `--big-gb` GB (the crawl's records repeated under new ids) is
   planned, and one clean task's range of it is cleaned in a fresh process; its peak RSS
   beside the same for a range of the small crawl.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "plugins"))

from corpus import generate  # noqa: E402


def _html(text: str, uri: str) -> str:
    """A page as a site serves it: its canonical URL in the head (what the WARC record's
    WARC-Target-URI also says), so both landings give the pipeline the same facts."""
    lines = [x for x in text.splitlines() if x.strip()]
    paragraphs = "".join(f"<p>{x}</p>" for x in lines[1:])
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{lines[0]}</title>"
            f"<link rel=\"canonical\" href=\"{uri}\"></head>"
            f"<body><article><h1>{lines[0]}</h1>{paragraphs}</article></body></html>")


def _record(rtype: str, uri: str, block: bytes, date: str) -> bytes:
    head = (f"WARC/1.1\r\nWARC-Type: {rtype}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype={rtype}\r\nContent-Length: {len(block)}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


def build(work: Path, pages: int, eval_dir: Path) -> tuple[Path, Path, int]:
    """(warc landing, html landing, records written)."""
    text_dir, warc_dir, html_dir = work / "txt", work / "warc", work / "html"
    if (warc_dir / "crawl.warc.gz").exists() and html_dir.is_dir():
        return warc_dir, html_dir, 2 * pages + 1
    generate(text_dir, pages, eval_dir)
    warc_dir.mkdir(parents=True, exist_ok=True)
    html_dir.mkdir(parents=True, exist_ok=True)
    records = 0
    with open(warc_dir / "crawl.warc.gz", "wb") as out:
        info = b"software: newsarchive bench_warc\r\nformat: WARC File Format 1.1\r\n"
        out.write(gzip.compress(_record("warcinfo", "", info, "2024-06-01T00:00:00Z").replace(
            b"msgtype=warcinfo", b"").replace(b"application/http; ", b"application/warc-fields"), 6))
        records += 1
        for path in sorted(text_dir.glob("*.txt")):
            uri = f"https://bench.example/{path.stem}"
            html = _html(path.read_text(encoding="utf-8"), uri).encode()
            (html_dir / f"{path.stem}.html").write_bytes(html)
            request = f"GET /{path.stem} HTTP/1.1\r\nHost: bench.example\r\n\r\n".encode()
            response = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                        f"Content-Length: {len(html)}\r\n\r\n").encode() + html
            out.write(gzip.compress(_record("request", uri, request, "2024-06-01T10:00:00Z"), 6))
            out.write(gzip.compress(_record("response", uri, response, "2024-06-01T10:00:00Z"), 6))
            records += 2
    shutil.rmtree(text_dir)
    return warc_dir, html_dir, records


def reading(warc_dir: Path, html_dir: Path, records: int) -> None:
    from fastwarc.warc import ArchiveIterator

    from newsarchive import ingest
    from newsarchive.settings import Settings

    warc = warc_dir / "crawl.warc.gz"
    start = time.process_time()
    with open(warc, "rb") as fh:
        n = sum(1 for r in ArchiveIterator(fh, parse_http=False) if r.reader.read() is not None)
    fast = time.process_time() - start
    print(f"FastWARC, every record and block:       {n / fast:10,.0f} records/s  ({n} records, {fast:.2f} s CPU)")
    try:  # the other maintained reader, when installed (not a dependency: the choice's baseline)
        from warcio.archiveiterator import ArchiveIterator as WarcioIterator
    except ImportError:
        print("warcio: not installed (pip install warcio==1.8.1 to compare)")
    else:
        start = time.process_time()
        with open(warc, "rb") as fh:
            n = sum(1 for r in WarcioIterator(fh) if r.raw_stream.read() is not None)
        slow = time.process_time() - start
        print(f"warcio, every record and block:         {n / slow:10,.0f} records/s  ({n} records, {slow:.2f} s CPU; "
              f"FastWARC {slow / fast:.1f}x)")
    start = time.process_time()
    settings = Settings()
    entries = [e for e, _ in ingest.plan_entries(str(warc_dir), ["crawl.warc.gz"], settings.warc_range_bytes,
                                                 settings.shard_size)]
    inputs = sum(1 for _ in ingest.read_inputs(str(warc_dir), entries, max_bytes=20_000_000))
    ours = time.process_time() - start
    print(f"ingest.read_inputs, WARC ({len(entries)} ranges):   {records / ours:10,.0f} records/s, "
          f"{inputs / ours:,.0f} inputs/s ({ours:.2f} s CPU)")
    paths = ingest.discover(str(html_dir))
    start = time.process_time()
    files = sum(1 for _ in ingest.read_inputs(str(html_dir), paths, max_bytes=20_000_000))
    plain = time.process_time() - start
    print(f"ingest.read_inputs, .html files:        {files / plain:10,.0f} inputs/s  ({plain:.2f} s CPU)")


def run_pipeline(landing: Path, archive: Path, workers: int) -> tuple[float, float, str]:
    """(wall s, CPU s of the process tree, summary) of one command-line run."""
    shutil.rmtree(archive, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "newsarchive", "run", "--input", str(landing), "--archive",
                             str(archive), "--acquired-date", "2024-06-01", "--workers", str(workers)],
                            capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"the pipeline failed:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(archive, ignore_errors=True)
    return wall, cpu, result.stdout


def _counts(summary: str) -> str:
    found = {line.split(":")[0].strip(): line.split(":")[1].split()[0]
             for line in summary.splitlines() if ":" in line and line.startswith("  ")}
    return f"{found.get('canonical articles')} articles / {found.get('duplicates')} duplicates"


def big_warc(small: Path, target: Path, gigabytes: float) -> int:
    """A WARC of about `gigabytes` GB: the small crawl's records again and again, each copy
    under new record ids (streamed: never held in memory)."""
    if target.exists() and target.stat().st_size >= gigabytes * 1e9 * 0.95:
        return target.stat().st_size
    from fastwarc.warc import ArchiveIterator

    members = []  # the small crawl's records, decompressed, held once (tens of MB)
    with open(small, "rb") as fh:
        for r in ArchiveIterator(fh, parse_http=False):
            members.append((r.headers.get("WARC-Type"), r.headers.get("WARC-Target-URI") or "", r.reader.read()))
    written = 0
    with open(target, "wb") as out:
        while written < gigabytes * 1e9:
            for rtype, uri, block in members:
                member = gzip.compress(_record(rtype, uri, block, "2024-06-01T10:00:00Z"), 1)
                out.write(member)
                written += len(member)
    return written


_CLEAN_ONE = """
import datetime as dt, json, resource, sys, time
from newsarchive import pipeline
from newsarchive.settings import Settings
landing, root, which = sys.argv[1], sys.argv[2], sys.argv[3]
settings = Settings(landing=landing, archive_root=root)
start = time.process_time()
shards = pipeline.plan(settings, "bench")
planned = time.process_time() - start
plan_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
shard = shards[len(shards) // 2 if which == "middle" else 0]
start = time.process_time()
counts = pipeline.clean_shard(shard["manifest"], run_id="bench", acquired=dt.date(2024, 6, 1), settings=settings)
print(json.dumps({"shards": len(shards), "plan_s": planned, "plan_rss": plan_rss // 1024, "clean_s": time.process_time() - start,
                  "inputs": counts["cleaned"] + counts["rejected"],
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def clean_task_memory(landing: Path, work: Path, label: str) -> None:
    import json

    root = work / f"archive-mem-{label}"
    shutil.rmtree(root, ignore_errors=True)
    result = subprocess.run([sys.executable, "-c", _CLEAN_ONE, str(landing), str(root), "middle"],
                            capture_output=True, text=True)
    shutil.rmtree(root, ignore_errors=True)
    if result.returncode:
        raise SystemExit(f"the clean task failed:\n{result.stderr[-3000:]}")
    got = json.loads(result.stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in landing.glob("*.warc.gz")) / 1e9
    print(f"{label:>6s}: WARC {size:6.2f} GB, {got['shards']:5d} ranges; plan {got['plan_s']:5.1f} s CPU, "
          f"peak RSS {got['plan_rss']:4d} MiB; one clean task: {got['inputs']} inputs, "
          f"{got['clean_s']:5.1f} s CPU, peak RSS {got['rss']:4d} MiB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--big-gb", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="newsarchive-bench-warc-"))
    try:
        warc_dir, html_dir, records = build(work, args.pages, args.eval)
        size = (warc_dir / "crawl.warc.gz").stat().st_size
        print(f"crawl: {args.pages} pages, {records} WARC records, {size / 1e6:.1f} MB gzip per record")
        print("\n-- reading alone (one process, CPU time)")
        reading(warc_dir, html_dir, records)
        if not args.skip_pipeline:
            print(f"\n-- whole pipeline, {args.workers} worker processes")
            times = {"html": [], "warc": []}
            for _ in range(args.rounds):
                for kind, landing in (("html", html_dir), ("warc", warc_dir)):
                    wall, cpu, summary = run_pipeline(landing, work / f"archive-{kind}", args.workers)
                    times[kind].append((wall, cpu))
                    print(f"{kind:>5s}: {wall:7.1f} s wall {args.pages / wall:7.0f} docs/s; {cpu:7.1f} s CPU "
                          f"{args.pages / cpu:6.0f} docs/CPU-s; {_counts(summary)}", flush=True)
            best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in times.items()}
            print(f"WARC / HTML throughput: {best['html'][0] / best['warc'][0]:.2f} (wall), "
                  f"{best['html'][1] / best['warc'][1]:.2f} (CPU)")
        if not args.skip_memory:
            print("\n-- memory of one clean task as the WARC grows")
            clean_task_memory(warc_dir, work, "small")
            big_dir = work / "big"
            big_dir.mkdir(exist_ok=True)
            big_warc(warc_dir / "crawl.warc.gz", big_dir / "big.warc.gz", args.big_gb)
            clean_task_memory(big_dir, work, "big")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
