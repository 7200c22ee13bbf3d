"""Speed of the clean and date stages beside their off-the-shelf baselines, in one process, on
one core, over the same pages.

    python benchmarks/bench_stages.py [--eval ../shared/eval] [--json OUT] [--text-only]

Pages: the plain-text dumps and HTML pages of the clean and dates eval sets, plus the raw
pages of the dedup set (text). "clean + date, text dumps" runs both stages on each dump as the
pipeline does, both on the clock; `--text-only` skips the HTML rows. Each figure is CPU seconds of the best of `--repeat` rounds in
which ours and the baseline take turns, after an untimed warm-up of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsarchive import clean, dates  # noqa: E402
from newsarchive.ingest import decode_bytes  # noqa: E402
from newsarchive.page import Page  # noqa: E402
from newsarchive.settings import Settings  # noqa: E402

ACQUIRED = dt.date(2026, 11, 22)


def _pages(eval_dir: Path, text_only: bool = False):
    texts = [p.read_text(encoding="utf-8") for d in ("clean/text", "dates/text", "dedup/raw")
             for p in sorted((eval_dir / d).glob("*.txt"))]
    htmls = [] if text_only else [decode_bytes(p.read_bytes(), html=True) for d in ("clean/html", "dates/html")
                                  for p in sorted((eval_dir / d).glob("*.html"))]
    return texts, htmls


def _rates(fns, items, repeat: int) -> list[float]:
    """Documents per second of each function: best of `repeat` rounds in which the functions
    take turns (so a change in machine load hits them alike), after one untimed warm-up."""
    for fn in fns:
        fn(items[: min(len(items), 50)])
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.process_time()
            fn(items)
            best[k] = min(best[k], time.process_time() - start)
    return [len(items) / b for b in best]


def measure(eval_dir: Path, repeat: int = 2, text_only: bool = False) -> dict:
    settings = Settings(extract_timeout_s=0)  # no timer: time the extraction itself
    texts, htmls = _pages(eval_dir, text_only)
    import justext
    import trafilatura
    from htmldate import find_date

    stop = justext.get_stoplist("English")

    def ours_text(items):
        for t in items:
            clean.clean_page(Page("text", t), config=settings.clean, timeout_s=0)

    def justext_text(items):
        for t in items:
            html = "<html><body>" + "".join(f"<p>{line}</p>" for line in t.splitlines() if line.strip()) + "</body></html>"
            justext.justext(html, stop)

    def ours_html(items):
        # A fresh Page per call: the parse of the markup is part of the cleaning.
        for h in items:
            clean.clean_page(Page("html", h), config=settings.clean, timeout_s=0)

    def trafilatura_html(items):
        # As the pipeline calls it: precision mode, metadata kept, no dedup cache, tables in,
        # comments out.
        for h in items:
            trafilatura.bare_extraction(h, favor_precision=True, with_metadata=True, deduplicate=False,
                                        include_comments=False, include_tables=True)

    # The dates stage as the pipeline calls it: after cleaning, with the cleaner's article (its
    # body span and language); the cleaning itself is not timed here. HTML pages are parsed on
    # the clock (Page.tree), as the stage would pay for it if it were the first to ask.
    articles = {t: clean.clean_page(Page("text", t), config=settings.clean, timeout_s=0) for t in texts}

    def ours_dates_text(items):
        for t in items:
            dates.event_date(Page("text", t), acquired=ACQUIRED, article=articles[t], config=settings.dates)

    def ours_clean_dates_text(items):
        # Both stages on one Page, as pipeline.clean_input calls them.
        for t in items:
            page = Page("text", t)
            article = clean.clean_page(page, config=settings.clean, timeout_s=0)
            dates.event_date(page, acquired=ACQUIRED, article=article, config=settings.dates)

    def ours_dates_html(items):
        for h in items:
            dates.event_date(Page("html", h), acquired=ACQUIRED, config=settings.dates)

    def htmldate_html(items):
        for h in items:
            find_date(h, original_date=True)

    rows = {
        "clean text": (*_rates([ours_text, justext_text], texts, repeat), "jusText on lines", len(texts)),
        "dates text": (*_rates([ours_dates_text], texts, repeat), None, "-", len(texts)),
        "clean + date, text dumps": (*_rates([ours_clean_dates_text], texts, repeat), None, "-", len(texts)),
    }
    if not text_only:
        rows["clean HTML"] = (*_rates([ours_html, trafilatura_html], htmls, repeat),
                              "trafilatura, as the pipeline calls it", len(htmls))
        rows["dates HTML"] = (*_rates([ours_dates_html, htmldate_html], htmls, repeat), "htmldate original_date",
                              len(htmls))
    return {name: (ours, base_name, base, n) for name, (ours, base, base_name, n) in rows.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--text-only", action="store_true", help="only the rows on text dumps (no HTML pages)")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    rows = measure(args.eval, args.repeat, args.text_only)
    print(f"{'stage':24s} {'pages':>6s} {'ours docs/s':>12s}  {'baseline (same run)':38s} {'docs/s':>8s} {'ratio':>6s}")
    for name, (ours, base_name, base, n) in rows.items():
        ratio = f"{ours / base:.2f}" if base else "-"
        print(f"{name:24s} {n:6d} {ours:12.0f}  {base_name:38s} {base or 0:8.0f} {ratio:>6s}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
