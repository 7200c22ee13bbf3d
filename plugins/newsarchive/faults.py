"""Fault points: where the tests kill the pipeline (`kill -9`) or make one input fail.

Inert unless `NEWSARCHIVE_FAULTS` is set, a comma-separated list of

    crash:<point>[:<n>]        SIGKILL this process the n-th time (default 1st) it reaches <point>
    raise:<stage>:<input>      raise InjectedFault in <stage> (read, decode, clean, dates,
                               minhash) for the input whose source_path is <input>

The crash points name the steps that must converge after a crash (docs/operations.md, "Failure
modes"); the tests run the real command line with them and compare the archive with the one an
uninterrupted run leaves. Checking a point costs one dict lookup.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_crashes: dict[str, int] = {}
_raises: set[tuple[str, str]] = set()
_seen: Counter = Counter()


class InjectedFault(RuntimeError):
    """The failure a test asked for."""


def _load(spec: str) -> None:
    _crashes.clear()
    _raises.clear()
    _seen.clear()
    for item in filter(None, (x.strip() for x in spec.split(","))):
        kind, _, rest = item.partition(":")
        if kind == "crash":
            point, _, nth = rest.partition(":")
            _crashes[point] = int(nth or 1)
        elif kind == "raise":
            stage, _, key = rest.partition(":")
            _raises.add((stage, key))


_load(os.environ.get("NEWSARCHIVE_FAULTS", ""))


def crash_point(point: str) -> None:
    """Kill this process here when a test asked for it (`crash:<point>`)."""
    if _crashes and point in _crashes:
        _seen[point] += 1
        if _seen[point] == _crashes[point]:
            os.kill(os.getpid(), signal.SIGKILL)


def inject(stage: str, key: str) -> None:
    """Fail this stage for this input when a test asked for it (`raise:<stage>:<input>`)."""
    if _raises and (stage, key) in _raises:
        raise InjectedFault(f"fault injected into {stage} for {key}")
