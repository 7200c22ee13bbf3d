"""The DAG on the production stack, natively: CeleryExecutor with two workers, PostgreSQL as the
metadata DB and Celery result backend, Redis as the broker, the API server, scheduler and DAG
processor as separate processes (what docker-compose.yml runs, minus the containers).

A run is triggered through the REST API and must succeed with its mapped shards spread over
the workers; the archive it writes is read back."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pyarrow.dataset as ds
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = ("127.0.0.1", 6379)


def _reachable(host, port) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not (_reachable(PG["host"], PG["port"]) and _reachable(*REDIS) and (BIN / "airflow").exists()),
    reason="PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 are needed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", **PG)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def _http(url, data=None, token=None, timeout=10):
    request = urllib.request.Request(url, data=json.dumps(data).encode() if data is not None else None,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def _wait(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:
            pass
        time.sleep(1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@pytest.fixture
def stack(tmp_path):
    database = f"newsarchive_it_{uuid.uuid4().hex[:8]}"
    # A database and worker names of its own: two stacks at once (two checkouts) never share tasks.
    redis_db = 1 + uuid.uuid4().int % 15
    tag = uuid.uuid4().hex[:6]
    port = _free_port()
    home = tmp_path / "airflow"
    home.mkdir()
    pg_url = f"postgresql+psycopg2://{PG['user']}@{PG['host']}:{PG['port']}/{database}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSARCHIVE"))},
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg_url,
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{redis_db}",
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + pg_url,
        "AIRFLOW__CORE__FERNET_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "AIRFLOW__API_AUTH__JWT_SECRET": uuid.uuid4().hex,
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "120",
        "NEWSARCHIVE_SHARD_SIZE": "3",
        # Only the run the test triggers: no scheduled run with the DAG's defaults, and even
        # those defaults point into the test's own folder, never at the repo's var/.
        "NEWSARCHIVE_SCHEDULE": "none",
        "NEWSARCHIVE_LANDING": str(tmp_path / "default-landing"),
        "NEWSARCHIVE_ARCHIVE_ROOT": str(tmp_path / "default-archive"),
    }
    _psql(f'CREATE DATABASE "{database}"')
    procs = []
    try:
        subprocess.run([str(BIN / "airflow"), "db", "migrate"], env=env, check=True, capture_output=True, cwd=tmp_path)
        logs = tmp_path / "logs"
        logs.mkdir()
        commands = {
            "api-server": ["api-server", "--port", str(port)],
            "scheduler": ["scheduler"],
            "dag-processor": ["dag-processor"],
            "worker-1": ["celery", "worker", "--celery-hostname", f"w1-{tag}@%h", "--concurrency", "1", "--skip-serve-logs"],
            "worker-2": ["celery", "worker", "--celery-hostname", f"w2-{tag}@%h", "--concurrency", "1", "--skip-serve-logs"],
        }
        for name, args in commands.items():
            out = open(logs / f"{name}.log", "w")
            procs.append((name, subprocess.Popen([str(BIN / "airflow"), *args], env=env, cwd=tmp_path,
                                                 stdout=out, stderr=subprocess.STDOUT, start_new_session=True)))
        base = f"http://127.0.0.1:{port}"
        _wait(lambda: _http(f"{base}/api/v2/monitor/health")["scheduler"]["status"] == "healthy", 120, "a healthy API server and scheduler")
        passwords = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())
        token = _http(f"{base}/auth/token", {"username": "admin", "password": passwords["admin"]})["access_token"]
        yield {"base": base, "token": token, "logs": logs, "env": env}
    finally:
        for _, proc in reversed(procs):
            with _suppress():
                os.killpg(proc.pid, signal.SIGTERM)
        for _, proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with _suppress():
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        with _suppress():
            import redis

            redis.Redis(host=REDIS[0], port=REDIS[1], db=redis_db).flushdb()
        with _suppress():
            _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def test_dag_runs_on_celery_with_postgres_and_redis(stack, tmp_path):
    landing, root = tmp_path / "landing", tmp_path / "archive"
    shutil.copytree(REPO / "include" / "seeds", landing)
    for copy in (REPO / "tests" / "fixtures" / "syndicated").iterdir():
        shutil.copy(copy, landing)
    base, token = stack["base"], stack["token"]
    _wait(lambda: _http(f"{base}/api/v2/dags/news_archive", token=token)["is_paused"] is False, 120,
          "the DAG processor to register news_archive")
    run = _http(f"{base}/api/v2/dags/news_archive/dagRuns", token=token, data={
        "logical_date": dt.datetime(2024, 1, 16, tzinfo=dt.timezone.utc).isoformat(),
        # Three shards of 3 files: the mapped clean task has work for both workers.
        "conf": {"landing": str(landing), "archive_root": str(root), "threshold": 0.5},
    })
    run_id = run["dag_run_id"]
    url = f"{base}/api/v2/dags/news_archive/dagRuns/{run_id}"

    def finished():
        state = _http(url, token=token)["state"]
        if state == "failed":
            raise AssertionError("the DAG run failed; logs in " + str(stack["logs"]))
        return state == "success"

    try:
        _wait(finished, 300, "the DAG run to succeed")
    except AssertionError:
        for log in sorted(stack["logs"].iterdir()):
            print(f"--- {log.name}\n" + log.read_text()[-3000:])
        raise

    instances = _http(f"{url}/taskInstances", token=token)["task_instances"]
    assert {t["task_id"] for t in instances} == {"plan", "profile", "clean", "dedupe", "validate", "publish"}
    assert all(t["state"] == "success" for t in instances)
    assert len([t for t in instances if t["task_id"] == "clean"]) == 3  # 7 files, shards of 3
    assert all(t["hostname"] for t in instances)  # run by Celery workers, not in-process

    part = "hive"
    articles = ds.dataset(root / "articles", format="parquet", partitioning=part).to_table()
    duplicates = ds.dataset(root / "duplicates", format="parquet", partitioning=part).to_table()
    assert articles.num_rows == 5 and duplicates.num_rows == 2
    assert set(articles.column("run_id").to_pylist()) == {run_id}
