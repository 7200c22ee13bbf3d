import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, SEEDS, cli


def _cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "newsarchive", *args], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(REPO / "plugins"), "PATH": "/usr/bin:/bin"})


def test_extract_writes_bodies_and_dates_csv(landing, tmp_path):
    (landing / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = _cli("extract", "--input", str(landing), "--output", str(out), "--acquired-date", "2024-01-16")
    assert result.returncode == 0, result.stderr
    assert "quarantined empty.txt: empty" in result.stderr
    bodies = sorted(p.stem for p in out.glob("*.txt"))
    assert bodies == sorted(p.stem for p in landing.glob("0*.txt"))
    body = (out / "001_d9f85effd8569e74.txt").read_text()
    assert body.startswith("SEOUL: North Korea’s foreign minister will visit Russia")
    assert "Read Comments" not in body and "14 Jan, 2024" not in body
    with open(out / "dates.csv", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert set(rows) == set(bodies)
    assert rows["001_d9f85effd8569e74"]["date"] == "2024-01-14"
    assert rows["000_53b4bdac026a502e"] == {"id": "000_53b4bdac026a502e", "date": "2024-01-16", "date_source": "acquired"}


def test_run_then_clusters_lists_every_archived_input(landing, tmp_path):
    shutil.copy(FIXTURES / "syndicated" / "meridian-diplomat-moscow.txt", landing)
    root = tmp_path / "archive"
    result = _cli("run", "--input", str(landing), "--archive", str(root), "--acquired-date", "2024-01-16")
    assert result.returncode == 0, result.stderr
    assert "canonical articles:    5" in result.stdout and "duplicates:            1  (near: 1)" in result.stdout
    clusters = _cli("clusters", "--archive", str(root))
    rows = list(csv.DictReader(clusters.stdout.splitlines()))
    assert len(rows) == 6 and len({r["cluster_id"] for r in rows}) == 5
    ids = {r["doc_id"]: r["cluster_id"] for r in rows}
    assert ids["meridian-diplomat-moscow"] == ids["001_d9f85effd8569e74"]
    summary = _cli("summary", "--archive", str(root))
    assert summary.returncode == 0 and summary.stdout == result.stdout


def test_bad_arguments_and_missing_input_are_clear_errors(tmp_path):
    result = _cli("run", "--input", str(tmp_path / "missing"), "--archive", str(tmp_path / "a"))
    assert result.returncode == 1 and result.stderr == (f"error: plan: landing folder does not exist: "
                                                        f"{tmp_path / 'missing'}: check the --input folder\n")
    result = _cli("extract", "--input", ".", "--output", str(tmp_path), "--acquired-date", "16/01/2024")
    assert result.returncode == 2 and "not a YYYY-MM-DD date" in result.stderr


def _last_line(result):
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else ""


@pytest.mark.parametrize("args, env, named", [
    (["--threshold", "2"], {}, "threshold"),
    ([], {"NEWSARCHIVE_THRESHOLD": "0"}, "threshold"),
    (["--window-days", "-3"], {}, "window_days"),
    (["--workers", "0"], {}, "--workers"),
    ([], {"NEWSARCHIVE_SHARD_SIZE": "lots"}, "shard_size"),
])
def test_the_command_line_rejects_what_the_dag_rejects_in_one_line(args, env, named, landing, tmp_path):
    result = cli("run", "--input", landing, "--archive", tmp_path / "a", *args, env=env)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ") and named in result.stderr
    assert not (tmp_path / "a").exists()


def test_missing_archive_is_an_error_not_an_empty_answer(tmp_path):
    for command in ("clusters", "summary"):
        result = cli(command, "--archive", tmp_path / "nope")
        assert result.returncode == 2 and _last_line(result) == f"error: archive not found: {tmp_path / 'nope'}: check --archive"
        assert result.stdout == ""


def test_csv_outputs_end_lines_with_newline_only(landing, tmp_path):
    out = tmp_path / "out"
    assert cli("extract", "--input", landing, "--output", out, "--acquired-date", "2024-01-16").returncode == 0
    assert b"\r" not in (out / "dates.csv").read_bytes()
    root = tmp_path / "archive"
    assert cli("run", "--input", landing, "--archive", root, "--acquired-date", "2024-01-16").returncode == 0
    clusters = subprocess.run([sys.executable, "-m", "newsarchive", "clusters", "--archive", str(root)],
                              capture_output=True, env={"PYTHONPATH": str(REPO / "plugins")})
    assert clusters.returncode == 0 and b"\r" not in clusters.stdout and clusters.stdout.count(b"\n") == 6


def test_a_read_only_checkout_run_by_another_user_works(tmp_path):
    """No write to the checkout (numba's cache goes to a per-user folder), as user nobody."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to switch to the unprivileged user 'nobody'")
    base = Path(tempfile.mkdtemp(prefix="newsarchive-ro-"))  # pytest's own tmp is root-only
    try:
        checkout = base / "checkout"
        shutil.copytree(REPO / "plugins", checkout / "plugins",
                        ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
        shutil.copytree(SEEDS, base / "landing")
        work = base / "work"
        work.mkdir()
        subprocess.run(["chmod", "-R", "a-w", str(checkout)], check=True)
        subprocess.run(["chmod", "-R", "a+rX", str(base)], check=True)
        work.chmod(0o777)
        result = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "newsarchive",
             "run", "--input", str(base / "landing"), "--archive", str(work / "archive"), "--acquired-date",
             "2024-01-16"], capture_output=True, text=True, cwd=work,
            env={"PYTHONPATH": str(checkout / "plugins"), "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"})
        assert result.returncode == 0, result.stderr
        assert "canonical articles:    5" in result.stdout
        assert not list((checkout / "plugins").rglob("__pycache__"))
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(base)])
        shutil.rmtree(base, ignore_errors=True)


def test_workers_die_with_a_killed_parent(tmp_path):
    import psutil

    landing = tmp_path / "landing"
    landing.mkdir()
    for n in range(300):
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, landing / f"{n:03d}-{seed.name}")
    run = subprocess.Popen([sys.executable, "-m", "newsarchive", "run", "--input", str(landing), "--archive",
                            str(tmp_path / "archive"), "--workers", "2", "--shard-size", "20"],
                           env={"PYTHONPATH": str(REPO / "plugins")}, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 120
    workers = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [c for c in parent.children(recursive=True) if "resource_tracker" not in " ".join(c.cmdline())]
        time.sleep(0.1)
    assert len(workers) >= 2, "the run never started its workers"
    time.sleep(1)  # let them clean
    run.kill()
    run.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"workers outlived their parent: {alive}"


def test_run_shows_a_progress_bar_on_a_terminal_and_plain_lines_otherwise(landing, tmp_path):
    import pty

    plain = cli("run", "--input", landing, "--archive", tmp_path / "a", "--acquired-date", "2024-01-16")
    assert plain.returncode == 0 and "cleaned 5 of 5 files" in plain.stderr and "\r" not in plain.stderr
    # On a terminal: a bar redrawn in place.
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command line on the pseudo-terminal
        os.environ.update({"PYTHONPATH": str(REPO / "plugins")})
        os.execv(sys.executable, [sys.executable, "-m", "newsarchive", "run", "--input", str(landing), "--archive",
                                  str(tmp_path / "b"), "--acquired-date", "2024-01-16"])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    assert b"\rcleaning [" in out and b"5/5 files" in out and b"canonical articles:    5" in out


def test_clean_tasks_log_their_progress(landing, tmp_path, monkeypatch, caplog):
    import logging

    from newsarchive import pipeline
    from newsarchive.settings import Settings

    monkeypatch.setattr(pipeline, "PROGRESS_EVERY_S", 0.0)  # every input instead of every 30 s
    settings = Settings(landing=str(landing), archive_root=str(tmp_path / "a"))
    [shard] = pipeline.plan(settings, "r", owner="airflow")
    with caplog.at_level(logging.INFO, logger="newsarchive.pipeline"):
        pipeline.clean_shard(shard["manifest"], run_id="r", acquired=__import__("datetime").date(2024, 1, 16),
                             settings=settings)
    lines = [r.getMessage() for r in caplog.records if " entries, " in r.getMessage()]
    assert lines and all(" of 5 entries, " in line and "docs/s" in line for line in lines)
