"""One settings object for every stage, built from keyword arguments, Airflow params or the
environment (NEWSARCHIVE_<FIELD>; a stage's own config as NEWSARCHIVE_<STAGE>__<FIELD>).

Pipeline-wide choices (where things live, limits, the dedupe decision) are fields here; each
stage's tuning constants live in that stage's config object (`Settings.clean`, `Settings.dates`),
with a comment on why each value is what it is. Values are checked when the object is built: a
bad value raises `SettingsError` with one line that names the setting, so the command line and
the DAG reject the same things.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field, fields

from newsarchive.clean.config import CleanConfig


class SettingsError(ValueError):
    """A setting has a value the pipeline cannot run with."""


@dataclass(frozen=True, slots=True)
class Settings:
    # Where pages land and where the archive lives.
    landing: str = "include/seeds"
    archive_root: str = "var/archive"

    # Ingest: files per cleaning task (a task process costs seconds to start, a page about a
    # millisecond to clean); larger inputs are quarantined rather than parsed.
    shard_size: int = 2000
    max_input_bytes: int = 20_000_000

    # Clean: per-document extraction time limit (trafilatura can run away on odd pages).
    extract_timeout_s: float = 20.0
    # A body shorter than this many characters is not an article (quarantined as `no_text`).
    min_body_chars: int = 1
    # The clean stage's tuning constants (NEWSARCHIVE_CLEAN__<FIELD>).
    clean: CleanConfig = field(default_factory=CleanConfig)

    # Dates: dates before the floor are rejected; more than max_future_days after the
    # acquisition date too.
    date_floor: dt.date = dt.date(1970, 1, 1)
    max_future_days: int = 1

    # Dedupe: LSH candidates (tuned for candidate_threshold, below threshold so trimmed copies
    # are found) among archived articles within +-window_days, verified on exact shingle sets:
    # Jaccard >= threshold, or containment >= containment_threshold with Jaccard >=
    # min_jaccard (docs/dedupe.md). The signature format itself (128 permutations, seed 1, word
    # 5-grams) is the archive's, not a setting: see minhash.SIGNATURE.
    threshold: float = 0.5
    containment_threshold: float = 0.8
    min_jaccard: float = 0.2
    candidate_threshold: float = 0.15
    window_days: int = 7

    def __post_init__(self):
        _check(self)

    def replace(self, **changes) -> "Settings":
        """A copy with the given fields changed (None values ignored); checked like a new one."""
        return self.from_mapping({k: v for k, v in changes.items() if v is not None}, base=self)

    @classmethod
    def from_mapping(cls, values: dict, base: "Settings | None" = None) -> "Settings":
        """Build from a mapping of field name to value (Airflow params, parsed env); unknown keys
        are ignored, strings are converted to the field's type. A stage's config field is set
        as `<stage>__<field>` or with a nested mapping under `<stage>`."""
        base = base or cls()
        return _apply(base, values)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        prefix = "NEWSARCHIVE_"
        values = {k[len(prefix):].lower(): v for k, v in environ.items() if k.startswith(prefix)}
        return cls.from_mapping(values)

    def as_dict(self) -> dict:
        return _as_dict(self)


def _apply(obj, values: dict):
    known = {f.name for f in fields(obj)}
    changes, nested = {}, {}
    for key, value in values.items():
        name, _, rest = key.partition("__")
        if name not in known or value is None or (isinstance(value, str) and value == "" and not rest):
            continue
        current = getattr(obj, name)
        if dataclasses.is_dataclass(current):
            if rest:
                nested.setdefault(name, {})[rest] = value
            elif isinstance(value, dict):
                nested.setdefault(name, {}).update(value)
            elif dataclasses.is_dataclass(value):
                changes[name] = value
            continue
        if rest:
            continue
        try:
            changes[name] = _coerce(current, value)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"setting {name}: {value!r} is not a valid {type(current).__name__} ({exc})") from None
    for name, sub in nested.items():
        changes[name] = _apply(changes.get(name, getattr(obj, name)), sub)
    return dataclasses.replace(obj, **changes) if changes else obj


def _as_dict(obj) -> dict:
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        out[f.name] = _as_dict(value) if dataclasses.is_dataclass(value) else _plain(value)
    return out


def _check(s: Settings) -> None:
    """The ranges every entry point (CLI, DAG params, environment) must respect."""
    def require(ok: bool, name: str, what: str):
        if not ok:
            raise SettingsError(f"setting {name} = {getattr(s, name)!r}: must be {what}")

    require(bool(str(s.landing).strip()), "landing", "a folder path or URL")
    require(bool(str(s.archive_root).strip()), "archive_root", "a folder path")
    require(s.shard_size >= 1, "shard_size", "at least 1")
    require(s.max_input_bytes >= 1, "max_input_bytes", "at least 1")
    require(s.extract_timeout_s >= 0, "extract_timeout_s", "0 (no limit) or more seconds")
    require(s.min_body_chars >= 0, "min_body_chars", "0 or more")
    require(s.max_future_days >= 0, "max_future_days", "0 or more")
    for name in ("threshold", "containment_threshold", "min_jaccard"):
        require(0.05 <= getattr(s, name) <= 1.0, name, "between 0.05 and 1.0")
    require(0.01 <= s.candidate_threshold <= s.threshold, "candidate_threshold", "between 0.01 and threshold")
    require(0 <= s.window_days <= 366, "window_days", "between 0 and 366 days")


def _coerce(current, value):
    if isinstance(value, str):
        value = value.strip()
        if isinstance(current, bool):
            if value.lower() in {"1", "true", "yes", "on"}:
                return True
            if value.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError("expected true or false")
        if isinstance(current, int):
            return int(value)
        if isinstance(current, float):
            return float(value)
        if isinstance(current, dt.date):
            return dt.date.fromisoformat(value)
        return value
    if isinstance(current, bool) and not isinstance(value, bool):
        raise TypeError("expected true or false")
    if isinstance(current, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(current, int) and not isinstance(current, bool) and isinstance(value, float):
        if value != int(value):
            raise ValueError("expected a whole number")
        return int(value)
    if isinstance(current, dt.date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value
