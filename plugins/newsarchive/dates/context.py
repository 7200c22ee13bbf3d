"""What surrounds a written date: its label ("Published", "Updated", "Termin"), weekday, time and
zone, author line, reader-comment and tweet marks, span edges, and whether it stands alone on
its line or inside prose. Fills in the `Candidate`s that `scan` found; scores nothing.
"""

from __future__ import annotations

import re

from newsarchive.dates import patterns as pat
from newsarchive.dates.layout import is_prose
from newsarchive.dates.scan import TIME_CHARS, Candidate, read_time

_WORD_CHARS = re.compile(r"[^\W\d_]+")

LABEL_KIND: dict[str, str] = {w: "pub" for w in pat.PUBLISHED_LABELS}
LABEL_KIND.update({w: "upd" for w in pat.UPDATED_LABELS})
LABEL_KIND.update({w: "evt" for w in pat.EVENT_LABELS})
_LABEL_WORDS = max(len(k.split()) for k in LABEL_KIND)
_LABEL_FIRST_WORDS = frozenset(k.split()[0] for k in LABEL_KIND)

# An author line: "By David Zurawik", "von lupa am", "Par Elsa Provenzano", "Autor: ..." and a
# capitalised name (or a lower-case handle right after German "von").
_RE_BYLINE = re.compile(
    r"[ \t]*(?:(?:[Bb]y|BY|[Vv]on|VON|[Pp]ar|[Pp]or|[Dd]oor|[Aa]v|[Aa]f)\s+[A-ZÀ-ÖØ-Þ]|von\s+\w"
    r"|(?:Autor(?:in)?|Author|Written by|Geschrieben von|Verfasst von)\b)")
_RE_RANGE_BEFORE = re.compile(r"\d\.?\s*(?:[-–—]|bis|to|au|al)\s*$")
_RANGE_ENDINGS = frozenset("-–—slou")  # last letters of what _RE_RANGE_BEFORE ends with
_GLUE_CHARS = frozenset('"“”»)')

# Last words of the weekday names ("tuesday", "di", "hai" of "thứ hai"): most dates have none before them.
_WEEKDAY_LAST_WORDS = frozenset(name.split()[-1] for name in pat.WEEKDAYS)

LABEL_GAP_WORDS = 4  # "Veröffentlicht von SeglerBlog am 3. Mai": a label this many words before still counts
PREFIX_CHARS = 80  # the words before a date are read this far back on its line
LABEL_LINE_CHARS = 40  # "Published:" alone on the line above: a short line
ALONE_SLACK_CHARS = 60  # a date line may carry this much besides the date (time, author, section)
LONG_LINE_CHARS = 150  # a line this long with words before the date is a sentence
TWEET_CHARS = 60  # "— Name (@handle) May 1, 2020": the handle stands this close before the date
COMMENT_LINE_CHARS = 60  # "Agi Joe sagt:" under a comment's stamp is a short line


def label_in(words: list[str], max_gap: int = LABEL_GAP_WORDS) -> str | None:
    """The label nearest before the date among its last `words`, at most `max_gap` words
    between them ("Veröffentlicht von SeglerBlog am", "Posted on", "입력")."""
    n = len(words)
    for i in range(n - 1, max(-1, n - 1 - max_gap - _LABEL_WORDS), -1):
        if words[i] not in _LABEL_FIRST_WORDS:
            continue  # most words start no label: skip the joins
        for k in range(min(_LABEL_WORDS, n - i), 0, -1):
            kind = LABEL_KIND.get(" ".join(words[i:i + k]))
            if kind and n - (i + k) <= max_gap:
                return kind
    return None


def annotate(text: str, cands: list[Candidate]) -> None:
    """Line number, label, weekday check, time and zone, and the marks of each candidate (in
    page order)."""
    prev_end = 0
    prev_line_start = -1
    line_no = counted_to = 0
    for c in cands:
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.end)
        if line_end < 0:
            line_end = len(text)
        cut = max(line_start, c.start - PREFIX_CHARS, prev_end if prev_line_start == line_start else 0)
        prefix_words = _WORD_CHARS.findall(text[cut:c.start].lower()) if cut < c.start else []
        prev_end, prev_line_start = c.end, line_start

        if prefix_words and prefix_words[-1] in _WEEKDAY_LAST_WORDS:
            _check_weekday(c, prefix_words)
        c.label = label_in(prefix_words)
        label_before = c.label is not None
        # "seit dem 1. Mai", "bis zum 31.03.": the preposition may stand one article away.
        c.preposition = not label_before and not pat.EVENT_PREPOSITIONS.isdisjoint(prefix_words[-2:])
        c.embed = "@" in text[max(line_start, c.start - TWEET_CHARS):c.start]
        if c.label is None and not prefix_words and line_start > 1:
            # "Published:" on its own short line right above the date.
            above_start = text.rfind("\n", 0, line_start - 1) + 1
            above = text[above_start:line_start - 1]
            if len(above.strip()) <= LABEL_LINE_CHARS and not any(ch.isdigit() for ch in above):
                words = _WORD_CHARS.findall(above.lower())
                if len(words) <= 2:  # the whole line is the label (not a table header, not a date line)
                    c.label = label_in(words)

        suffix_from = read_time(c, text, min(line_end, c.end + TIME_CHARS))
        # (Most date lines end with the date or its time: no words to look for after it.)
        suffix_words = (_WORD_CHARS.findall(text[suffix_from:min(line_end, suffix_from + 60)].lower())
                        if line_end > suffix_from else [])
        if c.label is None:
            for w in suffix_words[:8]:
                if w in pat.TRAILING_LABELS:
                    c.label = pat.TRAILING_LABELS[w]
                    break
        c.byline = _under_byline(text, line_start, c.start)
        if c.label == "pub" and not pat.SELF_NOUNS.isdisjoint(prefix_words[-8:]):
            c.self_statement = True
        c.comment = not pat.COMMENT_WORDS.isdisjoint(suffix_words[:6])
        if not c.comment and line_end < len(text):
            # "Januar 15, 2014 um 23:36" / "Agi Joe sagt:": the stamp of a reader comment.
            next_end = text.find("\n", line_end + 1)
            next_end = len(text) if next_end < 0 else next_end
            if next_end - line_end <= COMMENT_LINE_CHARS + 8 and ":" in text[next_end - 3:next_end]:
                next_line = text[line_end + 1:next_end].rstrip()
                c.comment = (len(next_line) <= COMMENT_LINE_CHARS and next_line[-1:] == ":"
                             and next_line.lower().endswith(pat.COMMENT_SAYS))
        # (The regex only where the text before the date ends like a span: a dash or "bis"/"to"/"au"/"al".)
        before = text[max(line_start, c.start - 12):c.start].rstrip()
        c.range_end = (before[-1:] in _RANGE_ENDINGS
                       and _RE_RANGE_BEFORE.search(text, max(line_start, c.start - 12), c.start) is not None)
        _place_on_line(c, text, line_start, line_end, suffix_from, prefix_words, label_before)
        line_no += text.count("\n", counted_to, c.start)
        counted_to = c.start
        c.line = line_no


def _check_weekday(c: Candidate, prefix_words: list[str]) -> None:
    """A weekday written just before the date must be the date's own; it settles an ambiguous
    numeric date when only one reading falls on it. The weekday's words are removed."""
    tail = prefix_words[-2:]
    for k in (2, 1):
        if len(tail) >= k:
            iso = pat.WEEKDAYS.get(" ".join(tail[-k:]))
            if iso:
                if c.ambiguous:
                    fits = [d for d in c.ambiguous if d.isoweekday() == iso]
                    if len(fits) == 1:
                        c.day, c.ambiguous, c.weekday_ok = fits[0], None, True
                else:
                    c.weekday_ok = c.day.isoweekday() == iso
                del prefix_words[-k:]
                return


def _under_byline(text: str, line_start: int, start: int) -> bool:
    """The date stands on an author line, or one or two short lines under it ("By David
    Zurawik" / "Baltimore Sun |" / "Dec 23, 2020")."""
    if _RE_BYLINE.match(text, line_start, start) is not None:
        return True
    if line_start <= 1:
        return False
    above = text.rfind("\n", 0, line_start - 1) + 1
    if _RE_BYLINE.match(text, above, line_start) is not None:
        return True
    return (above > 1 and line_start - above <= LABEL_LINE_CHARS
            and _RE_BYLINE.match(text, text.rfind("\n", 0, above - 1) + 1, above) is not None)


def _place_on_line(c: Candidate, text: str, line_start: int, line_end: int, suffix_from: int,
                   prefix_words: list[str], label_before: bool) -> None:
    """Whether the date is a date line (`alone`) or inside prose (`sentence`); a publication
    label far back in a sentence is dropped."""
    width = c.end - c.start
    if text.startswith(text[c.start:c.end], c.end):
        width *= 2  # "2. Februar 20202. Februar 2020": two elements glued in the dump, one date
    c.alone = (line_end - line_start) - width <= ALONE_SLACK_CHARS
    # A date glued to the word before it and ending its line ('... Liegestühle um"01.05.2017')
    # was an element of its own that the dump ran into the headline: a date line, not prose.
    glued = (c.start > line_start and line_end - suffix_from <= 15
             and (text[c.start - 1].isalpha() or text[c.start - 1] in _GLUE_CHARS))
    if glued:
        c.alone = True
    c.sentence = line_end - line_start > LONG_LINE_CHARS and len(prefix_words) >= 3
    if glued:
        c.sentence = False
    elif c.self_statement:
        c.sentence = False  # the statement is a sentence by nature, and about this page
    elif c.sentence and label_before and c.label == "pub" and label_in(prefix_words, 1) is None:
        c.label = None  # "published" far back in a sentence is about something else
    elif len(prefix_words) >= 3 and is_prose(text, line_start, line_end):
        # A hard-wrapped line of prose: "Results will be released by March 31" is an event.
        c.sentence = True
        # The label still counts when it opens the line or the date follows it directly
        # ("... Bildungsprodukten : Datum: 26.01.2022 Pressemitteilung: 6/2022").
        if (c.label == "pub" and label_before and not any(w in LABEL_KIND for w in prefix_words[:2])
                and label_in(prefix_words, 0) is None):
            c.label = None
