"""The evaluation sets as tasks: which pages, which site each page belongs to, how the project's
command line is run on some of them, and how its output is scored.

A task is one input kind of one set (clean text dumps, clean HTML, ..., dedup raw pages). Its
pages are run through `python -m newsarchive extract` (cleaning and dates sets) or `run` +
`clusters` (dedup set) on a folder holding exactly those pages, so everything the pipeline
learns from its batch (template lines, date conventions) comes from those pages only.

Site keys (the unit of a leave-sites-out fold), through the project's own `sites.site_of`, so
that `www.` and other hosts of one registered name stay together:
- eval/clean, eval/dates: the manifest's `url`;
- eval/clean2: the manifest's `site`, else its `url`, else the dataset and the id's leading
  words (its pages of unknown site are grouped cautiously: they may share a template);
- eval/dedup: `source` in corpus.jsonl, the outlet whose template wraps the page.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Iterable

from newsarchive.sites import site_of

from . import scoring
from .runner import Runner
from .scoring import Tally

ACQUIRED = "2026-11-22"  # the eval pages carry no acquisition date; a fixed day keeps runs comparable
# Stages a knob can belong to; a knob of any other stage is tuned on every task.
KNOWN_STAGES = frozenset({"clean", "dates", "dedupe"})
CLAIMED_PRECISION_FLOOR = 0.97  # issue 11: claimed dates must be right this often (dates objective)
PAIR_PRECISION_FLOOR = 0.995  # issue 11: dedup pair precision bar (dedup objective)


@dataclass(frozen=True)
class Doc:
    id: str
    path: Path  # the input file
    site: str  # the fold unit
    stratum: str = ""  # folds hold a share of each stratum
    group: str = ""  # reported separately (clean2's datasets)


class Task:
    """One input kind of one set. Subclasses say how to run the command line and score it."""

    stages: frozenset[str] = frozenset()  # the stages whose knobs can change this task's score
    pairs_within_folds = False  # scores count pairs of documents, so a fold sees only its own pairs

    def __init__(self, set_name: str, variant: str, label: str, input_dir: Path, docs: list[Doc]):
        self.set_name, self.variant, self.label, self.input_dir = set_name, variant, label, input_dir
        self.docs = {d.id: d for d in docs}

    @property
    def name(self) -> str:
        return f"{self.set_name}/{self.variant}"

    def input_folder(self, ids: list[str], target: Path) -> Path:
        """The set's own folder for all its pages, else a folder of `ids`' inputs (hard links, or
        copies across file systems: the pipeline never follows a symlink out of its landing folder)."""
        if set(ids) == set(self.docs):
            return self.input_dir
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for doc in ids:
            path = self.docs[doc].path
            place(path.resolve(), target / path.name)
        return target

    def run(self, runner: Runner, input_dir: Path, env: dict, out: Path) -> float:
        """Run the command line on `input_dir` into `out`; return its CPU seconds."""
        raise NotImplementedError

    def score(self, runner: Runner, out: Path, ids: list[str], scratch: Path) -> Tally:
        """Score the prediction in `out` on the documents `ids` (scratch: subset gold files)."""
        raise NotImplementedError

    def metrics(self, tally: Tally) -> dict:
        raise NotImplementedError

    def objective(self, per_fold: list[dict]) -> tuple:
        """What a tuned value maximises, from per-fold metrics (larger tuple is better)."""
        raise NotImplementedError

    def all_ids(self, ids: list[str]) -> bool:
        return len(ids) == len(self.docs)


def _mean(values: Iterable[float | None], empty: float) -> float:
    values = [empty if v is None else v for v in values]
    return mean(values) if values else empty


class CleanTask(Task):
    """Bodies written by `extract`, scored by eval/clean/score.py (token P/R/F1)."""

    stages = frozenset({"clean"})

    def __init__(self, *args, gold_dir: Path, scorer: Path, **kw):
        super().__init__(*args, **kw)
        self.gold_dir, self.scorer = gold_dir, scorer

    def run(self, runner, input_dir, env, out):
        return runner.cli("extract", "--input", input_dir, "--output", out / "pred", "--acquired-date", ACQUIRED,
                          env=env)[1]

    def score(self, runner, out, ids, scratch):
        gold = self.gold_dir if self.all_ids(ids) else scoring.gold_dir_for(self.gold_dir, ids, scratch / "gold")
        return scoring.score_clean(runner, self.scorer, out / "pred", gold, scratch / "score.json",
                                   {d: self.docs[d].group for d in ids})

    def metrics(self, tally):
        return scoring.clean_metrics(tally)

    def objective(self, per_fold):
        return (_mean((m["macro_f1"] for m in per_fold), 0.0),)


class DatesTask(Task):
    """dates.csv written by `extract`, scored by eval/dates/score.py."""

    # The stage this set measures. Upstream knobs (clean) keep the values the cleaning sets fit:
    # they are never fitted on these pages, so no fold's score has seen them.
    stages = frozenset({"dates"})

    def __init__(self, *args, gold_csv: Path, scorer: Path, **kw):
        super().__init__(*args, **kw)
        self.gold_csv, self.scorer = gold_csv, scorer
        self.gold = scoring.read_gold_dates(gold_csv)

    def run(self, runner, input_dir, env, out):
        return runner.cli("extract", "--input", input_dir, "--output", out / "pred", "--acquired-date", ACQUIRED,
                          env=env)[1]

    def score(self, runner, out, ids, scratch):
        gold = self.gold_csv if self.all_ids(ids) else scoring.write_gold_dates(self.gold, ids, scratch / "gold.csv")
        return scoring.score_dates(runner, self.scorer, out / "pred" / "dates.csv", gold)

    def metrics(self, tally):
        return scoring.dates_metrics(tally)

    def objective(self, per_fold):
        # Abstaining beats guessing: accuracy counts once claimed precision holds its floor.
        prec = _mean((m["claimed_precision"] for m in per_fold), 1.0)
        acc = _mean((m["accuracy"] for m in per_fold), 0.0)
        return (prec >= CLAIMED_PRECISION_FLOOR, acc if prec >= CLAIMED_PRECISION_FLOOR else prec)


class DedupTask(Task):
    """`run` into a fresh archive, then `clusters`, scored by eval/dedup/score.py."""

    stages = frozenset({"dedupe"})  # as for dates: upstream knobs are fitted on their own sets
    pairs_within_folds = True

    def __init__(self, *args, truth_csv: Path, pairs_csv: Path, scorer: Path, **kw):
        super().__init__(*args, **kw)
        self.truth_csv, self.pairs_csv, self.scorer = truth_csv, pairs_csv, scorer

    def run(self, runner, input_dir, env, out):
        archive = out / "archive"
        if archive.exists():
            shutil.rmtree(archive)
        cpu = runner.cli("run", "--input", input_dir, "--archive", archive, "--acquired-date", ACQUIRED,
                         "--workers", runner.workers, "--run-id", "eval", env=env)[1]
        clusters, cpu2 = runner.cli("clusters", "--archive", archive, env=env)
        (out / "clusters.csv").write_text(clusters, encoding="utf-8")
        return cpu + cpu2

    def score(self, runner, out, ids, scratch):
        if self.all_ids(ids):
            truth, pairs = self.truth_csv, self.pairs_csv
        else:
            truth, pairs = scoring.write_truth(self.truth_csv, self.pairs_csv, ids, scratch)
        return scoring.score_dedup(runner, self.scorer, out / "clusters.csv", truth, pairs)

    def metrics(self, tally):
        return scoring.dedup_metrics(tally)

    def objective(self, per_fold):
        prec = _mean((m["pair_p"] for m in per_fold), 1.0)
        f1 = _mean((m["pair_f1"] for m in per_fold), 0.0)
        return (prec >= PAIR_PRECISION_FLOOR, f1 if prec >= PAIR_PRECISION_FLOOR else prec)


# --- the sets ---------------------------------------------------------------------------------

def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _docs(rows: Iterable[tuple[str, str, str, str]], folder: Path, ext: str) -> list[Doc]:
    """Docs of the inputs that exist: rows of (id, site, stratum, group)."""
    return [Doc(i, folder / f"{i}{ext}", site, stratum, group) for i, site, stratum, group in rows
            if (folder / f"{i}{ext}").is_file()]


def clean_tasks(eval_dir: Path) -> list[CleanTask]:
    set_dir = eval_dir / "clean"
    rows = [(r["id"], site_of(url=r.get("url")) or f"page:{r['id']}", "", "")
            for r in _jsonl(set_dir / "manifest.jsonl")]
    return [CleanTask("clean", kind, label, set_dir / kind, _docs(rows, set_dir / kind, ext),
                      gold_dir=set_dir / "gold", scorer=set_dir / "score.py")
            for kind, ext, label in (("text", ".txt", "clean, text dumps"), ("html", ".html", "clean, HTML"))]


_RE_ID_WORD = re.compile(r"[^-_]+")


def clean2_site(row: dict) -> str:
    """clean2's site key: `site`, else the url's site, else dataset + the id's leading words
    (those before the first with a digit: "readability-yahoo-1" -> "readability:yahoo")."""
    site = site_of(source=row.get("site")) if row.get("site") else site_of(url=row.get("url"))
    if site:
        return site
    dataset = row.get("dataset") or ""
    rest = row["id"][len(dataset):] if row["id"].startswith(dataset) else row["id"]
    words = []
    for word in _RE_ID_WORD.findall(rest):
        if any(ch.isdigit() for ch in word):
            break
        words.append(word)
    return f"{dataset}:{'-'.join(words)}"


NEWS_SETS = ("l3s-gn1", "dragnet", "cleanportaleval")  # clean2's headline (its README)


def clean2_tasks(eval_dir: Path) -> list[CleanTask]:
    set_dir = eval_dir / "clean2"
    rows = [(r["id"], clean2_site(r), r.get("dataset") or "", r.get("dataset") or "")
            for r in _jsonl(set_dir / "manifest.jsonl")]
    return [CleanTask("clean2", kind, label, set_dir / kind, _docs(rows, set_dir / kind, ext),
                      gold_dir=set_dir / "gold", scorer=eval_dir / "clean" / "score.py")
            for kind, ext, label in (("text", ".txt", "clean2, text dumps"), ("html", ".html", "clean2, HTML"))]


def dates_tasks(eval_dir: Path) -> list[DatesTask]:
    set_dir = eval_dir / "dates"
    collection = {r["id"]: r.get("collection") or "" for r in _jsonl(set_dir / "manifest.jsonl")}
    with open(set_dir / "gold.csv", newline="", encoding="utf-8") as fh:
        rows = [(r["id"], site_of(url=r.get("url")) or f"page:{r['id']}", collection.get(r["id"], ""), "")
                for r in csv.DictReader(fh)]
    return [DatesTask("dates", kind, label, set_dir / kind, _docs(rows, set_dir / kind, ext),
                      gold_csv=set_dir / "gold.csv", scorer=set_dir / "score.py")
            for kind, ext, label in (("text", ".txt", "dates, text dumps"), ("html", ".html", "dates, HTML"))]


def dedup_tasks(eval_dir: Path) -> list[DedupTask]:
    set_dir = eval_dir / "dedup"
    rows = []
    with open(set_dir / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            rows.append((doc["doc_id"], site_of(source=doc.get("source")) or f"page:{doc['doc_id']}", "", ""))
    return [DedupTask("dedup", "raw", "dedup, raw pages", set_dir / "raw", _docs(rows, set_dir / "raw", ".txt"),
                      truth_csv=set_dir / "truth.csv", pairs_csv=set_dir / "pairs.csv", scorer=set_dir / "score.py")]


def place(source: Path, target: Path) -> None:
    """Put a page in a landing folder: a hard link (no copy), or a copy when the folders are
    on different file systems. Not a symlink: the pipeline only reads regular files."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
