"""A per-document time limit for extraction (trafilatura can run away on odd pages)."""

from __future__ import annotations

import signal
import threading

from .article import ExtractionTimeout


def call_with_timeout(fn, timeout_s: float):
    """Run fn() under a wall-clock limit, raising ExtractionTimeout when it runs over. In the
    main thread of a process a SIGALRM timer interrupts it; elsewhere (Airflow thread pools,
    tests) it runs in a daemon thread that is abandoned on timeout, so the caller can go on
    even though the runaway thread finishes in the background. 0 means no limit."""
    if not timeout_s or timeout_s <= 0:
        return fn()
    main = threading.current_thread() is threading.main_thread()
    if main and hasattr(signal, "setitimer"):
        def _alarm(_signum, _frame):
            raise ExtractionTimeout(f"extraction exceeded {timeout_s:g}s")

        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    result: dict = {}

    def _run():
        try:
            result["value"] = fn()
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=_run, name="newsarchive-extract", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise ExtractionTimeout(f"extraction exceeded {timeout_s:g}s")
    if "error" in result:
        raise result["error"]
    return result["value"]
