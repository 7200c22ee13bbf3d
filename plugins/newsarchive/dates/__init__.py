"""The dates stage: the event date of an article (the day of its first publication, as its
publisher wrote it), claimed only when written on the page or in its metadata.

    event_date(page, *, acquired, article=None, config=DateConfig(), conventions=None) -> EventDate

Modules, one concern each:

    stage        event_date: the precedence of the witnesses (declared, metadata, text, html, url)
    scan         finding written dates in a text; parse_date_string for single values
    context      what surrounds a date: labels, weekday, time, bylines, comments, prose
    layout       the page's structure: body span, main block, list headings, wire datelines
    conventions  day-first or month-first: DateConventions per site, reading ambiguous dates
    score        scoring candidates and the decision to claim or abstain
    html_meta    HTML metadata, canonical URL, URL dates, htmldate (only for written days)
    patterns     vocabulary (data only)
    config       DateConfig: every tuning constant
"""

from newsarchive.dates.config import DateConfig
from newsarchive.dates.conventions import DateConventions
from newsarchive.dates.html_meta import url_date
from newsarchive.dates.scan import parse_date_string
from newsarchive.dates.stage import EVENT_DATE_SOURCES, EventDate, event_date

__all__ = ["EVENT_DATE_SOURCES", "DateConfig", "DateConventions", "EventDate", "event_date", "parse_date_string",
           "url_date"]
