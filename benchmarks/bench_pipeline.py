"""The whole pipeline (`python -m newsarchive run`, 2 worker processes) on synthetic corpora of
raw text pages of growing size: docs/s, peak RSS of the largest process, time per page.

    python benchmarks/bench_pipeline.py [--sizes 25000,100000] [--eval ../shared/eval] [--work DIR]

Each size gets a fresh landing folder (benchmarks/corpus.py) and a fresh archive; the run is
one process tree timed from outside. Linear time shows as a flat ms/page column.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402


def run_once(landing: Path, archive: Path, workers: int) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB of the largest process in the tree, summary)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "newsarchive", "run", "--input", str(landing),
                             "--archive", str(archive), "--acquired-date", "2024-06-01",
                             "--workers", str(workers)], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the pipeline failed:\n{result.stderr[-3000:]}")
    wall = time.perf_counter() - start
    # ru_maxrss of waited-for children is the largest single process seen so far (KiB).
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return wall, peak, result.stdout


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="25000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    print(f"{'pages':>8s} {'wall s':>8s} {'docs/s':>8s} {'ms/page':>8s} {'peak RSS MiB':>13s}  articles / duplicates")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            landing, archive = work / f"landing-{size}", work / f"archive-{size}"
            shutil.rmtree(archive, ignore_errors=True)
            if not landing.is_dir():
                generate(landing, size, args.eval)
            wall, peak, summary = run_once(landing, archive, args.workers)
            counts = {line.split(":")[0].strip(): line.split(":")[1].split()[0]
                      for line in summary.splitlines() if ":" in line and line.startswith("  ")}
            print(f"{size:8d} {wall:8.1f} {size / wall:8.0f} {1000 * wall / size:8.2f} {peak:13.0f}  "
                  f"{counts.get('canonical articles')} / {counts.get('duplicates')}", flush=True)
            shutil.rmtree(archive, ignore_errors=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
