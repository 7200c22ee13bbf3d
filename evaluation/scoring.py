"""Scores from each set's own scorer, in a form that adds up across folds.

Each set's `score.py` is run as the set's README documents it; what it reports is kept as a
`Tally`: additive counts (tokens, dates, pairs) plus, where a figure is a mean over documents
(cleaning's macro F1), one row per document. Tallies of held-out folds add up to the pooled
held-out figure; the figures themselves are computed from a tally by the `*_metrics` functions.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .runner import Runner


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)
    docs: list[dict] = field(default_factory=list)  # per-document rows, for means over documents

    @staticmethod
    def pool(tallies: Iterable["Tally"]) -> "Tally":
        out = Tally()
        for t in tallies:
            out.counts.update(t.counts)
            out.docs.extend(t.docs)
        return out


def _ratio(a: float, b: float, empty: float | None = None) -> float | None:
    return a / b if b else empty


def _f1(p: float | None, r: float | None) -> float:
    return 2 * p * r / (p + r) if p is not None and r is not None and p + r else 0.0


# --- cleaning (eval/clean, eval/clean2) ------------------------------------------------------

def score_clean(runner: Runner, scorer: Path, pred_dir: Path, gold_dir: Path, out_json: Path,
                group_of: dict[str, str] | None = None) -> Tally:
    """`score.py PRED_DIR GOLD_DIR --json OUT`: one row per gold document."""
    runner.python(scorer, pred_dir, gold_dir, "--json", out_json)
    per_doc = json.loads(out_json.read_text(encoding="utf-8"))["per_doc"]
    rows = [{"id": doc, "group": (group_of or {}).get(doc, ""),
             **{k: s[k] for k in ("tp", "fp", "fn", "f1", "gold_tokens", "pred_tokens")}}
            for doc, s in sorted(per_doc.items())]
    return Tally(Counter(docs=len(rows)), rows)


def clean_metrics(tally: Tally, groups: Iterable[str] | None = None) -> dict:
    """Token micro P/R/F1, document macro F1, and pages emptied (non-empty gold, no prediction
    tokens), over the documents of `groups` (all when None)."""
    wanted = None if groups is None else set(groups)
    rows = [d for d in tally.docs if wanted is None or d["group"] in wanted]
    tp, fp, fn = (sum(d[k] for d in rows) for k in ("tp", "fp", "fn"))
    p, r = _ratio(tp, tp + fp, 0.0), _ratio(tp, tp + fn, 0.0)
    return {"pages": len(rows), "micro_p": p, "micro_r": r, "micro_f1": _f1(p, r),
            "macro_f1": _ratio(sum(d["f1"] for d in rows), len(rows)),
            "empty": sum(1 for d in rows if d["gold_tokens"] and not d["pred_tokens"])}


def gold_dir_for(gold_dir: Path, ids: Iterable[str], target: Path) -> Path:
    """A folder of links to the gold bodies of `ids` only (the scorer scores every gold file)."""
    target.mkdir(parents=True, exist_ok=True)
    for doc in ids:
        link = target / f"{doc}.txt"
        if not link.exists():
            os.symlink((gold_dir / f"{doc}.txt").resolve(), link)
    return target


# --- dates (eval/dates) ----------------------------------------------------------------------

def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if name.endswith((".txt", ".html", ".htm")) else name


def read_gold_dates(path: Path) -> dict[str, str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {_stem(r["id"]): r["date"] for r in csv.DictReader(fh)}


def write_gold_dates(gold: dict[str, str], ids: Iterable[str], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "date"])
        w.writerows((doc, gold[doc]) for doc in sorted(ids))
    return target


def score_dates(runner: Runner, scorer: Path, pred_csv: Path, gold_csv: Path) -> Tally:
    """`score.py PRED GOLD --json`, plus the claimed dates: rows dated from the page (source
    other than the `acquired` fallback), and how many of them are the right day."""
    res = json.loads(runner.python(scorer, pred_csv, gold_csv, "--json")[0])
    gold = read_gold_dates(gold_csv)
    with open(pred_csv, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if _stem(r["id"]) in gold]
    claimed = [r for r in rows if r.get("date_source", "") != "acquired" and r["date"]]
    right = sum(r["date"][:10] == gold[_stem(r["id"])] for r in claimed)
    return Tally(Counter(n=res["n"], predicted=res["predicted"], correct=res["correct"],
                         correct_pm1=res["correct_pm1"], claimed=len(claimed), claimed_right=right))


def dates_metrics(tally: Tally) -> dict:
    c = tally.counts
    return {"pages": c["n"], "accuracy": _ratio(c["correct"], c["n"], 0.0),
            "accuracy_pm1": _ratio(c["correct_pm1"], c["n"], 0.0), "coverage": _ratio(c["predicted"], c["n"], 0.0),
            "claimed_precision": _ratio(c["claimed_right"], c["claimed"]), "claimed": c["claimed"]}


# --- dedup (eval/dedup) ----------------------------------------------------------------------

def write_truth(truth_csv: Path, pairs_csv: Path, ids: Iterable[str], target_dir: Path) -> tuple[Path, Path]:
    """truth.csv and pairs.csv restricted to `ids` (a pair counts when both documents are in)."""
    keep = set(ids)
    target_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for source, name in ((truth_csv, "truth.csv"), (pairs_csv, "pairs.csv")):
        with open(source, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            first = reader.fieldnames[0]
            rows = [r for r in reader if r[first] in keep and (name == "truth.csv" or r["doc_b"] in keep)]
        with open(target_dir / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=reader.fieldnames)
            w.writeheader()
            w.writerows(rows)
        out.append(target_dir / name)
    return out[0], out[1]


def score_dedup(runner: Runner, scorer: Path, pred_csv: Path, truth_csv: Path, pairs_csv: Path) -> Tally:
    """`score.py PRED truth.csv --pairs pairs.csv --json`, as sums over documents and pairs."""
    res = json.loads(runner.python(scorer, pred_csv, truth_csv, "--pairs", pairs_csv, "--json")[0])
    c = Counter({k: res[k] for k in ("docs", "pred_pairs", "true_pairs", "correct_pairs", "pred_clusters",
                                     "true_clusters")})
    c["bcubed_p_sum"] = res["bcubed_precision"] * res["docs"]
    c["bcubed_r_sum"] = res["bcubed_recall"] * res["docs"]
    for kind, v in res.get("pair_kinds", {}).items():
        c[f"kind:{kind}:merged"] += v["merged"]
        c[f"kind:{kind}:pairs"] += v["pairs"]
    return Tally(c)


def dedup_metrics(tally: Tally) -> dict:
    c = tally.counts
    p, r = _ratio(c["correct_pairs"], c["pred_pairs"], 1.0), _ratio(c["correct_pairs"], c["true_pairs"], 1.0)
    bp, br = _ratio(c["bcubed_p_sum"], c["docs"], 0.0), _ratio(c["bcubed_r_sum"], c["docs"], 0.0)
    out = {"pages": c["docs"], "pair_p": p, "pair_r": r, "pair_f1": _f1(p, r), "bcubed_f1": _f1(bp, br),
           "pred_clusters": c["pred_clusters"], "true_clusters": c["true_clusters"]}
    for key in sorted(c):
        if key.startswith("kind:") and key.endswith(":pairs"):
            kind = key.split(":")[1]
            out[f"merged:{kind}"] = (c[f"kind:{kind}:merged"], c[key])
    return out
