"""Leave-sites-out check of the dates stage (a development check; `python -m evaluation` is the
project's full harness).

    python benchmarks/dates_folds.py [--eval ../shared/eval] [--folds 5] [--objective accuracy|utility]

The DEV pages of eval/dates (text dumps and HTML) and the raw pages of eval/dedup are cleaned once
as the pipeline cleans them; the dates stage then runs per fold. Folds group pages by site (the
URL host of eval/dates' manifest, the outlet of eval/dedup's corpus), by a salted hash. For each
held-out fold:
  * the sites' date conventions are learned from that fold's own text pages only (as a run over
    a folder of those pages would learn them);
  * every `DateConfig` field marked `metadata={"tune": grid}` takes the grid value with the best
    mean objective over the other folds (coordinate-wise from the defaults, ties to the default);
and the fold is scored at those values. Printed beside the DEV figures (all pages, defaults,
conventions learned over the whole folder): accuracy, within one day, coverage, claimed
precision (exact days among answers whose source is not `acquired`), per fold and pooled.

Objectives: `accuracy` (exact days / pages), `utility` (right minus wrong claims / pages: a wrong
partition costs as much as a right one gains).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsarchive import clean, ingest  # noqa: E402
from newsarchive.dates import DateConfig, DateConventions, event_date  # noqa: E402
from newsarchive.page import Page  # noqa: E402
from newsarchive.settings import Settings  # noqa: E402
from newsarchive.sites import site_of  # noqa: E402

ACQUIRED = dt.date(2026, 11, 22)  # the eval pages carry no acquisition date (as the eval command)
SALT = "dates-folds"


def fold_of(site: str, k: int) -> int:
    site = site[4:] if site.startswith("www.") else site
    return int(hashlib.sha1(f"{SALT}:{site}".encode()).hexdigest(), 16) % k


def _load(folder: Path, gold: dict[str, str], sites: dict[str, str], settings: Settings) -> list[dict]:
    """Each page of `folder` with gold, decoded and cleaned once (pages the cleaner quarantines
    for an empty body stay in, unanswered, as in the eval)."""
    rows = []
    paths = ingest.discover(str(folder))
    for item in ingest.read_inputs(str(folder), paths, max_bytes=settings.max_input_bytes):
        key = Path(getattr(item, "source_path", "")).stem
        if key not in gold:
            continue
        row = {"id": key, "gold": gold[key], "site": sites.get(key) or key, "item": item, "article": None}
        if isinstance(item, ingest.RawInput):
            article = clean.clean_page(item.kind, item.content, url=item.url, settings=settings)
            row["article"] = article if article.text.strip() else None
        rows.append(row)
    return rows


def _conventions(rows: list[dict], settings: Settings) -> DateConventions:
    texts = [r["item"] for r in rows if r["article"] is not None and r["item"].kind == "text"]
    return DateConventions.from_pages([t.content for t in texts], config=settings.dates,
                                      sites=[site_of(url=t.url, source=t.site, page_text=t.content) for t in texts])


def _answers(rows: list[dict], conventions: DateConventions, config: DateConfig) -> list:
    out = []
    for r in rows:
        if r["article"] is None:
            out.append(None)
            continue
        item = r["item"]
        page = Page(item.kind, item.content, url=item.url, declared=item.declared, source=item.site)
        out.append(event_date(page, acquired=ACQUIRED, article=r["article"], config=config, conventions=conventions))
    return out


def _score(rows: list[dict], answers: list) -> dict:
    n = len(rows)
    right = near = claimed = claimed_right = answered = 0
    for r, a in zip(rows, answers):
        if a is None:
            continue
        answered += 1
        gold = dt.date.fromisoformat(r["gold"])
        right += a.day == gold
        near += abs((a.day - gold).days) <= 1
        if a.source != "acquired":
            claimed += 1
            claimed_right += a.day == gold
    return {"n": n, "right": right, "accuracy": right / n if n else 0.0, "pm1": near / n if n else 0.0,
            "coverage": answered / n if n else 0.0, "claimed": claimed, "claimed_right": claimed_right,
            "precision": claimed_right / claimed if claimed else float("nan"),
            "utility": (2 * claimed_right - claimed) / n if n else 0.0}


def _line(name: str, s: dict) -> str:
    return (f"{name:22s} {s['accuracy']:8.3f} {s['pm1']:7.3f} {s['coverage']:8.3f} {s['precision']:9.3f} "
            f"{s['claimed_right']:>5d}/{s['claimed']:<5d} {s['n']:5d}")


def run(eval_dir: Path, k: int, objective: str) -> list[str]:
    settings = Settings(extract_timeout_s=0)
    with open(eval_dir / "dates" / "gold.csv", newline="") as fh:
        gold = {r["id"]: r["date"] for r in csv.DictReader(fh)}
    hosts = {}
    for line in open(eval_dir / "dates" / "manifest.jsonl", encoding="utf-8"):
        doc = json.loads(line)
        hosts[doc["id"]] = urlsplit(doc.get("url") or "").hostname or ""
    sets = {"dates text": _load(eval_dir / "dates" / "text", gold, hosts, settings),
            "dates HTML": _load(eval_dir / "dates" / "html", gold, hosts, settings)}
    dedup_gold, outlets = {}, {}
    for line in open(eval_dir / "dedup" / "corpus.jsonl", encoding="utf-8"):
        doc = json.loads(line)
        if doc.get("published"):
            dedup_gold[doc["doc_id"]] = doc["published"][:10]
            outlets[doc["doc_id"]] = doc.get("source") or ""
    sets["dedup raw pages"] = _load(eval_dir / "dedup" / "raw", dedup_gold, outlets, settings)
    tuned = ("dates text", "dates HTML")  # the sets the knobs are fitted on (dedup: checked only)

    knobs = [(f.name, f.metadata["tune"]) for f in dataclasses.fields(DateConfig) if "tune" in f.metadata]
    defaults = DateConfig()
    folds = {name: [[r for r in rows if fold_of(r["site"], k) == f] for f in range(k)] for name, rows in sets.items()}
    conventions = {name: [_conventions(part, settings) for part in parts] for name, parts in folds.items()}
    cache: dict = {}

    def answers(values: tuple) -> dict:
        if values not in cache:
            config = dataclasses.replace(defaults, **dict(values))
            cache[values] = {name: [_answers(part, conventions[name][f], config) for f, part in enumerate(parts)]
                             for name, parts in folds.items()}
        return cache[values]

    def mean_objective(values: tuple, fold_ids: list[int]) -> float:
        got = answers(values)
        scores = []
        for name in tuned:
            rows = [r for f in fold_ids for r in folds[name][f]]
            ans = [a for f in fold_ids for a in got[name][f]]
            scores.append(_score(rows, ans)[objective])
        return sum(scores) / len(scores)

    chosen = []
    for f in range(k):
        others = [g for g in range(k) if g != f]
        values = {name: getattr(defaults, name) for name, _ in knobs}
        for name, grid in knobs:
            def fit(v, name=name):
                return mean_objective(tuple(sorted({**values, name: v}.items())), others), v == getattr(defaults, name)
            values[name] = max(grid, key=fit)
        chosen.append(tuple(sorted(values.items())))

    header = (f"{'':22s} {'accuracy':>8s} {'±1 day':>7s} {'coverage':>8s} {'precision':>9s} {'claimed':>11s} "
              f"{'pages':>5s}")
    lines = [f"knobs: {', '.join(f'{n} {g}' for n, g in knobs) or 'none'}; objective: {objective}; {k} folds"]
    for f in range(k):
        lines.append(f"fold {f} chose: " + ", ".join(f"{n}={v}" for n, v in chosen[f]))
    for name, rows in sets.items():
        whole_conv = _conventions(rows, settings)
        dev = _score(rows, _answers(rows, whole_conv, defaults))
        held_rows, held_answers = [], []
        per_fold = []
        for f in range(k):
            part = folds[name][f]
            got = answers(chosen[f])[name][f]
            held_rows += part
            held_answers += got
            per_fold.append(_score(part, got))
        held = _score(held_rows, held_answers)
        lines += ["", f"== {name}", header, _line("DEV (defaults)", dev), _line("leave-sites-out", held),
                  f"{'difference':22s} {held['accuracy'] - dev['accuracy']:+8.3f} {held['pm1'] - dev['pm1']:+7.3f} "
                  f"{'':8s} {held['precision'] - dev['precision']:+9.3f}"]
        lines += [_line(f"  fold {f}", s) for f, s in enumerate(per_fold)]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--objective", choices=("accuracy", "utility"), default="accuracy")
    args = parser.parse_args(argv)
    if not (args.eval / "dates").is_dir():
        print(f"error: evaluation folder not found: {args.eval / 'dates'}", file=sys.stderr)
        return 2
    print("\n".join(run(args.eval, args.folds, args.objective)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
