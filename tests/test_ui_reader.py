"""What the UI reads from an archive (newsarchive_ui.reader), on an archive written by the real
pipeline and on a small synthetic one in the benchmark's layout."""

import datetime as dt
import json
import shutil
import sys
from collections import Counter

import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, REPO
from newsarchive import archive, pipeline
from newsarchive.settings import Settings
from newsarchive_ui import reader as reader_module
from newsarchive_ui.reader import ArchiveReader, side_by_side, sort_and_page, words_diff

ACQUIRED = dt.date(2024, 1, 16)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """Two runs of the pipeline: the seeds with two copies and a bad file, then a later copy."""
    tmp = tmp_path_factory.mktemp("reader")
    landing, root = tmp / "landing", tmp / "archive"
    shutil.copytree(REPO / "include" / "seeds", landing)
    for copy in (FIXTURES / "syndicated").iterdir():
        shutil.copy(copy, landing)
    (landing / "broken.jsonl").write_text("{not json\n")
    settings = Settings(landing=str(landing), archive_root=str(root))
    first = pipeline.run(settings, run_id="run-1", acquired=ACQUIRED)
    later = tmp / "later"
    later.mkdir()
    text = (FIXTURES / "syndicated" / "meridian-diplomat-moscow.txt").read_text()
    (later / "reprint.txt").write_text(text.replace("Pyongyang", "Pyongyang,"))
    second = pipeline.run(settings.replace(landing=str(later)), run_id="run-2", acquired=ACQUIRED + dt.timedelta(1))
    return {"root": root, "first": first, "second": second}


def test_run_logs_in_publication_order(real):
    r = ArchiveReader(real["root"])
    logs = r.run_logs()
    assert [log["run_id"] for log in logs] == ["run-1", "run-2"]
    assert logs[0]["_published"] <= logs[1]["_published"]
    assert r.run_log("run-2")["duplicates"] == 1 and r.run_log("nope") is None
    assert ArchiveReader(real["root"] / "missing").run_logs() == []


def test_counts_from_run_logs_equal_the_footers(real, tmp_path):
    r = ArchiveReader(real["root"])
    totals = r.totals()
    assert totals.rows == {"articles": 5, "duplicates": 3, "quarantine": 1}
    assert totals.runs == 2 and totals.files == len(list(real["root"].glob("[adq]*/*/*.parquet")))
    # Without rows_per_partition in the logs (a run published before it existed), every file's
    # footer is read instead, with the same result.
    bare = tmp_path / "bare"
    shutil.copytree(real["root"], bare)
    for log in (bare / "_runs").glob("*.json"):
        data = json.loads(log.read_text())
        del data["rows_per_partition"], data["partitions_written"]
        log.write_text(json.dumps(data))
    for table in archive.TABLES:
        assert ArchiveReader(bare).partition_rows(table) == r.partition_rows(table)
        assert ArchiveReader(bare).run_partitions("run-1") == r.run_partitions("run-1")
    assert sorted(f.path for f in ArchiveReader(bare).run_files("duplicates", "run-1")) == \
        sorted(str(p).replace(str(real["root"]), str(bare)) for p in real["root"].glob("duplicates/*/part-run-1-c*.parquet"))


def test_files_being_written_are_not_read(real, tmp_path):
    root = tmp_path / "a"
    shutil.copytree(real["root"], root)
    part = next((root / "articles").iterdir())
    (part / "part-run-9.parquet.tmp").write_bytes(b"PAR1 half written")
    (part / "part-run-8.parquet").write_bytes(b"not parquet")  # unreadable: counted as empty
    assert ArchiveReader(root).totals().rows["articles"] == 5


def test_partition_listings_are_remembered_until_the_folder_changes(real, tmp_path):
    import os

    root = tmp_path / "a"
    shutil.copytree(real["root"], root)
    part = root / "articles" / "event_date=2024-01-14"
    os.utime(part, ns=(1_600_000_000 * 10**9,) * 2)  # an old folder: its listing is kept
    r = ArchiveReader(root)
    assert len([f for f in r.files("articles") if f.day == dt.date(2024, 1, 14)]) == 1
    shutil.copy(next(part.glob("part-run-1-c*.parquet")), part / "part-run-7.parquet")  # a later run's file
    assert [f.run_key for f in r.files("articles") if f.day == dt.date(2024, 1, 14)].count("run-7") == 1
    assert r.partition_rows("articles")[dt.date(2024, 1, 14)] == 2  # no log for run-7: its footer


def test_a_runs_rows_and_partitions(real):
    r = ArchiveReader(real["root"])
    dupes = r.run_rows("duplicates", "run-1", reader_module.DUPLICATE_COLUMNS)
    assert sorted(dupes.column("source_path").to_pylist()) == ["001_d9f85effd8569e74.txt", "meridian-diplomat-moscow.txt"]
    assert r.run_rows("duplicates", "run-2", ["source_path"]).column(0).to_pylist() == ["reprint.txt"]
    q = r.run_rows("quarantine", "run-1", reader_module.QUARANTINE_COLUMNS)
    assert q.column("reason").to_pylist() == ["not_an_article"] and "raw" not in q.column_names
    parts = r.run_partitions("run-1")
    assert {t: sum(n for _, n in p) for t, p in parts.items()} == {"articles": 5, "duplicates": 2, "quarantine": 1}
    assert parts["quarantine"] == [("acquired_date=2024-01-16", 1)]


def test_article_its_copies_and_a_duplicate(real):
    r = ArchiveReader(real["root"])
    dupe = r.duplicate("run-2", "reprint.txt")
    assert dupe["match"] == "near" and "Pyongyang," in dupe["text"]
    canonical = r.article(dupe["article_id"], dupe["event_date"])
    assert canonical["source_path"] == "harbourpost-nk-fm-russia.html" and canonical["text"]
    copies = r.copies(dupe["article_id"], dupe["event_date"])
    assert [c["run_id"] for c in copies] == ["run-1", "run-1", "run-2"]
    assert r.canonicals([(dupe["article_id"], dupe["event_date"])])[dupe["article_id"]]["title"] == canonical["title"]
    assert r.article(dupe["article_id"], dupe["event_date"] + dt.timedelta(1)) is None  # another partition
    assert r.duplicate("run-2", "reprint.txt", "0" * 64) is None


def test_search_by_title_url_and_id(real):
    r = ArchiveReader(real["root"])
    titles = {h["title"] for h in r.search("russia").hits}
    assert len(titles) == 4 and all("russia" in t.lower() for t in titles)
    assert [h["url"] for h in r.search("HARBOURPOST.example/world").hits] == [
        "https://harbourpost.example/world/2024/01/14/nk-fm-russia-visit"]
    some = r.search("kim").hits[0]
    assert [h["article_id"] for h in r.search(some["article_id"]).hits] == [some["article_id"]]
    assert some["article_id"] in [h["article_id"] for h in r.search(some["article_id"][:8]).hits]
    nothing = r.search("no such words anywhere")
    assert nothing.hits == [] and nothing.resume is None and nothing.searched_rows == 5
    assert r.search("  ").hits == []
    dates = [h["event_date"] for h in r.search("a").hits]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_search_pages_resume_where_they_stopped(real, monkeypatch):
    """Cut into pages by hit count and by time budget, the search yields every hit once."""
    r = ArchiveReader(real["root"])
    everything = [h["article_id"] for h in r.search("e", limit=100).hits]
    assert len(everything) == 5
    monkeypatch.setattr(reader_module, "SEARCH_CHUNK_COST", 1)  # one partition per DuckDB query
    for limit, budget in ((2, 10.0), (1, 10.0), (100, 0.0), (2, 0.0)):
        seen, resume, pages = [], None, 0
        while True:
            page = r.search("e", resume=resume, limit=limit, budget_s=budget)
            seen += [h["article_id"] for h in page.hits]
            pages += 1
            if page.resume is None:
                break
            resume = page.resume
        assert seen == everything, (limit, budget)
        assert pages > 1


def test_side_by_side_aligns_paragraphs():
    rows = side_by_side("A\nB\nC\nD", "A\nB two\nC\nE\nF")
    assert rows == [("A", "A", "same"), ("B", "B two", "changed"), ("C", "C", "same"),
                    ("D", "E", "changed"), (None, "F", "right")]
    assert side_by_side("A\nB", "A") == [("A", "A", "same"), ("B", None, "left")]
    left, right = words_diff("the cat sat down", "the dog sat down")
    assert left == [("the ", False), ("cat ", True), ("sat down", False)]
    assert right == [("the ", False), ("dog ", True), ("sat down", False)]


def test_sort_and_page(real):
    table = ArchiveReader(real["root"]).run_rows("duplicates", "run-1", reader_module.DUPLICATE_COLUMNS)
    rows, sort, page, pages = sort_and_page(table, "-similarity", ("source_path", "similarity"), 1, 1)
    assert (sort, page, pages, len(rows)) == ("-similarity", 1, 2, 1)
    assert rows.column("similarity")[0].as_py() == max(table.column("similarity").to_pylist())
    rows, sort, page, _ = sort_and_page(table, "raw; drop table", ("source_path",), 9, 1)
    assert (sort, page) == ("source_path", 2)  # unknown column: the default; past the end: the last page


def test_synthetic_archive_reads_like_a_published_one(tmp_path):
    """The benchmark's archive (benchmarks/ui_archive.py) in the archive's layout: the reader's
    counts from its run logs equal those of its files."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import ui_archive
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    counts = ui_archive.build(tmp_path / "s", articles=3000, runs=4, seed=3)
    r = ArchiveReader(tmp_path / "s")
    assert r.totals().rows == {"articles": counts["articles"], "duplicates": counts["duplicates"],
                               "quarantine": counts["quarantined"]}
    footers = Counter()
    for f in r.files("duplicates"):
        footers[f.day] += pq.read_metadata(f.path).num_rows
    assert r.partition_rows("duplicates") == dict(footers)
    for f in r.files("articles")[:5]:
        assert pq.read_schema(f.path).remove_metadata() == archive.ARTICLES_SCHEMA
