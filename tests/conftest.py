"""Test environment: Airflow is configured here, at import time, before any test module imports
it: a throwaway AIRFLOW_HOME with a SQLite metadata DB, this repo's dags/ and plugins/."""

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "include" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_home = tempfile.mkdtemp(prefix="newsarchive-airflow-")
os.environ.update({
    "AIRFLOW_HOME": _home,
    "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
    "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_home}/airflow.db",
    "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
})
for key in [k for k in os.environ if k.startswith("NEWSARCHIVE_")]:
    del os.environ[key]  # tests build their own settings


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")} if folder.exists() else {}


@pytest.fixture(scope="session", autouse=True)
def var_is_left_alone():
    """The suite never reads or writes the user's own Airflow home and archive under var/."""
    before = _tree(REPO / "var")
    yield
    after = _tree(REPO / "var")
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the test suite changed var/: {changed[:5]}"


@pytest.fixture
def landing(tmp_path):
    """A landing folder holding copies of the five seeds."""
    folder = tmp_path / "landing"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def archive_root(tmp_path):
    return tmp_path / "archive"


def generated_corpus(folder, rnd):
    """30 stories over 10 days, 18 copies on other outlets within 0-2 days (retitled, last
    paragraph dropped, straight quotes): {file name: publication day}."""
    words = ("minister council budget harbour talks river energy court union market farmers rail "
             "festival museum election bridge school hospital airport police storm league film "
             "report plan vote coast tax price city mayor board strike deal trade ").split()
    outlets = [("Daily Meridian", "Home | World | Business"), ("Harbour Post", "News > Local"),
               ("The Courier", "Sections: Politics, Sport, Culture")]
    days = {}

    def page(outlet, title, day, paragraphs):
        name, crumbs = outlet
        return "\n".join([f"{title} | {name}", crumbs, title, f"Published {day:%B} {day.day}, {day.year}", "",
                          *(p + "\n" for p in paragraphs), "Share this article", f"© {day.year} {name}"]) + "\n"

    for story in range(30):
        day = dt.date(2024, 3, 1) + dt.timedelta(days=rnd.randrange(10))
        paragraphs = [" ".join(rnd.choice(words) for _ in range(rnd.randint(25, 45))).capitalize() + "."
                      for _ in range(rnd.randint(5, 8))]
        title = " ".join(rnd.choice(words) for _ in range(6)).title()
        (folder / f"story-{story:02d}.txt").write_text(page(outlets[story % 3], title, day, paragraphs))
        days[f"story-{story:02d}.txt"] = day
        if story % 5 < 3:
            copy_day = day + dt.timedelta(days=rnd.randrange(3))
            name = f"copy-{story:02d}.txt"
            (folder / name).write_text(page(outlets[(story + 1) % 3], "Update 1-" + title, copy_day, paragraphs[:-1]))
            days[name] = copy_day
    return days


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_home, ignore_errors=True)


def cli(*args, env=None, timeout=300, **kwargs):
    """`python -m newsarchive ...` in a real process, this repo's package first on the path."""
    import subprocess
    import sys

    full = {"PYTHONPATH": str(REPO / "plugins"), "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"),
            **(env or {})}
    return subprocess.run([sys.executable, "-m", "newsarchive", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, env=full, timeout=timeout, **kwargs)


def archive_state(root) -> dict:
    """What an archive holds, independent of which runs wrote it: every table's rows (without
    run ids), the evidence the runs learned, the kept bytes, and the totals of the run logs."""
    from newsarchive import archive

    root = Path(root)
    state = {}
    for table in archive.TABLES:
        rows = archive.read_table(root, table).to_pylist()
        for r in rows:
            r.pop("run_id", None)
            r.pop("pipeline_version", None)
        state[table] = sorted(rows, key=lambda r: (r["source_path"], r["source_sha256"]))
    for kind in archive.EVIDENCE:
        t = archive.read_evidence(root, kind)
        state[kind] = sorted(map(repr, t.to_pylist())) if t is not None else []
    blobs = root / archive.BLOBS
    state["blobs"] = sorted(p.name for p in blobs.iterdir()) if blobs.is_dir() else []
    logs = archive.run_summaries(root)
    state["logged"] = {k: sum(s[k] for s in logs) for k in ("articles", "duplicates", "quarantined")}
    state["logged"]["new_inputs"] = sum(s["inputs"] - s["already_archived"] for s in logs)
    return state
