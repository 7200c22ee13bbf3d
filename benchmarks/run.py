"""Every benchmark of the project, each figure beside its baseline measured in the same run.

    python benchmarks/run.py [--eval ../shared/eval] [--quick]

1. bench_stages.py   clean and date stages vs jusText / trafilatura / htmldate (one core)
2. bench_minhash.py  MinHash signatures vs rensa and datasketch (one core); LSH candidate
                     search of a batch against 1M archived signatures vs datasketch MinHashLSH
3. bench_pipeline.py the whole pipeline on synthetic corpora (2 processes), linearity and RSS
4. bench_ui.py       every page of the UI plugin on a synthetic archive of 1M articles and
                     300 run logs (each must answer in under 1 s)
5. bench_html.py     the whole pipeline on the eval HTML pages (one core): trafilatura's share
                     of the run's CPU time vs everything else
6. bench_warc.py     WARC input: records/s read; the pipeline on a crawl vs the same pages as
                     .html files (2 processes); a clean task's RSS on a small and a 1 GB WARC
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "plugins"))

from newsarchive.settings import Settings  # noqa: E402


def _section(title: str, *command: str) -> None:
    print(f"\n== {title}", flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, *command], check=True)
    print(f"[{time.perf_counter() - start:.0f} s]", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", default="../shared/eval")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    settings = Settings()
    _section("clean and date stages (one core)", str(HERE / "bench_stages.py"), "--eval", args.eval,
             "--repeat", "1" if args.quick else "3")
    _section("MinHash signatures and candidate search (one core)", str(HERE / "bench_minhash.py"),
             "--docs", "5000" if args.quick else "20000",
             "--archive", "100000" if args.quick else "1000000",
             "--datasketch-archive", "20000" if args.quick else "100000",
             "--threshold", str(settings.candidate_threshold))
    _section("whole pipeline, 2 worker processes", str(HERE / "bench_pipeline.py"), "--eval", args.eval,
             "--sizes", "5000,20000" if args.quick else "25000,100000")
    _section("UI plugin pages on a big archive", str(HERE / "bench_ui.py"),
             "--articles", "100000" if args.quick else "1000000", "--runs", "50" if args.quick else "300")
    _section("whole pipeline on HTML pages, trafilatura vs the rest (one core)",
             str(HERE / "bench_html.py"), "--eval", args.eval, "--copies", "1" if args.quick else "4")
    _section("WARC input: reading, the pipeline on a crawl vs .html files, clean-task memory (2 processes)",
             str(HERE / "bench_warc.py"), "--eval", args.eval, "--pages", "10000" if args.quick else "20000",
             "--big-gb", "0.2" if args.quick else "1.0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
