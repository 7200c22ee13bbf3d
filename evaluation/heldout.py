"""One task scored on DEV and leave-sites-out.

DEV: one run over all the task's pages at the defaults. Leave-sites-out: the pages are split by
site into k folds (`folds.assign_folds`); each fold is run on its own (its own folder, its own
archive), once per config of the tuning grid (`tuning.single_configs`); for each fold the knobs
are picked on the other folds' scores (`tuning.pick_held_out`) and the fold is scored at the
pick, running that combination when no grid run has it. The held-out figure pools the folds'
tallies at their picks (micro: one tally of all held-out predictions) and averages the folds'
figures (macro).

Work happens in two rounds of independent jobs (`jobs`, then `followups`), so that a caller can
run the jobs of several tasks together.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from statistics import mean
from typing import Callable

from . import folds as folding
from . import tuning
from .runner import Runner
from .scoring import Tally
from .sets import KNOWN_STAGES, Task
from .tuning import Config, Knob

DEV = -1  # the fold key of the DEV run (all pages)


class LeaveSitesOut:
    def __init__(self, task: Task, runner: Runner, work: Path, *, k: int, salt: str, knobs: list[Knob],
                 build: Callable[[dict], object]):
        self.task, self.runner, self.work = task, runner, work / task.set_name / task.variant
        self.notes: list[str] = []
        self.knobs = self._checked(tuning.relevant(knobs, task.stages, KNOWN_STAGES), build) if k else []
        self.fold_of = folding.assign_folds({d.id: d.site for d in task.docs.values()}, k, salt=salt,
                                            stratum_of_doc={d.id: d.stratum for d in task.docs.values()}) if k else {}
        self.members = folding.members(self.fold_of)
        if k and len(self.members) < 2:
            raise ValueError(f"{task.name}: {len(task.docs)} pages of "
                             f"{len({d.site for d in task.docs.values()})} sites make fewer than 2 folds")
        self.configs = tuning.single_configs(self.knobs)
        self.tallies: dict[tuple[int, Config], Tally] = {}
        self.cpu: dict[tuple[int, Config], float] = {}
        self.dev_within_folds: Tally | None = None
        self.picks: dict[int, Config] = {}
        self.inputs: dict[int, Path] = {}  # each fold's folder of its pages

    def _checked(self, knobs: list[Knob], build) -> list[Knob]:
        """Knobs with the grid values `Settings` accepts (others noted and dropped)."""
        out = []
        for knob in knobs:
            grid = []
            for value in knob.grid:
                error = tuning.valid(tuning.knob_config(knob, value), build)
                if error:
                    self.notes.append(f"{knob.name}={value} skipped: {error}")
                else:
                    grid.append(value)
            out.append(Knob(knob.path, knob.default, tuple(grid), knob.stage))
        return out

    def _out(self, fold: int, config: Config) -> Path:
        return self.work / "dev" if fold == DEV else self.work / f"fold-{fold + 1}" / tuning.tag_of(config)

    def _job(self, fold: int, config: Config, input_dir: Path):
        def job():
            out = self._out(fold, config)
            if out.exists():
                shutil.rmtree(out)
            out.mkdir(parents=True)
            self.cpu[(fold, config)] = self.task.run(self.runner, input_dir, tuning.env_of(config), out)
            ids = list(self.task.docs) if fold == DEV else self.members[fold]
            self.tallies[(fold, config)] = self.task.score(self.runner, out, ids, out)
        return job

    def jobs(self) -> list:
        """The DEV run and every fold at every config of the grid."""
        jobs = [self._job(DEV, (), self.task.input_dir)]
        for fold, ids in self.members.items():
            self.inputs[fold] = self.task.input_folder(ids, self.work / f"fold-{fold + 1}" / "input")
            jobs += [self._job(fold, config, self.inputs[fold]) for config in self.configs]
        return jobs

    def followups(self) -> list:
        """Picks per held-out fold; runs of picked combinations not in the grid; the DEV run
        scored on each fold's pages where only pairs inside a fold count."""
        metrics = {key: self.task.metrics(t) for key, t in self.tallies.items()}
        self.picks = tuning.pick_held_out(self.knobs, list(self.members), lambda c, g: metrics[(g, c)],
                                          self.task.objective)
        jobs = [self._job(f, c, self.inputs[f]) for f, c in self.picks.items() if (f, c) not in self.tallies]
        if self.task.pairs_within_folds and self.members:
            def within():
                dev = self._out(DEV, ())
                self.dev_within_folds = Tally.pool(
                    self.task.score(self.runner, dev, ids, self.work / f"fold-{f + 1}" / "dev-pairs")
                    for f, ids in self.members.items())
            jobs.append(within)
        return jobs

    # --- results --------------------------------------------------------------------------

    @property
    def dev(self) -> Tally:
        return self.tallies[(DEV, ())]

    def held_out(self) -> dict[int, Tally]:
        return {f: self.tallies[(f, self.picks[f])] for f in self.members}

    def pooled(self) -> Tally | None:
        return Tally.pool(self.held_out().values()) if self.members else None

    def result(self) -> dict:
        """Figures for the report and the JSON file."""
        task = self.task
        out = {"task": task.name, "label": task.label, "pages": len(task.docs),
               "sites": len({d.site for d in task.docs.values()}), "folds": len(self.members),
               "knobs": {k.name: list(k.grid) for k in self.knobs}, "notes": self.notes,
               "dev": task.metrics(self.dev), "dev_cpu_s": self.cpu[(DEV, ())]}
        if not self.members:
            return out
        out["folds_cpu_s"] = sum(self.cpu[(f, ())] for f in self.members)  # one pass over the folds
        out["tuning_cpu_s"] = sum(cpu for (f, c), cpu in self.cpu.items() if f != DEV and c)
        per_fold = []
        for f, tally in self.held_out().items():
            ids = self.members[f]
            per_fold.append({"fold": f + 1, "pages": len(ids), "sites": len({task.docs[d].site for d in ids}),
                             "picked": tuning.describe(self.picks[f]), "metrics": task.metrics(tally)})
        pooled = task.metrics(self.pooled())
        out.update(per_fold=per_fold, pooled=pooled, mean=mean_metrics([p["metrics"] for p in per_fold]),
                   diff=difference(pooled, out["dev"]))
        if self.knobs:  # the folds at the defaults: what refitting the evidence alone does
            out["pooled_defaults"] = task.metrics(Tally.pool(self.tallies[(f, ())] for f in self.members))
        if self.dev_within_folds is not None:
            out["dev_within_folds"] = task.metrics(self.dev_within_folds)
            out["diff_within_folds"] = difference(pooled, out["dev_within_folds"])
        return out


def mean_metrics(rows: list[dict]) -> dict:
    """The mean of each fractional figure over folds (counts and tuples left out)."""
    keys = dict.fromkeys(k for r in rows for k, v in r.items() if isinstance(v, float))
    out = {}
    for key in keys:
        values = [r[key] for r in rows if isinstance(r.get(key), float)]
        out[key] = mean(values) if values else None
    return out


def difference(a: dict, b: dict) -> dict:
    """a - b for every fractional figure both have."""
    return {k: a[k] - b[k] for k in a if isinstance(a.get(k), float) and isinstance(b.get(k), float)}
