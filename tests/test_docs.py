"""Every query in README.md and docs/ runs, with the documented types, on an archive with no
duplicates and no quarantine rows as well as on a full one (DuckDB, Polars, pandas)."""

import re
import shutil

import duckdb
import pandas as pd
import polars as pl
import pytest

from conftest import FIXTURES, REPO, SEEDS, cli

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"```(python|sql)\n(.*?)```", re.S)


def _blocks(kind):
    found = []
    for doc in DOCS:
        for lang, code in BLOCK.findall(doc.read_text()):
            if lang == kind and "var/archive" in code:
                found.append(pytest.param(code, id=f"{doc.name}:{code.strip().splitlines()[0][:40]}"))
    return found


@pytest.fixture(scope="module", params=["new", "full"])
def archive_root(request, tmp_path_factory):
    """A new archive (the seeds: no duplicates, no quarantine) and a full one."""
    base = tmp_path_factory.mktemp(request.param)
    landing = base / "landing"
    shutil.copytree(SEEDS, landing)
    if request.param == "full":
        for copy in (FIXTURES / "syndicated").iterdir():
            shutil.copy(copy, landing)
        (landing / "empty.txt").write_bytes(b"")
        (landing / "big.txt").write_bytes(b"word " * 30_000)
    root = base / "archive"
    result = cli("run", "--input", landing, "--archive", root, "--acquired-date", "2024-01-16", "--workers", "1",
                 env={"NEWSARCHIVE_MAX_INPUT_BYTES": "100000"})
    assert result.returncode == 0, result.stderr
    return root


def test_every_snippet_is_collected():
    assert len(_blocks("python")) >= 4 and len(_blocks("sql")) >= 1


def _check_types(name, value):
    """Dates are dates, timestamps carry their zone, strings are plain strings."""
    if isinstance(value, duckdb.DuckDBPyRelation):
        types = dict(zip(value.columns, map(str, value.types)))
        value.fetchall()
    elif isinstance(value, pl.DataFrame):
        types = {c: str(t) for c, t in value.schema.items()}
    elif isinstance(value, pd.DataFrame):
        types = {c: str(t) for c, t in value.dtypes.items()}
        assert not any(t == "category" or t == "object" for t in types.values()), (name, types)
    else:
        return 0
    for column, kind in types.items():
        if column.endswith("_date"):
            assert kind.lower().startswith("date"), (name, column, kind)
        if column == "published_at":
            assert "utc" in kind.lower() or "time zone" in kind.lower(), (name, column, kind)
        if column in ("title", "site", "reason", "article_id", "source_path"):
            assert kind.lower() in ("varchar", "string", "str", "string[pyarrow]", "large_string[pyarrow]"), \
                (name, column, kind)
    return 1


@pytest.mark.parametrize("code", _blocks("python"))
def test_python_snippets_run_and_give_typed_frames(code, archive_root, capsys):
    namespace = {}
    exec(compile(code.replace("var/archive", str(archive_root)), "<doc snippet>", "exec"), namespace)
    checked = sum(_check_types(name, value) for name, value in namespace.items() if not name.startswith("_"))
    assert checked or "quarantined_bytes" in code
    if "articles" in namespace:  # the five seeds, on both archives (the copies join one of them)
        articles = namespace["articles"]
        count = len(articles.fetchall()) if isinstance(articles, duckdb.DuckDBPyRelation) else len(articles)
        assert count == 5
    if "kept" in namespace:  # the quarantine snippet: the bytes of every quarantined input, checked
        kept = namespace["kept"]
        assert len(kept) == len(namespace["rows"])
        if archive_root.parent.name.startswith("full"):
            assert kept["big.txt"] == b"word " * 30_000 and kept["empty.txt"] == b""


@pytest.mark.parametrize("code", _blocks("sql"))
def test_sql_snippets_run_in_duckdb(code, archive_root):
    relation = duckdb.sql(code.replace("var/archive", str(archive_root)).rstrip().rstrip(";"))
    types = dict(zip(relation.columns, map(str, relation.types)))
    rows = relation.fetchall()
    assert all(types[c] == "DATE" for c in types if c.endswith("_date"))
    assert isinstance(rows, list)


def test_a_new_archive_reads_as_empty_tables_with_their_types(tmp_path):
    archive_root = tmp_path / "archive"
    assert cli("run", "--input", SEEDS, "--archive", archive_root, "--acquired-date", "2024-01-16").returncode == 0
    frame = pl.scan_parquet(f"{archive_root}/duplicates/*/*.parquet", hive_partitioning=True,
                            hive_schema={"event_date": pl.Date}).collect()
    assert frame.height == 0 and frame.schema["event_date"] == pl.Date and frame.schema["similarity"] == pl.Float32
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{archive_root}/quarantine/*/*.parquet', hive_partitioning = true, "
                     f"hive_types = {{'acquired_date': DATE}})")
    assert rel.fetchall() == [] and dict(zip(rel.columns, map(str, rel.types)))["acquired_date"] == "DATE"
