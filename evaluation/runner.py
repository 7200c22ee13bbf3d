"""Subprocesses of the evaluation: the project's command line, the sets' scorers, the baselines.

Every command runs in its own process with this checkout's `plugins/` first on its path (the
code under evaluation, whatever the venv's .pth points at), and its CPU time is read from the
kernel when it ends (`os.wait4`: the process and every worker it waited for), so figures stay
comparable when several commands share the machine. Independent commands run `jobs` at a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, TypeVar

REPO = Path(__file__).resolve().parents[1]

T = TypeVar("T")


class CommandFailed(RuntimeError):
    """A subprocess of the evaluation exited with an error."""


class Runner:
    """Runs commands, counts their CPU time, and runs independent jobs `jobs` at a time."""

    def __init__(self, jobs: int = 1, env: dict | None = None):
        self.jobs = max(1, jobs)
        # `run` spreads cleaning over worker processes: the cores left to each of `jobs` jobs.
        self.workers = max(1, (os.cpu_count() or 1) // self.jobs)
        base = dict(os.environ if env is None else env)
        paths = [str(REPO / "plugins"), str(REPO)] + [p for p in base.get("PYTHONPATH", "").split(os.pathsep) if p]
        base["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        self.env = base
        self.cpu_seconds = 0.0
        self._lock = threading.Lock()

    def python(self, *args, env: dict | None = None) -> tuple[str, float]:
        """Run `python ARGS` (this interpreter); return its stdout and CPU seconds. `env` adds or
        replaces variables of the base environment."""
        full = dict(self.env, **(env or {}))
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen([sys.executable, *map(str, args)], stdout=out, stderr=err, env=full,
                                    stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
            cpu = usage.ru_utime + usage.ru_stime
            with self._lock:
                self.cpu_seconds += cpu
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            if proc.returncode != 0:
                tail = err.read().decode("utf-8", "replace")[-3000:]
                shown = " ".join(map(str, args))
                raise CommandFailed(f"python {shown} exited with {proc.returncode}:\n{tail}")
        return stdout, cpu

    def cli(self, *args, env: dict | None = None) -> tuple[str, float]:
        """`python -m newsarchive ARGS`, the command line a user runs."""
        return self.python("-m", "newsarchive", *args, env=env)

    def map(self, jobs: Iterable[Callable[[], T]]) -> list[T]:
        """Run independent jobs `self.jobs` at a time; results in the order given. The first
        failure is raised once every started job has ended."""
        jobs = list(jobs)
        if self.jobs == 1 or len(jobs) <= 1:
            return [job() for job in jobs]
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = [pool.submit(job) for job in jobs]
            return [f.result() for f in futures]


class Clock:
    """Wall and subprocess CPU time of one stretch of the evaluation."""

    def __init__(self, runner: Runner):
        self.runner = runner
        self.wall0, self.cpu0 = time.perf_counter(), runner.cpu_seconds

    def __str__(self) -> str:
        return (f"{time.perf_counter() - self.wall0:.0f} s wall, "
                f"{self.runner.cpu_seconds - self.cpu0:.0f} s CPU in subprocesses")
