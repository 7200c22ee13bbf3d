"""The clean stage's tuning constants, one frozen object (`Settings.clean`).

Each value says why it is what it is. The few marked `tune` were fitted on data; the evaluation
harness re-fits exactly those per leave-sites-out fold over the small grid given. Override one
with the environment as `NEWSARCHIVE_CLEAN__<FIELD>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CleanConfig:
    # --- line shapes (lines.py) ---------------------------------------------------------------
    # Hard-wrapped paragraphs: dumps of pages with preformatted text wrap at terminal-like widths;
    # narrower "paragraphs" are menus and wider ones are not wrapped at all.
    wrap_min_width: int = 40
    wrap_max_width: int = 100
    # A paragraph is a line of this many word-equivalents ending a sentence, or of prose_units
    # whatever its end: shorter sentences are NEAR (kept inside a body, never enough for one).
    prose_units: float = 10.0
    prose_units_any_end: float = 25.0
    # Two sentences in a line of this length (a comma or a second sentence) read as prose too.
    prose_units_inner: float = 7.0
    # A line of 4+ words without end punctuation is headline-shaped; shorter ones are labels.
    headline_units: float = 4.0
    # Bulleted items are link lists unless they read as sentences of these lengths.
    list_prose_units: float = 15.0
    list_near_units: float = 6.0
    # Labels ("Related articles", "Leave a comment") are short; longer lines skip their patterns.
    label_max_chars: int = 60
    # A dump's first line is its <title>; one that runs to a paragraph (this many words and
    # sentences or more; titles with a description run to one or two) is the body starting at
    # the top of a dump that has no title line.
    first_line_prose_words: int = 40
    first_line_prose_sentences: int = 3

    # --- page structure (structure.py) --------------------------------------------------------
    # Teaser widgets: "headline + one-sentence summary" repeated at least this many times; a
    # summary is at most teaser_max_units long and, when it reads as a sentence, at least
    # summary_min_units (shorter ones are labels).
    teaser_min_pairs: int = 3
    teaser_max_units: float = 45.0
    summary_min_units: float = 5.0
    # Body scores: prose counts by its length up to a cap (one huge paragraph must not outweigh
    # every structural cue), the rest by kind. Each is pinned by a test in test_clean_structure.
    good_score_cap: float = 60.0
    score_near: float = 0.5
    score_head: float = -1.5
    score_short: float = -2.0
    score_chrome: float = -3.0
    score_meta: float = -0.5       # date lines, bylines, captions' credits: small page furniture
    score_stop: float = -20.0      # the site's copyright line: the article is over
    # Each further line of an unbroken non-prose stretch costs this much more than the last: a
    # related-links box inside an article is bridged, a footer's long menu is not.
    gap_growth: float = field(default=0.25, metadata={"tune": (0.15, 0.25, 0.4)})
    # A lone prose line between chrome is a teaser or caption more often than body.
    isolated_weight: float = field(default=0.3, metadata={"tune": (0.2, 0.3, 0.5)})
    # Comment headings split the page; the article is the first section whose best run scores
    # at least section_min_score (two sentences of prose) and earlier_section_share of the best
    # section's (readers' comments below an article often outweigh it).
    section_min_score: float = 20.0
    earlier_section_share: float = field(default=0.2, metadata={"tune": (0.1, 0.2, 0.35)})
    # ... or at least a paragraph's worth (the prose score cap): enough for an article, however
    # many comments follow it.
    section_enough_score: float = 60.0
    # Readers' posts: prose under this many post headers (name, time stamp, "Reply").
    posts_min_headers: int = 3
    # A short prose line isolated at either end of the body (caption above, promo below) is cut
    # when at least edge_gap_lines non-prose lines separate it from the rest and it is shorter
    # than edge_max_units.
    edge_gap_lines: int = 2
    edge_max_units: float = 30.0
    # A heading kept inside the body is short and introduces prose; longer ones are inline links.
    subhead_max_units: float = 10.0
    # The headline is looked for this many lines above the body (past byline, date, share bar).
    headline_lookback: int = 8
    # Captions: printed twice within this many lines (alt text and figcaption), at most this long.
    caption_repeat_window: int = 3
    caption_max_units: float = 60.0

    # --- tables (tables.py) ---------------------------------------------------------------------
    # A run of data rows (short lines carrying numbers) this long is a table, not a link list;
    # rows are at most data_row_max_units long and may be interrupted by data_row_max_gap lines
    # of inline chrome or row labels.
    data_row_min_run: int = 3
    data_row_max_units: float = 25.0
    data_row_max_gap: int = 2
    # A table this long is content in its own right; its rows score like short prose.
    table_min_rows: int = 6
    table_row_weight: float = 0.5
    # Tables dumped one cell per line: cells up to this long, a row pattern repeated at least
    # cell_min_rows times with a period in [cell_min_period, cell_max_period] (rank-name-score
    # sidebars have 3 cells and stay as they are).
    cell_max_chars: int = 80
    cell_min_rows: int = 3
    cell_min_period: int = 4
    cell_max_period: int = 12

    # --- language (language.py) -----------------------------------------------------------------
    # py3langid's cost grows with the sample; a few hundred characters of body decide reliably.
    lang_sample_chars: int = 300
    # The function-word fast path answers only when clear-cut: hits, share of the sample's words,
    # dominance over the other languages' words, distinct words (one repeated word settles nothing).
    # Calibrated to agree with py3langid on 2,934 texts (docs/cleaning.md).
    fw_min_hits: int = 5
    fw_min_share: float = 0.16
    fw_dominance: float = 3.0
    fw_min_distinct: int = 3

    # --- HTML (html.py) -----------------------------------------------------------------------
    # trafilatura output shorter than this is checked against the text path on the visible text,
    # which replaces it when it finds fallback_gain times more.
    html_short_chars: int = 300
    fallback_gain: float = 3.0

    # --- template evidence (templates.py) -------------------------------------------------------
    # A line is template when it recurs in this many distinct stories of its site: two could be
    # a follow-up quoting its predecessor, three is a pattern.
    template_min_stories: int = field(default=3, metadata={"tune": (2, 3, 4)})
    # A page whose body (cleaned without evidence, since evidence left none) is this share of
    # text recurring across the site's stories or across sites holds no article: rejected.
    reject_template_share: float = 0.8
