"""Day-first or month-first: sites' conventions learned over a batch, ambiguous dates read or left alone."""

from pathlib import Path

import pyarrow as pa

from dates_pages import ACQ, D, dated, page, wire_page
from newsarchive.dates import DateConfig, DateConventions, EventDate
from newsarchive.dates.conventions import page_convention, tld_order

FIXTURES = Path(__file__).parent / "fixtures" / "dates"


def site_page(date_line: str, footer: str = "© 2005 harbourtimes.com. All rights reserved.", *more: str) -> str:
    return page(date_line, *more) + "\nContact us\n" + footer


def test_ambiguous_numeric_date_follows_the_page():
    # The page writes another numeric date with the day first (25/12/1987): 09/04 is 9 April.
    text = page("Published 09/04/1987") + "\nThe previous meeting was on 25/12/1987 downtown."
    assert dated(text).day == D(1987, 4, 9)
    # Month names the outlet itself writes month-first (its chrome, not the article prose) point
    # to US order: 09/04 is 4 September.
    text = "Monday, December 1, 1986\n" + page("Published 09/04/1987")
    assert dated(text).day == D(1987, 9, 4)
    # German page: day first.
    assert dated(page("Published 09/04/1987"), language="de").day == D(1987, 4, 9)
    # No evidence at all: no guess.
    assert dated(page("Published 09/04/1987")).source == "acquired"


def test_fixture_ddmm_resolved_by_body_dateline_despite_body_and_trending_dates():
    # 09/04/1987 under "PORTLAND, Maine, April 8 -": 9 April; "March 31, 1988" and "September 21,
    # 1997" in the prose and the trending list's November 2019 stamps do not count.
    text = (FIXTURES / "wire_ddmm_trending.txt").read_text(encoding="utf-8")
    assert dated(text) == EventDate(D(1987, 4, 9), "text", None)


def test_body_dateline_settles_day_month_order_both_ways():
    assert dated(wire_page("Published 02/07/1987", "DHAKA, June 29 - ")).day == D(1987, 7, 2)
    assert dated(wire_page("Published 07/02/1987", "DHAKA, June 29 - ")).day == D(1987, 7, 2)
    # A dateline that fits neither reading settles nothing: no guess.
    assert dated(wire_page("Published 02/07/1987", "DHAKA, March 1 - ")).source == "acquired"


def test_month_names_in_wire_prose_do_not_set_the_outlets_numeric_order():
    # The wire body writes "July 2, 1987" (month first); the outlet's 01/04/1987 stays undecided.
    body = "Shares will be distributed on July 2, 1987, to holders of record on June 24, 1987, it said.\n"
    text = wire_page("Published 01/04/1987", body)
    assert dated(text).source == "acquired"


def test_other_numeric_dates_with_a_day_over_12_set_the_order():
    after = "Most read\n- Ferry fares up 23/03/1987\n- Dock strike ends 18/03/1987"
    text = wire_page("Published 01/04/1987", after=after)
    assert dated(text).day == D(1987, 4, 1)


def test_ambiguous_numeric_date_near_the_pages_other_dates():
    # 02/10/2020 on a page whose photo caption says Sept. 29, 2020: 2 October, not 10 February.
    text = page("The Guardian 02/10/2020 Anna Fazackerley") + (
        "\nMANCHESTER (BRITAIN), Sept. 29, 2020 -- A girl walks past the students' accommodation.")
    assert dated(text).day == D(2020, 10, 2)


def test_numeric_order_evidence_must_be_near_the_ambiguous_date():
    # An archived 2005 story with "Published 11/02/2005" under the live site's 2019 sidebar
    # stamps written month-first: those years-later stamps do not decide the story's order.
    sidebar = "\n".join(["", "Latest news", "11/20/2019 10:08 AM", "Ferry timetable changes",
                         "11/19/2019 08:54 PM", "Fishermen protest quota rules"])
    assert dated(wire_page("Published 11/02/2005", after=sidebar)).source == "acquired"
    # Stamps from the same weeks still do (the sidebar of a live 2019 page).
    assert dated(wire_page("Published 11/02/2019", after=sidebar)).day == D(2019, 11, 2)


def test_date_conventions_learned_per_site_from_unambiguous_date_lines():
    pages = [site_page("Published 25/03/2005"), site_page("Published 17/01/2005"),
             site_page("Published 09/04/2005"),  # ambiguous: no vote
             site_page("Posted 03/25/2019", "© 2019 gazette.com"), site_page("3/30/2019", "© 2019 gazette.com"),
             site_page("Published 25/03/2005", "© 2019 lonely.com"),  # one page: not clear
             page("Published 25/03/2005")]  # no site: not counted
    conv = DateConventions.from_pages(pages)
    assert conv.counts("harbourtimes.com") == (2, 0) and conv.order("harbourtimes.com") == "dmy"
    assert conv.order("gazette.com") == "mdy"
    assert conv.order("lonely.com") is None and conv.order("nowhere.com") is None and conv.order(None) is None
    assert len(conv) == 3
    # The caller's site key (sites.site_of: a URL's host) names the site even when the footer does not.
    by_url = DateConventions.from_pages([page("Published 25/03/2005")] * 2, sites=["example.com", None])
    assert by_url.counts("example.com") == (1, 0)


def test_date_conventions_prefer_the_labelled_line_to_sidebar_stamps():
    # A live site's sidebar stamps (a list, month-first) do not speak for its story date lines.
    sidebar = ("11/20/2019 10:08 AM", "Ferry timetable changes", "11/19/2019 08:54 PM", "Quota rules")
    assert DateConventions.from_pages([site_page("Published 18/11/2019", "© 2019 harbourtimes.com", *sidebar)]
                                      ).counts("harbourtimes.com") == (1, 0)
    ambiguous = site_page("Published 09/04/2005", "© 2019 harbourtimes.com", *sidebar)
    assert len(DateConventions.from_pages([ambiguous])) == 0


def test_date_conventions_clear_only_when_nearly_unanimous():
    assert DateConventions({"a.com": (9, 1)}).order("a.com") == "dmy"
    assert DateConventions({"a.com": (8, 2)}).order("a.com") is None
    assert DateConventions({"a.com": (0, 2)}).order("a.com") == "mdy"
    assert DateConventions({"a.com": (1, 0)}).order("a.com") is None


def test_date_conventions_merge_is_order_free_and_round_trips_through_arrow():
    a = DateConventions({"a.com": (2, 0), "b.ie": (1, 1)})
    b = DateConventions({"b.ie": (3, 0), "c.com": (0, 4)})
    assert a.merge(b) == b.merge(a) == DateConventions({"a.com": (2, 0), "b.ie": (4, 1), "c.com": (0, 4)})
    table = a.merge(b).to_arrow()
    assert table.column("site").to_pylist() == ["a.com", "b.ie", "c.com"]
    assert DateConventions.from_arrow(table) == a.merge(b)
    # The archive concatenates every run's part: rows of one site add up.
    assert DateConventions.from_arrow(pa.concat_tables([a.to_arrow(), b.to_arrow()])) == a.merge(b)
    assert len(DateConventions.from_arrow(DateConventions().to_arrow())) == 0


def test_site_convention_reads_an_ambiguous_date_both_ways():
    text = site_page("Published 09/04/2005")
    assert dated(text).source == "acquired"
    day_first = DateConventions({"harbourtimes.com": (5, 0)})
    month_first = DateConventions({"harbourtimes.com": (0, 5)})
    assert dated(text, conventions=day_first).day == D(2005, 4, 9)
    assert dated(text, conventions=month_first).day == D(2005, 9, 4)
    # The page's own evidence stays first: its wire dateline says 4 September.
    wire = site_page("Published 09/04/2005", "© 2005 harbourtimes.com",
                     "WASHINGTON, Sept. 4 - The harbour authority said on Sunday that fees will rise next year.")
    assert dated(wire, conventions=day_first).day == D(2005, 9, 4)
    # Another site's convention says nothing about this one.
    assert dated(text, conventions=DateConventions({"other.com": (5, 0)})
                      ).source == "acquired"


def test_country_domain_in_the_footer_reads_day_first():
    assert dated(site_page("Published 09/04/2005", "© BreakingNews.ie 2005")
                      ).day == D(2005, 4, 9)
    assert dated(site_page("Published 09/04/2005", "© 2005 harbourtimes.com")
                      ).source == "acquired"  # .com says nothing
    assert dated(page("Published 09/04/2005"), url="https://news.example.co.uk/a"
                      ).day == D(2005, 4, 9)


def test_alternatives_list_both_readings_of_an_ambiguous_date():
    text = site_page("Published 09/04/2005")
    fallback = dated(text)
    assert (fallback.day, fallback.source) == (ACQ, "acquired")
    assert fallback.alternatives == (D(2005, 4, 9), D(2005, 9, 4))
    # Read by a convention: still a guess, both readings listed; the claim itself is unchanged.
    read = dated(text, conventions=DateConventions({"harbourtimes.com": (3, 0)}))
    assert (read.day, read.source, read.alternatives) == (D(2005, 4, 9), "text", (D(2005, 4, 9), D(2005, 9, 4)))
    # Settled by the page itself, or no ambiguity at all: none.
    assert dated(page("Published 25/03/2005")).alternatives == ()
    assert dated(page("Published 09.04.2005")).alternatives == ()
    assert dated(page("no date here")).alternatives == ()
    wire = wire_page("Published 09/04/1987", "WASHINGTON, April 9 -")
    assert dated(wire).alternatives == ()
    # An ambiguous date that is not the page's date line does not make its fallback ambiguous.
    listed = page("Home") + "\nRelated\n01/02/2005 Ferry fees\n03/04/2005 Quota rules\n05/06/2005 Storm"
    assert dated(listed).alternatives == ()


def test_page_convention_reads_the_pages_own_date_line():
    assert page_convention(page("Published 25/03/2005")) == "dmy"
    assert page_convention(page("3/30/2019")) == "mdy"
    assert page_convention(page("Published 09/04/2005")) is None  # ambiguous: no vote
    # A column of stamps (a list) is not the page's date line.
    assert page_convention(page("Ferry fees", "25/03/2005", "Quota rules", "26/03/2005")) is None


def test_country_domains():
    assert tld_order("breakingnews.ie") == "dmy" and tld_order("example.co.uk") == "dmy"
    assert tld_order("nps.gov") == "mdy"
    assert tld_order("cnn.com") is None and tld_order("radio.fm") is None and tld_order(None) is None


def test_convention_thresholds_come_from_the_config():
    conv = DateConventions({"harbourtimes.com": (2, 0)})
    text = site_page("Published 09/04/2005")
    assert dated(text, conventions=conv).day == D(2005, 4, 9)
    assert dated(text, conventions=conv, config=DateConfig(convention_min_pages=3)).source == "acquired"
