"""One settings object for every stage, built from keyword arguments, Airflow params or the
environment (NEWSARCHIVE_<FIELD>)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Settings:
    # Where pages land and where the archive lives.
    landing: str = "include/seeds"
    archive_root: str = "var/archive"

    # Ingest: files per cleaning task (a task process costs seconds to start, a page about a
    # millisecond to clean); larger files are quarantined rather than parsed.
    shard_size: int = 2000
    max_input_bytes: int = 20_000_000

    # Clean: per-document extraction time limit (trafilatura can run away on odd pages).
    extract_timeout_s: float = 20.0
    # A body shorter than this many characters is not an article (quarantined as `no_text`).
    min_body_chars: int = 1

    # Dates: dates before the floor are rejected; more than max_future_days after the
    # acquisition date too.
    date_floor: dt.date = dt.date(1970, 1, 1)
    max_future_days: int = 1

    # Dedupe: MinHash over word n-grams of the normalised body; LSH candidates (tuned for
    # candidate_threshold, below threshold so trimmed copies are found) among archived rows
    # within +-window_days, verified on exact shingle sets: Jaccard >= threshold, or
    # containment >= containment_threshold with Jaccard >= min_jaccard (docs/dedupe.md).
    threshold: float = 0.5
    containment_threshold: float = 0.8
    min_jaccard: float = 0.2
    candidate_threshold: float = 0.15
    num_perm: int = 128
    seed: int = 1
    ngram: int = 5
    window_days: int = 7

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_mapping(cls, values: dict, base: "Settings | None" = None) -> "Settings":
        """Build from a mapping of field name to value (Airflow params, parsed env); unknown keys
        are ignored, strings are converted to the field's type."""
        base = base or cls()
        known = {f.name: f for f in fields(cls)}
        changes = {}
        for key, value in values.items():
            if key not in known or value is None or value == "":
                continue
            changes[key] = _coerce(getattr(base, key), value)
        return dataclasses.replace(base, **changes)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        prefix = "NEWSARCHIVE_"
        values = {k[len(prefix):].lower(): v for k, v in environ.items() if k.startswith(prefix)}
        return cls.from_mapping(values)

    def as_dict(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _coerce(current, value):
    if isinstance(value, str):
        if isinstance(current, bool):
            return value.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(current, int):
            return int(value)
        if isinstance(current, float):
            return float(value)
        if isinstance(current, dt.date):
            return dt.date.fromisoformat(value)
        return value
    if isinstance(current, float) and isinstance(value, int):
        return float(value)
    return value


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value
