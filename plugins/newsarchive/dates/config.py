"""`DateConfig`: every tuning constant of the dates stage, in one frozen object.

`Settings.dates` holds one; override a field with `NEWSARCHIVE_DATES__<FIELD>`. Fields marked
`metadata={"tune": grid}` are the few values fitted on data: the evaluation harness re-fits them
per leave-sites-out fold over their grid. Every other value carries a one-line reason. Each
scoring weight is pinned by a test that changes its outcome when the weight is zeroed
(tests/test_dates_score.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DateConfig:
    # --- Range ------------------------------------------------------------------------------
    # 1980s wire copy is archived; nothing on the web predates 1970 as a publication day.
    date_floor: dt.date = dt.date(1970, 1, 1)
    # A page can carry tomorrow's date in its publisher's zone, nothing later.
    max_future_days: int = 1

    # --- The claim: abstain unless one day clearly wins -------------------------------------
    # A claimed day scores at least this much: about a labelled or a lone date line.
    min_score: float = field(default=1.0, metadata={"tune": (0.75, 1.0, 1.5)})
    # ... and leads the best candidate of another day by this much (a tie is no answer).
    min_margin: float = field(default=0.5, metadata={"tune": (0.25, 0.5, 1.0)})

    # --- Weights of the evidence that a written date is the first publication ---------------
    w_published: float = 6.0  # "Published"/"Veröffentlicht"/"입력" right before the date
    w_published_late: float = 4.0  # the same label inside/under the article (fact-check boxes, quotes)
    w_event: float = -8.0  # "Termin:", "Deadline:", "born": said outright to be another day
    w_updated: float = -3.0  # "Updated ..." beside a "Published" date: the later change
    w_updated_only: float = -1.0  # no "Published" date: ranks an update below an unlabelled date line
    w_alone: float = 2.0  # the date is (nearly) its whole line: a date line, not a sentence
    w_byline: float = 1.5  # on or just under an author line
    w_preposition: float = -2.0  # "bis", "since", "until" right before: a span's edge or another day
    w_weekday_bad: float = -8.0  # a written weekday that does not: not this date
    w_time: float = 0.5  # a time of day after the date: a stamp
    w_body_near: float = 4.0  # within a few lines of the first paragraph: the article's dateline
    w_body_close: float = 2.0  # within a screen of it
    w_head: float = 3.0  # alone between headline and first paragraph
    w_dateline: float = 2.0  # the body's "CITY, March 6 -" wire dateline agrees
    w_list: float = -4.0  # an item under a "Trending"/"Related"/"Comments" heading
    w_position: float = -2.0  # times the relative line position: lower on the page, less likely
    w_crowd: float = -1.0  # per neighbouring date of another day (sidebars, archives), capped
    w_embed: float = -5.0  # inside a quoted tweet ("@handle May 1, 2020")
    w_comment: float = -4.0  # a reader comment's stamp
    w_range_end: float = -4.0  # "14. - 20. Januar": the end of a span
    w_sentence: float = -3.0  # inside running prose: mostly an event, not the article
    w_after_body: float = -2.0  # below the article: related lists, trending, comments, footer

    # --- Geometry (lines) --------------------------------------------------------------------
    # Place the article by the cleaner's body span when it gives one (it saves finding the body
    # again); False finds it here as on the HTML path. Off: the clean stage's body (which now
    # keeps more of a page: standfirsts, bullets, wrapped paragraphs) starts lower than the
    # date stage's, and with it DEV text dates fell from 0.873 / 0.980 (accuracy / claimed
    # precision) to 0.855 / 0.974 (`python -m evaluation --only dates`, 2026-12-04).
    use_body_span: bool = False
    head_lines: int = 6  # a date line sits at most this far above the first paragraph
    near_above: int = 6  # the "near the first paragraph" band: this many lines above it ...
    near_below: int = 4  # ... and this many below (a dateline opening the first paragraphs)
    close_lines: int = 15  # the "close" band either side: a screen of text
    late_published_lines: int = 4  # a "Published" label further below the first paragraph is "late"
    after_body_lines: int = 4  # "Stand: ..." lines right under the last paragraph still count
    list_lines: int = 15  # how far below its heading a list runs
    crowd_lines: int = 3  # dates of other days this close are neighbours (a list)
    crowd_cap: int = 4  # neighbours counted at most (a long archive is no worse than a short one)
    list_neighbour_lines: int = 3  # another date line this close makes a date line part of a column
    # 2-digit years ("02/11/23") are read only on short lines around the first paragraph, where
    # such a date is the page's own and not a version number or a score.
    short_year_lines_above: int = 8
    short_year_lines_below: int = 4
    short_year_line_chars: int = 120

    # --- The main block: a header blurb can pass for the first paragraph ---------------------
    main_block_gap: int = 2  # long lines this close belong to one block (a subheading between)
    main_block_min_chars: int = 600  # a few paragraphs: an article, not a teaser
    main_block_ratio: float = 2.0  # it holds at least this much more text than the first paragraph's block

    # --- Ambiguous numeric dates (09/04/1987) -------------------------------------------------
    near_days: int = 7  # a reading this close to a settled date on the page is the one
    dateline_lag_days: int = 7  # a page goes out on its wire dateline's day or within the week after
    order_evidence_days: int = 365  # dates further away say nothing of how this one is written
    convention_min_pages: int = 2  # a site's order needs at least two pages' votes ...
    convention_min_share: float = 0.9  # ... nearly all one way
    convention_line_chars: int = 80  # a date line or a labelled date is short; longer lines are prose
    convention_list_lines: int = 2  # another numeric date this close makes a date line a list item
    # The page's own conventions, as votes for day-first or month-first.
    order_vote_numeric: float = 2.0  # another numeric date on the page with a day over 12
    order_vote_month_name: float = 1.0  # a date written with a month name, outside the article prose
    order_vote_language: float = 1.5  # the page's language (en-US month first, others day first)
    order_vote_domain: float = 1.0  # the site's country domain

    # --- HTML: the written date against the metadata -----------------------------------------
    # A written date overrules disagreeing metadata when it is a lone date line heading the
    # article (about alone + head + near) with no rival day near its score.
    decisive_score: float = 5.0
    decisive_lead: float = 3.0
    # Without metadata, a written date and the cleaner's date this far apart: a confusing page.
    witness_conflict_days: int = 365
