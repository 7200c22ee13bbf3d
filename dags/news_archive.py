"""The news_archive DAG: only wiring. Every task body is one call into `newsarchive.pipeline`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from airflow.sdk import Asset, AssetAlias, Param, dag, get_current_context, task

REPO = Path(__file__).resolve().parents[1]
LANDING = os.environ.get("NEWSARCHIVE_LANDING", str(REPO / "include" / "seeds"))
ARCHIVE_ROOT = os.environ.get("NEWSARCHIVE_ARCHIVE_ROOT", str(REPO / "var" / "archive"))
# "none" (or empty) for a DAG that runs only when triggered (tests, backfills driven from outside).
SCHEDULE = os.environ.get("NEWSARCHIVE_SCHEDULE", "@daily").strip()
# publish emits an event for the articles of the archive the run wrote (its `archive_root`),
# known only at run time: an asset per archive, reached through this alias.
ARTICLES = AssetAlias("news_archive/articles")

DOC_MD = """
### news_archive

Turns the raw article pages of a landing folder into the Parquet archive of canonical,
deduplicated articles, partitioned by event date.

| task | what it does | look here when it fails |
|---|---|---|
| `plan` | lists the landing folder, cuts large WARC files into byte ranges, writes shard manifests | landing path / permissions |
| `profile` | learns the batch's template lines (chrome recurring across a site's pages), merged with the archive's | line counts in the log |
| `clean` (mapped, one per shard) | decodes (WARC records, compressed files), strips page chrome, dates and signs each page | a quarantine count per reason in the log |
| `dedupe` | exact + MinHash/LSH near-duplicates against the archive's event-date window | window size in the log |
| `validate` | checks the staged rows: every input in exactly one table, nothing archived twice | the invariant named in the error; nothing was published |
| `publish` | under the archive's lock: decides again if another run published meanwhile, then commits the run's files in one journaled step; an asset event for that archive's articles (`file://<archive_root>/articles`, through the alias `news_archive/articles`) carries the run's counts | the run summary in the log; a wait for the lock names the run holding it |

Params: `landing` (folder or fsspec URL), `archive_root`, `threshold` (near-duplicate similarity),
`acquired_date` (empty: the UTC day the run runs).
Rerunning a run, or retrying any task, adds nothing twice: inputs already archived are skipped.
Rejected inputs land in `quarantine/` with a reason; see `docs/operations.md`.
"""


def _settings(params):
    from newsarchive.settings import Settings

    return Settings.from_env().replace(landing=params["landing"], archive_root=params["archive_root"],
                                       threshold=float(params["threshold"]))


def _run(params=None):
    """(run_id, acquisition date): the date the user pinned (param `acquired_date`), else the UTC
    day the run really runs (`run_after`: when a scheduled run becomes due, or when a manual run
    was triggered), never the wall clock at processing time: re-running a run reproduces it."""
    context = get_current_context()
    pinned = (params or {}).get("acquired_date")
    if pinned:
        return context["run_id"], dt.date.fromisoformat(pinned)
    return context["run_id"], context["dag_run"].run_after.astimezone(dt.timezone.utc).date()


@dag(
    dag_id="news_archive",
    schedule=None if SCHEDULE.lower() in ("", "none") else SCHEDULE,
    start_date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    max_active_runs=1,
    doc_md=DOC_MD,
    tags=["news", "archive"],
    default_args={"retries": 2, "retry_delay": dt.timedelta(minutes=1)},
    params={
        "landing": Param(LANDING, type="string", description="landing folder or fsspec URL"),
        "archive_root": Param(ARCHIVE_ROOT, type="string", description="archive root folder"),
        "threshold": Param(0.5, type="number", minimum=0.05, maximum=1.0,
                           description="near-duplicate similarity threshold"),
        "acquired_date": Param("", type="string", pattern=r"^(\d{4}-\d{2}-\d{2})?$",
                               description="acquisition date YYYY-MM-DD; empty: the day the run runs"),
    },
)
def news_archive():
    @task
    def plan(params=None) -> list[dict]:
        from newsarchive import pipeline

        run_id, _ = _run(params)
        return pipeline.plan(_settings(params), run_id, owner="airflow")

    @task
    def profile(shards: list[dict], params=None) -> dict:
        from newsarchive import pipeline

        run_id, _ = _run(params)
        return {"shards": len(shards), **pipeline.profile(run_id=run_id, settings=_settings(params))}

    @task(map_index_template="{{ task.op_kwargs['shard']['shard'] }}")
    def clean(shard: dict, params=None) -> dict:
        from newsarchive import pipeline

        run_id, acquired = _run(params)
        return pipeline.clean_shard(shard["manifest"], run_id=run_id, acquired=acquired,
                                    settings=_settings(params))

    @task
    def dedupe(shard_counts: list[dict], params=None) -> dict:
        from newsarchive import pipeline

        run_id, acquired = _run(params)
        return {"shards": list(shard_counts),
                **pipeline.deduplicate(run_id=run_id, acquired=acquired, settings=_settings(params))}

    @task(retries=0)  # a broken invariant does not heal by retrying
    def validate(counts: dict, params=None) -> dict:
        from newsarchive import pipeline

        run_id, _ = _run(params)
        return {**counts, "validated": pipeline.validate(run_id=run_id, settings=_settings(params))}

    @task(outlets=[ARTICLES])
    def publish(counts: dict, params=None, outlet_events=None) -> dict:
        from newsarchive import pipeline

        run_id, acquired = _run(params)
        settings = _settings(params)
        summary = pipeline.publish(run_id=run_id, acquired=acquired, settings=settings)
        outlet_events[ARTICLES].add(Asset(pipeline.articles_uri(settings)), extra=pipeline.asset_extra(summary))
        return summary

    shards = plan()
    cleaned = clean.expand(shard=shards)
    profile(shards) >> cleaned
    publish(validate(dedupe(cleaned)))


news_archive()
