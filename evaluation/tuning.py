"""Tuned values ("knobs") and how a fold's value is picked without that fold.

A knob is any field of `Settings`, or of a stage config nested in it (`Settings.clean`,
`Settings.dates`, at any depth), whose dataclass metadata carries `"tune": (v1, v2, ...)`: the
small grid the value is re-fitted from. Knobs are found with `dataclasses.fields`, so a knob a
stage adds is tuned without a change here. A knob's stage is the nested config it sits in
(`clean`, `dates`), or for a top-level field its `"stage"` metadata; a set tunes the knobs of
the stages its score depends on, and every knob of a stage it does not know (cautious: such a
knob may change anything).

Selection is coordinate-wise from the defaults: each knob is varied alone, every other value at
its default; for held-out fold f, each knob takes the value with the best mean objective over
the other folds (ties keep the default, then the grid's order), and fold f is scored with the
knobs' picks combined.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Callable, Sequence

# Configs are tuples of (knob path, value) overrides, sorted; () is "every knob at its default".
Config = tuple


@dataclass(frozen=True)
class Knob:
    path: tuple[str, ...]  # ("threshold",) or ("clean", "min_run_lines")
    default: object
    grid: tuple  # the default first, then the other grid values in the order declared
    stage: str | None  # the stage that reads it; None: unknown, may affect every set

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def env(self) -> str:
        """The environment variable `Settings.from_env` reads for this knob."""
        return "NEWSARCHIVE_" + "__".join(self.path).upper()


def discover_knobs(settings, _path: tuple[str, ...] = (), _stage: str | None = None) -> list[Knob]:
    """Every field of `settings` (a dataclass instance) and of the dataclasses nested in it whose
    metadata has "tune", with its current value as the default, in declaration order."""
    knobs = []
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        path = _path + (f.name,)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            knobs += discover_knobs(value, path, f.metadata.get("stage", _stage or f.name))
            continue
        grid = f.metadata.get("tune")
        if grid:
            values = (value,) + tuple(v for v in grid if v != value)
            knobs.append(Knob(path, value, values, f.metadata.get("stage", _stage)))
    return knobs


def relevant(knobs: Sequence[Knob], stages: frozenset[str], known: frozenset[str]) -> list[Knob]:
    """The knobs that can change a score depending on `stages` (of the `known` stages)."""
    return [k for k in knobs if k.stage is None or k.stage not in known or k.stage in stages]


def env_of(config: Config) -> dict[str, str]:
    """Environment overrides that make the command line run with `config`."""
    return {"NEWSARCHIVE_" + "__".join(path).upper(): _text(value) for path, value in config}


def tag_of(config: Config) -> str:
    """A folder name for the runs of a config."""
    if not config:
        return "defaults"
    return ",".join(f"{'.'.join(path)}={_text(value)}" for path, value in config)


def describe(config: Config) -> str:
    return "defaults" if not config else " ".join(f"{'.'.join(p)}={_text(v)}" for p, v in config)


def single_configs(knobs: Sequence[Knob]) -> list[Config]:
    """The defaults, then every knob at each of its other grid values, the rest at defaults."""
    configs: list[Config] = [()]
    for knob in knobs:
        configs += [((knob.path, v),) for v in knob.grid[1:]]
    return configs


def valid(config: Config, build: Callable[[dict], object]) -> str | None:
    """None when `build` (Settings.from_mapping) accepts the overrides, else its one-line error."""
    try:
        build({"__".join(path): value for path, value in config})
    except ValueError as exc:
        return str(exc)
    return None


def knob_config(knob: Knob, value) -> Config:
    return () if value == knob.default else ((knob.path, value),)


def pick_held_out(knobs: Sequence[Knob], folds: Sequence[int], score: Callable[[Config, int], object],
                  objective: Callable[[list], tuple], tolerance: float = 1e-9) -> dict[int, Config]:
    """For each held-out fold f, the combined config: each knob at the grid value whose
    `objective` over the other folds' scores is best (`score(config, g)` for g != f, fold f's
    own score never read). `objective` maps a list of per-fold scores to a tuple, larger is
    better; values within `tolerance` count as ties, and ties keep the earlier grid value (the
    default comes first)."""
    picks: dict[int, Config] = {}
    for f in folds:
        others = [g for g in folds if g != f]
        chosen = []
        for knob in knobs:
            best_value, best_key = knob.default, None
            for value in knob.grid:
                key = objective([score(knob_config(knob, value), g) for g in others]) if others else ()
                if best_key is None or _better(key, best_key, tolerance):
                    best_value, best_key = value, key
            if best_value != knob.default:
                chosen.append((knob.path, best_value))
        picks[f] = tuple(sorted(chosen))
    return picks


def _better(a: tuple, b: tuple, tolerance: float) -> bool:
    """a > b, element by element, with floats closer than `tolerance` counted equal."""
    for x, y in zip(a, b):
        if isinstance(x, float) or isinstance(y, float):
            if abs(x - y) <= tolerance:
                continue
        elif x == y:
            continue
        return x > y
    return False


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
