"""A real run of the news_archive DAG (dag.test, SQLite metadata DB) on the seeds plus syndicated
copies, with the Parquet read back."""

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "include" / "seeds"
SYNDICATED = REPO / "tests" / "fixtures" / "syndicated"
LOGICAL = dt.datetime(2024, 1, 16, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def dag():
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    db.resetdb()
    return DagBag(dag_folder=str(REPO / "dags")).dags["news_archive"]


def _articles(root):
    return ds.dataset(root / "articles", format="parquet", partitioning="hive").to_table()


def test_dag_run_archives_seeds_and_links_copies(dag, tmp_path):
    landing, root = tmp_path / "landing", tmp_path / "archive"
    shutil.copytree(SEEDS, landing)
    for copy in SYNDICATED.iterdir():
        shutil.copy(copy, landing)
    (landing / "broken.jsonl").write_text("{not json\n")
    conf = {"landing": str(landing), "archive_root": str(root), "threshold": 0.5}

    run = dag.test(logical_date=LOGICAL, run_conf={**conf, "acquired_date": "2024-01-16"})
    assert run.state == "success"
    articles = _articles(root)
    duplicates = ds.dataset(root / "duplicates", format="parquet", partitioning="hive").to_table()
    quarantine = ds.dataset(root / "quarantine", format="parquet", partitioning="hive").to_table()
    assert articles.num_rows == 5 and duplicates.num_rows == 2 and quarantine.num_rows == 1
    assert set(articles.column("run_id").to_pylist()) == {run.run_id}
    assert set(articles.column("acquired_date").to_pylist()) == {LOGICAL.date()}
    canonical = [r for r in articles.to_pylist() if r["source_path"].startswith("harbourpost")][0]
    assert set(duplicates.column("article_id").to_pylist()) == {canonical["article_id"]}
    assert set(duplicates.column("source_path").to_pylist()) == {"001_d9f85effd8569e74.txt",
                                                                "meridian-diplomat-moscow.txt"}
    assert not any((root / "_staging").iterdir())

    # XCom carries counts and paths only, never article text.
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        values = [x.value for x in session.query(XComModel).filter(XComModel.run_id == run.run_id)]
    assert values and all("Choe Son" not in str(v) for v in values)
    # Downstream DAGs are told, through the alias, about the archive this run wrote and what it added.
    [event] = _events(root)
    assert event["extra"]["run_id"] == run.run_id
    assert {k: event["extra"][k] for k in ("inputs", "articles", "duplicates", "quarantined")} == \
        {"inputs": 8, "articles": 5, "duplicates": 2, "quarantined": 1}
    assert event["extra"]["quarantined_by_reason"] == {"not_an_article": 1}
    assert event["aliases"] == ["news_archive/articles"]

    # A second run over the same landing folder adds nothing; unpinned, its acquisition date is
    # the day it really ran (run_after), not its logical date.
    again = dag.test(logical_date=LOGICAL + dt.timedelta(days=1), run_conf={**conf, "acquired_date": ""})
    assert again.state == "success"
    from newsarchive import archive

    logs = {s["run_id"]: s for s in archive.run_summaries(root)}
    assert logs[again.run_id]["acquired_date"] == again.run_after.astimezone(dt.timezone.utc).date().isoformat()
    assert logs[again.run_id]["articles"] == 0 and logs[again.run_id]["already_archived"] == 8
    assert _articles(root).num_rows == 5
    assert ds.dataset(root / "duplicates", format="parquet", partitioning="hive").count_rows() == 2
    assert [e["extra"]["articles"] for e in _events(root)] == [5, 0]

    # Pointed at another archive, the same DAG writes there and its event names that archive.
    other = tmp_path / "elsewhere"
    third = dag.test(logical_date=LOGICAL + dt.timedelta(days=2),
                     run_conf={**conf, "archive_root": str(other), "acquired_date": "2024-01-16"})
    assert third.state == "success"
    assert _articles(other).num_rows == 5
    assert [(e["extra"]["run_id"], e["extra"]["articles"]) for e in _events(other)] == [(third.run_id, 5)]
    assert len(_events(root)) == 2


def test_a_command_line_run_beside_a_dag_run_archives_every_input_once(dag, tmp_path):
    """A CLI run and a DAG run on the same landing folder and archive at once: one writer at a
    time publishes, the other decides again against it; no input is archived twice."""
    import os
    import random
    import subprocess
    import sys

    sys.path.insert(0, str(REPO / "tests"))
    from conftest import generated_corpus
    from newsarchive import archive

    landing, root = tmp_path / "landing", tmp_path / "archive"
    landing.mkdir()
    generated_corpus(landing, random.Random(7))
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, landing)
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    beside = subprocess.Popen([sys.executable, "-m", "newsarchive", "run", "--input", str(landing), "--archive",
                               str(root), "--acquired-date", "2024-03-14", "--workers", "1"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    run = dag.test(logical_date=LOGICAL + dt.timedelta(days=60),
                   run_conf={"landing": str(landing), "archive_root": str(root), "threshold": 0.5})
    out, err = beside.communicate(timeout=300)
    assert beside.returncode == 0, err
    assert run.state == "success"
    keys = [k for t in archive.TABLES
            for k in zip(*(archive.read_table(root, t, ["source_path", "source_sha256"]).column(c).to_pylist()
                           for c in (0, 1)))]
    assert len(keys) == len(set(keys)) == len(list(landing.iterdir()))
    ids = archive.read_table(root, "articles", ["article_id"]).column(0).to_pylist()
    assert len(ids) == len(set(ids))


def _events(root):
    """Asset events for the articles of the archive at `root`, oldest first."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    uri = (root / "articles").resolve().as_uri()
    with create_session() as session:
        rows = session.query(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id).filter(
            AssetModel.uri == uri).order_by(AssetEvent.timestamp).all()
        return [{"extra": e.extra, "aliases": [a.name for a in e.source_aliases]} for e in rows]
def test_dag_run_on_a_crawl_and_a_compressed_export(dag, tmp_path, monkeypatch):
    """The real DAG on a CC-NEWS-style .warc.gz cut into byte ranges (one mapped clean task per
    range), a plain WARC/1.0, a truncated WARC and a .jsonl.gz export: every response record and
    every line is archived with its URL and crawl time or quarantined with a reason."""
    import sys

    sys.path.insert(0, str(REPO / "tests"))
    from newsarchive import archive
    from warcfiles import crawl_landing

    landing, root = tmp_path / "landing", tmp_path / "archive"
    landing.mkdir()
    inputs = crawl_landing(landing, 11)
    monkeypatch.setenv("NEWSARCHIVE_WARC_RANGE_BYTES", "16384")
    run = dag.test(logical_date=LOGICAL + dt.timedelta(days=90),
                   run_conf={"landing": str(landing), "archive_root": str(root), "threshold": 0.5,
                             "acquired_date": "2024-06-01"})
    assert run.state == "success"
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        mapped = session.query(TaskInstance).filter(TaskInstance.run_id == run.run_id,
                                                    TaskInstance.task_id == "clean").count()
    assert mapped >= 3  # the crawl's ranges and the other files spread over several clean tasks
    rows = {t: archive.read_table(root, t).to_pylist() for t in archive.TABLES}
    assert sorted(r["source_path"] for t in archive.TABLES for r in rows[t]) == sorted(inputs)
    for row in rows["articles"] + rows["duplicates"]:
        if ".warc" in row["source_path"]:
            assert row["url"] and row["crawled_at"] and row["acquired_date"] == row["crawled_at"].date()
    reasons = {r["source_path"].split("#")[1]: r["reason"] for r in rows["quarantine"] if ".warc" in r["source_path"]}
    assert {reasons.get(k) for k in ("urn:uuid:png", "urn:uuid:404", "urn:uuid:302")} == {
        "not_html", "http_error", "redirect"}
    assert "corrupt" in reasons.values()
    summary = archive.run_summaries(root)[-1]
    assert summary["warc_records_not_inputs"]["request"] == 40
