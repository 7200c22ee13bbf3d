"""Quality on the evaluation sets, on DEV and leave-sites-out, through the command line a user runs.

    python -m evaluation [EVAL_DIR] [--only clean,clean2,dates,dedup] [--folds 5] [--no-tune]
                         [--jobs N] [--salt S] [--work DIR] [--json OUT]

EVAL_DIR defaults to ../shared/eval. For each set: the DEV figure (one run over all its pages at
the defaults), beside leave-sites-out figures (the pages split by site into --folds folds, each
run on its own, tuned values picked on the other folds), per fold, pooled and as a mean of
folds; baselines the issues compare against measured in the same run; the dedup set landed as
daily batches against one run; the seeds. --folds 0 gives the DEV figures only; --no-tune runs
the folds at the defaults. Each set is scored by its own scorer (`score.py` in its folder).
How folds are built and what is refitted per fold: docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newsarchive.settings import Settings

from . import folds as folding
from . import report, scoring, sets, tuning
from .heldout import LeaveSitesOut
from .runner import REPO, Clock, CommandFailed, Runner
from .sets import ACQUIRED, NEWS_SETS, place


@dataclass
class Context:
    eval_dir: Path
    work: Path
    runner: Runner
    k: int
    salt: str
    knobs: list
    build: object  # Settings.from_mapping over the base settings: checks a config's values

    def evaluations(self, tasks) -> list[LeaveSitesOut]:
        return [LeaveSitesOut(t, self.runner, self.work, k=self.k, salt=self.salt, knobs=self.knobs,
                              build=self.build) for t in tasks]

    def run(self, evaluations: list[LeaveSitesOut], extra_jobs: list) -> list:
        """Every task's runs and the extra jobs together, then the follow-ups; extras' results."""
        first = [j for ev in evaluations for j in ev.jobs()]
        results = self.runner.map(list(extra_jobs) + first)[:len(extra_jobs)]
        self.runner.map([j for ev in evaluations for j in ev.followups()])
        return results


def _seeds_dir(eval_dir: Path) -> Path:
    """The five seed pages: beside the eval folder when it has them, else the project's copy."""
    shared = eval_dir.parent / "seeds"
    return shared if shared.is_dir() else REPO / "include" / "seeds"


def _empties(ev: LeaveSitesOut) -> list[str]:
    empty = sorted(d["id"] for d in ev.dev.docs if d["gold_tokens"] and not d["pred_tokens"])
    if not empty:
        return []
    shown = ", ".join(empty[:8]) + (f" and {len(empty) - 8} more" if len(empty) > 8 else "")
    return [f"DEV {ev.task.variant}: empty output for non-empty gold: {shown}"]


def _notes(evs: list[LeaveSitesOut]) -> list[str]:
    return [f"{ev.task.name}: {note}" for ev in evs for note in ev.notes]


# --- clean -----------------------------------------------------------------------------------

def eval_clean(ctx: Context) -> tuple[list[str], dict]:
    set_dir = ctx.eval_dir / "clean"
    evs = ctx.evaluations(sets.clean_tasks(ctx.eval_dir))
    work = ctx.work / "clean"
    baseline, seeds = ctx.run(evs, [
        lambda: _trafilatura(ctx, set_dir / "html", set_dir / "gold", work / "trafilatura"),
        lambda: _extract_scored(ctx, set_dir / "seeds" / "text", set_dir / "seeds" / "gold", work / "seeds"),
    ])
    results = [ev.result() for ev in evs]
    lines = []
    for ev, res in zip(evs, results):
        lines += report.task_table(res)
        if ev.task.variant == "html":
            lines.append(f"DEV HTML baseline (same run): trafilatura favor_precision "
                         f"{baseline['micro_f1']:.3f} / {baseline['macro_f1']:.3f} micro / macro F1")
        lines += _empties(ev) + [""]
    lines.append(f"seeds (text, {seeds['pages']} pages): micro / macro F1 {seeds['micro_f1']:.3f} / "
                 f"{seeds['macro_f1']:.3f}, {seeds['empty']} empty")
    return lines + _notes(evs), {"tasks": results, "trafilatura_html": baseline, "seeds": seeds}


def _trafilatura(ctx: Context, html_dir: Path, gold_dir: Path, out: Path, groups: dict | None = None):
    if out.exists():
        shutil.rmtree(out)
    ctx.runner.python("-m", "evaluation.baselines", "trafilatura", html_dir, out / "pred")
    tally = scoring.score_clean(ctx.runner, ctx.eval_dir / "clean" / "score.py", out / "pred", gold_dir,
                                out / "score.json", groups)
    return tally if groups is not None else scoring.clean_metrics(tally)


def _extract_scored(ctx: Context, inputs: Path, gold_dir: Path, out: Path) -> dict:
    if out.exists():
        shutil.rmtree(out)
    ctx.runner.cli("extract", "--input", inputs, "--output", out / "pred", "--acquired-date", ACQUIRED)
    return scoring.clean_metrics(scoring.score_clean(ctx.runner, ctx.eval_dir / "clean" / "score.py", out / "pred",
                                                     gold_dir, out / "score.json"))


# --- clean2 ----------------------------------------------------------------------------------

def eval_clean2(ctx: Context) -> tuple[list[str], dict]:
    set_dir = ctx.eval_dir / "clean2"
    tasks = sets.clean2_tasks(ctx.eval_dir)
    evs = ctx.evaluations(tasks)
    groups = {d.id: d.group for d in tasks[0].docs.values()}
    [baseline] = ctx.run(evs, [lambda: _trafilatura(ctx, set_dir / "html", set_dir / "gold",
                                                    ctx.work / "clean2" / "trafilatura", groups)])
    results = [ev.result() for ev in evs]
    lines = []
    for ev, res in zip(evs, results):
        lines += report.task_table(res) + _empties(ev) + [""]

    # Per dataset: DEV and pooled held-out, text and HTML, beside trafilatura on the HTML.
    datasets = sorted({d.group for t in tasks for d in t.docs.values()}, key=lambda g: (g not in NEWS_SETS, g))
    rows = [(g, (g,)) for g in datasets if g in NEWS_SETS] + [("news sets", NEWS_SETS)]
    rows += [(g, (g,)) for g in datasets if g not in NEWS_SETS] + [("all", None)]
    by_kind = {ev.task.variant: ev for ev in evs}
    held = {kind: ev.pooled() for kind, ev in by_kind.items()}
    cols = [("text", "dev"), ("text", "held"), ("html", "dev"), ("html", "held")]
    lines.append(f"{'clean2 per dataset, micro / macro F1':40s}{'pages':>6s}{'text DEV':>14s}{'text held-out':>15s}"
                 f"{'HTML DEV':>14s}{'HTML held-out':>15s}{'trafilatura HTML':>18s}")
    table = {}
    for label, wanted in rows:
        cells, figures = [], {}
        for kind, which in cols:
            tally = by_kind[kind].dev if which == "dev" else held[kind]
            m = scoring.clean_metrics(tally, wanted) if tally is not None else None
            figures[f"{kind}_{which}"] = m
            cells.append("-" if not m or not m["pages"] else f"{m['micro_f1']:.3f} / {m['macro_f1']:.3f}")
        b = scoring.clean_metrics(baseline, wanted)
        figures["trafilatura_html"] = b
        table[label] = figures
        pages = figures["text_dev"]["pages"]
        base = f"{b['micro_f1']:.3f} / {b['macro_f1']:.3f}"
        lines.append(f"{label:40s}{pages:>6d}{cells[0]:>14s}{cells[1]:>15s}{cells[2]:>14s}{cells[3]:>15s}{base:>18s}")
    news = table["news sets"]
    gap = [("DEV", news["text_dev"]["macro_f1"] - news["html_dev"]["macro_f1"])]
    if news["text_held"] and news["html_held"]:
        gap.append(("leave-sites-out", news["text_held"]["macro_f1"] - news["html_held"]["macro_f1"]))
    lines.append("text − HTML, macro F1 on the news sets: " + ", ".join(f"{n} {v:+.3f}" for n, v in gap)
                 + " (issue 11: within 0.03)")
    return lines + _notes(evs), {"tasks": results, "per_dataset": table, "text_minus_html_news": dict(gap)}


# --- dates -----------------------------------------------------------------------------------

def eval_dates(ctx: Context) -> tuple[list[str], dict]:
    set_dir = ctx.eval_dir / "dates"
    evs = ctx.evaluations(sets.dates_tasks(ctx.eval_dir))
    work = ctx.work / "dates"
    baseline, seeds = ctx.run(evs, [
        lambda: _htmldate(ctx, set_dir, work / "htmldate.csv"),
        lambda: _dates_of(ctx, _seeds_dir(ctx.eval_dir), set_dir / "seeds_gold.csv", work / "seeds"),
    ])
    results = [ev.result() for ev in evs]
    lines = []
    for ev, res in zip(evs, results):
        lines += report.task_table(res)
        if ev.task.variant == "html":
            lines.append(f"DEV HTML baseline (same run): htmldate original_date accuracy {baseline['accuracy']:.3f} "
                         f"(±1 day {baseline['accuracy_pm1']:.3f})")
        lines.append("")
    prec = report.fmt(seeds["claimed_precision"], ".3f")
    lines.append(f"seeds: {round(seeds['accuracy'] * seeds['pages'])}/{seeds['pages']} exact, "
                 f"{seeds['claimed']} claimed (claimed precision {prec})")
    return lines + _notes(evs), {"tasks": results, "htmldate_html": baseline, "seeds": seeds}


def _htmldate(ctx: Context, set_dir: Path, out: Path) -> dict:
    ctx.runner.python("-m", "evaluation.baselines", "htmldate", set_dir / "html", out)
    res = json.loads(ctx.runner.python(set_dir / "score.py", out, set_dir / "gold.csv", "--json")[0])
    return {"accuracy": res["accuracy"], "accuracy_pm1": res["accuracy_pm1"], "coverage": res["coverage"]}


def _dates_of(ctx: Context, inputs: Path, gold_csv: Path, out: Path) -> dict:
    if out.exists():
        shutil.rmtree(out)
    ctx.runner.cli("extract", "--input", inputs, "--output", out, "--acquired-date", ACQUIRED)
    return scoring.dates_metrics(scoring.score_dates(ctx.runner, ctx.eval_dir / "dates" / "score.py",
                                                     out / "dates.csv", gold_csv))


# --- dedup -----------------------------------------------------------------------------------

def eval_dedup(ctx: Context, batches: int = 5) -> tuple[list[str], dict]:
    set_dir = ctx.eval_dir / "dedup"
    [ev] = evs = ctx.evaluations(sets.dedup_tasks(ctx.eval_dir))
    work = ctx.work / "dedup"
    daily, seeds = ctx.run(evs, [
        lambda: _batched_clusters(ctx, set_dir, work / "batches", batches),
        lambda: _seed_clusters(ctx, work / "seeds"),
    ])
    res = ev.result()
    lines = report.task_table(res)
    one = _read_clusters(ev.work / "dev" / "clusters.csv")
    same, differing, total = _same_partition(one, daily)
    lines.append(f"{batches} daily batches (oldest first) vs one run: "
                 f"{'same clusters' if same else 'DIFFERENT clusters'} ({differing} of {total} docs in a differing cluster)")
    lines.append(f"seeds: {len(set(seeds.values()))} canonical articles, "
                 f"{len(seeds) - len(set(seeds.values()))} duplicates")
    lines.append(f"one DEV run: {res['dev_cpu_s']:.1f} s CPU for {res['pages']} pages (run + clusters, whole "
                 f"processes with their {ctx.runner.workers} cleaning worker(s))")
    return lines + _notes(evs), {"tasks": [res], "batches_same": same, "batches_differing": differing,
                                 "seeds_canonical": len(set(seeds.values()))}


def _batched_clusters(ctx: Context, set_dir: Path, work: Path, batches: int) -> dict[str, str]:
    """The corpus landed in `batches` daily batches, oldest first, into one fresh archive."""
    if work.exists():
        shutil.rmtree(work)
    raw = set_dir / "raw"
    published = {}
    with open(set_dir / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            published[doc["doc_id"]] = doc.get("published") or ""
    docs = sorted((published.get(p.stem, ""), p.stem) for p in raw.glob("*.txt"))
    size = -(-len(docs) // batches)
    for n in range(batches):
        chunk = docs[n * size:(n + 1) * size]
        landing = work / "landing" / f"day-{n}"
        landing.mkdir(parents=True)
        for _, stem in chunk:
            place((raw / f"{stem}.txt").resolve(), landing / f"{stem}.txt")
        last = max(d for d, _ in chunk) or ACQUIRED
        acquired = (dt.date.fromisoformat(last[:10]) + dt.timedelta(days=1)).isoformat()
        ctx.runner.cli("run", "--input", landing, "--archive", work / "archive", "--acquired-date", acquired,
                       "--run-id", f"batch-{n}", "--workers", ctx.runner.workers)
    return _read_clusters_text(ctx.runner.cli("clusters", "--archive", work / "archive")[0])


def _seed_clusters(ctx: Context, work: Path) -> dict[str, str]:
    if work.exists():
        shutil.rmtree(work)
    ctx.runner.cli("run", "--input", _seeds_dir(ctx.eval_dir), "--archive", work, "--acquired-date", ACQUIRED,
                   "--workers", 1)
    return _read_clusters_text(ctx.runner.cli("clusters", "--archive", work)[0])


def _read_clusters(path: Path) -> dict[str, str]:
    return _read_clusters_text(path.read_text(encoding="utf-8"))


def _read_clusters_text(text: str) -> dict[str, str]:
    return {r["doc_id"]: r["cluster_id"] for r in csv.DictReader(text.splitlines())}


def _same_partition(a: dict[str, str], b: dict[str, str]) -> tuple[bool, int, int]:
    """Whether two clusterings group the documents identically (cluster ids may differ)."""
    def groups(c):
        members = defaultdict(set)
        for doc, cid in c.items():
            members[cid].add(doc)
        return {doc: frozenset(members[cid]) for doc, cid in c.items()}

    ga, gb = groups(a), groups(b)
    differing = sum(1 for d in set(ga) | set(gb) if ga.get(d) != gb.get(d))
    return differing == 0, differing, len(set(ga) | set(gb))


SETS = {"clean": eval_clean, "clean2": eval_clean2, "dates": eval_dates, "dedup": eval_dedup}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--only", default=",".join(SETS), help="comma-separated subset of " + ",".join(SETS))
    parser.add_argument("--folds", type=int, default=5, help="leave-sites-out folds (0: DEV figures only)")
    parser.add_argument("--no-tune", action="store_true", help="run the folds at the defaults (no knob grid)")
    parser.add_argument("--salt", default=folding.SALT, help="salt of the site hash that deals sites to folds")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="commands run at a time")
    parser.add_argument("--work", type=Path, default=None, help="keep predictions here (default: a temp folder)")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if not args.eval_dir.is_dir():
        print(f"error: evaluation folder not found: {args.eval_dir} (give its path: python -m evaluation EVAL_DIR)",
              file=sys.stderr)
        return 2
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in SETS]
    if unknown or args.folds < 0 or args.folds == 1:
        print(f"error: unknown set {', '.join(unknown)} (known: {', '.join(SETS)})" if unknown
              else "error: --folds must be 0 (DEV only) or at least 2", file=sys.stderr)
        return 2
    missing = [n for n in names if not (args.eval_dir / n).is_dir()]
    if missing:
        print(f"error: {args.eval_dir} has no {', '.join(missing)} set", file=sys.stderr)
        return 2

    base = Settings.from_env()
    knobs = [] if args.no_tune else tuning.discover_knobs(base)
    all_results = {"command": " ".join(["python -m evaluation", *(argv if argv is not None else sys.argv[1:])]),
                   "folds": args.folds, "salt": args.salt, "tuned": not args.no_tune}
    with tempfile.TemporaryDirectory(prefix="newsarchive-eval-") as tmp:
        work = (args.work or Path(tmp)).resolve()
        runner = Runner(jobs=args.jobs)
        ctx = Context(args.eval_dir.resolve(), work, runner, args.folds, args.salt, knobs,
                      lambda m: Settings.from_mapping(m, base=base))
        shown = ", ".join(f"{k.name} {k.grid} [stage {k.stage or '?'}]" for k in knobs) or "none"
        print(f"knobs: {shown}; {args.folds or 'no'} folds; {runner.jobs} commands at a time", flush=True)
        total = Clock(runner)
        for name in names:
            clock = Clock(runner)
            try:
                lines, results = SETS[name](ctx)
            except (CommandFailed, ValueError) as exc:  # a command failed, or a set too small to fold
                print(f"error: {name}: {exc}", file=sys.stderr)
                return 1
            all_results[name] = results
            print(f"\n== {name} ({args.eval_dir / name}) [{clock}]")
            print("\n".join(lines), flush=True)
        print(f"\ntotal: {total}")
        text = json.dumps(all_results, indent=1, default=str)
        (work / "results.json").write_text(text, encoding="utf-8")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
