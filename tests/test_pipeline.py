"""The pipeline's invariants, end to end on real files, without Airflow."""

import datetime as dt
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from conftest import FIXTURES, cli, generated_corpus
from newsarchive import archive, pipeline
from newsarchive.settings import Settings

ACQUIRED = dt.date(2024, 1, 16)
SYNDICATED = FIXTURES / "syndicated"


def _settings(landing, root, **kw):
    return Settings(landing=str(landing), archive_root=str(root), **kw)


def _run(landing, root, run_id="run-1", acquired=ACQUIRED, **kw):
    return pipeline.run(_settings(landing, root, **kw), run_id=run_id, acquired=acquired)


def _tables(root):
    return {t: archive.read_table(root, t) for t in archive.TABLES}


def _placements(root):
    """source_path -> the tables it is found in."""
    where = {}
    for table, rows in _tables(root).items():
        for path in rows.column("source_path").to_pylist():
            where.setdefault(path, []).append(table)
    return where


def _snapshot(root):
    """Every published file's bytes, by path (run logs and commit records aside: a rerun adds
    its own, and the lock files are the lock's)."""
    return {p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in Path(root).rglob("*")
            if p.is_file() and not {"_runs", "_commits"} & set(p.parts) and not p.name.startswith("_lock")}


def test_seeds_become_five_articles_read_back_from_parquet(landing, archive_root):
    summary = _run(landing, archive_root)
    assert (summary["inputs"], summary["articles"], summary["duplicates"], summary["quarantined"]) == (5, 5, 0, 0)

    # An analyst's read: hive partitions, event_date typed as a date.
    part = ds.partitioning(pa.schema([("event_date", pa.date32())]), flavor="hive")
    table = ds.dataset(archive_root / "articles", format="parquet", partitioning=part).to_table()
    assert table.num_rows == 5
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("minhash").type == pa.list_(pa.uint32(), 128)
    rows = {r["source_path"]: r for r in table.to_pylist()}
    assert sorted(rows) == sorted(p.name for p in landing.iterdir())
    for row in rows.values():
        assert row["article_id"] == row["content_sha256"][:32]
        assert row["text"] and row["word_count"] > 100 and row["language"] == "en"
        assert row["acquired_date"] == ACQUIRED and row["run_id"] == "run-1"
        assert row["source_sha256"] == hashlib.sha256((landing / row["source_path"]).read_bytes()).hexdigest()
    # 001 writes its date ("14 Jan, 2024"); 000 writes none and falls back to the acquisition day.
    assert rows["001_d9f85effd8569e74.txt"]["event_date"] == dt.date(2024, 1, 14)
    assert rows["000_53b4bdac026a502e.txt"]["event_date_source"] == "acquired"
    assert rows["000_53b4bdac026a502e.txt"]["event_date"] == ACQUIRED
    assert not (archive_root / "_staging" / "run-1").exists()


def test_every_input_lands_in_exactly_one_table(landing, archive_root):
    shutil.copy(SYNDICATED / "meridian-diplomat-moscow.txt", landing)
    (landing / "empty.txt").write_bytes(b"")
    (landing / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (landing / "feed.jsonl").write_text('{"url": "https://x.example/1", "title": "no body"}\n{oops\n')
    summary = _run(landing, archive_root)

    where = _placements(archive_root)
    expected = {p.name for p in landing.iterdir() if p.suffix != ".jsonl"} | {"feed.jsonl#1", "feed.jsonl#2"}
    assert set(where) == expected
    assert all(len(tables) == 1 for tables in where.values()), where
    q = _tables(archive_root)["quarantine"]
    reasons = dict(zip(q.column("source_path").to_pylist(), q.column("reason").to_pylist()))
    assert reasons == {"empty.txt": "empty", "photo.html": "binary",
                       "feed.jsonl#1": "not_an_article", "feed.jsonl#2": "not_an_article"}
    raw = dict(zip(q.column("source_path").to_pylist(), q.column("raw").to_pylist()))
    assert raw["photo.html"] == (landing / "photo.html").read_bytes()  # nothing lost on purge
    assert raw["feed.jsonl#2"] == b"{oops"
    assert summary["quarantined_by_reason"] == {"empty": 1, "binary": 1, "not_an_article": 2}
    # The run log counts the rows of every file the run added, partition by partition.
    for table, rows in _tables(archive_root).items():
        key = archive.PARTITION_KEY[table]
        counted = Counter(f"{key}={day.isoformat()}" for day in rows.column(key).to_pylist())
        assert summary["rows_per_partition"][table] == dict(counted)
    assert sum(summary["rows_per_partition"]["articles"].values()) == summary["articles"]
    assert json.loads((archive_root / "_runs" / "run-1-c000001.json").read_text())["published_at"]


def test_syndicated_copies_and_the_seed_form_one_article(landing, archive_root):
    shutil.copy(SYNDICATED / "meridian-diplomat-moscow.txt", landing)
    shutil.copy(SYNDICATED / "harbourpost-nk-fm-russia.html", landing)
    summary = _run(landing, archive_root)
    assert (summary["articles"], summary["duplicates"]) == (5, 2)
    t = _tables(archive_root)
    # The HTML copy states its publication time (and zone): the earliest known time wins.
    [canonical] = [r for r in t["articles"].to_pylist() if r["source_path"].startswith("harbourpost")]
    assert canonical["published_at"] == dt.datetime(2024, 1, 14, 2, 5, tzinfo=dt.timezone.utc)
    dups = {r["source_path"]: r for r in t["duplicates"].to_pylist()}
    assert set(dups) == {"001_d9f85effd8569e74.txt", "meridian-diplomat-moscow.txt"}
    for dup in dups.values():
        assert dup["article_id"] == canonical["article_id"]
        assert dup["match"] == "near" and dup["similarity"] >= 0.5
        assert dup["event_date"] == canonical["event_date"] == dt.date(2024, 1, 14)


def test_rerun_adds_nothing_and_rewrites_nothing(landing, archive_root):
    shutil.copy(SYNDICATED / "meridian-diplomat-moscow.txt", landing)
    (landing / "empty.txt").write_bytes(b"")
    _run(landing, archive_root, run_id="run-1")
    before = _snapshot(archive_root)
    again = _run(landing, archive_root, run_id="run-2")
    assert (again["already_archived"], again["articles"], again["duplicates"], again["quarantined"]) == (7, 0, 0, 0)
    retry = _run(landing, archive_root, run_id="run-1")  # the same run retried
    assert retry["already_archived"] == 7
    assert _snapshot(archive_root) == before


def test_an_archive_inside_the_landing_folder_is_never_read_as_input(landing):
    inside = landing / "archive"
    first = _run(landing, inside, run_id="run-1")
    before = _snapshot(inside)
    again = _run(landing, inside, run_id="run-2")
    assert (again["inputs"], again["already_archived"], again["quarantined"]) == (first["inputs"], first["inputs"], 0)
    assert _snapshot(inside) == before
    with pytest.raises(pipeline.StepFailed, match="landing folder is the archive root"):
        _run(landing, landing, run_id="run-3")


def test_same_body_in_another_file_is_an_exact_duplicate(landing, archive_root):
    _run(landing, archive_root, run_id="day-1")
    later = landing.parent / "day2"
    later.mkdir()
    # Same page, re-crawled with a different footer: the bytes differ, the clean body does not.
    page = (landing / "002_810f5af7d3cafd06.txt").read_text()
    (later / "recrawl-002.txt").write_text(page + "\nTerms of use | Privacy\n")
    summary = _run(later, archive_root, run_id="day-2", acquired=ACQUIRED + dt.timedelta(days=1))
    assert (summary["articles"], summary["duplicates"]) == (0, 1)
    dup = _tables(archive_root)["duplicates"].to_pylist()[0]
    seed = [r for r in _tables(archive_root)["articles"].to_pylist() if r["source_path"].startswith("002_")][0]
    assert (dup["match"], dup["similarity"], dup["article_id"]) == ("exact", 1.0, seed["article_id"])


def test_copy_in_a_later_run_joins_the_archived_canonical(landing, archive_root):
    _run(landing, archive_root, run_id="day-1")
    later = landing.parent / "day2"
    later.mkdir()
    shutil.copy(SYNDICATED / "meridian-diplomat-moscow.txt", later)
    summary = _run(later, archive_root, run_id="day-2", acquired=ACQUIRED + dt.timedelta(days=1))
    assert (summary["articles"], summary["duplicates"]) == (0, 1)
    t = _tables(archive_root)
    seed = [r for r in t["articles"].to_pylist() if r["source_path"].startswith("001_")][0]
    assert t["duplicates"].column("article_id").to_pylist() == [seed["article_id"]]
    assert t["articles"].column("run_id").to_pylist() == ["day-1"] * 5  # archived rows untouched


def test_copy_outside_the_event_date_window_is_not_compared(landing, archive_root):
    _run(landing, archive_root, run_id="day-1", window_days=7)
    later = landing.parent / "later"
    later.mkdir()
    page = (SYNDICATED / "meridian-diplomat-moscow.txt").read_text()
    (later / "copy.txt").write_text(page.replace("January 14, 2024", "March 30, 2024"))
    summary = _run(later, archive_root, run_id="day-2", acquired=dt.date(2024, 3, 31), window_days=7)
    assert (summary["articles"], summary["duplicates"]) == (1, 0)


def test_broken_invariant_fails_validation_and_publishes_nothing(landing, archive_root):
    settings = _settings(landing, archive_root)
    shards = pipeline.plan(settings, "bad-run")
    for s in shards:
        pipeline.clean_shard(s["manifest"], run_id="bad-run", acquired=ACQUIRED, settings=settings)
    pipeline.deduplicate(run_id="bad-run", acquired=ACQUIRED, settings=settings)
    # Lose one staged article file, as a crashed or buggy writer would.
    staged = archive.staged_files(archive_root, "bad-run")["articles"]
    staged[0].unlink()
    with pytest.raises(pipeline.InvariantError, match="inputs in no table"):
        pipeline.validate(run_id="bad-run", settings=settings)
    assert archive.dataset(archive_root, "articles") is None


def test_extraction_timeout_quarantines_the_page_and_the_run_goes_on(landing, archive_root):
    big = "<html><body>" + "<div><p>word " * 20000 + "</body></html>"
    (landing / "runaway.html").write_text(big)
    summary = _run(landing, archive_root, extract_timeout_s=0.01)
    assert summary["articles"] == 5 and summary["quarantined_by_reason"] == {"extract_timeout": 1}
    q = _tables(archive_root)["quarantine"].to_pylist()[0]
    assert q["source_path"] == "runaway.html" and q["raw"] == big.encode()


def _clusters(root):
    groups = {}
    for table in ("articles", "duplicates"):
        t = archive.read_table(root, table, ["source_path", "article_id"])
        for path, aid in zip(t.column(0).to_pylist(), t.column(1).to_pylist()):
            groups.setdefault(aid, set()).add(path)
    return sorted(sorted(g) for g in groups.values())


def test_five_daily_batches_give_the_clusters_of_one_run(tmp_path):
    import random

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    days = generated_corpus(corpus, random.Random(5))
    one = tmp_path / "one"
    _run(corpus, one, run_id="all", acquired=dt.date(2024, 3, 14))
    clusters = _clusters(one)
    assert len(clusters) == 30 and sum(len(c) == 2 for c in clusters) == 18

    daily = tmp_path / "daily"
    order = sorted(days, key=lambda name: (days[name], name))
    published = {}
    for n in range(5):
        landing = tmp_path / f"day-{n}"
        landing.mkdir()
        for name in order[n * len(order) // 5:(n + 1) * len(order) // 5]:
            shutil.copy(corpus / name, landing)
        _run(landing, daily, run_id=f"day-{n}", acquired=max(days[p.name] for p in landing.iterdir()))
        for path, files in _snapshot(daily).items():
            published.setdefault(path, files)
        assert all(_snapshot(daily)[p] == h for p, h in published.items())  # nothing rewritten
    assert _clusters(daily) == clusters


def test_parallel_workers_give_the_archive_of_one_process(tmp_path, landing):
    shutil.copy(SYNDICATED / "meridian-diplomat-moscow.txt", landing)
    one, two = tmp_path / "one", tmp_path / "two"
    pipeline.run(_settings(landing, one, shard_size=2), run_id="r", acquired=ACQUIRED)
    pipeline.run(_settings(landing, two, shard_size=2), run_id="r", acquired=ACQUIRED, workers=2)
    for table in archive.TABLES:
        assert archive.read_table(one, table).equals(archive.read_table(two, table))


def test_jsonl_articles_keep_their_url_source_and_declared_date(tmp_path, archive_root):
    landing = tmp_path / "feed"
    landing.mkdir()
    body = (SYNDICATED / "meridian-diplomat-moscow.txt").read_text()
    html = (SYNDICATED / "harbourpost-nk-fm-russia.html").read_text()
    lines = [
        {"url": "https://meridian.example/world/2024/01/14/diplomat", "text": body,
         "published": "2024-01-14T09:40:00+09:00", "source": "Daily Meridian"},
        {"url": "https://harbourpost.example/world/nk-fm-russia", "html": html},
        {"url": "https://x.example/no-body", "title": "only a title"},
    ]
    (landing / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    summary = _run(landing, archive_root)
    assert (summary["articles"], summary["duplicates"], summary["quarantined"]) == (1, 1, 1)
    rows = {r["source_path"]: r for t in ("articles", "duplicates") for r in _tables(archive_root)[t].to_pylist()}
    first = rows["feed.jsonl#1"]
    # site: the URL's registered host (sites.site_of), the key the evidence is filed under too
    assert (first["url"], first["site"]) == ("https://meridian.example/world/2024/01/14/diplomat", "meridian.example")
    assert first["published_at"] == dt.datetime(2024, 1, 14, 0, 40, tzinfo=dt.timezone.utc)
    assert first["event_date"] == dt.date(2024, 1, 14) and first["event_date_source"] != "acquired"
    assert rows["feed.jsonl#2"]["url"] == "https://harbourpost.example/world/nk-fm-russia"


def test_what_a_run_learns_about_its_sites_is_kept_for_later_runs(tmp_path):
    import random

    from newsarchive.clean import TemplateLines

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    generated_corpus(corpus, random.Random(3))
    root = tmp_path / "archive"
    _run(corpus, root, run_id="day-1", acquired=dt.date(2024, 3, 14))
    [part] = (root / "_templates").iterdir()
    assert part.name == "part-day-1-c000001.parquet"  # published with the run's rows, by its commit
    learned = TemplateLines.from_arrow(archive.read_evidence(root, "templates"))
    assert learned.is_template("Share this article")  # on every outlet's pages
    body = [line for line in (corpus / "copy-00.txt").read_text().splitlines() if len(line) > 100]
    assert body and not any(learned.is_template(line) for line in body)  # shared by a copy only
    # A rerun learns nothing new and writes no evidence file.
    _run(corpus, root, run_id="day-2", acquired=dt.date(2024, 3, 15))
    assert [p.name for p in (root / "_templates").iterdir()] == ["part-day-1-c000001.parquet"]


def test_evidence_learned_in_chunks_equals_evidence_learned_at_once(tmp_path):
    import random

    from newsarchive.pipeline import Evidence

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    generated_corpus(corpus, random.Random(9))
    paths = sorted(p.name for p in corpus.iterdir())
    settings = _settings(corpus, tmp_path / "archive")
    whole = Evidence.of_pages(str(corpus), paths, settings=settings)
    chunked = Evidence.of_pages(str(corpus), paths, settings=settings, chunk=7)
    assert whole.templates.to_arrow().equals(chunked.templates.to_arrow())
    assert whole.conventions.to_arrow().equals(chunked.conventions.to_arrow())


def test_an_empty_staged_body_fails_validation(landing, archive_root):
    import pyarrow.parquet as pq

    settings = _settings(landing, archive_root)
    for s in pipeline.plan(settings, "r"):
        pipeline.clean_shard(s["manifest"], run_id="r", acquired=ACQUIRED, settings=settings)
    pipeline.deduplicate(run_id="r", acquired=ACQUIRED, settings=settings)
    path = archive.staged_files(archive_root, "r")["articles"][0]
    table = pq.read_table(path)
    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text",
                                    pa.array([""] * len(table), pa.string())), path)
    with pytest.raises(pipeline.InvariantError, match="empty body"):
        pipeline.validate(run_id="r", settings=settings)


def test_one_failing_input_in_each_stage_never_fails_the_run(landing, tmp_path):
    """A real run in its own process with a fault injected into each stage for one input:
    each of those inputs is quarantined with the stage and the message; the others archive."""
    shutil.copy(SYNDICATED / "meridian-diplomat-moscow.txt", landing)
    shutil.copy(SYNDICATED / "harbourpost-nk-fm-russia.html", landing)
    faults = {"read": "000_53b4bdac026a502e.txt", "decode": "001_d9f85effd8569e74.txt",
              "clean": "002_810f5af7d3cafd06.txt", "dates": "003_997192c886d176b1.txt",
              "minhash": "004_c9a5efb7cef42544.txt"}
    root = tmp_path / "archive"
    result = cli("run", "--input", landing, "--archive", root, "--acquired-date", "2024-01-16", "--workers", "1",
                 env={"NEWSARCHIVE_FAULTS": ",".join(f"raise:{s}:{p}" for s, p in faults.items())})
    assert result.returncode == 0, result.stderr
    quarantined = {r["source_path"]: r for r in archive.read_table(root, "quarantine").to_pylist()}
    assert set(quarantined) == set(faults.values())
    for stage, path in faults.items():
        row = quarantined[path]
        assert row["reason"] in ("internal_error", "extract_error"), row
        assert "fault injected into " + stage in row["detail"] and "\n" not in row["detail"]
        if stage != "read":  # read fails before any byte is read
            assert row["raw"] == (landing / path).read_bytes()  # the input's bytes are kept
    placed = _placements(root)
    assert sorted(p for p, t in placed.items() if t != ["quarantine"]) == ["harbourpost-nk-fm-russia.html",
                                                                          "meridian-diplomat-moscow.txt"]


def test_a_file_that_vanishes_between_plan_and_clean_is_accounted_for(landing, archive_root):
    settings = _settings(landing, archive_root)
    shards = pipeline.plan(settings, "r")
    (landing / "001_d9f85effd8569e74.txt").unlink()
    pipeline.profile(run_id="r", settings=settings)
    for s in shards:
        pipeline.clean_shard(s["manifest"], run_id="r", acquired=ACQUIRED, settings=settings)
    pipeline.deduplicate(run_id="r", acquired=ACQUIRED, settings=settings)
    pipeline.validate(run_id="r", settings=settings)
    summary = pipeline.publish(run_id="r", acquired=ACQUIRED, settings=settings)
    assert (summary["inputs"], summary["articles"], summary["quarantined_by_reason"]) == (5, 4, {"vanished": 1})
    # A retried publish (the task ran but its result was lost) returns the same summary, adding nothing.
    before = _snapshot(archive_root)
    assert pipeline.publish(run_id="r", acquired=ACQUIRED, settings=settings) == summary
    assert _snapshot(archive_root) == before


def test_jsonl_records_with_a_source_and_no_url_get_their_sites_template_lines(tmp_path):
    # The feed names each record's outlet (`source`) and gives no URL: the profile step files
    # the template lines under that site, and cleaning must look them up under the same key.
    from clean_helpers import POLICY, policy_page, policy_story

    landing = tmp_path / "landing"
    landing.mkdir()
    records = [{"source": "Valley Post", "text": policy_page(k)} for k in range(5)]
    records.append({"source": "Valley Post",  # a gallery page: nothing but the site's boilerplate
                    "text": policy_page(9, body=["Photos: the valley fair in pictures"])})
    (landing / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    root = tmp_path / "archive"
    summary = _run(landing, root)
    assert summary["articles"] == 5 and summary["quarantined_by_reason"] == {"not_an_article": 1}
    tables = _tables(root)
    rows = {r["source_path"]: r for r in tables["articles"].to_pylist()}
    for k in range(5):
        row = rows[f"feed.jsonl#{k + 1}"]
        assert row["site"] == "valley post"
        assert row["text"].split("\n") == policy_story(k)  # no policy line in any body
    [quarantined] = tables["quarantine"].to_pylist()
    assert quarantined["source_path"] == "feed.jsonl#6" and "recurs" in quarantined["detail"]
    assert not any(line in row["text"] for row in rows.values() for line in POLICY)
# --- WARC crawls and compressed exports --------------------------------------------------------

from warcfiles import crawl_landing  # noqa: E402

def _all_rows(root):
    return {t: archive.read_table(root, t).to_pylist() for t in archive.TABLES}


def test_a_crawl_lands_every_response_archived_or_accounted_for(tmp_path):
    """The issue's 'done when': a CC-NEWS-style .warc.gz and a .jsonl.gz export through the
    command line, the WARC cut into ranges for two workers: every response archived with its
    URL and crawl time or quarantined with a reason; other records counted; the page crawled
    twice (another WARC) is one article and an exact duplicate; a rerun adds nothing."""
    landing, root = tmp_path / "landing", tmp_path / "archive"
    landing.mkdir()
    inputs = crawl_landing(landing, 3)
    env = {"NEWSARCHIVE_WARC_RANGE_BYTES": "16384"}
    plan = [e for e, _ in __import__("newsarchive.ingest").ingest.plan_entries(str(landing), ["news.warc.gz"], 16384)]
    assert len(plan) >= 2  # the crawl is read by several tasks
    result = cli("run", "--input", landing, "--archive", root, "--acquired-date", "2024-06-01", "--workers", "2",
                 env=env)
    assert result.returncode == 0, result.stderr
    rows = _all_rows(root)
    placed = [r["source_path"] for t in archive.TABLES for r in rows[t]]
    assert sorted(placed) == sorted(inputs)

    quarantine = {r["source_path"]: r for r in rows["quarantine"]}
    assert {k: quarantine[k]["reason"] for k in quarantine if "warc" in k} == {
        "news.warc.gz#urn:uuid:png": "not_html", "news.warc.gz#urn:uuid:404": "http_error",
        "news.warc.gz#urn:uuid:302": "redirect", [k for k in inputs if "#@" in k][0]: "corrupt"}
    assert quarantine["news.warc.gz#urn:uuid:404"]["url"] == "https://news.example/gone"
    for row in rows["articles"] + rows["duplicates"]:
        if ".warc" in row["source_path"]:
            assert row["url"].startswith("https://") and row["crawled_at"] is not None
            # The crawl day is the record's acquisition day, whatever the run's date.
            assert row["acquired_date"] == row["crawled_at"].date() != dt.date(2024, 6, 1)
        else:
            assert row["crawled_at"] is None and row["acquired_date"] == dt.date(2024, 6, 1)
    [mirror] = [r for r in rows["duplicates"] if r["source_path"] == "mirror.warc#urn:uuid:mirror"]
    assert mirror["match"] == "exact"
    canonical = [r for r in rows["articles"] if r["article_id"] == mirror["article_id"]]
    assert canonical and canonical[0]["source_path"].startswith("news.warc.gz#")

    summary = archive.run_summaries(root)[-1]
    pages = sum("#urn:uuid:page-" in i for i in inputs)
    assert pages == 40 and sum(i.startswith("export.jsonl.gz#") for i in inputs) == 3
    assert summary["warc_records_not_inputs"] == {"warcinfo": 3, "request": pages, "metadata": pages, "revisit": 1}
    assert f"WARC records, not inputs: {2 * pages + 4}" in result.stdout

    again = cli("run", "--input", landing, "--archive", root, "--acquired-date", "2024-06-02", "--workers", "1",
                env=env)
    assert again.returncode == 0, again.stderr
    last = archive.run_summaries(root)[-1]
    assert last["already_archived"] == last["inputs"] == len(inputs) and last["articles"] == 0
    assert _all_rows(root)["articles"] == rows["articles"]


def test_a_crawl_cut_into_ranges_gives_the_archive_of_one_reading(tmp_path):
    from conftest import archive_state

    landing = tmp_path / "landing"
    landing.mkdir()
    crawl_landing(landing, 5)
    states = []
    for name, size in (("ranges", "16384"), ("whole", "1000000000")):
        result = cli("run", "--input", landing, "--archive", tmp_path / name, "--acquired-date", "2024-06-01",
                     "--workers", "2", env={"NEWSARCHIVE_WARC_RANGE_BYTES": size})
        assert result.returncode == 0, result.stderr
        states.append(archive_state(tmp_path / name))
    assert states[0] == states[1]


def test_validate_counts_every_warc_response(tmp_path):
    """A response record read but in no table (a lost input) fails validation."""
    landing, root = tmp_path / "landing", tmp_path / "archive"
    landing.mkdir()
    crawl_landing(landing, 7, pages=5)
    settings = Settings(landing=str(landing), archive_root=str(root))
    shards = pipeline.plan(settings, "r1")
    pipeline.profile(run_id="r1", settings=settings)
    for s in shards:
        pipeline.clean_shard(s["manifest"], run_id="r1", acquired=dt.date(2024, 6, 1), settings=settings)
    stage = archive.staging_dir(root, "r1")
    counts = sorted((stage / "cleaned").glob("*.json"))[0]
    tally = json.loads(counts.read_text())
    tally["warc_records"] += 1  # one more record read than placed
    counts.write_text(json.dumps(tally))
    pipeline.deduplicate(run_id="r1", acquired=dt.date(2024, 6, 1), settings=settings)
    with pytest.raises(pipeline.InvariantError, match="WARC response records read"):
        pipeline.validate(run_id="r1", settings=settings)
