"""One writer at a time, and a publish that a crash cannot leave half done.

    _lock                      the archive's lock (flock): held while a run publishes
    _lock.owner                who holds it (JSON), for the message a waiting writer prints
    _staging/<run>/owner.json  who works in a staging folder (process or Airflow run), and when
                               it last made progress: dead runs' folders are removed
    _commits/<seq>-<run>.pending.json   a commit being applied (the commit point)
    _commits/<seq>-<run>.json           an applied commit: the run log of what moved where

Publishing a run (`commit`) happens under the lock: the run's files are staged and flushed,
then one commit record listing every move (table files, evidence, kept bytes, the run summary)
is written atomically, then the moves are made, then the record is renamed from `.pending`.
Whatever kills the process, the next writer (`recover`, run first under the lock) finds the
pending record and makes the moves that are left: a commit is all or nothing as soon as its
record exists, and nothing of a run is visible before it. A run killed before its record exists
left only its staging folder, which is removed once its owner is known to be dead.

The sequence number of the newest commit is the archive's version: a run that decided its
duplicates against an older version decides again under the lock before it commits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import logging
import os
import shutil
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import faults

log = logging.getLogger(__name__)

COMMITS = "_commits"
LOCK = "_lock"
STAGING = "_staging"
OWNER = "owner.json"


class ArchiveLocked(RuntimeError):
    """Another writer held the archive's lock for longer than the wait allowed."""


class StagingGone(RuntimeError):
    """A run's staging folder is missing (removed as stale, or never planned)."""


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _process_start(pid: int) -> str | None:
    """A process's start time in clock ticks since boot (tells a reused pid apart), or None
    when no such process runs."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return ""
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def me(kind: str = "process") -> dict:
    """This process as an owner: `kind` "process" (one process does the whole run: dead when
    the process is) or "airflow" (tasks of one run in many processes: judged by heartbeat)."""
    pid = os.getpid()
    return {"kind": kind, "host": socket.gethostname(), "boot_id": _boot_id(), "pid": pid,
            "pid_start": _process_start(pid)}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _write_json(path: Path, data: dict, *, durable: bool = False) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True, default=str)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- the lock -------------------------------------------------------------------------------

@contextlib.contextmanager
def archive_lock(root, *, holder: str, timeout_s: float, poll_s: float = 0.2):
    """Hold the archive's lock (flock on `<root>/_lock`: released by the kernel when the
    holder dies, so a dead writer never blocks the archive). Waits up to `timeout_s`, logging
    who holds it, then raises ArchiveLocked."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o664)
    try:
        start, noted = time.monotonic(), None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            waited = time.monotonic() - start
            if waited >= timeout_s:
                raise ArchiveLocked(f"archive {root} is being written by {_holder(root)}; waited {waited:.0f} s "
                                    f"(lock_timeout_s): run again when it has finished")
            if noted is None or time.monotonic() - noted >= 30:
                log.warning("waiting for the archive lock, held by %s", _holder(root))
                noted = time.monotonic()
            time.sleep(poll_s)
        _write_json(root / f"{LOCK}.owner", {"holder": holder, "since": _now(), **me()})
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _holder(root: Path) -> str:
    try:
        info = json.loads((root / f"{LOCK}.owner").read_text())
        return f"{info.get('holder')} (pid {info.get('pid')} on {info.get('host')}, since {info.get('since')})"
    except (OSError, ValueError):
        return "another writer"


# --- staging folders and their owners --------------------------------------------------------

def start_staging(stage: Path, *, run_id: str, kind: str) -> str:
    """(Re)create a run's staging folder owned by this process; returns the attempt id that
    tells this planning of the run from an earlier one."""
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    attempt = uuid.uuid4().hex[:12]
    _write_json(stage / OWNER, {"run_id": run_id, "attempt": attempt, "started": _now(), "heartbeat": _now(),
                                **me(kind)})
    return attempt


def read_owner(stage: Path) -> dict:
    try:
        return json.loads((stage / OWNER).read_text())
    except FileNotFoundError:
        raise StagingGone(f"the staging folder {stage} is gone (removed as stale, or the run was never "
                          f"planned): run the whole run again from plan") from None


def touch(stage: Path) -> dict:
    """Record progress in a staging folder (a step of its run starts). An Airflow run's steps
    run in many processes: the newest one is noted, for the operator."""
    owner = read_owner(stage)
    owner["heartbeat"] = _now()
    if owner.get("kind") == "airflow":
        owner.update(me("airflow"))
    _write_json(stage / OWNER, owner)
    return owner


def is_stale(stage: Path, *, ttl_s: float, now: float | None = None) -> bool:
    """Whether a staging folder belongs to a dead run: its owning process is gone (same
    machine, one process per run), or nothing touched it for `ttl_s` (other machines, Airflow
    runs whose tasks run in many processes)."""
    now = time.time() if now is None else now
    try:
        owner = json.loads((stage / OWNER).read_text())
        beat = dt.datetime.fromisoformat(owner["heartbeat"]).timestamp()
    except (OSError, ValueError, KeyError):
        try:
            return now - stage.stat().st_mtime > ttl_s
        except OSError:
            return False
    if owner.get("kind") == "process" and owner.get("host") == socket.gethostname() \
            and owner.get("boot_id") == _boot_id():
        start = _process_start(int(owner["pid"]))
        return start is None or (bool(start) and bool(owner.get("pid_start")) and start != owner["pid_start"])
    if owner.get("kind") == "process" and owner.get("boot_id") and owner.get("host") == socket.gethostname():
        return True  # the machine rebooted since: its processes are gone
    return now - beat > ttl_s


def remove_stale(root, *, keep: set[str], ttl_s: float) -> list[str]:
    """Remove the staging folders of dead runs (never one a pending commit needs: call
    `recover` first). Returns the folder names removed."""
    base = Path(root) / STAGING
    removed = []
    if not base.is_dir():
        return removed
    for stage in sorted(p for p in base.iterdir() if p.is_dir()):
        if stage.name in keep or not is_stale(stage, ttl_s=ttl_s):
            continue
        shutil.rmtree(stage, ignore_errors=True)
        removed.append(stage.name)
        log.warning("removed the staging folder of a dead run: %s", stage.name)
    return removed


# --- commits ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Commit:
    seq: int
    run_id: str
    attempt: str
    moves: list[tuple[str, str]]  # (staged path, archive path), both relative to the root
    summary: dict
    pending: bool
    path: Path


def _commits(root) -> list[Commit]:
    folder = Path(root) / COMMITS
    if not folder.is_dir():
        return []
    out = []
    for path in folder.iterdir():
        if not path.name.endswith(".json") or ".tmp-" in path.name:
            continue
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # a torn temporary file never becomes a record: records are renamed into place
        out.append(Commit(int(data["seq"]), data["run_id"], data["attempt"], [tuple(m) for m in data["moves"]],
                          data.get("summary", {}), path.name.endswith(".pending.json"), path))
    return sorted(out, key=lambda c: c.seq)


def version(root) -> int:
    """The archive's version: the sequence number of its newest applied commit (0 when none).
    A commit still being applied does not count: its files are not all visible yet."""
    folder = Path(root) / COMMITS
    if not folder.is_dir():
        return 0
    seqs = [int(p.name.split("-", 1)[0]) for p in folder.iterdir()
            if p.name.endswith(".json") and not p.name.endswith(".pending.json") and ".tmp-" not in p.name
            and p.name.split("-", 1)[0].isdigit()]
    return max(seqs, default=0)


def settled(root) -> tuple[int, bool]:
    """(version, whether no commit is being applied): rows read between two equal readings
    with nothing pending are the archive of that version."""
    folder = Path(root) / COMMITS
    busy = folder.is_dir() and any(p.name.endswith(".pending.json") for p in folder.iterdir())
    return version(root), not busy


def find(root, run_id: str, attempt: str | None = None) -> Commit | None:
    """The newest applied commit of a run (of one attempt of it, when given)."""
    found = [c for c in _commits(root) if c.run_id == run_id and (attempt is None or c.attempt == attempt)]
    return found[-1] if found else None


def recover(root) -> list[int]:
    """Finish every commit a crash interrupted (call under the lock). Returns their seqs."""
    done = []
    for c in _commits(root):
        if c.pending:
            log.warning("finishing commit %d of run %s, interrupted by a crash", c.seq, c.run_id)
            _apply(Path(root), c)
            done.append(c.seq)
    return done


def commit(root, stage: Path, *, run_id: str, attempt: str, moves: list[tuple[Path, str]], summary: dict) -> Commit:
    """Publish a run's staged files (call under the lock, after `recover`): `moves` pairs each
    staged file with its path relative to the archive root (`{commit}` in it becomes the
    commit's number); `summary` is the run log. All or nothing once the record is written."""
    root = Path(root)
    seq = max([version(root)] + [c.seq for c in _commits(root)]) + 1
    summary = {**summary, "commit": seq}
    run_log = stage / "run.json"
    _write_json(run_log, summary)
    # Published names carry the commit's number (`{commit}` in `moves`): a rerun of the same
    # run never overwrites what an earlier commit published.
    staged = [(src, dst.format(commit=f"{seq:06d}")) for src, dst in moves]
    staged.append((run_log, f"_runs/{_key(run_id)}-c{seq:06d}.json"))
    for src, dst in staged:
        _fsync_file(src)  # the rows are on disk before the record that publishes them
        (root / dst).parent.mkdir(parents=True, exist_ok=True)  # inodes taken before the commit point
    folder = root / COMMITS
    folder.mkdir(exist_ok=True)
    record = {"seq": seq, "run_id": run_id, "attempt": attempt, "committed": _now(),
              "moves": [[str(src.relative_to(root)), dst] for src, dst in staged], "summary": summary}
    faults.crash_point("commit.before_record")
    pending = folder / f"{seq:06d}-{_key(run_id)}.pending.json"
    _write_json(pending, record, durable=True)
    faults.crash_point("commit.after_record")
    c = Commit(seq, run_id, attempt, [tuple(m) for m in record["moves"]], summary, True, pending)
    return _apply(root, c)


def _apply(root: Path, c: Commit) -> Commit:
    """Make the moves a commit record lists that are not made yet, then mark it applied."""
    stages = set()
    for src, dst in c.moves:
        source, target = root / src, root / dst
        stages.add(Path(src).parts[:2])
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            if dst.startswith("_blobs/") and target.exists():
                source.unlink()  # kept bytes are named by their sha256: already there
            else:
                os.replace(source, target)
            faults.crash_point("commit.moved")
        elif not target.exists():
            log.error("commit %d: %s is neither staged nor published", c.seq, dst)
    for src, dst in c.moves:  # a folder a move emptied (a retired placeholder's) goes too
        if not src.startswith(STAGING + "/"):
            with contextlib.suppress(OSError):
                (root / src).parent.rmdir()
    _fsync_dir(root)
    applied = c.path.with_name(c.path.name.replace(".pending.json", ".json"))
    if c.pending:
        os.replace(c.path, applied)
    faults.crash_point("commit.applied")
    for parts in stages:
        if len(parts) == 2 and parts[0] == STAGING:
            shutil.rmtree(root / parts[0] / parts[1], ignore_errors=True)
    return Commit(c.seq, c.run_id, c.attempt, c.moves, c.summary, False, applied)


def _key(run_id: str) -> str:
    from .archive import run_key

    return run_key(run_id)
