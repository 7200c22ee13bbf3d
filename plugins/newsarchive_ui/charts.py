"""Charts as inline SVG, rendered on the server: no script, no library, nothing fetched.

Every text that comes from the archive (run ids, dates) is escaped; a bar's tooltip is an SVG
<title>, shown by the browser itself.
"""

from __future__ import annotations

import datetime as dt
import math

from markupsafe import Markup, escape

COLORS = {"articles": "#2b6cb0", "duplicates": "#dd6b20", "quarantined": "#c53030", "rate": "#2f855a"}
LABELS = {"articles": "canonical", "duplicates": "duplicates", "quarantined": "quarantined"}
WIDTH, HEIGHT = 960, 280  # viewBox units; the SVG scales to the page's width
LEFT, RIGHT, TOP, BOTTOM = 56, 56, 34, 44  # room for the axes' labels and the legend


MAX_BAR = 48  # px: a chart of a few runs keeps bars of a readable width


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def count_scale(largest: int) -> tuple[int, int]:
    """(top, step) of a count axis: a whole-number step of 1, 2 or 5 times a power of ten, and
    the top at 2-5 steps, at or above `largest`."""
    step = max(1, int(nice_ceiling(largest / 4)))
    return step * max(1, math.ceil(largest / step)), step


def _fmt(n: float) -> str:
    return f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" if n >= 1e4 else f"{n:g}"


def _axis(top: int, step: int) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    for value in range(0, top + 1, step):
        y = HEIGHT - BOTTOM - plot_h * value / top
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                   f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(value))}</text>')
    return out


def _legend(items: list[tuple[str, str]]) -> str:
    out, x = [], LEFT
    for name, color in items:
        out.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{color}"/>'
                   f'<text x="{x + 16}" y="18">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    return "".join(out)


def _svg(title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>')


def runs_chart(runs: list[dict]) -> Markup:
    """Stacked bars of canonical articles, duplicates and quarantined inputs per run (each bar
    a link to the run when it has `href`), with the duplicate rate as a line on a 0-100% axis.
    `runs`: dicts with label, day, articles, duplicates, quarantined, href."""
    if not runs:
        return Markup('<p class="empty">No published run yet.</p>')
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top, tick = count_scale(max(r["articles"] + r["duplicates"] + r["quarantined"] for r in runs))
    step = plot_w / len(runs)
    bar = min(MAX_BAR, max(1.0, step * 0.7))
    body = _axis(top, tick)
    body.append(f'<text x="{WIDTH - RIGHT + 6}" y="{TOP + 4}">100%</text>'
                f'<text x="{WIDTH - RIGHT + 6}" y="{HEIGHT - BOTTOM + 4}">0%</text>')
    points = []
    every = max(1, math.ceil(len(runs) / 10))
    for i, run in enumerate(runs):
        x = LEFT + i * step + (step - bar) / 2
        y = HEIGHT - BOTTOM
        parts = []
        for key in ("articles", "duplicates", "quarantined"):
            h = plot_h * run[key] / top
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{COLORS[key]}"/>')
        copies = run["articles"] + run["duplicates"]
        rate = run["duplicates"] / copies if copies else 0.0
        tip = (f'{run["label"]}: {run["articles"]} canonical, {run["duplicates"]} duplicates '
               f'({rate:.0%}), {run["quarantined"]} quarantined')
        group = f'<g class="bar"><title>{escape(tip)}</title>{"".join(parts)}</g>'
        if run.get("href"):
            group = f'<a href="{escape(run["href"])}">{group}</a>'
        body.append(group)
        points.append((x + bar / 2, HEIGHT - BOTTOM - plot_h * rate))
        if i % every == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                        f'{escape(run["day"])}</text>')
    body.append(f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" fill="none" '
                f'stroke="{COLORS["rate"]}" stroke-width="2"/>')
    if len(points) <= 60:  # few runs: mark each rate, or a single run's would not show
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLORS["rate"]}"/>' for x, y in points]
    body.append(_legend([(LABELS[k], COLORS[k]) for k in ("articles", "duplicates", "quarantined")]
                        + [("duplicate rate", COLORS["rate"])]))
    return _svg(f"The last {len(runs)} runs: canonical articles, duplicates and quarantined inputs", body)


def binned(days: dict[dt.date, int], unit: str) -> dict[dt.date, int]:
    """Counts per day summed per `unit` (day, week from Monday, month), keyed by its first day."""
    out: dict[dt.date, int] = {}
    for day, n in days.items():
        start = day if unit == "day" else day - dt.timedelta(days=day.weekday()) if unit == "week" else day.replace(day=1)
        out[start] = out.get(start, 0) + n
    return out


def dates_chart(articles: dict[dt.date, int], duplicates: dict[dt.date, int]) -> Markup:
    """Articles (and their duplicates, stacked) per event date; per week or month when the
    archive spans more than 4 months or 3 years."""
    days = set(articles) | set(duplicates)
    if not days:
        return Markup('<p class="empty">The archive holds no article yet.</p>')
    first, last = min(days), max(days)
    span = (last - first).days
    unit = "day" if span <= 120 else "week" if span <= 3 * 366 else "month"
    a, d = binned(articles, unit), binned(duplicates, unit)
    starts = []
    cursor = binned({first: 0}, unit).popitem()[0]
    while cursor <= last:
        starts.append(cursor)
        cursor = (cursor + dt.timedelta(days=1 if unit == "day" else 7) if unit != "month"
                  else (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top, tick = count_scale(max(a.get(s, 0) + d.get(s, 0) for s in starts))
    step = plot_w / len(starts)
    bar = min(MAX_BAR, max(1.0, step * 0.8))
    body = _axis(top, tick)
    every = max(1, math.ceil(len(starts) / 8))
    for i, start in enumerate(starts):
        x = LEFT + i * step + (step - bar) / 2
        n_a, n_d = a.get(start, 0), d.get(start, 0)
        h_a, h_d = plot_h * n_a / top, plot_h * n_d / top
        base = HEIGHT - BOTTOM
        label = start.isoformat() if unit == "day" else f"{unit} of {start.isoformat()}"
        body.append(f'<g class="bar"><title>{escape(label)}: {n_a} articles, {n_d} duplicates</title>'
                    f'<rect x="{x:.1f}" y="{base - h_a:.1f}" width="{bar:.1f}" height="{h_a:.1f}" fill="{COLORS["articles"]}"/>'
                    f'<rect x="{x:.1f}" y="{base - h_a - h_d:.1f}" width="{bar:.1f}" height="{h_d:.1f}" '
                    f'fill="{COLORS["duplicates"]}"/></g>')
        if i % every == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                        f'{escape(start.isoformat() if unit != "month" else start.strftime("%Y-%m"))}</text>')
    body.append(_legend([("articles", COLORS["articles"]), ("duplicates", COLORS["duplicates"])]))
    body.append(f'<text x="{WIDTH - RIGHT}" y="18" text-anchor="end">per {unit} of event date</text>')
    return _svg(f"Articles and duplicates per event date ({unit}ly bins)" if unit != "day"
                else "Articles and duplicates per event date", body)


def bar(value: float, top: float, color: str = COLORS["articles"], width: int = 160) -> Markup:
    """A small horizontal bar for table cells."""
    w = 0 if top <= 0 else width * value / top
    return Markup(f'<svg class="cellbar" width="{width}" height="10" viewBox="0 0 {width} 10" aria-hidden="true">'
                  f'<rect width="{w:.1f}" height="10" fill="{color}"/></svg>')
