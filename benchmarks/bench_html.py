"""The whole pipeline on HTML pages: what share of the run's CPU time is trafilatura itself.

    python benchmarks/bench_html.py [--eval ../shared/eval] [--copies 4] [--work DIR]

The yardstick is trafilatura alone on the same files in the same process: `bare_extraction`
on each file's bytes with the options the pipeline uses (so it reads, decodes and parses the
page itself, as a user calling trafilatura would), alternating with the pipeline run
(`--rounds`, default 2; best of each). The pipeline's overhead is the share of its run that this baseline does not
account for: 1 - baseline / pipeline (target: under 15%).

Landing folder: the HTML pages of the clean and dates eval sets, `--copies` times (each copy
a distinct file, so every page is read, parsed, cleaned, dated and signed again; dedupe then
files the copies as duplicates). The run is `pipeline.run` with one worker in this process, on
one core, timed in CPU seconds. The calls of trafilatura's `bare_extraction` (as the clean
stage makes them) are timed inside the run; everything else is the pipeline's own work:
parsing the page once, post-filtering, dating (including htmldate when it runs), signing,
dedupe, Parquet. Target: everything else under 15% of the run. The report splits everything
else by part; the per-run parts (profile, dedupe, validate, publish, loading numba kernels)
weigh less the larger the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsarchive import dates, ingest, page, pipeline  # noqa: E402
from newsarchive.clean import html as clean_html  # noqa: E402
from newsarchive.settings import Settings  # noqa: E402


class _Timed:
    """Wraps a function, adding the CPU seconds spent in it (outermost calls only)."""

    def __init__(self, fn):
        self.fn, self.seconds, self.calls, self._depth = fn, 0.0, 0, 0
        functools.update_wrapper(self, fn)

    def __call__(self, *args, **kwargs):
        self._depth += 1
        start = time.process_time()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self._depth -= 1
            if not self._depth:
                self.seconds += time.process_time() - start
                self.calls += 1


def landing_folder(eval_dir: Path, target: Path, copies: int) -> int:
    pages = sorted((eval_dir / "clean" / "html").glob("*.html")) + sorted((eval_dir / "dates" / "html").glob("*.html"))
    if not pages:
        raise SystemExit(f"no HTML pages under {eval_dir}/clean/html or {eval_dir}/dates/html")
    target.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for path in pages:
            (target / f"{k:02d}-{path.name}").write_bytes(path.read_bytes())
    return len(pages) * copies


def trafilatura_alone(landing: Path) -> float:
    """CPU seconds of trafilatura by itself over the landing folder's files, with the options
    of `clean.html.trafilatura_extract`, from bytes (its own decode and parse)."""
    import trafilatura

    start = time.process_time()
    for path in sorted(landing.iterdir()):
        trafilatura.bare_extraction(path.read_bytes(), favor_precision=True, include_comments=False,
                                    include_tables=True, deduplicate=False, with_metadata=True)
    return time.process_time() - start


def measure(landing: Path, work: Path, rounds: int) -> dict:
    """`rounds` alternations of trafilatura alone and a pipeline run into a fresh archive; the
    best of each (the least disturbed by the machine's other load), with the parts of the best
    pipeline run."""
    # (module, attribute) of each part timed; the name the report gives it
    parts = {
        "trafilatura": (clean_html, "trafilatura_extract"),
        "dates.event_date": (dates, "event_date"),
        "parse (Page.tree)": (page, "parse_html"),
        "site_of (Page.site)": (page, "site_of"),
        "decode inputs (charset)": (ingest, "_decode"),
        "post-filter": (clean_html, "post_filter"),
        "language": (clean_html, "detect_language"),
        "MinHash signatures": (pipeline, "minhash_signatures"),
        "profile step": (pipeline, "profile"),
        "dedupe step": (pipeline, "deduplicate"),
        "validate step": (pipeline, "validate"),
        "publish step": (pipeline, "publish"),
    }
    timed = {}
    for name, (module, attr) in parts.items():
        timed[name] = _Timed(getattr(module, attr))
        setattr(module, attr, timed[name])
    pipeline.clean.detect_language("Warm the language model up before timing the run.")
    best, baseline = None, float("inf")
    for k in range(rounds):
        baseline = min(baseline, trafilatura_alone(landing))
        for t in timed.values():
            t.seconds, t.calls = 0.0, 0
        archive = work / f"archive-{k}"
        shutil.rmtree(archive, ignore_errors=True)
        settings = Settings(landing=str(landing), archive_root=str(archive), extract_timeout_s=0)
        start = time.process_time()
        summary = pipeline.run(settings, run_id=f"bench-html-{k}", acquired=dt.date(2026, 11, 22), workers=1)
        total = time.process_time() - start
        shutil.rmtree(archive, ignore_errors=True)
        if best is None or total < best["total"]:
            best = {"total": total, "inputs": summary["inputs"], "articles": summary["articles"],
                    "duplicates": summary["duplicates"], "quarantined": summary["quarantined"],
                    **{name: t.seconds for name, t in timed.items()}}
    baseline = min(baseline, trafilatura_alone(landing))
    return {"baseline": baseline, **best}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=2, help="alternations of baseline and pipeline; best of each")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    work = args.work or Path(tempfile.mkdtemp(prefix="newsarchive-bench-html-"))
    try:
        n = landing_folder(args.eval, work / "landing", args.copies)
        r = measure(work / "landing", work, args.rounds)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    total, baseline = r.pop("total"), r.pop("baseline")
    other = total - r["trafilatura"]
    print(f"{n} HTML pages ({r.pop('articles')} articles, {r.pop('duplicates')} duplicates, "
          f"{r.pop('quarantined')} quarantined; {r.pop('inputs')} inputs), one core: "
          f"{total:.1f} CPU s, {n / total:.1f} docs/s")
    print(f"trafilatura alone on the same files (bytes in, same options): {baseline:.1f} CPU s, "
          f"{n / baseline:.1f} docs/s; pipeline / trafilatura alone = {total / baseline:.2f}")
    print(f"pipeline overhead over trafilatura alone: {100 * (1 - baseline / total):.1f}% of the run (target < 15%)")
    print("inside the run:")
    print(f"  {'trafilatura bare_extraction':32s} {r['trafilatura']:7.1f} s  {100 * r['trafilatura'] / total:5.1f}%"
          "  (on the shared tree: its parse is counted below)")
    print(f"  {'everything else':32s} {other:7.1f} s  {100 * other / total:5.1f}%")
    named = 0.0
    for name, seconds in r.items():
        if name != "trafilatura":
            named += seconds
            print(f"    {name:30s} {seconds:7.1f} s  {100 * seconds / total:5.1f}%")
    print(f"    {'the rest of the clean step':30s} {other - named:7.1f} s  {100 * (other - named) / total:5.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
