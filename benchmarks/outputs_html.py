"""Record or compare what the pipeline makes of every eval HTML page, so a speed change can be
shown to leave the outputs as they were.

    python benchmarks/outputs_html.py record OUT.jsonl [--eval ../shared/eval]
    python benchmarks/outputs_html.py diff OUT.jsonl [--eval ../shared/eval]

Pages: the HTML pages of the clean, clean2 and dates eval sets. Each page goes through
`pipeline.clean_input` (read, decode, site, clean, dates, content hash) and its row is
recorded with the page's site key, visible text and MinHash signature. `diff` exits 1 and
names the pages and fields that differ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsarchive import ingest, pipeline  # noqa: E402
from newsarchive.page import Page  # noqa: E402
from newsarchive.settings import Settings  # noqa: E402

ACQUIRED = dt.date(2026, 11, 22)
SETS = ("clean", "clean2", "dates")


def outputs(eval_dir: Path):
    """One record per eval HTML page: its cleaned row (or rejection) and derived values."""
    settings = Settings(extract_timeout_s=0)
    for name in SETS:
        folder = eval_dir / name / "html"
        paths = sorted(p.name for p in folder.glob("*.html"))
        for item in ingest.read_inputs(str(folder), paths, max_bytes=settings.max_input_bytes):
            key = f"{name}/{item.source_path}"
            if isinstance(item, ingest.Rejected):
                yield {"page": key, "rejected": item.reason, "detail": item.detail}
                continue
            row = pipeline.clean_input(item, ACQUIRED, settings)
            if isinstance(row, ingest.Rejected):
                yield {"page": key, "rejected": row.reason, "detail": row.detail}
                continue
            row.pop("_input")
            row["minhash"] = pipeline.minhash_signatures([row["text"]], **pipeline.SIGNATURE._asdict())[0].tolist()
            page = Page(item.kind, item.content, url=item.url)
            row["visible_text"] = page.text
            row["site_key"] = page.site
            yield {"page": key, **row}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("record", "diff"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    args = parser.parse_args(argv)
    records = list(outputs(args.eval))
    if args.mode == "record":
        with args.file.open("w", encoding="utf-8") as out:
            for r in records:
                out.write(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) + "\n")
        print(f"{len(records)} pages recorded in {args.file}")
        return 0
    # one record a line; split on "\n" only (records hold other line separators, U+2028 ...)
    lines = args.file.read_text(encoding="utf-8").split("\n")
    before = {r["page"]: r for r in map(json.loads, filter(None, lines))}
    now = {r["page"]: json.loads(json.dumps(r, ensure_ascii=False, default=str)) for r in records}
    differing = 0
    for key in sorted(before.keys() | now.keys()):
        a, b = before.get(key), now.get(key)
        if a != b:
            differing += 1
            fields = sorted(k for k in (a or {}).keys() | (b or {}).keys() if (a or {}).get(k) != (b or {}).get(k))
            print(f"{key}: {', '.join(fields)}")
    print(f"{len(now)} pages compared with {len(before)} recorded: {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
