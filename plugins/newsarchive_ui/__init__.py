"""The news archive in Airflow's UI: a page in the navigation and a tab on every DAG run.

    reader.py   what the pages read from an archive (run logs, Parquet); no Airflow
    charts.py   server-side SVG charts
    access.py   what the pages ask Airflow: the user's rights, a run's archive, task times
    app.py      the FastAPI app and its routes; templates/ the HTML

`plugins/news_archive_ui.py` registers it with Airflow. Importing this package is cheap: every
Airflow process loads the plugin file (task processes too), and only the API server ever serves
a page, so the web app is built on its first request (`LazyApp`).
"""

from __future__ import annotations

import importlib
import threading

PREFIX = "/news-archive"  # where the API server mounts the app


class LazyApp:
    """An ASGI app that imports and builds the real one (`module:factory`) on first use."""

    def __init__(self, target: str):
        self.target = target
        self._app = None
        self._lock = threading.Lock()

    def build(self):
        with self._lock:
            if self._app is None:
                module, _, factory = self.target.partition(":")
                self._app = getattr(importlib.import_module(module), factory)()
        return self._app

    async def __call__(self, scope, receive, send):
        app = self._app or self.build()
        await app(scope, receive, send)

    def __repr__(self) -> str:
        return f"LazyApp({self.target!r})"
