"""scripts/airflow_ui.py (`make ui`) leaves nothing behind: its stop() ends every process of the
session it started, also those in process groups of their own that ignore SIGINT and SIGTERM
(as Airflow's task processes and LocalExecutor workers may)."""

import importlib.util
import os
import subprocess
import sys
import time

from conftest import REPO

spec = importlib.util.spec_from_file_location("airflow_ui", REPO / "scripts" / "airflow_ui.py")
airflow_ui = importlib.util.module_from_spec(spec)
spec.loader.exec_module(airflow_ui)

# A leader that ignores SIGINT, with a child in its own process group that ignores SIGINT and
# SIGTERM, and a grandchild of that child; each prints its pid.
TREE = r"""
import os, signal, subprocess, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", '''
import os, signal, subprocess, sys, time
os.setpgid(0, 0)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(os.getpid(), grandchild.pid, flush=True)
time.sleep(600)
'''], stdout=subprocess.PIPE, text=True)
print(os.getpid(), child.stdout.readline().strip(), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_stop_ends_the_whole_session(monkeypatch):
    monkeypatch.setattr(airflow_ui, "GRACE_S", 1)
    monkeypatch.setattr(airflow_ui, "TERM_S", 1)
    proc = subprocess.Popen([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 3 and all(_alive(p) for p in pids)
        members = airflow_ui.session(proc.pid)
        assert set(pids) <= set(members) and len(set(members.values())) == 2  # two process groups
        started = time.monotonic()
        assert airflow_ui.stop(proc) == []
        assert time.monotonic() - started < 10
        assert not any(_alive(p) for p in pids)
    finally:
        for pid in airflow_ui.session(proc.pid):
            os.kill(pid, 9)
