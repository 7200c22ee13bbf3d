"""`make ui`: Airflow (`airflow standalone`) on this machine until Ctrl-C, then nothing left.

    python scripts/airflow_ui.py [--host 127.0.0.1] [--port 8080]

Airflow runs in a session of its own (setsid), its output in $AIRFLOW_HOME/ui.log. Ctrl-C (or
SIGTERM, or the terminal closing) stops it: SIGINT to every process group of that session (task
processes move to groups of their own, but stay in the session), then SIGTERM and SIGKILL to
every process still in it, and the script says whether anything survived.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Seconds to wait after SIGINT for a clean shutdown, then after SIGTERM, before SIGKILL. The API
# server, DAG processor and triggerer exit within ~5 s of SIGINT; the scheduler waits on its
# LocalExecutor workers, which do not exit on SIGINT and can sit on SIGTERM for over a minute.
GRACE_S, TERM_S = 8, 5


def session(sid: int) -> dict[int, int]:
    """pid -> process group of the live processes whose session id is `sid` (Linux /proc)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # state, ppid, pgrp, session, ... after "pid (comm) "
        if int(fields[3]) == sid and fields[0] != "Z":  # a zombie is already dead
            found[int(entry.name)] = int(fields[2])
    return found


def stop(proc: subprocess.Popen) -> list[int]:
    """Stop the session led by `proc`: SIGINT to each of its process groups (Airflow's
    components shut down cleanly on it), then SIGTERM and SIGKILL to every process left in
    it. Returns the pids still alive at the end (none, normally)."""
    sid = proc.pid
    for sig, wait in ((signal.SIGINT, GRACE_S), (signal.SIGTERM, TERM_S), (signal.SIGKILL, 5)):
        members = session(sid)
        targets = sorted(set(members.values())) if sig == signal.SIGINT else sorted(members)
        for target in targets:
            try:
                os.killpg(target, sig) if sig == signal.SIGINT else os.kill(target, sig)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            proc.poll()  # reap the leader
            if not session(sid):
                return []
            time.sleep(0.2)
    proc.poll()
    return sorted(session(sid))


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    home = Path(os.environ.get("AIRFLOW_HOME", "~/airflow")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    airflow = shutil.which("airflow") or str(Path(sys.executable).with_name("airflow"))
    if not _port_free(args.host, args.port):
        print(f"port {args.port} on {args.host} is taken (another `make ui`?): stop that first, or UI_PORT=8081 make ui",
              file=sys.stderr)
        return 1
    base = f"http://{args.host}:{args.port}"
    env = {**os.environ, "AIRFLOW__API__HOST": args.host, "AIRFLOW__API__PORT": str(args.port),
           "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base}/execution/",
           # 4 task slots: ~13 processes and ~1.8 GB instead of ~5.6 GB with the default 32.
           "AIRFLOW__CORE__PARALLELISM": os.environ.get("AIRFLOW__CORE__PARALLELISM", "4")}
    log = home / "ui.log"

    def _on_signal(signum, frame):
        raise KeyboardInterrupt

    # SIGINT too: a shell starting `make ui &` hands it over ignored, and Ctrl-C must still work.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    code, proc = 0, None
    try:
        with open(log, "w") as out:
            proc = subprocess.Popen([airflow, "standalone"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        print(f"Airflow is starting (its log: {log}); stop it with Ctrl-C.", flush=True)
        code = _serve(proc, base, home, log)
    except KeyboardInterrupt:
        pass
    finally:
        if proc is None:
            return 1
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
        print(f"\nstopping Airflow (at most {GRACE_S + TERM_S + 5} s) ...", flush=True)
        left = stop(proc)
        if left:
            print(f"still running after SIGKILL: {left}", file=sys.stderr)
            code = 1
        else:
            print("Airflow stopped; no process of it is left.", flush=True)
    return code


def _serve(proc: subprocess.Popen, base: str, home: Path, log: Path) -> int:
    """Wait for the API server, say where to log in, then wait for Ctrl-C; 1 if Airflow dies."""
    started = time.monotonic()
    while not _healthy(f"{base}/api/v2/monitor/health"):
        if proc.poll() is not None:
            print(f"airflow standalone exited with {proc.returncode}; the end of {log}:\n"
                  + "\n".join(log.read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
            return 1
        if time.monotonic() - started > 180:
            print(f"Airflow did not answer in 180 s; see {log}", file=sys.stderr)
            return 1
        time.sleep(1)
    passwords = home / "simple_auth_manager_passwords.json.generated"
    login = ""
    if passwords.is_file():
        users = json.loads(passwords.read_text() or "{}")
        login = "   ".join(f"{user} / {password}" for user, password in users.items())
    print(f"\nAirflow UI:    {base}    login: {login or f'see {passwords}'}\n"
          f"News archive:  {base}/plugin/news-archive  (and the 'News archive' tab of each news_archive run)\n"
          f"The DAG starts paused: runs come from `make run` (or unpause it in the UI).\n"
          f"Stop: Ctrl-C here (stops every Airflow process this started).", flush=True)
    while proc.poll() is None:
        time.sleep(1)
    print(f"airflow standalone exited with {proc.returncode}; see {log}", file=sys.stderr)
    return 1

if __name__ == "__main__":
    raise SystemExit(main())
