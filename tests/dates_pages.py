"""Shared helpers of the dates tests: small hand-written pages and one call of the stage."""

import datetime as dt
from types import SimpleNamespace

from newsarchive.dates import DateConfig, event_date
from newsarchive.page import Page

ACQ = dt.date(2026, 11, 22)
D = dt.date
PROSE = ("The council met on a cold morning and discussed the budget for the coming year at "
         "length, with several members asking for more detail on the spending plans and the "
         "timetable for the new library building.")


def page(*lines: str) -> str:
    """A dump shaped like the real ones: chrome, headline, dateline, a paragraph of prose."""
    return "\n".join(["Home", "- News", "- Sport", "Council approves the budget", *lines, PROSE, PROSE])


WIRE_BODY = ("The harbour authority said it would raise dock fees by eight pct from next month to\n"
             "pay for the dredging of the northern channel, which it expects to finish in the\n"
             "autumn, and that the bonds which finance the work mature in the late 1990s.\n")


def wire_page(date_line: str, dateline: str = "", after: str = "") -> str:
    """A syndicated wire story on an outlet's page: hard-wrapped body, date line under the byline."""
    return "\n".join(["Home", "Business", "Markets", "HARBOUR AUTHORITY RAISES DOCK FEES", "By Business Desk",
                      date_line, "Share this article", "", dateline + WIRE_BODY, "", WIRE_BODY, after])


def html_page(meta: str, written: str) -> str:
    return (f"<html><head>{meta}</head><body><h1>Council approves the budget</h1><p>{written}</p><p>"
            + "The council met on a cold morning and discussed the budget at length with members. " * 3
            + "</p></body></html>")


def dated(text: str | None = None, *, html: str | None = None, url: str | None = None, declared: str | None = None,
          language: str | None = None, published: str | None = None, body_span=None, conventions=None,
          config: DateConfig | None = None, acquired: dt.date = ACQ, source: str | None = None, article=True):
    """The event date of a text dump (`text`) or an HTML page (`html`), with a cleaner's article
    carrying `language`, `published` (the HTML path's metadata date string) and `body_span`."""
    kind = "html" if html is not None else "text"
    pg = Page(kind, html if html is not None else (text or ""), url=url, declared=declared, source=source)
    art = SimpleNamespace(language=language, published=published, body_span=body_span, date_lines=[]) \
        if article else None
    return event_date(pg, acquired=acquired, article=art, config=config or DateConfig(), conventions=conventions)
