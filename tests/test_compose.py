"""docker-compose.yml checked by a real Compose implementation (`docker-compose config`, offline)
and for the settings a CeleryExecutor deployment of Airflow 3 needs."""

import shutil
import subprocess

import pytest
import yaml

from conftest import REPO

COMPOSE = shutil.which("docker-compose")
pytestmark = pytest.mark.skipif(COMPOSE is None, reason="docker-compose not installed (make compose-check installs it)")


def _config(path):
    return subprocess.run([COMPOSE, "-f", str(path), "--env-file", str(REPO / ".env.example"), "config"],
                          capture_output=True, text=True, cwd=REPO)


@pytest.fixture(scope="module")
def config():
    result = _config(REPO / "docker-compose.yml")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_services_of_the_official_layout(config):
    assert set(config["services"]) == {"postgres", "redis", "airflow-apiserver", "airflow-scheduler",
                                       "airflow-dag-processor", "airflow-triggerer", "airflow-worker", "airflow-init"}
    assert config["services"]["airflow-worker"]["command"] == "celery worker"
    assert config["services"]["airflow-apiserver"]["command"] == "api-server"


def test_airflow_components_share_executor_secrets_and_mounts(config):
    airflow = {n: s for n, s in config["services"].items() if n.startswith("airflow-")}
    envs = [s["environment"] for s in airflow.values()]
    for key in ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET",
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"):
        assert len({e[key] for e in envs}) == 1, key
    env = envs[0]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:6379")
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://")
    for service in airflow.values():
        # Compose v1 prints volumes as "source:target[:mode]".
        sources = {v.split(":")[1]: v.split(":")[0] for v in service["volumes"]}
        for folder in ("dags", "plugins", "include"):
            assert sources[f"/opt/airflow/{folder}"] == str(REPO / folder)
        assert sources["/opt/airflow/archive"] == "archive"  # a named volume
        assert sources["/opt/airflow/landing"] == str(REPO / "include" / "seeds")
        assert service["build"]["context"] == str(REPO)


def test_secrets_are_not_committed():
    ignored = (REPO / ".gitignore").read_text().split()
    assert ".env" in ignored and (REPO / ".env.example").is_file()
    assert "change-me" in (REPO / ".env.example").read_text()


def test_compose_check_rejects_a_broken_file(tmp_path):
    broken = (REPO / "docker-compose.yml").read_text().replace(
        "airflow-apiserver:\n        condition: service_healthy", "airflow-api:\n        condition: service_healthy")
    (tmp_path / "docker-compose.yml").write_text(broken)
    assert broken != (REPO / "docker-compose.yml").read_text()
    result = _config(tmp_path / "docker-compose.yml")
    assert result.returncode != 0 and "airflow-api" in result.stderr
