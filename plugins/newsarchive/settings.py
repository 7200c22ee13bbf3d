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
from newsarchive.dates.config import DateConfig


class SettingsError(ValueError):
    """A setting has a value the pipeline cannot run with."""


@dataclass(frozen=True, slots=True)
class Settings:
    # Where pages land and where the archive lives.
    landing: str = "include/seeds"
    archive_root: str = "var/archive"

    # One writer per archive: a run waits this long for another run's publish to finish
    # (a publish holds the lock for seconds; a wait longer than an hour means something is stuck).
    lock_timeout_s: float = 3600.0
    # A staging folder nobody touched for this long belongs to a dead run and is removed (a
    # dead command-line run's folder goes at once: its process is known to be gone). Longer
    # than any retry delay of the DAG's tasks, so a retried task still finds its rows.
    staging_ttl_hours: float = 48.0

    # Ingest: files per cleaning task (a task process costs seconds to start, a page about a
    # millisecond to clean); larger inputs are quarantined rather than parsed.
    shard_size: int = 2000
    max_input_bytes: int = 20_000_000
    # A WARC file is split into byte ranges of about this size, each a cleaning task's work
    # (or part of one): 32 MB of gzip-per-record news crawl is about 2,000 responses of
    # 16 KB compressed (CC-NEWS' average), one shard's worth of pages like `shard_size`.
    warc_range_bytes: int = 32_000_000

    # Clean: per-document extraction time limit (trafilatura can run away on odd pages).
    extract_timeout_s: float = 20.0
    # A body shorter than this many characters is not an article (quarantined as `no_text`).
    min_body_chars: int = 1
    # The clean stage's tuning constants (NEWSARCHIVE_CLEAN__<FIELD>).
    clean: CleanConfig = field(default_factory=CleanConfig)

    # Dates: the stage's range and tuning constants (dates/config.py; NEWSARCHIVE_DATES__<FIELD>).
    dates: DateConfig = field(default_factory=DateConfig)

    # Dedupe: LSH candidates (tuned for candidate_threshold, below threshold so trimmed copies
    # are found) among archived articles within +-window_days, verified on exact shingle sets:
    # Jaccard >= threshold, or containment >= containment_threshold with Jaccard >=
    # min_jaccard (docs/dedupe.md). The signature format itself (128 permutations, seed 1, word
    # 5-grams) is the archive's, not a setting: see minhash.SIGNATURE.
    # Tuned on data: the evaluation harness re-fits these per leave-sites-out fold from the grid
    # in "tune" (docs/evaluation.md); "stage" says which stage reads them.
    threshold: float = field(default=0.5, metadata={"tune": (0.4, 0.5, 0.6), "stage": "dedupe"})
    containment_threshold: float = field(default=0.8, metadata={"tune": (0.7, 0.8, 0.9), "stage": "dedupe"})
    min_jaccard: float = field(default=0.2, metadata={"tune": (0.15, 0.2, 0.3), "stage": "dedupe"})
    candidate_threshold: float = 0.15
    window_days: int = 7
    # A containment merge needs the shorter body to be an article's: at least this many
    # shingles (5-grams; about 45 words, a short news brief) ...
    containment_min_shingles: int = 40
    # ... and not contained in bodies of this many stories unrelated to each other (text that
    # recurs across stories is template text: a comment policy, a newsletter prompt). Three,
    # since a trimmed copy is contained in the original and in its other copies, one story.
    boilerplate_stories: int = 3

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
        """From `NEWSARCHIVE_<FIELD>` and `NEWSARCHIVE_<STAGE>__<FIELD>`. A variable that names no
        setting is an error, not ignored: a typo or a removed setting (`NEWSARCHIVE_NUM_PERM`)
        would otherwise leave the run doing something else than its operator believes."""
        environ = os.environ if environ is None else environ
        prefix = "NEWSARCHIVE_"
        values = {k[len(prefix):].lower(): v for k, v in environ.items()
                  if k.startswith(prefix) and k[len(prefix):] not in NOT_SETTINGS}
        defaults = cls()
        unknown = sorted(prefix + k.upper() for k in values if not _is_field(defaults, k))
        if unknown:
            raise SettingsError(f"unknown setting {', '.join(unknown)}: no such field in Settings or its stage "
                                "configs (plugins/newsarchive/settings.py); unset it or fix its name")
        return cls.from_mapping(values)

    def as_dict(self) -> dict:
        return _as_dict(self)


# NEWSARCHIVE_* variables read elsewhere: the DAG's schedule, the tests' fault injection, the
# compose file's host folder for the landing mount.
NOT_SETTINGS = frozenset({"SCHEDULE", "FAULTS", "LANDING_HOST_DIR"})


def _is_field(obj, key: str) -> bool:
    name, _, rest = key.partition("__")
    if name not in {f.name for f in fields(obj)}:
        return False
    current = getattr(obj, name)
    if rest:
        return dataclasses.is_dataclass(current) and _is_field(current, rest)
    return True


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
    require(s.lock_timeout_s >= 0, "lock_timeout_s", "0 or more seconds")
    require(s.staging_ttl_hours > 0, "staging_ttl_hours", "more than 0 hours")
    require(s.shard_size >= 1, "shard_size", "at least 1")
    require(s.max_input_bytes >= 1, "max_input_bytes", "at least 1")
    require(s.warc_range_bytes >= 4096, "warc_range_bytes", "at least 4096 bytes")
    require(s.extract_timeout_s >= 0, "extract_timeout_s", "0 (no limit) or more seconds")
    require(s.min_body_chars >= 0, "min_body_chars", "0 or more")
    if s.dates.max_future_days < 0:
        raise SettingsError(f"setting dates.max_future_days = {s.dates.max_future_days!r}: must be 0 or more")
    if not 0 <= s.dates.convention_min_share <= 1:
        raise SettingsError(f"setting dates.convention_min_share = {s.dates.convention_min_share!r}: "
                            "must be between 0 and 1")
    for name in ("threshold", "containment_threshold", "min_jaccard"):
        require(0.05 <= getattr(s, name) <= 1.0, name, "between 0.05 and 1.0")
    require(0.01 <= s.candidate_threshold <= s.threshold, "candidate_threshold", "between 0.01 and threshold")
    require(0 <= s.window_days <= 366, "window_days", "between 0 and 366 days")
    require(s.containment_min_shingles >= 1, "containment_min_shingles", "at least 1")
    require(s.boilerplate_stories >= 2, "boilerplate_stories", "at least 2")


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
