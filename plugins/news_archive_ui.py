"""Airflow plugin: the news archive in the UI (a "News archive" page in the navigation and a
tab on every DAG run). The app itself lives in the `newsarchive_ui` package; this file is the
only one under plugins/ that Airflow's plugin loader imports (see plugins/.airflowignore)."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from newsarchive_ui import PREFIX, LazyApp

_ROUTE = PREFIX.strip("/")


class NewsArchiveUIPlugin(AirflowPlugin):
    name = "news_archive_ui"
    fastapi_apps = [{"app": LazyApp("newsarchive_ui.app:create_app"), "url_prefix": PREFIX, "name": "News archive"}]
    # Relative hrefs (no leading slash) resolve against the UI's base URL.
    external_views = [
        {"name": "News archive", "href": f"{_ROUTE}/", "url_route": _ROUTE, "destination": "nav",
         "nav_top_level": True, "icon": f"{_ROUTE}/icon.svg", "icon_dark_mode": f"{_ROUTE}/icon.svg?dark=true"},
        {"name": "News archive", "href": f"{_ROUTE}/dags/{{DAG_ID}}/runs/{{RUN_ID}}", "url_route": f"{_ROUTE}-run",
         "destination": "dag_run", "icon": f"{_ROUTE}/icon.svg", "icon_dark_mode": f"{_ROUTE}/icon.svg?dark=true"},
    ]
