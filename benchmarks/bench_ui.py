"""Every page of the UI plugin on a big archive: 1M articles and 300 run logs by default.

    python benchmarks/bench_ui.py [--articles 1000000] [--runs 300] [--work DIR]

Builds the archive with benchmarks/ui_archive.py (kept in --work DIR for the next time), then
asks each page through FastAPI's TestClient, in process, the plugin's app as the API server
mounts it. Only Airflow is left out: the login and the per-DAG check are bypassed, and the
metadata-DB lookups (which archive, a DAG run, its task instances: a few indexed rows) are
replaced by their answers. Each page is timed on its first request (the reader's caches emptied
before it: run logs, folder listings and footers read afresh; the OS file cache is not dropped)
and as the median of three more; wall clock, and this process's CPU time (all its threads).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "plugins")]
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="bench-ui-airflow-"))
warnings.filterwarnings("ignore")  # Airflow's and Starlette's deprecation notes

import ui_archive  # noqa: E402

LIMIT_S = 1.0


def _app(root: Path):
    """The plugin's app with Airflow's login, rights and metadata DB answered in place."""
    from airflow.api_fastapi.common.db.common import _get_session
    from airflow.api_fastapi.core_api.security import get_user
    from newsarchive_ui import access, app

    user = SimpleNamespace(get_id=lambda: "bench", get_name=lambda: "bench")
    access.may_read = lambda *a, **k: True
    access.known_archives = lambda dags, session: [str(root)]
    access.dag_run = lambda dag_id, run_id, session: SimpleNamespace(
        dag_id=dag_id, run_id=run_id, conf={"archive_root": str(root)}, state="success", start_date=None, end_date=None)
    access.find_run = lambda dags, run_id, session: None
    access.run_archive = lambda run, session: str(root)
    access.task_times = lambda run, session: []
    web = app.create_app()
    web.dependency_overrides[get_user] = lambda: user
    web.dependency_overrides[_get_session] = lambda: None
    return web


def _pages(root: Path) -> list[tuple[str, str]]:
    from newsarchive_ui.reader import ArchiveReader

    reader = ArchiveReader(root)
    logs = reader.run_logs()
    big = max(logs, key=lambda log: log["duplicates"])
    run = big["run_id"]
    dupes = reader.run_rows("duplicates", run, ["source_path", "source_sha256", "article_id", "event_date"])
    copy = dupes.slice(len(dupes) // 2, 1).to_pylist()[0]
    old = reader.run_logs()[len(logs) // 3]
    old_article = reader.run_rows("articles", old["run_id"], ["article_id", "event_date", "title"]).slice(0, 1).to_pylist()[0]
    word = old_article["title"].split()[1]
    return [
        ("home, last 30 runs", "/news-archive/"),
        ("home, last 300 runs", "/news-archive/?runs=300"),
        ("run tab (largest run)", f"/news-archive/dags/news_archive/runs/{quote(run, safe='')}"),
        ("run tab, duplicates by similarity, page 3",
         f"/news-archive/dags/news_archive/runs/{quote(run, safe='')}?dsort=-similarity&dpage=3&qsort=-size_bytes"),
        ("run page from the nav", f"/news-archive/run?run_id={quote(run)}"),
        ("duplicate beside its canonical",
         f"/news-archive/pair?run_id={quote(run)}&source_path={quote(copy['source_path'])}&sha={copy['source_sha256']}"),
        ("article with its duplicates", f"/news-archive/article?id={copy['article_id']}&date={copy['event_date']}"),
        ("search, a title word", f"/news-archive/search?q={quote(word)}"),
        ("search, no match (time budget)", "/news-archive/search?q=zzzqqq"),
        ("search, an article id prefix", f"/news-archive/search?q={old_article['article_id'][:10]}"),
        ("search, a whole article id", f"/news-archive/search?q={old_article['article_id']}"),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--work", type=Path, default=None, help="keep the archive here for later runs")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="newsarchive-bench-ui-"))
    root = work / f"archive-{args.articles}-{args.runs}"
    try:
        if not (root / "_runs").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            start = time.perf_counter()
            counts = ui_archive.build(root, articles=args.articles, runs=args.runs)
            print(f"built {counts} in {time.perf_counter() - start:.0f} s under {root}", flush=True)
        files = sum(1 for _ in root.glob("*/*/*.parquet"))
        print(f"archive: {args.articles:,} articles, {args.runs} run logs, {files:,} Parquet files")

        from fastapi.testclient import TestClient
        from starlette.applications import Starlette
        from starlette.routing import Mount

        from newsarchive_ui import PREFIX

        client = TestClient(Starlette(routes=[Mount(PREFIX, _app(root))]))
        pages = _pages(root)
        from newsarchive_ui import reader
        print(f"{'page':44s} {'first s':>8s} {'CPU s':>6s} {'then s':>8s} {'CPU s':>6s} {'KiB':>6s}")
        slow = []
        for label, path in pages:
            timings = []
            for cache in (reader._logs, reader._footers, reader._listings):
                cache.clear()  # the first request reads run logs, folder listings and footers afresh
            for _ in range(4):
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(path, headers={"Accept": "text/html"})
                timings.append((time.perf_counter() - wall, time.process_time() - cpu))
                if response.status_code != 200:
                    raise SystemExit(f"{label}: HTTP {response.status_code}\n{response.text[:2000]}")
            (first, first_cpu), then = timings[0], statistics.median(t[0] for t in timings[1:])
            cpu = statistics.median(t[1] for t in timings[1:])
            flag = "" if max(first, then) < LIMIT_S else "  SLOW"
            if flag:
                slow.append(label)
            print(f"{label:44s} {first:8.3f} {first_cpu:6.3f} {then:8.3f} {cpu:6.3f} {len(response.content) / 1024:6.0f}{flag}",
                  flush=True)
        print("every page under 1 s" if not slow else f"over 1 s: {', '.join(slow)}")
        return 0
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
