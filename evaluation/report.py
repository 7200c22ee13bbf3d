"""Tables of a task's figures: DEV, each held-out fold, pooled, mean of folds, difference."""

from __future__ import annotations

# (metric key, header, format) per kind of set; a tuple value (merged, pairs) prints as "m/n".
COLUMNS = {
    "clean": [("micro_f1", "micro F1", ".3f"), ("macro_f1", "macro F1", ".3f"), ("micro_p", "micro P", ".3f"),
              ("micro_r", "micro R", ".3f"), ("empty", "empty", "d")],
    "dates": [("accuracy", "accuracy", ".3f"), ("accuracy_pm1", "±1 day", ".3f"), ("coverage", "coverage", ".3f"),
              ("claimed_precision", "claimed prec.", ".3f"), ("claimed", "claimed", "d")],
    "dedup": [("pair_p", "pair P", ".4f"), ("pair_r", "pair R", ".4f"), ("pair_f1", "pair F1", ".4f"),
              ("bcubed_f1", "B³ F1", ".4f"), ("pred_clusters", "clusters", "d"),
              ("merged:same_template", "same-templ.", ""), ("merged:same_topic", "same-topic", ""),
              ("merged:real_text_overlap", "text-overl.", ""), ("merged:real_duplicate", "real-dup", "")],
}
KIND_OF_SET = {"clean": "clean", "clean2": "clean", "dates": "dates", "dedup": "dedup"}
# Issue 11: leave-sites-out within this much of DEV, on these figures.
BARS = {"clean": (0.02, ("micro_f1", "macro_f1")), "dates": (0.03, ("accuracy",))}


def fmt(value, spec: str, signed: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, tuple):
        return f"{value[0]}/{value[1]}"
    if signed and isinstance(value, float):
        return f"{value:+{spec}}"
    return f"{value:{spec}}" if spec else str(value)


def task_table(res: dict) -> list[str]:
    """The task's table as lines."""
    kind = KIND_OF_SET[res["task"].split("/")[0]]
    cols = COLUMNS[kind]
    widths = [max(9, len(h) + 2) for _, h, _ in cols]
    knobs = ", ".join(f"{name} {tuple(grid)}" for name, grid in res["knobs"].items()) or "none"
    head = (f"{res['label']}: {res['pages']} pages of {res['sites']} sites"
            + (f", {res['folds']} leave-sites-out folds; knobs tuned per fold: {knobs}" if res["folds"] else ""))
    cpu = f"CPU: DEV run {res['dev_cpu_s']:.0f} s"
    if res["folds"]:
        cpu += f", folds at the defaults {res['folds_cpu_s']:.0f} s, other grid values {res['tuning_cpu_s']:.0f} s"
    lines = [head + f" ({cpu})", f"{'':36s}{'pages':>6s}{'sites':>6s}" + "".join(f"{h:>{w}s}" for (_, h, _), w in zip(cols, widths))
             + ("  picked on the other folds" if res["folds"] else "")]

    def row(label, metrics, pages="", sites="", note="", signed=False):
        cells = "".join(f"{fmt(metrics.get(key), spec, signed):>{w}s}" for (key, _, spec), w in zip(cols, widths))
        return f"{label:36s}{pages!s:>6s}{sites!s:>6s}{cells}" + (f"  {note}" if note else "")

    lines.append(row("DEV (one run, defaults)", res["dev"], res["pages"], res["sites"]))
    if not res["folds"]:
        return lines
    if "dev_within_folds" in res:
        lines.append(row("DEV, pairs inside a fold only", res["dev_within_folds"], res["pages"], res["sites"]))
    for f in res["per_fold"]:
        lines.append(row(f"  held-out fold {f['fold']}", f["metrics"], f["pages"], f["sites"], f["picked"]))
    if "pooled_defaults" in res:
        lines.append(row("leave-sites-out at defaults, pooled", res["pooled_defaults"], res["pages"], res["sites"]))
    lines.append(row("leave-sites-out, pooled", res["pooled"], res["pages"], res["sites"]))
    lines.append(row("leave-sites-out, mean of folds", res["mean"]))
    base = "diff_within_folds" if "diff_within_folds" in res else "diff"
    label = "pooled − DEV (pairs inside folds)" if base == "diff_within_folds" else "pooled − DEV"
    lines.append(row(label, res[base], note=bar_note(kind, res[base]), signed=True))
    return lines


def bar_note(kind: str, diff: dict) -> str:
    if kind not in BARS:
        return ""
    bar, keys = BARS[kind]
    missed = [k for k in keys if diff.get(k) is not None and diff[k] < -bar]
    return f"bar: within {bar:.2f} of DEV: " + ("met" if not missed else "MISSED on " + ", ".join(missed))
