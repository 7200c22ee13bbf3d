"""Server-side SVG charts (newsarchive_ui.charts): scales, bins, escaping."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from newsarchive_ui.charts import binned, count_scale, dates_chart, runs_chart


def test_count_scale_has_whole_steps_above_the_largest():
    assert count_scale(0) == (1, 1)
    assert count_scale(5) == (6, 2)
    assert count_scale(9) == (10, 5)
    assert count_scale(4444) == (6000, 2000)
    for largest in (1, 3, 7, 12, 99, 101, 3333, 1_000_000):
        top, step = count_scale(largest)
        assert top >= largest and top % step == 0 and 1 <= top // step <= 5


def test_runs_chart_escapes_what_the_run_logs_hold():
    runs = [{"label": "<script>alert(1)</script>", "day": "2024-01-16&x", "articles": 5, "duplicates": 2,
             "quarantined": 1, "href": '/run?run_id=a"b'}]
    svg = str(runs_chart(runs))
    assert "<script" not in svg and "&lt;script&gt;" in svg and 'a&#34;b' in svg
    root = ET.fromstring(svg)  # well-formed
    assert root.tag.endswith("svg")
    heights = [float(r.get("height")) for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("y")]
    assert len(heights) >= 3
    assert "29%" in svg  # 2 duplicates of 7 copies, in the tooltip


def test_dates_chart_bins_long_spans():
    days = {dt.date(2024, 1, 1) + dt.timedelta(days=i): 1 for i in range(0, 400, 3)}
    assert set(binned(days, "week")) == {d - dt.timedelta(days=d.weekday()) for d in days}
    assert sum(binned(days, "month").values()) == len(days)
    svg = str(dates_chart(days, {}))
    assert "per week of event date" in svg
    ET.fromstring(svg)
    assert "per day" in str(dates_chart({dt.date(2024, 1, 1): 3}, {dt.date(2024, 1, 2): 1}))
    assert "month" in str(dates_chart({dt.date(2019, 1, 1): 1, dt.date(2024, 1, 1): 1}, {}))
    assert "no article" in str(dates_chart({}, {}))
    bars = re.findall(r"<g class=\"bar\">", str(dates_chart({dt.date(2024, 1, 1): 3}, {})))
    assert len(bars) == 1
