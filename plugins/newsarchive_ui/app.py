"""The web app Airflow's API server mounts at /news-archive: HTML pages rendered on the server.

    /                                  the archive: totals, the last runs, articles per event date
    /search?q=                         articles by title, URL or article id (newest dates first)
    /article?id=&date=                 one article with its duplicates
    /run?run_id=                       one published run (also runs of the command line)
    /dags/{dag_id}/runs/{run_id}       the tab on a DAG run: the run that DAG run published
    /pair?run_id=&source_path=         a duplicate beside its canonical

Every route requires an Airflow login (401 for an API client, the login page for a browser)
and read access to the news_archive DAG's runs. Pages hold no script; what comes from the
archive is escaped by the templates, and a Content-Security-Policy forbids scripts anyway.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from airflow.api_fastapi.common.db.common import SessionDep
from airflow.api_fastapi.core_api.security import GetUserDep, requires_authenticated

from . import access, charts
from .reader import ArchiveReader, DUPLICATE_COLUMNS, QUARANTINE_COLUMNS, side_by_side, sort_and_page, words_diff

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    # No script at all, styles inline, images only from here (and inline SVG); framed by Airflow only.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# Columns the run tab's tables sort by (the first is the default); any other value is ignored.
QUARANTINE_SORTS = ("source_path", "reason", "size_bytes", "detail")
DUPLICATE_SORTS = ("source_path", "site", "title", "match", "similarity", "containment", "event_date")
RUN_CHOICES = (10, 30, 100, 300)  # runs on the home page: 300 (the benchmark's) stays under 1 s
PER_PAGE = 50  # table rows per page: a screen or two, and canonicals looked up for 50 rows only
# A search page scans for at most this long, then offers to go on, so it answers within 1 s.
SEARCH_BUDGET_S = 0.5

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                        trim_blocks=True, lstrip_blocks=True)
templates.filters["number"] = lambda n: f"{n:,}" if isinstance(n, int) else ("" if n is None else str(n))
templates.filters["pct"] = lambda x: "" if x is None else f"{x:.0%}"
templates.filters["seconds"] = lambda s: "" if s is None else f"{s:,.1f} s" if s < 600 else f"{s / 60:,.1f} min"
templates.filters["size"] = lambda n: (f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{n / 2**20:,.1f} MiB"
                                       if n >= 2**20 else f"{n / 2**10:,.1f} KiB" if n >= 2**10 else f"{n} B")
templates.globals["bar"] = charts.bar
templates.globals["words_diff"] = words_diff
templates.globals["colors"] = charts.COLORS


def create_app() -> FastAPI:
    app = FastAPI(title="News archive", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(requires_authenticated())])

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        browser = "text/html" in request.headers.get("accept", "")
        if exc.status_code == status.HTTP_401_UNAUTHORIZED and browser:
            return RedirectResponse(access.login_url(str(request.url)), status_code=status.HTTP_302_FOUND,
                                    headers=SECURITY_HEADERS)
        if browser:
            return _page(request, "error.html", {"status": exc.status_code, "message": exc.detail},
                         status_code=exc.status_code)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.get("/icon.svg", include_in_schema=False)
    def icon(dark: bool = False):
        color = "#e2e8f0" if dark else "#1a202c"
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="{color}" '
               'stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M4 4h13v16H6a2 2 0 0 1-2-2z"/>'
               '<path d="M17 8h3v10a2 2 0 0 1-2 2"/><path d="M7 8h7M7 12h7M7 16h4"/></svg>')
        return Response(svg, media_type="image/svg+xml")

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, user: GetUserDep, session: SessionDep, archive: str | None = None, runs: int = 30):
        root, known = _archive(user, session, archive)
        reader = ArchiveReader(root)
        count = min(max(runs, 1), max(RUN_CHOICES))
        logs = reader.run_logs()
        recent = [_run_row(log, request, root) for log in logs[-count:]]
        totals, per_day = reader.overview()
        return _page(request, "home.html", {
            "root": root, "known": known, "exists": reader.exists(), "totals": totals,
            "runs": list(reversed(recent)), "count": count, "choices": RUN_CHOICES,
            "runs_chart": charts.runs_chart(recent),
            "dates_chart": charts.dates_chart(per_day["articles"], per_day["duplicates"]),
        })

    @app.get("/search", response_class=HTMLResponse)
    def search(request: Request, user: GetUserDep, session: SessionDep, q: str = "", archive: str | None = None,
               before: dt.date | None = None, skip: int = 0):
        root, known = _archive(user, session, archive)
        result = ArchiveReader(root).search(q[:200], resume=(before, max(skip, 0)) if before else None,
                                            limit=PER_PAGE, budget_s=SEARCH_BUDGET_S)
        more = None
        if result.resume:
            more = _href(request, "/search", q=q, archive=archive, before=result.resume[0].isoformat(),
                         skip=result.resume[1] or None)
        return _page(request, "search.html", {"root": root, "known": known, "q": q, "result": result,
                                              "more": more, "resumed": before})

    @app.get("/article", response_class=HTMLResponse)
    def article(request: Request, user: GetUserDep, session: SessionDep, id: str, date: dt.date,
                archive: str | None = None):
        root, known = _archive(user, session, archive)
        reader = ArchiveReader(root)
        row = reader.article(id, date)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"No article {id} dated {date} in {root}.")
        return _page(request, "article.html", {"root": root, "known": known, "a": row,
                                               "copies": reader.copies(id, date)})

    @app.get("/run", response_class=HTMLResponse)
    def run_page(request: Request, user: GetUserDep, session: SessionDep, run_id: str, archive: str | None = None):
        root, known = _archive(user, session, archive)
        dags = access.readable_archive_dags(user)
        dag_run = access.find_run(dags, run_id, session)
        return _run_page(request, user, session, root, known, run_id, dag_run)

    @app.get("/dags/{dag_id}/runs/{run_id:path}", response_class=HTMLResponse)
    def run_tab(request: Request, user: GetUserDep, session: SessionDep, dag_id: str, run_id: str):
        access.require_read(user, dag_id)
        if dag_id not in access.ARCHIVE_DAGS:
            return _page(request, "error.html", {"status": 200, "message":
                         f"DAG {dag_id} does not write a news archive: this tab shows runs of "
                         f"{', '.join(access.ARCHIVE_DAGS)}."})
        dag_run = access.dag_run(dag_id, run_id, session)
        if dag_run is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"DAG {dag_id} has no run {run_id}.")
        root = access.run_archive(dag_run, session)
        return _run_page(request, user, session, root, [], run_id, dag_run, tab=True)

    @app.get("/pair", response_class=HTMLResponse)
    def pair(request: Request, user: GetUserDep, session: SessionDep, run_id: str, source_path: str,
             sha: str | None = None, archive: str | None = None):
        root, known = _archive(user, session, archive)
        reader = ArchiveReader(root)
        copy = reader.duplicate(run_id, source_path, sha)
        if copy is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Run {run_id} archived no duplicate {source_path}.")
        canonical = reader.article(copy["article_id"], copy["event_date"])
        rows = side_by_side(canonical["text"] if canonical else "", copy["text"])
        kinds = Counter(how for _, _, how in rows)
        return _page(request, "pair.html", {"root": root, "known": known, "copy": copy, "canonical": canonical,
                                            "rows": rows, "kinds": kinds})

    return app


# --- pages -----------------------------------------------------------------------------------

def _archive(user, session, archive: str | None) -> tuple[str, list[str]]:
    """(the archive to show, the archives the user may pick): the default one unless `archive`
    names one the DAG wrote; 403 when the user may read no archive DAG."""
    dags = access.readable_archive_dags(user)
    if not dags:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"You may not read the runs of {', '.join(access.ARCHIVE_DAGS)}.")
    known = access.known_archives(dags, session)
    if archive is None or archive == "":
        return known[0], known
    if archive not in known:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No news_archive run wrote that archive.")
    return archive, known


def _run_page(request: Request, user, session, root: str, known: list[str], run_id: str, dag_run,
              tab: bool = False) -> HTMLResponse:
    reader = ArchiveReader(root)
    log = reader.run_log(run_id)
    params = request.query_params
    per = min(max(_int(params.get("per"), PER_PAGE), 5), 500)
    quarantine = reader.run_rows("quarantine", run_id, QUARANTINE_COLUMNS)
    q_rows, q_sort, q_page, q_pages = sort_and_page(quarantine, params.get("qsort", "source_path"),
                                                    QUARANTINE_SORTS, _int(params.get("qpage"), 1), per)
    duplicates = reader.run_rows("duplicates", run_id, DUPLICATE_COLUMNS)
    d_rows, d_sort, d_page, d_pages = sort_and_page(duplicates, params.get("dsort", "source_path"),
                                                    DUPLICATE_SORTS, _int(params.get("dpage"), 1), per)
    d_list = d_rows.to_pylist()
    canonicals = reader.canonicals([(r["article_id"], r["event_date"]) for r in d_list])
    dated = {table: Counter(reader.run_rows(table, run_id, ["event_date_source"]).column(0).to_pylist())
             for table in ("articles", "duplicates")}
    times = None
    if dag_run is not None and access.may_read(user, dag_run.dag_id, access.DagAccessEntity.TASK_INSTANCE):
        times = access.task_times(dag_run, session)
    return _page(request, "run.html", {
        "root": root, "known": known, "archive": root if tab or root != known[0] else None,
        "tab": tab, "run_id": run_id, "log": log, "dag_run": dag_run,
        "funnel": _funnel(log) if log else None, "dated": dated,
        "partitions": reader.run_partitions(run_id) if log or len(quarantine) or len(duplicates) else None,
        "times": times, "longest": max((t.seconds for t in times or ()), default=0),
        "quarantine": q_rows.to_pylist(), "q_total": len(quarantine), "q_sort": q_sort, "q_page": q_page,
        "q_pages": q_pages, "duplicates": d_list, "d_total": len(duplicates), "d_sort": d_sort,
        "d_page": d_page, "d_pages": d_pages, "canonicals": canonicals, "per": per,
    })


def _funnel(log: dict) -> dict:
    """The run log's counts as the funnel shows them; missing fields read as 0."""
    def n(key):
        value = log.get(key)
        return value if isinstance(value, int) else 0

    def by(key):
        value = log.get(key)
        return sorted(((str(k), v) for k, v in value.items() if isinstance(v, int)), key=lambda kv: -kv[1]) \
            if isinstance(value, dict) else []

    new = n("inputs") - n("already_archived")
    copies = n("articles") + n("duplicates")
    return {"inputs": n("inputs"), "already_archived": n("already_archived"), "new": new,
            "articles": n("articles"), "duplicates": n("duplicates"), "by_match": dict(by("duplicates_by_match")),
            "quarantined": n("quarantined"), "by_reason": by("quarantined_by_reason"),
            "rate": n("duplicates") / copies if copies else None}


def _run_row(log: dict, request: Request, root: str) -> dict:
    def n(key):
        value = log.get(key)
        return value if isinstance(value, int) else 0

    return {"label": str(log.get("run_id", log["_key"])), "day": str(log.get("acquired_date", ""))[:10],
            "articles": n("articles"), "duplicates": n("duplicates"), "quarantined": n("quarantined"),
            "inputs": n("inputs"), "already_archived": n("already_archived"),
            "by_match": log.get("duplicates_by_match") if isinstance(log.get("duplicates_by_match"), dict) else {},
            "published": log["_published"],
            "href": _href(request, "/run", run_id=str(log.get("run_id", log["_key"])),
                          archive=request.query_params.get("archive"))}


def _page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    def href(path: str, **params) -> str:
        return _href(request, path, **params)

    def here(**changes) -> str:
        """This page's URL with some query parameters changed (None drops one)."""
        params = {**request.query_params, **changes}
        query = urlencode([(k, v) for k, v in params.items() if v not in (None, "")])
        return quote(request.url.path, safe="/:+@,;=~") + (f"?{query}" if query else "")

    context = {"known": [], "root": None, "q": "", **context}
    # Links carry the archive they show unless it is the default one.
    context.setdefault("archive", context["root"] if context["known"] and context["root"] != context["known"][0]
                       else None)
    html = templates.get_template(name).render(request=request, href=href, here=here, quote=quote, **context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def _href(request: Request, path: str, **params) -> str:
    """A link inside the app: `path` under the app's mount point, with the non-empty params."""
    base = request.scope.get("root_path", "").rstrip("/")
    query = urlencode([(k, v) for k, v in params.items() if v not in (None, "")])
    return f"{base}{path}" + (f"?{query}" if query else "")


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
