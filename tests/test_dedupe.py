import datetime as dt
import random

import pyarrow as pa
import pytest

from newsarchive import dedupe
from newsarchive.minhash import minhash_signatures
from newsarchive.pipeline import CLEANED_SCHEMA
from newsarchive.settings import Settings

DAY = dt.date(2024, 1, 15)
SETTINGS = Settings()
WORDS = [f"w{i}" for i in range(5000)]


def _text(seed, n=300):
    rnd = random.Random(seed)
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def _edit(text, fraction, seed):
    """Replace a contiguous share of the words: what a trimmed or rewritten copy does."""
    words = text.split()
    cut = int(len(words) * (1 - fraction))
    return " ".join(words[:cut] + _text(seed, len(words) - cut).split())


def _edit_head(text, fraction, seed):
    """Replace the first share of the words: a re-written lede."""
    words = text.split()
    cut = int(len(words) * fraction)
    return " ".join(_text(seed, cut).split() + words[cut:])


def _batch(docs):
    """docs: (source_path, text, event_date, published_at)."""
    texts = [d[1] for d in docs]
    sigs = minhash_signatures(texts, num_perm=128, seed=1, ngram=5)
    flat = pa.array(sigs.reshape(-1), pa.uint32())
    return pa.table({
        "date_alternatives": pa.array([list(d[4]) if len(d) > 4 else [] for d in docs], pa.list_(pa.date32())),
        "source_path": [d[0] for d in docs], "source_path_bytes": pa.array([None] * len(docs), pa.binary()),
        "source_sha256": ["0" * 64] * len(docs),
        "url": [None] * len(docs), "site": [None] * len(docs), "title": [None] * len(docs),
        "byline": [None] * len(docs), "published_at": pa.array([d[3] for d in docs], CLEANED_SCHEMA.field("published_at").type),
        "event_date": pa.array([d[2] for d in docs], pa.date32()),
        "event_date_source": ["text"] * len(docs), "acquired_date": pa.array([DAY] * len(docs), pa.date32()),
        "crawled_at": pa.array([None] * len(docs), CLEANED_SCHEMA.field("crawled_at").type),
        "language": ["en"] * len(docs), "text": texts, "word_count": pa.array([len(t.split()) for t in texts], pa.int32()),
        "content_sha256": [dedupe.content_sha256(t) for t in texts],
        "minhash": pa.FixedSizeListArray.from_arrays(flat, 128),
    }).select(CLEANED_SCHEMA.names).cast(CLEANED_SCHEMA)


def _window(batch, decisions):
    """What the archive returns for the batch once published: articles and duplicates."""
    return pa.table({
        "article_id": [d.article_id for d in decisions],
        "event_date": pa.array([d.event_date for d in decisions], pa.date32()),
        "minhash": batch.column("minhash"),
        "role": [d.role for d in decisions],
        "text": batch.column("text"),
    })


EMPTY_WINDOW = pa.table({"article_id": pa.array([], pa.string()), "event_date": pa.array([], pa.date32()),
                         "minhash": pa.array([], pa.list_(pa.uint32(), 128)), "role": pa.array([], pa.string()),
                         "text": pa.array([], pa.string())})


def test_content_digest_ignores_wrapping_and_unicode_forms():
    assert dedupe.content_sha256("A  b\nc\u00a0d") == dedupe.content_sha256("A b c d")
    assert dedupe.content_sha256("A b c d") != dedupe.content_sha256("A b c e")


def test_canonical_is_earliest_published_then_longest_then_path():
    t = dt.datetime(2024, 1, 15, 8, tzinfo=dt.timezone.utc)
    base = _text(1)
    docs = [
        ("c.txt", base, DAY, None),
        ("b.txt", base + " extra words here", DAY, None),
        ("a.txt", base, DAY, t + dt.timedelta(hours=1)),
        ("z.txt", _edit(base, 0.1, 9), DAY, t),  # earliest published wins
    ]
    batch = _batch(docs)
    decisions = dedupe.decide(batch, EMPTY_WINDOW, {}, SETTINGS)
    roles = {d[0]: (x.role, x.match) for d, x in zip(docs, decisions)}
    assert roles["z.txt"] == ("article", None)
    assert {roles[p][0] for p in ("a.txt", "b.txt", "c.txt")} == {"duplicate"}
    assert len({x.article_id for x in decisions}) == 1
    # a.txt and c.txt share a body: the second one decided is an exact copy.
    assert sorted(roles[p][1] for p in ("a.txt", "c.txt")) == ["exact", "near"]


def test_different_articles_stay_apart_and_order_of_rows_does_not_matter():
    docs = [(f"{i}.txt", _text(i), DAY, None) for i in range(6)]
    docs.append(("copy.txt", _edit(docs[2][1], 0.2, 99), DAY, None))
    forward = dedupe.decide(_batch(docs), EMPTY_WINDOW, {}, SETTINGS)
    backward = dedupe.decide(_batch(docs[::-1]), EMPTY_WINDOW, {}, SETTINGS)[::-1]
    assert forward == backward
    assert [d.role for d in forward].count("article") == 6
    assert forward[-1].article_id == forward[2].article_id and forward[-1].match == "near"


def test_rewritten_copy_under_the_threshold_stays_apart():
    base = _text(5)
    far = _edit(base, 0.75, 7)  # a quarter of the words kept: Jaccard well under 0.5
    decisions = dedupe.decide(_batch([("a.txt", base, DAY, None), ("b.txt", far, DAY, None)]), EMPTY_WINDOW, {}, SETTINGS)
    assert [d.role for d in decisions] == ["article", "article"]


def test_trimmed_copy_is_kept_by_containment():
    base = _text(6, 400)
    trimmed = " ".join(base.split()[:150])  # the first paragraphs only: Jaccard ~0.37
    decisions = dedupe.decide(_batch([("a.txt", base, DAY, None), ("b.txt", trimmed, DAY, None)]), EMPTY_WINDOW, {}, SETTINGS)
    dup = decisions[1]
    assert dup.role == "duplicate" and dup.match == "near"
    assert 0.2 <= dup.similarity < 0.5 and dup.containment > 0.95


def test_background_paragraph_quoted_in_another_story_stays_apart():
    story = _text(7, 600)
    other = _text(8, 120) + " " + " ".join(story.split()[:100])  # reuses one paragraph of it
    decisions = dedupe.decide(_batch([("a.txt", story, DAY, None), ("b.txt", other, DAY, None)]), EMPTY_WINDOW, {}, SETTINGS)
    assert [d.role for d in decisions] == ["article", "article"]


def test_a_copy_of_a_copy_joins_only_a_canonical_it_matches_itself():
    a = _text(11)
    b = _edit(a, 0.3, 12)  # the ending rewritten: near a
    c = _edit_head(b, 0.25, 13)  # and then the lede: near b, no longer near a
    day1 = _batch([("a.txt", a, DAY, None), ("b.txt", b, DAY, None)])
    decided = dedupe.decide(day1, EMPTY_WINDOW, {}, SETTINGS)
    assert [d.role for d in decided] == ["article", "duplicate"]
    # Archived: c matches only the copy b, not the canonical a: no chain through b.
    later = dedupe.decide(_batch([("c.txt", c, DAY + dt.timedelta(days=2), None)]), _window(day1, decided), {},
                          SETTINGS)
    assert later[0].role == "article"
    # In one batch the same: c is decided after a and b and matches only b.
    together = dedupe.decide(_batch([("a.txt", a, DAY, None), ("b.txt", b, DAY, None),
                                     ("c.txt", c, DAY + dt.timedelta(days=1), None)]), EMPTY_WINDOW, {}, SETTINGS)
    assert [d.role for d in together] == ["article", "duplicate", "article"]
    # A copy that does match the canonical joins it, filed under the canonical's date.
    d = _edit(a, 0.2, 14)
    joined = dedupe.decide(_batch([("d.txt", d, DAY + dt.timedelta(days=2), None)]), _window(day1, decided), {},
                           SETTINGS)
    assert joined[0].role == "duplicate" and joined[0].article_id == decided[0].article_id
    assert joined[0].event_date == DAY


def test_a_boilerplate_block_shared_by_many_stories_never_merges_them():
    """A comment policy printed on every page of a site, and one page whose body is only that
    block: containment would join every page to it (a 23-story cluster on a held-back site)."""
    policy = " ".join(_text(900 + k, 20) + "." for k in range(6))  # half a dozen lines, ~120 words
    stories = [(f"story-{k:02d}.txt", _text(1000 + k, 150) + " " + policy, DAY + dt.timedelta(days=k % 3), None)
               for k in range(12)]
    only_policy = ("policy-only.txt", policy, DAY, None)
    for docs in ([only_policy, *stories], [*stories, only_policy]):
        decided = dedupe.decide(_batch(docs), EMPTY_WINDOW, {}, SETTINGS)
        assert all(d.role == "article" for d in decided), [d for d in decided if d.role != "article"]
    # Archived the other way round: the stories first, then the block-only page, then more stories.
    first = _batch(stories[:6])
    kept = dedupe.decide(first, EMPTY_WINDOW, {}, SETTINGS)
    again = dedupe.decide(_batch([only_policy, *stories[6:]]), _window(first, kept), {}, SETTINGS)
    assert all(d.role == "article" for d in kept + again)
    # The guard does not stop real copies: a trimmed copy of one story still joins it.
    name, text, day, _ = stories[0]
    trimmed = " ".join(text.split()[:120])
    decided = dedupe.decide(_batch([*stories, ("trimmed.txt", trimmed, day, None)]), EMPTY_WINDOW, {}, SETTINGS)
    assert decided[-1].role == "duplicate" and decided[-1].article_id == decided[0].article_id


def test_archived_exact_match_wins_whatever_its_date():
    a = _text(21)
    batch = _batch([("again.txt", a, DAY, None)])
    digest = dedupe.content_sha256(a)
    old = dt.date(1987, 3, 2)
    [decision] = dedupe.decide(batch, EMPTY_WINDOW, {digest: ("archived-id", old)}, SETTINGS)
    assert decision == dedupe.Decision("duplicate", "archived-id", "exact", 1.0, 1.0, old)


@pytest.mark.parametrize("gap,expected", [(7, "duplicate"), (8, "article")])
def test_window_bounds_near_duplicate_search(gap, expected):
    a = _text(31)
    day1 = _batch([("a.txt", a, DAY, None)])
    decided = dedupe.decide(day1, EMPTY_WINDOW, {}, SETTINGS)
    copy = _batch([("b.txt", _edit(a, 0.1, 32), DAY + dt.timedelta(days=gap), None)])
    assert dedupe.decide(copy, _window(day1, decided), {}, SETTINGS)[0].role == expected


def test_an_ambiguous_date_is_searched_under_both_readings():
    a = _text(41)
    april = dt.date(1987, 4, 9)
    day1 = _batch([("a.txt", a, april, None)])
    decided = dedupe.decide(day1, EMPTY_WINDOW, {}, SETTINGS)
    # "Published 09/04/1987" on a page with no other evidence: undated, both readings kept.
    fallback = dt.date(2026, 11, 22)
    copy = _batch([("b.txt", _edit(a, 0.1, 42), fallback, None, (april, dt.date(1987, 9, 4)))])
    copy = copy.set_column(copy.schema.get_field_index("event_date_source"), "event_date_source",
                           pa.array(["acquired"]))
    copy = copy.set_column(copy.schema.get_field_index("acquired_date"), "acquired_date",
                           pa.array([fallback], pa.date32()))
    assert dedupe.search_days(copy) == [[april, dt.date(1987, 9, 4), fallback]]
    [decision] = dedupe.decide(copy, _window(day1, decided), {}, SETTINGS)
    assert decision.role == "duplicate" and decision.article_id == decided[0].article_id
    without = copy.set_column(copy.schema.get_field_index("date_alternatives"), "date_alternatives",
                              pa.array([[]], pa.list_(pa.date32())))
    assert dedupe.decide(without, _window(day1, decided), {}, SETTINGS)[0].role == "article"


def test_content_sha256_collapses_every_unicode_space_as_the_regex_did():
    import hashlib
    import re
    import unicodedata

    text = " \u2003Dock\u00a0fees\u2028rise\x1c\x1d\x1e\x1f\x85 at\t\r\n the\u3000port \u202f"
    expected = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    assert dedupe.content_sha256(text) == hashlib.sha256(expected.encode("utf-8")).hexdigest()
