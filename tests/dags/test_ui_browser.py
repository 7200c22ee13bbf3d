"""The plugin in a real browser: Debian's chromium driven by Playwright against a real Airflow
API server, after a real DAG run (`airflow dags test`) on the seeds, two syndicated copies and
two bad inputs, everything under the test's temporary folders.

Logs in through the form, opens the "News archive" page and the run's tab, reads the run's
numbers, opens a duplicate beside its canonical, and checks that no markup from the archive
runs. Screenshots go to a temporary folder, or to $UI_SCREENSHOTS (`make screenshots`
writes docs/img/, which docs/ui.md shows).
"""

from __future__ import annotations

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
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_NAME = "<img src=x onerror=alert(1)>.bin"

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements-dev.txt)")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed "
                                "(apt-get install -y --no-install-recommends chromium; .ci/run does it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the API server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the API server did not answer in {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    home, landing, root = tmp / "airflow", tmp / "landing", tmp / "archive"
    home.mkdir()
    shutil.copytree(REPO / "include" / "seeds", landing)
    for copy in (REPO / "tests" / "fixtures" / "syndicated").iterdir():
        shutil.copy(copy, landing)
    (landing / HOSTILE_NAME).write_bytes(b"not a page")
    (landing / "broken.jsonl").write_text("{not json\n")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSARCHIVE"))},
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO / "plugins"),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,viewer:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": uuid.uuid4().hex,
        # The DAG's defaults point into this test's folders (never the repository's var/).
        "NEWSARCHIVE_LANDING": str(landing),
        "NEWSARCHIVE_ARCHIVE_ROOT": str(root),
    }
    airflow = str(BIN / "airflow")
    subprocess.run([airflow, "db", "migrate"], env=env, cwd=tmp, check=True, capture_output=True)
    ran = subprocess.run([airflow, "dags", "test", "news_archive", "2024-01-16"], env=env, cwd=tmp,
                         capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    run_id = json.loads((root / "_runs").glob("*.json").__next__().read_text())["run_id"]
    log = tmp / "api-server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([airflow, "api-server", "--port", str(port)], env=env, cwd=tmp,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/api/v2/monitor/health", 90, proc, log)
        passwords = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())
        yield {"base": base, "run_id": run_id, "root": root, "password": passwords["admin"], "log": log}
    finally:
        for sig, wait in ((signal.SIGINT, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=wait)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("UI_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_operator_reads_the_run_in_the_browser(server, shots):
    from playwright.sync_api import expect, sync_playwright

    base, run_id = server["base"], server["run_id"]
    dialogs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.set_default_timeout(30_000)

            # Log in through Airflow's own form.
            page.goto(f"{base}/")
            page.get_by_label("Username").fill("admin")
            page.get_by_label("Password").fill(server["password"])
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda url: "/auth/login" not in url)

            # The nav page, inside Airflow.
            page.goto(f"{base}/plugin/news-archive")
            nav = page.frame_locator("iframe[title='News archive']")
            expect(nav.locator("[data-total=articles]")).to_have_text("5")
            expect(nav.locator("[data-total=duplicates]")).to_have_text("2")
            expect(nav.locator("[data-total=quarantine]")).to_have_text("2")
            expect(nav.locator("svg.chart")).to_have_count(2)
            page.screenshot(path=shots / "ui-nav.png")

            # The run's tab: its funnel.
            page.goto(f"{base}/dags/news_archive/runs/{quote(run_id, safe='')}/plugin/news-archive-run")
            tab = page.frame_locator("iframe[title='News archive']")
            counts = {key: tab.locator(f"[data-count={key}]").inner_text()
                      for key in ("inputs", "already_archived", "articles", "duplicates", "quarantined")}
            assert counts == {"inputs": "9", "already_archived": "0", "articles": "5", "duplicates": "2",
                              "quarantined": "2"}
            expect(tab.locator("[data-reason=unsupported_type]")).to_have_text("1")
            expect(tab.locator("#times td.mono")).to_have_count(6)
            expect(tab.locator("#quarantine-table")).to_contain_text(HOSTILE_NAME)  # as text, not an image
            expect(tab.locator("#quarantine-table img")).to_have_count(0)
            page.screenshot(path=shots / "ui-run-tab.png")

            # The same page on its own, whole, for the docs.
            plain = browser.new_page(viewport={"width": 1280, "height": 900})
            plain.context.add_cookies(page.context.cookies())
            frame_src = page.locator("iframe[title='News archive']").get_attribute("src")
            plain.goto(f"{base}/{frame_src.lstrip('/')}" if not frame_src.startswith("http") else frame_src)
            expect(plain.locator("#funnel")).to_be_visible()
            plain.screenshot(path=shots / "ui-run-full.png", full_page=True)

            # A duplicate beside its canonical: the copy another outlet reworded.
            tab.locator("#duplicates-table tr", has_text="meridian-diplomat-moscow.txt").locator("a.compare").click()
            pair = page.frame_locator("iframe[title='News archive']")
            expect(pair.locator("#bodies")).to_be_visible()
            expect(pair.locator("#pair-meta")).to_contain_text("harbourpost-nk-fm-russia.html")
            assert pair.locator("#bodies tr").count() > 3
            page.screenshot(path=shots / "ui-pair.png")
            plain.goto(next(f.url for f in page.frames if "/news-archive/pair" in f.url))
            expect(plain.locator("#bodies")).to_be_visible()
            expect(plain.locator("#pair-meta")).to_contain_text("meridian-diplomat-moscow.txt")
            plain.screenshot(path=shots / "ui-pair-full.png", full_page=True)
        finally:
            browser.close()
    assert dialogs == []  # nothing from the archive ran as script
    for name in ("ui-nav.png", "ui-run-tab.png", "ui-run-full.png", "ui-pair.png", "ui-pair-full.png"):
        assert (shots / name).stat().st_size > 10_000
