"""The evaluation harness (evaluation/): folds by site, knobs found in nested configs, the value
of a held-out fold picked without it, and the scorer's output pooled across folds. Tiny
synthetic inputs only; no evaluation data."""

import json
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass, field

import pytest

from evaluation import folds, scoring, tuning
from evaluation.heldout import LeaveSitesOut
from evaluation.runner import REPO, Runner
from evaluation.sets import DatesTask, Doc, Task, clean2_site
from newsarchive.settings import Settings

# --- folds -------------------------------------------------------------------------------------


def _sites(n_sites: int, pages_per_site=lambda i: 1 + i % 4) -> dict[str, str]:
    return {f"doc-{i}-{j}": f"site{i}.example" for i in range(n_sites) for j in range(pages_per_site(i))}


def test_folds_are_deterministic_and_keep_every_site_in_one_fold():
    sites = _sites(40)
    a = folds.assign_folds(sites, 5)
    assert a == folds.assign_folds(dict(reversed(list(sites.items()))), 5)  # page order plays no part
    fold_of_site = {}
    for doc, f in a.items():
        assert fold_of_site.setdefault(sites[doc], f) == f  # no site in two folds
    assert set(a.values()) == set(range(5))
    sizes = [sum(1 for f in a.values() if f == i) for i in range(5)]
    assert max(sizes) - min(sizes) <= 4  # at most one site's pages apart (sites here hold 1 to 4)


def test_another_salt_deals_sites_differently():
    sites = _sites(40)
    assert folds.assign_folds(sites, 5, salt="a") != folds.assign_folds(sites, 5, salt="b")


def test_each_fold_gets_a_share_of_each_stratum():
    sites = {f"{kind}-{i}": f"{kind}{i}.example" for kind in ("news", "blog") for i in range(10)}
    strata = {doc: doc.split("-")[0] for doc in sites}
    a = folds.assign_folds(sites, 5, stratum_of_doc=strata)
    for f in range(5):
        assert {strata[d] for d, g in a.items() if g == f} == {"news", "blog"}


def test_clean2_site_falls_back_to_url_then_dataset_and_id_words():
    assert clean2_site({"id": "x", "site": "www.example.co.uk"}) == "example.co.uk"
    assert clean2_site({"id": "x", "site": None, "url": "https://news.example.com/a"}) == "example.com"
    assert clean2_site({"id": "readability-yahoo-1", "dataset": "readability", "site": None}) == "readability:yahoo"
    assert clean2_site({"id": "l3s-gn1-0a1b2c3d-9c7d", "dataset": "l3s-gn1", "site": None}) == "l3s-gn1:"


# --- knobs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inner:
    depth: int = field(default=3, metadata={"tune": (2, 3, 4)})


@dataclass(frozen=True)
class _Stage:
    weight: float = field(default=0.5, metadata={"tune": (0.25, 0.75)})
    fixed: int = 7  # not tuned
    inner: _Inner = field(default_factory=_Inner)


@dataclass(frozen=True)
class _Settings:
    threshold: float = field(default=0.5, metadata={"tune": (0.4, 0.5, 0.6), "stage": "dedupe"})
    free: float = field(default=1.0, metadata={"tune": (1.0, 2.0)})  # top level, no stage named
    landing: str = "x"
    clean: _Stage = field(default_factory=_Stage)


def test_knobs_are_found_in_nested_configs_with_their_stage_and_env_name():
    knobs = {k.name: k for k in tuning.discover_knobs(_Settings())}
    assert set(knobs) == {"threshold", "free", "clean.weight", "clean.inner.depth"}
    assert knobs["clean.weight"].grid == (0.5, 0.25, 0.75)  # the default first, added when not in the grid
    assert knobs["clean.inner.depth"].grid == (3, 2, 4)
    assert (knobs["clean.weight"].stage, knobs["clean.inner.depth"].stage) == ("clean", "clean")
    assert (knobs["threshold"].stage, knobs["free"].stage) == ("dedupe", None)
    assert knobs["clean.inner.depth"].env == "NEWSARCHIVE_CLEAN__INNER__DEPTH"
    assert tuning.env_of(((("clean", "weight"), 0.25),)) == {"NEWSARCHIVE_CLEAN__WEIGHT": "0.25"}


def test_a_task_tunes_the_knobs_of_its_stages_and_of_stages_it_does_not_know():
    knobs = tuning.discover_knobs(_Settings())
    known = frozenset({"clean", "dates", "dedupe"})
    assert {k.name for k in tuning.relevant(knobs, frozenset({"clean"}), known)} == {
        "free", "clean.weight", "clean.inner.depth"}
    assert {k.name for k in tuning.relevant(knobs, frozenset({"dedupe"}), known)} == {"threshold", "free"}


def test_single_configs_vary_one_knob_at_a_time_from_the_defaults():
    knobs = [k for k in tuning.discover_knobs(_Settings()) if k.name in ("threshold", "clean.weight")]
    configs = tuning.single_configs(knobs)
    assert configs[0] == () and len(configs) == 1 + 2 + 2
    assert all(len(c) == 1 for c in configs[1:])


def test_the_project_settings_declare_knobs_the_command_line_reads_from_the_environment():
    knobs = {k.name: k for k in tuning.discover_knobs(Settings())}
    assert {"threshold", "containment_threshold", "min_jaccard"} <= set(knobs)
    for knob in knobs.values():
        for value in knob.grid:
            env = tuning.env_of(tuning.knob_config(knob, value))
            s = Settings.from_env(env)
            current = s
            for part in knob.path:
                current = getattr(current, part)
            assert current == value
            assert tuning.valid(tuning.knob_config(knob, value), Settings.from_mapping) is None


def test_grid_values_settings_reject_are_reported():
    assert "threshold" in tuning.valid(((("threshold",), 2.0),), Settings.from_mapping)


# --- held-out selection -------------------------------------------------------------------------


def _picks(table, fold_ids=(0, 1, 2)):
    knob = tuning.Knob(("threshold",), 0.5, (0.5, 0.4, 0.6), "dedupe")
    return tuning.pick_held_out([knob], list(fold_ids), lambda c, g: table[(dict(c).get(("threshold",), 0.5), g)],
                                lambda rows: (sum(rows) / len(rows),))


def test_the_value_picked_for_a_fold_ignores_that_folds_own_score():
    # Folds 1 and 2 prefer 0.6; fold 0 alone prefers 0.4, by a lot.
    table = {(0.5, 0): 0.5, (0.4, 0): 0.99, (0.6, 0): 0.1,
             (0.5, 1): 0.8, (0.4, 1): 0.7, (0.6, 1): 0.9,
             (0.5, 2): 0.8, (0.4, 2): 0.7, (0.6, 2): 0.9}
    picks = _picks(table)
    assert picks[0] == ((("threshold",), 0.6),)  # fold 0's own preference is not seen
    # Fold 1 is picked on folds 0 and 2: 0.4 -> 0.845, 0.6 -> 0.5, 0.5 -> 0.65.
    assert picks[1] == ((("threshold",), 0.4),)
    changed = dict(table)
    changed[(0.4, 0)], changed[(0.6, 0)] = 0.0, 1.0  # rewriting fold 0's scores...
    assert _picks(changed)[0] == picks[0]  # ...leaves fold 0's pick alone


def test_ties_keep_the_default():
    table = {(v, g): 0.9 for v in (0.5, 0.4, 0.6) for g in range(3)}
    assert _picks(table) == {0: (), 1: (), 2: ()}


def test_picks_of_several_knobs_are_combined():
    a = tuning.Knob(("a",), 1, (1, 2), None)
    b = tuning.Knob(("b",), 1, (1, 2), None)

    def score(config, g):
        return 1.0 + 0.1 * len(config)  # any change helps
    picks = tuning.pick_held_out([a, b], [0, 1], score, lambda rows: (sum(rows),))
    assert picks[0] == ((("a",), 2), (("b",), 2))


# --- scoring pooled across folds ---------------------------------------------------------------

CLEAN_SCORER = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    pred, gold, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[4])
    per = {}
    for g in sorted(gold.glob("*.txt")):
        gw, p = g.read_text().split(), pred / g.name
        pw = p.read_text().split() if p.exists() else []
        tp = sum(min(gw.count(w), pw.count(w)) for w in set(gw))
        P = tp / len(pw) if pw else 0.0
        R = tp / len(gw) if gw else 0.0
        per[g.stem] = {"tp": tp, "fp": len(pw) - tp, "fn": len(gw) - tp, "gold_tokens": len(gw),
                       "pred_tokens": len(pw), "f1": 2 * P * R / (P + R) if P + R else 0.0}
    out.write_text(json.dumps({"per_doc": per}))
''')


def test_clean_scores_of_folds_pool_to_the_score_of_all_predictions(tmp_path):
    scorer = tmp_path / "score.py"
    scorer.write_text(CLEAN_SCORER)
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir(), pred.mkdir()
    docs = {"a": ("one two three four", "one two three four"), "b": ("five six", "five seven eight"),
            "c": ("nine ten eleven", "")}
    for doc, (g, p) in docs.items():
        (gold / f"{doc}.txt").write_text(g)
        (pred / f"{doc}.txt").write_text(p)
    runner = Runner(jobs=1)
    whole = scoring.clean_metrics(scoring.score_clean(runner, scorer, pred, gold, tmp_path / "all.json"))
    parts = [scoring.score_clean(runner, scorer, pred, scoring.gold_dir_for(gold, ids, tmp_path / f"g{n}"),
                                 tmp_path / f"s{n}.json") for n, ids in enumerate((["a", "c"], ["b"]))]
    pooled = scoring.clean_metrics(scoring.Tally.pool(parts))
    assert pooled == whole
    assert whole["empty"] == 1 and whole["pages"] == 3
    assert whole["micro_p"] == pytest.approx(5 / 7) and whole["micro_r"] == pytest.approx(5 / 9)


def test_dates_claimed_precision_counts_only_dates_read_from_the_page(tmp_path):
    (tmp_path / "text").mkdir()
    gold = tmp_path / "gold.csv"
    gold.write_text("id,date\na,2024-01-02\nb,2024-01-03\nc,2024-01-04\n")
    pred = tmp_path / "out" / "pred"
    pred.mkdir(parents=True)
    (pred / "dates.csv").write_text("id,date,date_source\na,2024-01-02,text\nb,2024-01-09,text\n"
                                    "c,2024-01-04,acquired\n")
    task = DatesTask("dates", "text", "dates", tmp_path / "text",
                     [Doc(i, tmp_path / "text" / f"{i}.txt", f"{i}.example") for i in "abc"],
                     gold_csv=gold, scorer=tmp_path / "score.py")
    # The set's scorer is stood in for by a minimal one with the same command line.
    scorer = tmp_path / "score.py"
    scorer.write_text(textwrap.dedent('''
        import csv, json, sys
        pred = {r["id"]: r["date"] for r in csv.DictReader(open(sys.argv[1]))}
        gold = {r["id"]: r["date"] for r in csv.DictReader(open(sys.argv[2]))}
        right = sum(pred.get(i) == d for i, d in gold.items())
        print(json.dumps({"n": len(gold), "predicted": sum(1 for i in gold if pred.get(i)), "correct": right,
                          "correct_pm1": right}))
    '''))
    m = task.metrics(task.score(Runner(jobs=1), tmp_path / "out", ["a", "b"], tmp_path / "scratch"))
    assert (m["pages"], m["accuracy"], m["claimed"], m["claimed_precision"]) == (2, 0.5, 2, 0.5)
    m = task.metrics(task.score(Runner(jobs=1), tmp_path / "out", ["a", "b", "c"], tmp_path / "scratch"))
    assert (m["accuracy"], m["claimed"], m["claimed_precision"]) == (pytest.approx(2 / 3), 2, 0.5)


def test_dates_objective_prefers_abstaining_to_wrong_claims():
    task = DatesTask.__new__(DatesTask)
    careful = [{"accuracy": 0.85, "claimed_precision": 0.98}]
    greedy = [{"accuracy": 0.90, "claimed_precision": 0.95}]
    assert task.objective(careful) > task.objective(greedy)


def test_runner_counts_cpu_time_and_reports_failures(tmp_path):
    runner = Runner(jobs=2)
    out, cpu = runner.python("-c", "import sys; sum(range(3_000_000)); print(sys.path[1])")
    assert cpu > 0 and runner.cpu_seconds >= cpu
    with pytest.raises(Exception, match="exited with 3"):
        runner.python("-c", "import sys; sys.exit(3)")
    assert runner.map([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]


def test_the_command_line_names_a_missing_evaluation_folder_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "evaluation", str(tmp_path / "nowhere")], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nowhere" in result.stderr


# --- one task end to end, with a stand-in for the command line ---------------------------------

class _EchoTask(Task):
    """Runs no command line: records which pages each run saw under which env, and scores a
    page 1 when the run's NEWSARCHIVE_THRESHOLD is the page's own best value."""

    stages = frozenset({"dedupe"})

    def __init__(self, docs, best):
        super().__init__("echo", "text", "echo", docs[0].path.parent, docs)
        self.best, self.seen = best, []

    def run(self, runner, input_dir, env, out):
        pages = sorted(p.stem for p in input_dir.iterdir())
        self.seen.append((pages, env.get("NEWSARCHIVE_THRESHOLD", "0.5")))
        (out / "run.json").write_text(json.dumps({"pages": pages, "threshold": env.get("NEWSARCHIVE_THRESHOLD", "0.5")}))
        return 0.0

    def score(self, runner, out, ids, scratch):
        run = json.loads((out / "run.json").read_text())
        right = sum(1 for d in ids if d in run["pages"] and self.best[d] == run["threshold"])
        return scoring.Tally(Counter(n=len(ids), right=right))

    def metrics(self, tally):
        return {"pages": tally.counts["n"], "accuracy": tally.counts["right"] / tally.counts["n"]}

    def objective(self, per_fold):
        return (sum(m["accuracy"] for m in per_fold) / len(per_fold),)


def test_each_fold_runs_on_its_own_pages_and_is_scored_at_the_value_the_others_picked(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    docs = []
    for i in range(12):
        (pages / f"p{i}.txt").write_text("x")
        docs.append(Doc(f"p{i}", pages / f"p{i}.txt", f"site{i // 2}.example"))
    # Every site's pages score best at 0.6, except site0's (which would prefer 0.4).
    best = {d.id: "0.4" if d.site == "site0.example" else "0.6" for d in docs}
    task = _EchoTask(docs, best)
    knobs = [tuning.Knob(("threshold",), 0.5, (0.5, 0.4, 0.6), "dedupe")]
    ev = LeaveSitesOut(task, Runner(jobs=1), tmp_path / "work", k=3, salt="t", knobs=knobs,
                       build=Settings.from_mapping)
    for job in ev.jobs():
        job()
    for job in ev.followups():
        job()
    site_of = {d.id: d.site for d in docs}
    for seen, _ in task.seen:
        if len(seen) < len(docs):  # a fold's run: whole sites of one fold only
            assert len({ev.fold_of[d] for d in seen}) == 1
            assert {d for d in ev.fold_of if ev.fold_of[d] == ev.fold_of[seen[0]]} == set(seen)
            assert all(site_of[d] in {site_of[s] for s in seen} for d in seen)
    res = ev.result()
    assert [f["picked"] for f in res["per_fold"]] == ["threshold=0.6"] * 3
    assert res["dev"]["accuracy"] == 0.0 and res["pooled"]["pages"] == 12
    assert res["pooled"]["accuracy"] == pytest.approx(10 / 12)
    assert res["diff"]["accuracy"] == pytest.approx(10 / 12)


def test_a_set_of_one_site_cannot_be_folded(tmp_path):
    (tmp_path / "p.txt").write_text("x")
    docs = [Doc(f"p{i}", tmp_path / "p.txt", "one.example") for i in range(4)]
    with pytest.raises(ValueError, match="fewer than 2 folds"):
        LeaveSitesOut(_EchoTask(docs, {}), Runner(jobs=1), tmp_path / "work", k=5, salt="t", knobs=[],
                      build=Settings.from_mapping)
