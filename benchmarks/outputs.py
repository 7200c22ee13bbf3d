"""Record, then diff, what the clean and date stages give on every text dump of the eval sets,
so that a speed change can be checked to change no output.

    python benchmarks/outputs.py record OUT.jsonl [--eval ../shared/eval] [--variants]
    python benchmarks/outputs.py diff OUT.jsonl [--eval ../shared/eval] [--variants]

Pages: the `*.txt` dumps of clean/text, dates/text, dedup/raw and clean2/text (those present).
Each record holds every field of the CleanArticle and of the EventDate, both stages called on
one Page as the pipeline calls them. `diff` exits 1 and names the pages whose record changed.
`--variants` adds each page written with CRLF line breaks and with odd spacing (a tab before
each line, a nbsp and a zero-width space after it), which take the rarer paths of the line
splitting.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsarchive import clean, dates  # noqa: E402
from newsarchive.page import Page  # noqa: E402
from newsarchive.settings import Settings  # noqa: E402

ACQUIRED = dt.date(2026, 11, 22)
TEXT_DIRS = ("clean/text", "dates/text", "dedup/raw", "clean2/text")


VARIANTS = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "odd spaces": lambda text: "\n".join(f"\t{line}\u00a0\u200b" for line in text.split("\n")),
}


def _records(eval_dir: Path, variants: bool = False):
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


def _line(record: dict) -> str:
    return json.dumps(record, default=str, ensure_ascii=False, sort_keys=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("record", "diff"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--variants", action="store_true", help="also CRLF and odd-spacing forms of each page")
    args = parser.parse_args(argv)
    if args.mode == "record":
        with open(args.file, "w", encoding="utf-8") as out:
            n = sum(out.write(_line(r) + "\n") > 0 for r in _records(args.eval, args.variants))
        print(f"recorded {n} pages")
        return 0
    with open(args.file, encoding="utf-8") as fh:
        before = {json.loads(x)["page"]: x.rstrip("\n") for x in fh}
    changed, seen = [], set()
    for record in _records(args.eval, args.variants):
        seen.add(record["page"])
        if before.get(record["page"]) != _line(record):
            changed.append(record["page"])
    missing = sorted(set(before) - seen)
    print(f"compared {len(seen)} pages: {len(changed)} changed, {len(missing)} missing")
    for page in changed[:20] + missing[:20]:
        print("  ", page)
    return 1 if changed or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
