"""Quality on the evaluation sets, through the same command line a user runs.

    python -m newsarchive.evaluate [EVAL_DIR] [--only clean,dates,dedup] [--work DIR]

EVAL_DIR defaults to ../shared/eval. Each set is scored by its own scorer (`score.py` in the
set's folder); baselines are measured in the same run where the issue compares against them
(trafilatura on HTML pages, htmldate on HTML pages). Prints one table per set.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ACQUIRED = "2026-11-22"  # the eval pages carry no acquisition date; a fixed day keeps runs comparable


def _cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "newsarchive", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"newsarchive {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def _score(script: Path, *args) -> dict | str:
    result = subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True, check=True)
    return result.stdout


def _clean_score(set_dir: Path, pred: Path, gold: Path, work: Path) -> dict:
    out = work / f"score-{pred.name}.json"
    _score(set_dir / "score.py", pred, gold, "--json", out)
    return json.loads(out.read_text())


def _fmt(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}"


# --- clean -----------------------------------------------------------------------------------

def eval_clean(eval_dir: Path, work: Path) -> list[str]:
    set_dir = eval_dir / "clean"
    rows, notes = [], []
    for name, inputs, gold in (("DEV text", set_dir / "text", set_dir / "gold"),
                               ("DEV HTML", set_dir / "html", set_dir / "gold"),
                               ("seeds (text)", set_dir / "seeds" / "text", set_dir / "seeds" / "gold")):
        pred = work / "clean" / name.split()[0].lower() / name.split()[1].strip("()").lower()
        _cli("extract", "--input", str(inputs), "--output", str(pred), "--acquired-date", ACQUIRED)
        res = _clean_score(set_dir, pred, gold, work)
        empty = [d for d, s in res["per_doc"].items() if s["gold_tokens"] and not s["pred_tokens"]]
        baseline = "-"
        if name == "DEV HTML":
            base = _trafilatura_baseline(inputs, work / "clean" / "trafilatura")
            b = _clean_score(set_dir, base, gold, work)
            baseline = f"trafilatura favor_precision {b['micro']['f1']:.3f} / {b['macro']['f1']:.3f}"
        rows.append((name, f"{res['micro']['f1']:.3f} / {res['macro']['f1']:.3f}", baseline, len(empty)))
        if empty:
            notes.append(f"{name}: empty output for non-empty gold: {', '.join(sorted(empty))}")
    lines = [f"{'input':14s} {'micro / macro F1':18s} {'baseline (same run)':42s} {'empty':>5s}"]
    lines += [f"{n:14s} {s:18s} {b:42s} {e:>5d}" for n, s, b, e in rows]
    return lines + notes


def _trafilatura_baseline(html_dir: Path, out: Path) -> Path:
    import trafilatura

    from newsarchive.ingest import decode_bytes

    out.mkdir(parents=True, exist_ok=True)
    for page in sorted(html_dir.glob("*.html")):
        html = decode_bytes(page.read_bytes(), html=True)
        text = trafilatura.extract(html, favor_precision=True, deduplicate=False) or ""
        (out / f"{page.stem}.txt").write_text(text, encoding="utf-8")
    return out


# --- dates -----------------------------------------------------------------------------------

def eval_dates(eval_dir: Path, work: Path) -> list[str]:
    set_dir = eval_dir / "dates"
    seeds = eval_dir.parent / "seeds" if (eval_dir.parent / "seeds").is_dir() else Path("include/seeds")
    rows = []
    for name, inputs, gold in (("DEV text", set_dir / "text", set_dir / "gold.csv"),
                               ("DEV HTML", set_dir / "html", set_dir / "gold.csv"),
                               ("seeds", seeds, set_dir / "seeds_gold.csv")):
        pred = work / "dates" / name.replace(" ", "-").lower()
        _cli("extract", "--input", str(inputs), "--output", str(pred), "--acquired-date", ACQUIRED)
        res = json.loads(_score(set_dir / "score.py", pred / "dates.csv", gold, "--json"))
        claimed = _claimed_precision(pred / "dates.csv", gold)
        baseline = "-"
        if name == "DEV HTML":
            base = _htmldate_baseline(inputs, work / "dates" / "htmldate.csv")
            b = json.loads(_score(set_dir / "score.py", base, gold, "--json"))
            baseline = f"htmldate original_date {b['accuracy']:.3f}"
        rows.append((name, res, claimed, baseline))
    lines = [f"{'input':10s} {'accuracy':>8s} {'±1 day':>7s} {'coverage':>8s} {'claimed prec.':>13s} {'claimed':>8s}  baseline (same run)"]
    for name, res, (prec, n_claimed, n), baseline in rows:
        lines.append(f"{name:10s} {res['accuracy']:8.3f} {res['accuracy_pm1']:7.3f} {res['coverage']:8.3f} "
                     f"{_fmt(prec):>13s} {f'{n_claimed}/{n}':>8s}  {baseline}")
    return lines


def _claimed_precision(pred_csv: Path, gold_csv: Path) -> tuple[float | None, int, int]:
    """Exact-day precision over the rows whose date is not the acquisition fallback."""
    def stem(x):
        return x.rsplit(".", 1)[0] if x.endswith((".txt", ".html", ".htm")) else x

    with open(gold_csv, newline="") as fh:
        gold = {stem(r["id"]): r["date"] for r in csv.DictReader(fh)}
    with open(pred_csv, newline="") as fh:
        pred = [r for r in csv.DictReader(fh) if stem(r["id"]) in gold]
    claimed = [r for r in pred if r["date_source"] != "acquired" and r["date"]]
    right = sum(r["date"] == gold[stem(r["id"])] for r in claimed)
    return (right / len(claimed) if claimed else None), len(claimed), len(gold)


def _htmldate_baseline(html_dir: Path, out: Path) -> Path:
    from htmldate import find_date

    from newsarchive.ingest import decode_bytes

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date"])
        for page in sorted(html_dir.glob("*.html")):
            try:
                found = find_date(decode_bytes(page.read_bytes(), html=True), original_date=True)
            except Exception:
                found = None
            writer.writerow([page.stem, found or ""])
    return out


# --- dedup -----------------------------------------------------------------------------------

def eval_dedup(eval_dir: Path, work: Path, batches: int = 5) -> list[str]:
    set_dir = eval_dir / "dedup"
    raw = set_dir / "raw"
    one = work / "dedup" / "one-run"
    start = time.perf_counter()
    _cli("run", "--input", str(raw), "--archive", str(one), "--acquired-date", ACQUIRED)
    seconds = time.perf_counter() - start
    pred = work / "dedup" / "one-run.csv"
    pred.write_text(_cli("clusters", "--archive", str(one)).stdout)
    res = json.loads(_score(set_dir / "score.py", pred, set_dir / "truth.csv", "--pairs", set_dir / "pairs.csv", "--json"))

    # The same corpus landed in daily batches, oldest first, into a fresh archive.
    daily = work / "dedup" / "batches"
    batch_pred = _batched_clusters(set_dir, raw, daily, work / "dedup" / "landing", batches)
    same = _same_partition(_read_clusters(pred), _read_clusters(batch_pred))

    seeds = work / "dedup" / "seeds"
    seed_dir = eval_dir.parent / "seeds" if (eval_dir.parent / "seeds").is_dir() else Path("include/seeds")
    _cli("run", "--input", str(seed_dir), "--archive", str(seeds), "--acquired-date", ACQUIRED)
    seed_clusters = _read_clusters_text(_cli("clusters", "--archive", str(seeds)).stdout)

    lines = [
        f"pair P / R / F1        {res['pairwise_precision']:.4f} / {res['pairwise_recall']:.4f} / {res['pairwise_f1']:.4f}",
        f"B-cubed F1             {res['bcubed_f1']:.4f}",
        f"clusters pred / true   {res['pred_clusters']} / {res['true_clusters']}",
    ]
    for kind, v in sorted(res.get("pair_kinds", {}).items()):
        lines.append(f"hard pairs {kind:18s} merged {v['merged']:4d} / {v['pairs']:4d} ({v['merged_rate']:.3f})")
    lines.append(f"seeds                  {len(set(seed_clusters.values()))} canonical articles, "
                 f"{len(seed_clusters) - len(set(seed_clusters.values()))} duplicates")
    lines.append(f"{batches} daily batches vs one run: {'same clusters' if same[0] else 'DIFFERENT clusters'} "
                 f"({same[1]} of {same[2]} docs in a differing cluster)")
    lines.append(f"one run: {seconds:.1f} s for {len(list(raw.glob('*.txt')))} pages "
                 f"(whole process, {os.cpu_count()} worker processes)")
    return lines


def _batched_clusters(set_dir: Path, raw: Path, archive: Path, landing_root: Path, batches: int) -> Path:
    published = {}
    with open(set_dir / "corpus.jsonl") as fh:
        for line in fh:
            doc = json.loads(line)
            published[doc["doc_id"]] = doc.get("published") or ""
    docs = sorted((published.get(p.stem, ""), p.stem) for p in raw.glob("*.txt"))
    size = -(-len(docs) // batches)
    for n in range(batches):
        chunk = docs[n * size:(n + 1) * size]
        landing = landing_root / f"day-{n}"
        landing.mkdir(parents=True, exist_ok=True)
        for _, stem in chunk:
            target = landing / f"{stem}.txt"
            if not target.exists():
                shutil.copyfile(raw / f"{stem}.txt", target)  # symlinks out of the landing folder are never read
        last = max(d for d, _ in chunk) or ACQUIRED
        acquired = (dt.date.fromisoformat(last[:10]) + dt.timedelta(days=1)).isoformat()
        _cli("run", "--input", str(landing), "--archive", str(archive), "--acquired-date", acquired,
             "--run-id", f"batch-{n}")
    out = archive.parent / "batches.csv"
    out.write_text(_cli("clusters", "--archive", str(archive)).stdout)
    return out


def _read_clusters(path: Path) -> dict[str, str]:
    return _read_clusters_text(path.read_text())


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


SETS = {"clean": eval_clean, "dates": eval_dates, "dedup": eval_dedup}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--only", default=",".join(SETS), help="comma-separated subset of " + ",".join(SETS))
    parser.add_argument("--work", type=Path, default=None, help="keep predictions here (default: a temp folder)")
    args = parser.parse_args(argv)
    if not args.eval_dir.is_dir():
        print(f"error: evaluation folder not found: {args.eval_dir}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="newsarchive-eval-") as tmp:
        work = args.work or Path(tmp)
        for name in args.only.split(","):
            start = time.perf_counter()
            lines = SETS[name](args.eval_dir.resolve(), work)
            print(f"\n== {name} ({args.eval_dir / name}) [{time.perf_counter() - start:.0f} s]")
            print("\n".join(lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
