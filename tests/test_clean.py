"""clean_page: the clean stage's public entry point (dispatch, evidence lookup, time limit)."""

from __future__ import annotations

import threading
import time

import pytest
from clean_helpers import CONFIG, fixture

import newsarchive.clean as clean
from newsarchive.clean import CleanArticle, ExtractionTimeout, clean_page
from newsarchive.page import Page


def test_clean_page_dispatches_on_the_page_kind():
    art = clean_page(Page("text", fixture("wire_story.txt"), url="https://www.coastalgazette.example/a"),
                     config=CONFIG, timeout_s=0)
    assert art.method == "text" and art.text.startswith("PORTSMOUTH (AP)")
    art = clean_page(Page("html", fixture("page.html")), config=CONFIG, timeout_s=0)
    assert art.method == "html" and art.text.startswith("PORTSMOUTH (AP)")
    with pytest.raises(ValueError):
        Page("pdf", "x")


def _slow(*_args, **_kwargs):
    time.sleep(2)
    return CleanArticle(text="late")


def test_timeout_in_main_thread_raises_and_run_goes_on(monkeypatch):
    monkeypatch.setattr(clean, "clean_text", _slow)
    started = time.monotonic()
    with pytest.raises(ExtractionTimeout):
        clean_page(Page("text", "x"), config=CONFIG, timeout_s=0.2)
    assert time.monotonic() - started < 1.5
    monkeypatch.undo()
    assert clean_page(Page("text", fixture("wrapped_body.txt")), config=CONFIG, timeout_s=20).text


def test_timeout_outside_main_thread_raises_too(monkeypatch):
    monkeypatch.setattr(clean, "clean_text", _slow)
    outcome = {}

    def worker():
        try:
            clean_page(Page("text", "x"), config=CONFIG, timeout_s=0.2)
        except ExtractionTimeout as exc:
            outcome["error"] = exc

    t = threading.Thread(target=worker)
    t.start()
    t.join(5)
    assert isinstance(outcome.get("error"), ExtractionTimeout)
