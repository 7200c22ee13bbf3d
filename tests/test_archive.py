import datetime as dt
import re
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, REPO
from newsarchive import archive, commit, pipeline
from newsarchive.settings import Settings


@pytest.fixture(scope="module")
def built_archive(tmp_path_factory):
    """The seeds, one syndicated copy and one bad file, archived once for the module."""
    base = tmp_path_factory.mktemp("built")
    landing = base / "landing"
    shutil.copytree(REPO / "include" / "seeds", landing)
    shutil.copy(FIXTURES / "syndicated" / "meridian-diplomat-moscow.txt", landing)
    (landing / "empty.txt").write_bytes(b"")
    settings = Settings(landing=str(landing), archive_root=str(base / "archive"))
    pipeline.run(settings, run_id="scheduled__2024-01-16T00:00:00+00:00", acquired=dt.date(2024, 1, 16))
    return base / "archive"


def test_files_are_zstd_parquet_in_hive_partitions_named_after_the_run(built_archive):
    files = sorted(p.relative_to(built_archive).as_posix() for p in built_archive.rglob("*.parquet")
                   if not p.parts[-2].startswith("_"))
    assert files and all(re.fullmatch(
        r"(articles|duplicates)/event_date=\d{4}-\d\d-\d\d/part-scheduled__2024-01-16T00_00_00_00_00-c000001\.parquet"
        r"|quarantine/acquired_date=2024-01-16/part-scheduled__2024-01-16T00_00_00_00_00-c000001\.parquet", f)
        for f in files), files
    meta = pq.ParquetFile(built_archive / files[0]).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"


@pytest.mark.parametrize("table", archive.TABLES)
def test_each_table_reads_back_with_its_schema(built_archive, table):
    rows = archive.read_table(built_archive, table)
    assert rows.schema == archive.with_partition(table)
    assert rows.num_rows == {"articles": 5, "duplicates": 1, "quarantine": 1}[table]


def test_schema_doc_lists_every_column():
    doc = (REPO / "docs" / "schema.md").read_text()
    for table in archive.TABLES:
        for name in archive.with_partition(table).names:
            assert f"`{name}`" in doc, (table, name)


def test_staged_rows_are_invisible_until_committed(tmp_path):
    rows = pa.table({"source_path": ["a"], "source_path_bytes": pa.array([None], pa.binary()),
                     "source_sha256": ["x"], "reason": ["empty"], "detail": ["no bytes"],
                     "size_bytes": pa.array([0], pa.int64()), "raw": pa.array([b""], pa.large_binary()),
                     "raw_path": pa.array([None], pa.string()), "url": pa.array([None], pa.string()),
                     "crawled_at": pa.array([None], archive.UTC_TS), "run_id": ["r"], "pipeline_version": ["t"],
                     "acquired_date": pa.array([dt.date(2024, 1, 2)], pa.date32())})
    stage = archive.staging_dir(tmp_path, "r")
    commit.start_staging(stage, run_id="r", kind="process")
    archive.write_partitioned(stage, "quarantine", rows, "r")
    assert archive.read_table(tmp_path, "quarantine").num_rows == 0
    assert archive.read_staged(tmp_path, "r", "quarantine").num_rows == 1
    commit.commit(tmp_path, stage, run_id="r", attempt="a", moves=archive.publish_moves(tmp_path, "r"),
                  summary={"run_id": "r"})
    assert archive.read_table(tmp_path, "quarantine").column("acquired_date").to_pylist() == [dt.date(2024, 1, 2)]
    assert not stage.exists()
    assert archive.run_summaries(tmp_path) == [{"run_id": "r", "commit": 1}]
