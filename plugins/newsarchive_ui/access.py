"""What the UI asks Airflow: who the user is and what they may read, which archive a DAG or a
run wrote, and how long a run's tasks took. Imported only by the web app (in the API server).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow.api_fastapi.app import get_auth_manager
from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity, DagDetails
from airflow.models.dag import DagModel
from airflow.models.dagbag import DBDagBag
from airflow.models.dagrun import DagRun
from airflow.models.taskinstance import TaskInstance

# The DAGs that write a news archive, with their `archive_root` param (dags/news_archive.py).
# The run tab appears on every DAG's runs (Airflow cannot limit it to one DAG); runs of other
# DAGs get a short note.
ARCHIVE_DAGS = ("news_archive",)

_dag_bag = DBDagBag()


def may_read(user, dag_id: str, entity: DagAccessEntity = DagAccessEntity.RUN) -> bool:
    return get_auth_manager().is_authorized_dag(
        method="GET", access_entity=entity, user=user,
        details=DagDetails(id=dag_id, team_name=DagModel.get_team_name(dag_id)))


def require_read(user, dag_id: str) -> None:
    """403 unless the user may read the DAG's runs."""
    if not may_read(user, dag_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"You may not read the runs of DAG {dag_id}.")


def readable_archive_dags(user) -> list[str]:
    return [dag_id for dag_id in ARCHIVE_DAGS if may_read(user, dag_id)]


def default_archive(dag_id: str, session: Session) -> str:
    """The archive a run of the DAG writes when its conf names none: the `archive_root` param
    of the DAG's latest version, else the environment's (NEWSARCHIVE_ARCHIVE_ROOT)."""
    dag = _dag_bag.get_latest_version_of_dag(dag_id, session=session)
    if dag is not None and "archive_root" in dag.params:
        return _absolute(dag.params["archive_root"])
    import os

    from newsarchive.settings import Settings

    # Only this one variable: a page must not fail over another setting's value.
    return _absolute(os.environ.get("NEWSARCHIVE_ARCHIVE_ROOT") or Settings().archive_root)


def run_archive(run: DagRun, session: Session) -> str:
    """The archive a run wrote: its conf's `archive_root` over the param of the DAG version it ran."""
    dag = _dag_bag.get_dag_for_run(run, session=session)
    params = dag.params.deep_merge(run.conf or {}) if dag is not None else None
    if params is not None and "archive_root" in params:
        return _absolute(params["archive_root"])
    if isinstance(run.conf, dict) and run.conf.get("archive_root"):
        return _absolute(run.conf["archive_root"])
    return default_archive(run.dag_id, session)


def known_archives(dag_ids: list[str], session: Session) -> list[str]:
    """Archives the UI may show: each DAG's default, then those runs named in their conf (most
    recent first). Only these: a page never reads a path a user typed."""
    found = [default_archive(dag_id, session) for dag_id in dag_ids]
    confs = session.execute(select(DagRun.conf).where(DagRun.dag_id.in_(dag_ids))
                            .order_by(DagRun.id.desc())).scalars()
    for conf in confs:
        if isinstance(conf, dict) and isinstance(conf.get("archive_root"), str) and conf["archive_root"].strip():
            found.append(_absolute(conf["archive_root"]))
    return list(dict.fromkeys(found))


def dag_run(dag_id: str, run_id: str, session: Session) -> DagRun | None:
    return session.scalar(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id))


def find_run(dag_ids: list[str], run_id: str, session: Session) -> DagRun | None:
    """The DAG run of one of `dag_ids` with this run id (a CLI run has none)."""
    return session.scalar(select(DagRun).where(DagRun.dag_id.in_(dag_ids), DagRun.run_id == run_id).limit(1))


@dataclass(slots=True)
class TaskTime:
    task_id: str
    instances: int
    states: str
    seconds: float  # sum over instances (mapped tasks: all shards)
    longest: float
    started: dt.datetime | None
    ended: dt.datetime | None


def task_times(run: DagRun, session: Session) -> list[TaskTime]:
    """Per task of the run (mapped instances together): instances, states, time spent, in the
    order the tasks started."""
    rows = session.execute(
        select(TaskInstance.task_id, TaskInstance.state, TaskInstance.start_date, TaskInstance.end_date,
               TaskInstance.duration)
        .where(TaskInstance.dag_id == run.dag_id, TaskInstance.run_id == run.run_id)).all()
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row.task_id, []).append(row)
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    out = []
    for task_id, items in grouped.items():
        spans = [float(i.duration) if i.duration is not None else
                 (i.end_date - i.start_date).total_seconds() if i.start_date and i.end_date else 0.0
                 for i in items]
        states = sorted({str(i.state.value if hasattr(i.state, "value") else i.state or "none") for i in items})
        starts = [i.start_date for i in items if i.start_date]
        ends = [i.end_date for i in items if i.end_date]
        out.append(TaskTime(task_id, len(items), ", ".join(states), sum(spans), max(spans, default=0.0),
                            min(starts) if starts else None, max(ends) if ends and len(ends) == len(items) else None))
    return sorted(out, key=lambda t: (t.started or far, t.task_id))


def login_url(next_url: str) -> str:
    return get_auth_manager().get_url_login(next_url=next_url)


def _absolute(path) -> str:
    return os.path.abspath(os.path.expanduser(str(path)))
