"""Clean stage: each chrome kind is pinned with a small real-looking fixture."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from newsarchive import clean
from newsarchive.clean import (
    CleanArticle,
    ExtractionTimeout,
    TemplateLines,
    clean_html,
    clean_page,
    strip_chrome,
)
from newsarchive.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def wire() -> CleanArticle:
    return strip_chrome(fixture("wire_story.txt"))


# --- text path: body kept, chrome kinds removed -------------------------------------------

def test_wire_story_body_in_page_order(wire):
    lines = wire.text.split("\n")
    assert lines[0].startswith("PORTSMOUTH (AP) — The harbour authority")  # wire lead-in stays
    assert lines[-1].endswith("subject to crew recruitment. (AP)")  # agency tail stays
    assert len(lines) == 6
    assert wire.method == "text"


@pytest.mark.parametrize("chrome", [
    "Skip to main content", "Home > News > Transport", "Subscribe", "Sign In",
    "Share: Facebook / X / Reddit / Copy link",            # share widget
    "Advertisement",                                        # inline ad label
    "READ MORE: Council delays decision",                   # inline teaser link
    "Storm closes coastal road",                            # related-links box
    "(Coastal Gazette/File Photo)",                         # photo caption
    "To write comments",                                    # comment prompt
    "New lifeboat station",                                 # trailing link list
    "All rights reserved",                                  # copyright
    "Terms of Use",
])
def test_wire_story_chrome_removed(wire, chrome):
    assert chrome not in wire.text


def test_title_byline_and_date_lines_move_to_their_fields(wire):
    assert wire.title == "Harbour authority approves night ferry trial"
    assert wire.byline == "By Dana Whitfield"
    assert wire.date_lines == ["Published : Mar. 4, 2024 - 18:40"]
    assert "Harbour authority approves" not in wire.text
    assert "Dana Whitfield" not in wire.text
    assert wire.language == "en"


def test_hard_wrapped_paragraphs_are_joined():
    art = strip_chrome(fixture("wrapped_body.txt"))
    lines = art.text.split("\n")
    assert len(lines) == 3
    assert lines[0].startswith("MILLBROOK, June 2 - The town council voted on Thursday to reopen")
    assert lines[0].endswith("in less than four months.")
    assert art.title == "MILL TOWN COUNCIL VOTES TO REOPEN LIBRARY"
    assert art.byline == "By City Desk"
    assert art.date_lines == ["June 02, 1988"]
    for chrome in ("Scroll to continue", "Trending now", "STEEL PRICES", "Share on Facebook"):
        assert chrome not in art.text


def test_teaser_list_with_timestamps_and_cookie_notice_removed():
    art = strip_chrome(fixture("teaser_list.txt"))
    assert art.text.split("\n")[0].startswith("Growers across the valley")
    assert len(art.text.split("\n")) == 3
    for chrome in ("Rail line reopens", "first passengers in eight weeks", "2H ago",
                   "We use cookies", "Cookie settings"):
        assert chrome not in art.text
    # Time stamps of other stories in the list are not this article's dates.
    assert art.date_lines == ["Updated on: September 30, 2023 / 7:15 AM"]


def test_korean_portal_boilerplate_and_reporter_credit():
    art = strip_chrome(fixture("korean_portal.txt"))
    lines = art.text.split("\n")
    assert len(lines) == 3 and lines[0].startswith("해양 도시 부산에")
    assert "글자크기" not in art.text and "(예시)" not in art.text
    assert "무단전재" not in art.text and "관련기사" not in art.text
    assert art.byline == "홍길동 기자"
    assert art.date_lines == ["입력 2024.03.04. 18:40"]
    assert art.language == "ko"


def test_japanese_article_is_not_emptied():
    art = strip_chrome(fixture("japanese_article.txt"))
    assert art.text.split("\n")[0].startswith("地方空港と台北を結ぶ")
    assert len(art.text.split("\n")) == 3
    assert art.date_lines == ["2024年3月4日 18時40分"]
    assert "無断転載" not in art.text and "関連記事" not in art.text
    assert art.language == "ja"


def test_caption_printed_twice_and_truncated_teaser_dropped():
    page = "\n".join([
        "Bridge reopens after repairs",
        "Workers remove the last barriers on the east bridge on Sunday morning as traffic waits.",
        "Workers remove the last barriers on the east bridge on Sunday morning as traffic waits.",
        "CITY: The east bridge reopened on Sunday after eight months of repairs, the city...",
        "CITY: The east bridge reopened on Sunday after eight months of repairs, the city said,"
        " ending long detours for commuters from the southern districts.",
        "Engineers replaced the deck and two support columns damaged by a barge collision last"
        " spring, at a cost of 14 million dollars.",
        "The city said the bridge will be inspected again in the autumn before the winter"
        " storms arrive.",
    ])
    art = strip_chrome(page)
    assert "Workers remove" not in art.text
    assert "the city..." not in art.text
    assert art.text.split("\n")[0].startswith("CITY: The east bridge reopened")
    assert len(art.text.split("\n")) == 3


def test_standfirst_bullets_caption_over_credit_and_comment_section_removed():
    art = strip_chrome(fixture("key_points_comments.txt"))
    lines = art.text.split("\n")
    assert lines[0].startswith("EASTPORT — The operator of the eastern container terminal")
    assert lines[-1].endswith("approve the financing plan next month.")
    assert len(lines) == 4
    for chrome in ("Key Points", "40 automated cranes from a Finnish maker",  # standfirst bullets
                   "Dock workers watch", "Maria Lind",                         # caption + credit
                   "Story continues below advertisement",                      # inline ad label
                   "join Harbour Business Plus", "Ferry operator adds night",  # after "Comments"
                   "The night service will run"):
        assert chrome not in art.text
    assert art.date_lines == ["Published Wed, Mar 6 2024 9:12 AM EST"]


def test_bullets_after_the_first_paragraph_stay_in_the_body():
    page = "\n".join([
        "Council sets out its budget priorities",
        "The council published its budget for next year on Monday, with three priorities that"
        " officials said would take most of the new money.",
        "- Road repairs in the northern districts, which take a third of the capital budget.",
        "- Two new libraries, to open in the spring and the autumn of next year.",
        "- More staff for the housing office, where waiting times have doubled since 2022.",
        "The budget goes to a vote of the full council at the end of the month, and the"
        " opposition has said it will table amendments on housing.",
    ])
    lines = strip_chrome(page).text.split("\n")
    assert len(lines) == 5 and lines[1].startswith("Road repairs in the northern districts")


def test_teaser_list_with_label_between_headline_and_short_summary_removed():
    body = ["The river authority reopened the lower locks on Friday after three weeks of repairs"
            " to the gates, ending a closure that had stranded dozens of barges upstream.",
            "Engineers replaced two hinges and a section of the sill, the authority said, and"
            " will inspect the upper locks in the spring before the busy season begins.",
            "Barge operators said the closure had cost them several days of cargo each week."]
    teasers = []
    for headline, summary in (
            ("Did the council really ban night fishing on the canal?",
             "A rumour started by a parody account."),
            ("Was the old mill sold to a hotel chain last winter?",
             "The sale fell through in the spring."),
            ("Will the ferry fares double after the new contract starts?",
             "Fares rise by four percent next year."),
            ("Is the harbour bridge closing for repairs in the summer?",
             "Only at night, and only for a week.")):
        teasers += [headline, "12 November 2023", "Fact Check", summary]
    art = strip_chrome("\n".join(["Locks reopen on the lower river", *body, "Editors' Picks",
                                   *teasers]))
    assert art.text.split("\n") == body


def test_table_interrupted_by_inline_chrome_is_kept_whole():
    art = strip_chrome(fixture("earnings_table.txt"))
    lines = art.text.split("\n")
    assert lines[:8] == [
        "Shr profit 14 cts vs loss six cts", "Net profit 1,210,000 vs loss 480,000",
        "Sales 48.2 mln vs 41.7 mln", "Avg shrs 8.6 mln vs 8.1 mln", "Nine mths",
        "Shr profit 31 cts vs loss 22 cts", "Net profit 2,650,000 vs loss 1,790,000",
        "Sales 139.5 mln vs 120.3 mln"]
    for chrome in ("Continue reading the main story", "READ MORE", "Storm closes coastal road"):
        assert chrome not in art.text
    assert art.title == "NORTHFIELD TOOLS INC 3RD QTR NET"
    assert art.byline == "By Staff Reporter" and art.date_lines == ["2024-03-04"]


def test_ascii_word_count_matches_the_regex_count():
    import re

    for line in ("The U.S. plan - worth 2,191,000 dollars - didn't pass (AP).", "a_b c", "", "..."):
        assert clean._units(line) == len(re.findall(r"\w+", line))


def test_empty_and_chrome_only_pages_give_empty_body():
    assert strip_chrome("").text == ""
    art = strip_chrome("Home\nNews\nSubscribe\n© 2024 Example Media. All rights reserved.")
    assert art.text == ""


def test_strip_chrome_is_deterministic(wire):
    again = strip_chrome(fixture("wire_story.txt"))
    assert again == wire


# --- template evidence ------------------------------------------------------------------------

def _site_page(story: int, body: list[str]) -> str:
    return "\n".join(["Valley Post", "- News", "Promo: Get the Valley Post app for daily alerts",
                      f"Story number {story} headline"] + body + ["Valley Post is part of Example Media"])


def _body(story: int) -> list[str]:
    return [f"Paragraph one of story {story} describes what happened in the valley on that day, "
            f"with quotes from residents and officials.",
            f"Paragraph two of story {story} gives the background and what comes next for the "
            f"town council and the people involved."]


def test_template_lines_recur_across_stories_of_a_site():
    pages = [_site_page(i, _body(i)) for i in range(4)]
    tl = TemplateLines.from_pages(pages, sites=["valleypost.example"] * 4)
    assert tl.is_template("Promo: Get the Valley Post app for daily alerts",
                          site="valleypost.example")
    assert not tl.is_template(_body(0)[0], site="valleypost.example")
    assert not tl.is_template("Promo: Get the Valley Post app for daily alerts",
                              site="other.example")
    art = strip_chrome(pages[0], templates=tl.for_site("valleypost.example"))
    assert "Promo" not in art.text and "Example Media" not in art.text
    assert art.text.split("\n") == _body(0)


def test_syndicated_copies_do_not_turn_body_into_template():
    wire_body = _body(99)
    outlets = [f"Outlet {k} Daily\nLocal menu {k}\n" + "\n".join(wire_body) + f"\nFooter {k}"
               for k in range(6)]
    tl = TemplateLines.from_pages(outlets)
    assert not tl.is_template(wire_body[0])
    assert strip_chrome(outlets[0], templates=tl).text.split("\n") == wire_body


def test_pooled_evidence_never_removes_syndicated_prose_or_empties_a_page():
    # Copies of one wire story on different sites, each re-edited so that their longest
    # paragraphs differ: pooled (unknown-site) evidence must not take the story for a template.
    wire = _body(7) + ["Paragraph three of story 7 adds the reaction from the regional"
                       " government and a timetable for the next steps."]
    copies = []
    for k in range(5):
        body = list(wire)
        body[k % 3] = body[k % 3] + f" Edited by outlet {k} with an extra clause for its readers."
        copies.append(f"Outlet {k} Daily\nLocal menu {k}\n" + "\n".join(body) + f"\nFooter {k}")
    tl = TemplateLines.from_pages(copies)
    for page in copies:
        art = strip_chrome(page, templates=tl)
        assert len(art.text.split("\n")) == 3
    # A page whose every line is template evidence still keeps its content.
    table = "\n".join(["Results", "1 Kyle Mercer 5040 5", "2 Dana Ortiz 5035 3",
                       "3 Sam Whitfield 5033 4", "4 Lee Park 5027 2"])
    tl = TemplateLines.from_pages([table + f"\nStory {k}" for k in range(4)])
    assert strip_chrome(table, templates=tl).text


def test_template_lines_merge_and_arrow_round_trip_are_order_free():
    a = TemplateLines.from_pages([_site_page(i, _body(i)) for i in range(2)])
    b = TemplateLines.from_pages([_site_page(i, _body(i)) for i in range(2, 4)])
    promo = "Promo: Get the Valley Post app for daily alerts"
    assert not a.is_template(promo) and not b.is_template(promo)
    ab, ba = a.merge(b), b.merge(a)
    assert ab.is_template(promo) and ba.is_template(promo)
    assert ab.to_arrow().equals(ba.to_arrow())
    back = TemplateLines.from_arrow(ab.to_arrow())
    assert back.to_arrow().equals(ab.to_arrow())
    assert back.is_template(promo)
    # The same page seen in the batch and again in the archive counts once.
    again = a.merge(a)
    assert again.to_arrow().equals(a.to_arrow())


# --- HTML path --------------------------------------------------------------------------------

def test_clean_html_uses_trafilatura_and_keeps_metadata():
    art = clean_html(fixture("page.html"), url="https://www.coastalgazette.example/ferry")
    assert art.method == "html"
    lines = art.text.split("\n")
    assert lines[0].startswith("PORTSMOUTH (AP)") and lines[-1].endswith("(AP)")
    assert "All rights reserved" not in art.text and "By Dana" not in art.text
    assert "Published" not in art.text
    assert art.title == "Harbour authority approves night ferry trial"
    assert art.byline == "Dana Whitfield"
    assert art.published == "2024-03-04"
    assert art.site == "Coastal Gazette"
    assert art.url == "https://www.coastalgazette.example/ferry"
    assert art.language == "en"


def test_clean_html_falls_back_to_visible_text_when_trafilatura_misses(monkeypatch):
    monkeypatch.setattr(clean, "_trafilatura", lambda html, url: None)
    art = clean_html(fixture("scripted.html"))
    assert art.method == "html_fallback"
    lines = art.text.split("\n")
    assert len(lines) == 3 and lines[0].startswith("The last resident keeper")
    assert "Copyright" not in art.text and "Home | News" not in art.text


# --- clean_page and the time limit -----------------------------------------------------------

def test_clean_page_dispatches_and_fills_url():
    art = clean_page("text", fixture("wire_story.txt"), url="https://www.coastalgazette.example/a",
                     settings=Settings())
    assert art.method == "text"
    assert art.url == "https://www.coastalgazette.example/a"
    with pytest.raises(ValueError):
        clean_page("pdf", "x")


def _slow(*_args, **_kwargs):
    time.sleep(2)
    return CleanArticle(text="late")


def test_timeout_in_main_thread_raises_and_run_goes_on(monkeypatch):
    monkeypatch.setattr(clean, "strip_chrome", _slow)
    started = time.monotonic()
    with pytest.raises(ExtractionTimeout):
        clean_page("text", "x", settings=Settings(extract_timeout_s=0.2))
    assert time.monotonic() - started < 1.5
    monkeypatch.undo()
    assert clean_page("text", fixture("wrapped_body.txt"), settings=Settings()).text


def test_timeout_outside_main_thread_raises_too(monkeypatch):
    monkeypatch.setattr(clean, "strip_chrome", _slow)
    outcome = {}

    def worker():
        try:
            clean_page("text", "x", settings=Settings(extract_timeout_s=0.2))
        except ExtractionTimeout as exc:
            outcome["error"] = exc

    t = threading.Thread(target=worker)
    t.start()
    t.join(5)
    assert isinstance(outcome.get("error"), ExtractionTimeout)


# --- short tabular wire briefs ------------------------------------------------------------------

def test_short_wire_brief_beats_the_sites_footer_notices():
    # A re-sent earnings brief: three table rows under a dateline, inside outlet chrome whose
    # footer carries two long "site speaks of itself" notices right above the copyright.
    art = strip_chrome(fixture("wire_brief_footer.txt"))
    assert art.text.split("\n") == ["LEEDS, May 13 - Shr profit nine cts vs loss four cts",
                                    "Net profit 812,000 vs loss 356,000",
                                    "Revs 21.4 mln vs 18.9 mln"]
    assert art.title == "HARROWGATE MILLS INC HGM 2ND QTR NET"


def test_site_notices_are_chrome_but_news_about_policies_is_not():
    for line in ("Registration on or use of this site constitutes acceptance of our User "
                 "Agreement and Privacy Policy",
                 "The material on this site may not be reproduced, distributed, transmitted, "
                 "cached or otherwise used, except with the prior written permission of Example.",
                 "Community Rules apply to all content you upload or otherwise submit to this site."):
        assert clean._line_shape(line).kind == clean.CHROME, line
    for line in ("Facebook said on Monday it would change its privacy policy next year.",
                 "The use of this site by the rebels was confirmed by satellite images."):
        assert clean._line_shape(line).kind != clean.CHROME, line


def test_table_rows_never_pair_up_as_teasers():
    rows = ["Oper shr proift 11 cts vs loss 29 cts", "Oper net profit 2,240,000 vs loss 2,884,000",
            "Revs 304.4 mln vs 50.3 mln", "Top stories",
            "US-China trade war developments leave investors with mixed feelings -- Asian market",
            "MORGAN GUARANTY JPM SUES METROMEDIA FOR NOTES",
            "HARPER AND ROW HPR TO MULL OPTIONS AFTER BIDS"]
    lines = clean._prepare("\n".join(rows))
    clean._mark_teasers(lines)
    assert [x.role for x in lines[:3]] == [None, None, None]


def test_dateline_makes_a_short_table_a_wire_brief():
    page = "\n".join(["Markets", "Sign in", "ACME CORP 1ST QTR NET", "Published 02/04/2024",
                      "NEW YORK, April 2 - Shr 2.03 dlrs vs 1.53 dlrs",
                      "Net 146.4 mln vs 110.3 mln", "Revs 1.2 billion vs 1.1 billion",
                      "Most read", "Harbour board delays vote on the new ferry terminal",
                      "Council approves budget after a late-night session"])
    lines = clean._prepare(page)
    clean._mark_data_rows(lines)
    assert [x.role for x in lines[4:7]] == ["table"] * 3
    art = strip_chrome(page)
    assert art.text.split("\n")[0] == "NEW YORK, April 2 - Shr 2.03 dlrs vs 1.53 dlrs"
    assert art.title == "ACME CORP 1ST QTR NET"


# --- language: fast path agrees with py3langid ---------------------------------------------------

LANGUAGE_SAMPLES = {
    "en": "The council said on Tuesday that the bridge would reopen after eight months of "
          "repairs, and that the cost had been met by the regional government and the city.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, dass die Brücke nach acht Monaten wieder "
          "geöffnet wird. Die Kosten werden von der Regierung und der Stadt getragen.",
    "fr": "Le conseil a annoncé mardi que le pont serait rouvert après huit mois de travaux, "
          "et que le coût a été pris en charge par la région et la ville.",
    "es": "El consejo dijo el martes que el puente se abrirá de nuevo tras ocho meses de obras "
          "y que el coste fue pagado por el gobierno regional y la ciudad.",
    "pt": "O conselho disse na terça-feira que a ponte será reaberta depois de oito meses de "
          "obras e que o custo foi pago pelo governo regional e pela cidade.",
    "it": "Il consiglio ha detto martedì che il ponte sarà riaperto dopo otto mesi di lavori e "
          "che il costo è stato pagato dalla regione e dalla città per i cittadini.",
    "id": "Dewan kota mengatakan pada hari Selasa bahwa jembatan itu akan dibuka kembali "
          "setelah delapan bulan perbaikan dan biaya yang ada sudah dibayar oleh pemerintah.",
    "ru": "Городской совет сообщил во вторник, что мост будет открыт после восьми месяцев "
          "ремонта, а расходы были покрыты региональным правительством.",
    "ja": "市議会は火曜日、8か月にわたる補修工事の後に橋を再開すると発表した。費用は地方政府と市が負担した。",
    "ko": "시의회는 화요일 8개월간의 보수 공사를 마친 다리를 다시 개통한다고 밝혔다. 비용은 지방 정부와 시가 부담했다.",
}


def test_language_fast_path_agrees_with_py3langid():
    py3langid = pytest.importorskip("py3langid")
    for lang, text in LANGUAGE_SAMPLES.items():
        assert clean._fast_language(text) == lang, lang
        assert py3langid.classify(text[:clean._LANG_SAMPLE_CHARS])[0] == lang, lang
        assert clean.detect_language(text) == lang


def test_language_fast_path_declines_what_is_not_clear_cut():
    assert clean._fast_language("Oper shr profit two cts vs loss 19 cts Revs 102.5 mln vs 39.9 "
                                "mln Avg shrs 20.0 mln") is None  # tables: py3langid decides
    assert clean._fast_language("Tribunnews.com TribunStyle.com TribunTravel.com TribunWow.com "
                                "Tribun-Video.com TribunJualBeli.com") is None
    assert clean._fast_language("Зірвана операція НАБУ: як Венедіктова захищала нардепа від "
                                "Слуги народу, право на захист") is None  # Ukrainian, not Russian
    assert clean._fast_language("中国共产党的优秀党员，久经考验的忠诚的共产主义战士，杰出的无产阶级革命家") is None
    assert clean.detect_language("two words") is None


# --- exact shortcuts in front of the line patterns -----------------------------------------------

def test_cheap_gates_never_hide_a_pattern_match():
    from newsarchive import chrome_patterns as cp

    chrome = ["Share this article", "READ MORE: Harbour trial", "3 comments", "12 of 30",
              "Copyright 2024 Example", "Home > News > World", "Photo: Jane Doe/Reuters",
              "sign up for our newsletter", "Skip to main content", "Follow us on X"]
    for line in chrome:
        assert cp.CHROME_START_RE.match(line) and clean._may_open_chrome(line), line
    assert not clean._may_open_chrome("Quarterly profit rose")
    assert clean._may_open_chrome("Ｓhare")  # non-ASCII opening: always tried
    dated = ["Oct. 19, 2023 - 22:12", "19 October 2023", "2023-10-19", "19/10/23",
             "2024년 3월 4일", "Mis à jour le 3 mars 2024", "19 декабря 2023", "März 2024"]
    for line in dated:
        assert cp.DATE_RE.search(line) and clean._may_hold_date(line), line
    assert not clean._may_hold_date("Production in 1987 will hold around 1986 levels")


def test_fast_line_helpers_equal_their_regex_definitions():
    import re
    import unicodedata

    word = re.compile(r"\w+")
    for line in ["“Quoted” — dash’s", "ÉCOLE école", "a  b\tc", "", "_x_", "Ｆｕｌｌ ﬁne ²",
                 "Москва, 29 июня", "x\udcff y"]:
        assert clean._units(line) == len(word.findall(line)) or clean._CJK_RE.search(line)
        assert clean.line_key(line) == re.sub(r"[^\w]+", "", unicodedata.normalize(
            "NFKC", line).lower())


# --- template evidence: vectorised semantics --------------------------------------------------

TRICKY_PAGES = [
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３\nﬁne ligature line\n™ trade mark ª\ncafe\u0301 au lait",
    "Σ ΟΔΥΣΣΕΥΣ capital sigma\r\nİstanbul line\u2028second\x85third\nemoji 😀 line here",
    "plain ascii line one\nplain ascii line two\n\n  indented   line  \nx\n" + "y" * 300,
    "“Curly” quotes — and dashes’ line\nΜοσχα Москва ПРИВЕТ\n한국어 기사 입력\n日本語の記事です",
    "",
]


def test_line_hash_kernel_equals_line_key_reference():
    import numpy as np

    hashes, pages, stories = clean._pages_line_hashes(TRICKY_PAGES)
    for i, page in enumerate(TRICKY_PAGES):
        story, expected = clean._page_hashes_py(page)
        assert hashes[pages == i].view(np.int64).tolist() == expected
        keys = [k for k in map(clean.line_key, page.splitlines()) if len(k) >= 2]
        assert expected == [clean._line_hash(k) for k in keys]
        if keys:
            assert int(stories.view(np.int64)[i]) == story == clean._line_hash(max(keys, key=len))


def test_template_story_sets_are_capped_and_merge_order_free():
    promo = "Promo: Get the Valley Post app for daily alerts"
    pages = [_site_page(i, _body(i)) for i in range(24)]
    whole = TemplateLines.from_pages(pages, sites=["valleypost.example"] * 24)
    table = whole.to_arrow()
    assert max(table.column("n_stories").to_pylist()) == TemplateLines.STORY_CAP
    parts = [TemplateLines.from_pages(pages[k::3], sites=["valleypost.example"] * 8)
             for k in range(3)]
    one = parts[0].merge(parts[1]).merge(parts[2])
    other = parts[2].merge(parts[0].merge(parts[1]))
    assert one.to_arrow().equals(other.to_arrow())
    assert one.to_arrow().equals(table)  # the cap keeps the same smallest stories
    assert one.is_template(promo, site="valleypost.example")
    assert one.merge(one).to_arrow().equals(table)  # idempotent


def test_template_evidence_keeps_only_lines_seen_in_two_stories():
    a = TemplateLines.from_pages([_site_page(0, _body(0))], sites=["valleypost.example"])
    assert len(a) == 0 and a.to_arrow().num_rows == 0  # one story teaches nothing to keep
    b = TemplateLines.from_pages([_site_page(1, _body(1))], sites=["valleypost.example"])
    ab = a.merge(b)
    assert len(ab) == ab.to_arrow().num_rows > 0
    # Arrow round trip, also of several runs' tables read back concatenated
    import pyarrow as pa

    c = TemplateLines.from_pages([_site_page(i, _body(i)) for i in range(2, 4)],
                                 sites=["valleypost.example"] * 2)
    back = TemplateLines.from_arrow(pa.concat_tables([ab.to_arrow(), c.to_arrow()]))
    assert back.to_arrow().equals(ab.merge(c).to_arrow())
    assert back.is_template("Promo: Get the Valley Post app for daily alerts",
                            site="valleypost.example")


def test_cell_per_line_table_is_joined_into_rows():
    cells = ["Pos.", "Driver", "Points", "Wins", "Poles"]
    for rank, (name, pts) in enumerate([("Kyle Mercer", 5040), ("Dana Ortiz", 5035),
                                        ("Sam Whitfield", 5033), ("Lee Park", 5027)], 1):
        cells += [str(rank), name, str(pts), str(rank + 2), "1"]
    page = "\n".join(["Standings | Valley Racing", "Home", "News", "Standings",
                      "The final standings of the 2019 season after 36 races, with the points "
                      "each driver scored and the wins and poles that decided the ties:"]
                     + cells + ["Most read", "Harbour board delays vote on the ferry terminal",
                                "© 2024 Valley Racing"])
    art = strip_chrome(page)
    assert art.text.split("\n")[0].startswith("The final standings of the 2019 season")
    assert art.text.split("\n")[-4:] == ["1 Kyle Mercer 5040 3 1", "2 Dana Ortiz 5035 4 1",
                                         "3 Sam Whitfield 5033 5 1", "4 Lee Park 5027 6 1"]
    assert "Pos. Driver Points Wins Poles" in clean._join_cell_rows(cells)  # header row joined
    # A ranked list ("1", headline, "2", headline ...) and rank-name-score sidebars stay lines.
    ranked = ["Most popular"] + [x for k in range(1, 6) for x in (str(k), f"Headline number {k}")]
    assert clean._join_cell_rows(ranked) == ranked
    sidebar = [x for k in range(1, 6) for x in (f"{k}.", f"user{k}", str(600 - k))]
    assert clean._join_cell_rows(sidebar) == sidebar
