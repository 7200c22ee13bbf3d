"""Record, then diff, what the pipeline's stages make of every eval page, so that a speed change
can be shown to change no output.

    python benchmarks/outputs.py record OUT.jsonl [--eval ../shared/eval] [--variants] [--html]
    python benchmarks/outputs.py diff OUT.jsonl [--eval ../shared/eval] [--variants] [--html]

Text dumps (default): the `*.txt` dumps of clean/text, dates/text, dedup/raw and clean2/text
(those present); each record holds every field of the CleanArticle and of the EventDate, both
stages called on one Page as the pipeline calls them. `--variants` adds each page written with
CRLF line breaks and with odd spacing (a tab before each line, a nbsp and a zero-width space
after it), which take the rarer paths of the line splitting.

HTML pages (`--html`): the HTML pages of the clean, clean2 and dates sets; each goes through
`pipeline.clean_input` (read, decode, site, clean, dates, content hash) and its row is recorded
with the page's site key, visible text and MinHash signature.

`diff` exits 1 and names the pages, and the fields, that changed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsarchive import clean, dates, ingest, pipeline  # noqa: E402
from newsarchive.page import Page  # noqa: E402
from newsarchive.settings import Settings  # noqa: E402

ACQUIRED = dt.date(2026, 11, 22)
TEXT_DIRS = ("clean/text", "dates/text", "dedup/raw", "clean2/text")
HTML_SETS = ("clean", "clean2", "dates")

VARIANTS = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "odd spaces": lambda text: "\n".join(f"\t{line}\u00a0\u200b" for line in text.split("\n")),
}


def text_records(eval_dir: Path, variants: bool = False):
    settings = Settings(extract_timeout_s=0)
    for d in TEXT_DIRS:
        for path in sorted((eval_dir / d).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            forms = [("", text)] + ([(f" ({name})", make(text)) for name, make in VARIANTS.items()]
                                    if variants else [])
            for suffix, content in forms:
                page = Page("text", content)
                article = clean.clean_page(page, config=settings.clean, timeout_s=0)
                when = dates.event_date(page, acquired=ACQUIRED, article=article, config=settings.dates)
                yield {"page": f"{d}/{path.name}{suffix}", "clean": dataclasses.asdict(article),
                       "date": dataclasses.asdict(when)}


def html_records(eval_dir: Path):
    settings = Settings(extract_timeout_s=0)
    for name in HTML_SETS:
        folder = eval_dir / name / "html"
        paths = sorted(p.name for p in folder.glob("*.html"))
        for item in ingest.read_inputs(str(folder), paths, max_bytes=settings.max_input_bytes):
            key = f"{name}/{item.source_path}"
            row = item if isinstance(item, ingest.Rejected) else pipeline.clean_input(item, ACQUIRED, settings)
            if isinstance(row, ingest.Rejected):
                yield {"page": key, "rejected": row.reason, "detail": row.detail}
                continue
            row.pop("_input")
            row["minhash"] = pipeline.minhash_signatures([row["text"]], **pipeline.SIGNATURE._asdict())[0].tolist()
            page = Page(item.kind, item.content, url=item.url)
            row["visible_text"] = page.text
            row["site_key"] = page.site
            yield {"page": key, **row}


def _plain(record: dict) -> dict:
    """The record as it reads back from its JSON line."""
    return json.loads(json.dumps(record, ensure_ascii=False, default=str))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("record", "diff"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--variants", action="store_true", help="also CRLF and odd-spacing forms of each text page")
    parser.add_argument("--html", action="store_true", help="the HTML pages through pipeline.clean_input")
    args = parser.parse_args(argv)
    if not any((args.eval / d).is_dir() for d in (HTML_SETS if args.html else TEXT_DIRS)):
        raise SystemExit(f"no eval pages under {args.eval}: pass --eval with the eval folder")
    records = html_records(args.eval) if args.html else text_records(args.eval, args.variants)
    if args.mode == "record":
        with open(args.file, "w", encoding="utf-8") as out:
            n = sum(out.write(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) + "\n") > 0
                    for r in records)
        print(f"recorded {n} pages in {args.file}")
        return 0
    # one record a line; split on "\n" only (records hold other line separators, U+2028 ...)
    lines = args.file.read_text(encoding="utf-8").split("\n")
    before = {r["page"]: r for r in map(json.loads, filter(None, lines))}
    now = {r["page"]: _plain(r) for r in records}
    changed = 0
    for key in sorted(before.keys() | now.keys()):
        a, b = before.get(key) or {}, now.get(key) or {}
        if a != b:
            changed += 1
            fields = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            if changed <= 40:
                print(f"  {key}: {', '.join(fields) if a and b else 'missing' if a else 'new'}")
    print(f"compared {len(now)} pages with {len(before)} recorded: {changed} changed")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
