"""Every DAG file imports cleanly and news_archive is wired as operators expect."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "news_archive" in dagbag.dags


def test_news_archive_shape(dagbag):
    dag = dagbag.dags["news_archive"]
    assert dag.max_active_runs == 1 and dag.catchup is False
    assert dag.schedule == "@daily"
    assert set(dag.params.keys()) == {"landing", "archive_root", "threshold", "acquired_date"}
    assert dag.doc_md and "quarantine" in dag.doc_md
    assert [t.task_id for t in dag.topological_sort()] == ["plan", "profile", "clean", "dedupe", "validate", "publish"]
    assert dag.get_task("clean").is_mapped
    for task in dag.tasks:
        assert task.retries == (0 if task.task_id == "validate" else 2)
    [outlet] = dag.get_task("publish").outlets
    assert outlet.name == "news_archive/articles"


def test_package_imports_nothing_from_airflow():
    import subprocess
    import sys

    code = ("import sys; import newsarchive.pipeline, newsarchive.cli; "
            "sys.exit(any(m == 'airflow' or m.startswith('airflow.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO,
                            env={"PYTHONPATH": str(REPO / "plugins"), "PATH": ""})
    assert result.returncode == 0, "newsarchive imported Airflow"
