"""One writer per archive, and publishes a crash cannot leave half done: real processes,
real `kill -9`, real concurrent runs, a real full file system."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, SEEDS, archive_state, cli, generated_corpus
from newsarchive import archive, commit

ACQUIRED = "2024-03-14"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A landing folder that exercises every part of a publish: canonical articles and copies
    over several event dates, a quarantined file, one too large to keep in a row, and pages
    whose recurring lines become template evidence."""
    folder = tmp_path_factory.mktemp("corpus")
    generated_corpus(folder, random.Random(11))
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder)
    shutil.copy(FIXTURES / "syndicated" / "meridian-diplomat-moscow.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"a very long page " * 4000)
    return folder


def _run(landing, root, *extra, faults=None, timeout=300):
    env = {"NEWSARCHIVE_MAX_INPUT_BYTES": "50000"}
    if faults:
        env["NEWSARCHIVE_FAULTS"] = faults
    return cli("run", "--input", landing, "--archive", root, "--acquired-date", ACQUIRED, "--workers", "1",
               *extra, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("reference") / "archive"
    result = _run(corpus, root)
    assert result.returncode == 0, result.stderr
    state = archive_state(root)
    assert state["duplicates"] and state["quarantine"] and state["templates"] and state["blobs"]
    return state


@pytest.mark.parametrize("point", [
    "profile.written",  # the batch's evidence staged
    "clean.shard_written",  # rows staged, nothing decided
    "publish.before_commit",  # decided and validated, the lock held
    "commit.before_record",  # staged files flushed, partition folders made
    "commit.after_record",  # the commit point passed, nothing moved yet
    "commit.moved:1",  # the first table file moved
    "commit.moved:4",  # several moved: articles and duplicates split
    "commit.applied",  # every file moved, the staging folder not yet removed
])
def test_a_run_killed_at_any_step_converges_to_the_uninterrupted_archive(point, corpus, reference, tmp_path):
    root = tmp_path / "archive"
    killed = _run(corpus, root, faults=f"crash:{point}")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = _run(corpus, root)
    assert again.returncode == 0, again.stderr
    assert archive_state(root) == reference
    # Nothing of the dead run is left behind, and a third run adds nothing.
    assert not any((root / commit.STAGING).iterdir())
    assert not list((root / commit.COMMITS).glob("*.pending.json"))
    if point == "commit.after_record":  # and a later run over the same folder adds nothing
        assert _run(corpus, root).returncode == 0 and archive_state(root) == reference


def test_a_dead_writer_never_blocks_the_archive(tmp_path, corpus):
    root = tmp_path / "archive"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from newsarchive import commit
        with commit.archive_lock({str(root)!r}, holder="test holder", timeout_s=5):
            print("locked", flush=True)
            time.sleep(600)
        """)], env={"PYTHONPATH": str(REPO / "plugins")}, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        waited = _run(corpus, root, "--lock-timeout", "1")
        assert waited.returncode == 1
        [line] = waited.stderr.strip().splitlines()[-1:]
        assert line.startswith("error: plan: archive ") and "test holder" in line and "run again" in line
        assert not (root / "articles").exists()
    finally:
        holder.kill()  # kill -9: the kernel drops its lock
        holder.wait()
    assert _run(corpus, root, "--lock-timeout", "5").returncode == 0


def test_two_runs_started_together_archive_every_input_once(tmp_path, corpus, reference):
    root = tmp_path / "archive"
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NEWSARCHIVE_MAX_INPUT_BYTES": "50000"}
    runs = [subprocess.Popen([sys.executable, "-m", "newsarchive", "run", "--input", str(corpus), "--archive",
                              str(root), "--acquired-date", ACQUIRED, "--workers", "1", "--run-id", f"twin-{n}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in (1, 2)]
    outs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outs
    state = archive_state(root)
    keys = [(r["source_path"], r["source_sha256"]) for t in archive.TABLES for r in state[t]]
    assert len(keys) == len(set(keys)) == sum(len(reference[t]) for t in archive.TABLES)
    ids = [r["article_id"] for r in state["articles"]]
    assert len(ids) == len(set(ids))
    # Whoever published second decided again against the first: the same clusters as one run.
    assert {t: len(state[t]) for t in archive.TABLES} == {t: len(reference[t]) for t in archive.TABLES}
    assert state["logged"] == reference["logged"]
    # One of them archived everything; the other found it all archived (at clean, or when it
    # decided again under the lock) and added nothing.
    assert sorted("canonical articles:    0" in out for out, _ in outs) == [False, True]


def test_stale_staging_of_dead_runs_is_removed_and_live_runs_are_kept(tmp_path):
    root = tmp_path / "archive"
    dead = archive.staging_dir(root, "dead")
    commit.start_staging(dead, run_id="dead", kind="process")
    owner = json.loads((dead / commit.OWNER).read_text())
    child = subprocess.Popen(["sleep", "0"])
    child.wait()
    owner.update(pid=child.pid, pid_start="1")  # a process that is gone
    (dead / commit.OWNER).write_text(json.dumps(owner))
    alive = archive.staging_dir(root, "alive")
    commit.start_staging(alive, run_id="alive", kind="process")  # this very process
    quiet = archive.staging_dir(root, "airflow-run")
    commit.start_staging(quiet, run_id="airflow-run", kind="airflow")
    assert commit.remove_stale(root, keep=set(), ttl_s=3600) == ["dead"]
    assert alive.exists() and quiet.exists()
    # An Airflow run is judged by its heartbeat: untouched for longer than the TTL, it is dead.
    assert commit.remove_stale(root, keep=set(), ttl_s=3600, ) == []
    later = time.time() + 7200
    assert commit.is_stale(quiet, ttl_s=3600, now=later) and not commit.is_stale(alive, ttl_s=3600, now=later)


def _tmpfs(path: Path, size: str, inodes: int | None = None) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (f",nr_inodes={inodes}" if inodes else "")
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True).returncode == 0


# 400k: the staged rows do not fit; 95 inodes: the partition folders of the publish do not.
@pytest.mark.parametrize("size, inodes", [("400k", None), ("16m", 95)], ids=["bytes", "inodes"])
def test_a_full_file_system_ends_in_the_uninterrupted_archive_once_space_is_back(size, inodes, tmp_path, corpus,
                                                                                  reference):
    mount = tmp_path / "small"
    if os.geteuid() != 0 or not _tmpfs(mount, size, inodes):
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN); not available here")
    try:
        root = mount / "archive"
        full = _run(corpus, root)
        assert full.returncode == 1, full.stdout
        line = full.stderr.strip().splitlines()[-1]
        assert line.startswith("error: ") and "no space left on device" in line and "free space" in line
        assert not list((root / commit.COMMITS).glob("*.json")) if (root / commit.COMMITS).exists() else True
        subprocess.run(["mount", "-o", "remount,size=64m,nr_inodes=100000", str(mount)], check=True)
        again = _run(corpus, root)
        assert again.returncode == 0, again.stderr
        assert archive_state(root) == reference
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_permission_error_ends_in_the_uninterrupted_archive_once_rights_are_back(corpus, reference):
    """As user nobody, an archive folder it may not write: one line saying what to do, nothing
    written; once it may, the run gives the archive an uninterrupted run gives."""
    import tempfile

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to switch to the unprivileged user 'nobody'")
    base = Path(tempfile.mkdtemp(prefix="newsarchive-perm-"))  # pytest's own tmp is root-only
    try:
        shutil.copytree(corpus, base / "landing")
        root = base / "archive"
        root.mkdir()
        subprocess.run(["chmod", "-R", "a+rX", str(base)], check=True)

        def run_as_nobody():
            return subprocess.run(
                ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "newsarchive",
                 "run", "--input", str(base / "landing"), "--archive", str(root), "--acquired-date", ACQUIRED,
                 "--workers", "1"], capture_output=True, text=True,
                env={"PYTHONPATH": str(REPO / "plugins"), "HOME": "/nonexistent", "PATH": "/usr/bin:/bin",
                     "NEWSARCHIVE_MAX_INPUT_BYTES": "50000", "NUMBA_CACHE_DIR": str(base / "numba")})

        (base / "numba").mkdir(mode=0o777)
        (base / "numba").chmod(0o777)
        denied = run_as_nobody()
        assert denied.returncode == 1
        line = denied.stderr.strip().splitlines()[-1]
        assert line.startswith("error: plan: permission denied: ") and "give this user write access" in line, line
        assert list(root.iterdir()) == []
        root.chmod(0o777)
        allowed = run_as_nobody()
        assert allowed.returncode == 0, allowed.stderr
        assert archive_state(root) == reference
    finally:
        shutil.rmtree(base, ignore_errors=True)
