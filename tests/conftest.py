"""Test environment: Airflow is configured here, at import time, before any test module imports
it: a throwaway AIRFLOW_HOME with a SQLite metadata DB, this repo's dags/ and plugins/."""

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


@pytest.fixture
def landing(tmp_path):
    """A landing folder holding copies of the five seeds."""
    folder = tmp_path / "landing"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def archive_root(tmp_path):
    return tmp_path / "archive"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_home, ignore_errors=True)
