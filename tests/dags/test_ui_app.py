"""The news archive plugin inside Airflow's own API app (in process, SQLite metadata DB): it is
registered, every route wants a login and read access to the DAG, and its pages show a real
DAG run's archive, with what the archive holds shown as text."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from html import unescape
from pathlib import Path

import pyarrow as pa
import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "include" / "seeds"
SYNDICATED = REPO / "tests" / "fixtures" / "syndicated"
LOGICAL = dt.datetime(2024, 1, 16, tzinfo=dt.timezone.utc)
USERS = "admin:admin,viewer:viewer,outsider:"  # outsider: logged in, no role, no right
HOSTILE_NAME = "<img src=x onerror=alert(1)>.bin"
SCRIPT = "<script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    saved = {k: os.environ.get(k) for k in ("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "NEWSARCHIVE_ARCHIVE_ROOT",
                                            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS")}
    os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] = USERS
    os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"] = "False"
    # The DAG's default archive (its param, read when the DAG file is parsed): a temporary
    # folder no run writes, never the repository's var/.
    default = tmp_path_factory.mktemp("default") / "archive"
    os.environ["NEWSARCHIVE_ARCHIVE_ROOT"] = str(default)
    yield default
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def world(env, tmp_path_factory):
    """A real DAG run over the seeds, two syndicated copies and two bad inputs, its archive, and
    Airflow's API app with the plugin."""
    from airflow.api_fastapi.app import create_app, purge_cached_app
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db
    from fastapi.testclient import TestClient

    tmp = tmp_path_factory.mktemp("ui")
    landing, root = tmp / "landing", tmp / "archive"
    shutil.copytree(SEEDS, landing)
    for copy in SYNDICATED.iterdir():
        shutil.copy(copy, landing)
    (landing / HOSTILE_NAME).write_bytes(b"not a page")  # unsupported_type, named like markup
    (landing / "broken.jsonl").write_text("{not json\n")
    db.resetdb()
    dag = DagBag(dag_folder=str(REPO / "dags")).dags["news_archive"]
    run = dag.test(logical_date=LOGICAL, run_conf={"landing": str(landing), "archive_root": str(root), "threshold": 0.5})
    assert run.state == "success"
    _hostile_run(root)
    purge_cached_app()
    client = TestClient(create_app())
    passwords = json.loads((Path(os.environ["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated").read_text())
    tokens = {}
    for user in ("admin", "viewer", "outsider"):
        response = client.post("/auth/token", json={"username": user, "password": passwords[user]})
        assert response.status_code in (200, 201), response.text
        tokens[user] = response.json()["access_token"]
    yield {"client": client, "tokens": tokens, "run": run, "root": root, "landing": landing, "default": env}
    purge_cached_app()


def _hostile_run(root: Path) -> None:
    """A second published run whose one quarantine row has markup in its detail, written in the
    archive's layout (as a run's publish leaves it)."""
    from newsarchive import archive

    rows = pa.table({"source_path": ["feed.jsonl#7"], "source_sha256": ["0" * 64], "reason": ["not_an_article"],
                     "detail": [f"invalid JSON near {SCRIPT}"], "size_bytes": pa.array([40], pa.int64()),
                     "raw": pa.array([b"{"], pa.large_binary()), "run_id": ["hostile"], "pipeline_version": ["0"],
                     "acquired_date": pa.array([dt.date(2024, 1, 17)], pa.date32())})
    archive.write_partitioned(root, "quarantine", rows, "hostile")
    (root / "_runs" / "hostile.json").write_text(json.dumps({
        "run_id": "hostile", "acquired_date": "2024-01-17", "inputs": 1, "already_archived": 0, "articles": 0,
        "duplicates": 0, "duplicates_by_match": {}, "quarantined": 1, "quarantined_by_reason": {"not_an_article": 1},
        "partitions_written": {"articles": [], "duplicates": [], "quarantine": ["acquired_date=2024-01-17"]}}))


def _get(world, path, user=None, html=True, **kw):
    headers = {"Accept": "text/html"} if html else {"Accept": "application/json"}
    if user:
        headers["Authorization"] = f"Bearer {world['tokens'][user]}"
    return world["client"].get(path, headers=headers, follow_redirects=False, **kw)


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.text))


def _tab(world) -> str:
    from urllib.parse import quote

    return f"/news-archive/dags/news_archive/runs/{quote(world['run'].run_id, safe='')}"


def test_plugin_is_registered_with_its_views(world):
    response = _get(world, "/api/v2/plugins", "admin", html=False)
    assert response.status_code == 200
    [plugin] = [p for p in response.json()["plugins"] if p["name"] == "news_archive_ui"]
    views = {v["destination"]: v for v in plugin["external_views"]}
    assert set(views) == {"nav", "dag_run"}
    assert views["dag_run"]["href"] == "news-archive/dags/{DAG_ID}/runs/{RUN_ID}"
    assert [a["url_prefix"] for a in plugin["fastapi_apps"]] == ["/news-archive"]
    errors = _get(world, "/api/v2/plugins/importErrors", "admin", html=False).json()
    assert errors["total_entries"] == 0, errors


ROUTES = ["/news-archive/", "/news-archive/search?q=moscow", "/news-archive/icon.svg",
          "/news-archive/run?run_id=x", "/news-archive/pair?run_id=x&source_path=y",
          "/news-archive/article?id=x&date=2024-01-14"]


@pytest.mark.parametrize("path", ROUTES + ["TAB"])
def test_every_route_wants_a_login(world, path):
    path = _tab(world) if path == "TAB" else path
    api = _get(world, path, html=False)
    assert api.status_code == 401
    browser = _get(world, path)
    assert browser.status_code == 302 and "/auth/login" in browser.headers["location"]
    forbidden = _get(world, path, "outsider")
    if path.endswith("icon.svg"):  # the nav icon shows no archive data: a login is enough
        assert forbidden.status_code == 200
    else:
        assert forbidden.status_code == 403 and "news_archive" in _text(forbidden)


@pytest.mark.parametrize("user", ["viewer", "admin"])
def test_viewer_and_admin_read_the_pages(world, user):
    for path in ROUTES[:4] + [_tab(world)]:
        response = _get(world, path, user)
        assert response.status_code == 200, (path, response.text[:500])
        assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none'
        assert "default-src 'none'" in response.headers["content-security-policy"]


def test_the_dag_read_right_is_what_decides(world, monkeypatch):
    """A user the auth manager denies the news_archive DAG (and only it) gets 403; the plugin
    asks about that DAG, not about a generic view."""
    from airflow.api_fastapi.app import get_auth_manager

    manager = get_auth_manager()
    asked = []
    original = manager.is_authorized_dag

    def deny_news_archive(*, method, access_entity=None, details=None, user):
        asked.append((method, details.id if details else None))
        if details and details.id == "news_archive":
            return False
        return original(method=method, access_entity=access_entity, details=details, user=user)

    monkeypatch.setattr(manager, "is_authorized_dag", deny_news_archive)
    assert _get(world, "/news-archive/", "admin").status_code == 403
    assert _get(world, _tab(world), "admin").status_code == 403
    assert ("GET", "news_archive") in asked
    other = _get(world, "/news-archive/dags/some_other_dag/runs/x", "admin")
    assert other.status_code == 200 and "does not write a news archive" in _text(other)


def test_run_tab_shows_the_runs_funnel_and_tables(world):
    response = _get(world, _tab(world), "viewer")
    page = response.text
    text = _text(response)
    counts = dict(re.findall(r'data-count="(\w+)">([\d,]+)<', page))
    assert counts == {"inputs": "9", "already_archived": "0", "new": "9", "articles": "5", "duplicates": "2",
                      "exact": counts["exact"], "near": counts["near"], "quarantined": "2"}
    assert int(counts["exact"]) + int(counts["near"]) == 2
    assert re.search(r'data-reason="unsupported_type">1<', page) and re.search(r'data-reason="not_an_article">1<', page)
    assert str(world["root"]) in text  # the archive this run wrote
    for section in ("How articles were dated", "Partitions written", "Time per task", "Quarantined inputs", "Duplicates"):
        assert section in text
    for task in ("plan", "profile", "clean", "dedupe", "validate", "publish"):
        assert re.search(rf'<td class="mono">{task}</td>', page)
    assert "meridian-diplomat-moscow.txt" in text and "001_d9f85effd8569e74.txt" in text
    assert HOSTILE_NAME in text  # shown as text ...
    assert "<img src=x" not in page  # ... never as markup
    assert "&lt;img src=x onerror=alert(1)&gt;.bin" in page


def test_quarantine_detail_with_markup_is_text(world):
    response = _get(world, "/news-archive/run", "viewer", params={"run_id": "hostile", "archive": str(world["root"])})
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in response.text
    assert SCRIPT in _text(response)


def test_tables_sort_and_page(world):
    base = _tab(world)
    first = _get(world, f"{base}?per=5&dsort=-similarity&qsort=-size_bytes", "viewer").text
    sims = [float(x) for x in re.findall(r'<td class="num">(\d\.\d\d)</td>\s*<td class="num">\d\.\d\d</td>', first)]
    assert sims == sorted(sims, reverse=True) and len(sims) == 2
    one = _get(world, f"{base}?per=5&dsort=source_path&dpage=2", "viewer")
    assert "page 1 of 1" in _text(one)  # a page past the end shows the last one


def test_side_by_side_shows_both_bodies(world):
    page = _get(world, _tab(world), "viewer").text
    links = re.findall(r'class="compare" href="([^"]+)"', page)
    assert len(links) == 2
    pair = _get(world, unescape(links[0]), "viewer")
    assert pair.status_code == 200
    text = _text(pair)
    assert "canonical body" in text and "duplicate body" in text
    assert "harbourpost-nk-fm-russia.html" in text  # the canonical the copies joined
    rows = re.findall(r'<tr class="(same|changed|left|right)">', pair.text)
    assert rows and "same" in rows


def test_home_search_and_article(world):
    empty = _get(world, "/news-archive/", "viewer")  # the DAG's default archive: nothing written yet
    assert empty.status_code == 200 and "No archive at" in _text(empty) and str(world["default"]) in _text(empty)
    archive = {"archive": str(world["root"])}
    home = _get(world, "/news-archive/", "viewer", params=archive)
    totals = dict(re.findall(r'data-total="(\w+)">([\d,]+)<', home.text))
    assert totals == {"articles": "5", "duplicates": "2", "quarantine": "3", "runs": "2"}
    assert home.text.count("<svg") >= 2 and "<script" not in home.text
    found = _get(world, "/news-archive/search", "viewer", params={"q": "RUSSIA", **archive})
    hits = re.findall(r'href="(/news-archive/article\?[^"]+)"', found.text)
    assert len(hits) == 4  # case-insensitive, in titles and URLs
    article = _get(world, unescape(hits[0]), "viewer")
    assert article.status_code == 200 and "Body" in _text(article)
    assert "All event dates searched" in _text(found)


def test_only_archives_the_dag_wrote_are_read(world):
    """The nav page shows the DAG's default archive, or one a run of the DAG wrote; a path no
    run wrote is refused (a page never reads a path a user typed)."""
    assert _get(world, "/news-archive/", "viewer", params={"archive": "/etc"}).status_code == 404
    assert _get(world, "/news-archive/search", "viewer", params={"archive": "/", "q": "a"}).status_code == 404
    home = _get(world, "/news-archive/", "viewer").text
    assert re.findall(r'<option value="([^"]+)"', home) == [str(world["default"]), str(world["root"])]


def test_plugin_file_is_cheap_where_no_page_is_served():
    """Every Airflow process loads the plugin file (task processes too); only the API server
    serves pages, so the file must not import the web stack, and the reader no Airflow."""
    import subprocess
    import sys

    code = ("import sys; import airflow.sdk; before = set(sys.modules); import news_archive_ui; "
            "heavy = [m for m in set(sys.modules) - before if m.split('.')[0] in ('fastapi', 'starlette', "
            "'jinja2', 'duckdb', 'pyarrow') or m.startswith('airflow.api_fastapi')]; "
            "import newsarchive_ui.reader, newsarchive_ui.charts; "
            "sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "plugins")})
    assert result.returncode == 0, result.stderr[-2000:]
    code = ("import sys; import newsarchive_ui.reader, newsarchive_ui.charts; "
            "sys.exit(any(m == 'airflow' or m.startswith('airflow.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={"PYTHONPATH": str(REPO / "plugins"), "PATH": ""})
    assert result.returncode == 0, "the reader imported Airflow"
