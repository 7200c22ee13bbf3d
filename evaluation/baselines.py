"""Off-the-shelf baselines the issues compare against, measured in the same evaluation run.

    python -m evaluation.baselines trafilatura HTML_DIR OUT_DIR   # favor_precision bodies
    python -m evaluation.baselines htmldate HTML_DIR OUT.csv      # original_date dates

Pages are decoded as the pipeline decodes them (`ingest.decode_bytes`), so the comparison is
about extraction, not about encodings.
"""

from __future__ import annotations

import csv
import logging
import sys
from pathlib import Path


def trafilatura_bodies(html_dir: Path, out: Path) -> None:
    import trafilatura

    from newsarchive.ingest import decode_bytes

    out.mkdir(parents=True, exist_ok=True)
    for page in sorted(html_dir.glob("*.html")):
        html = decode_bytes(page.read_bytes(), html=True)
        text = trafilatura.extract(html, favor_precision=True, deduplicate=False) or ""
        (out / f"{page.stem}.txt").write_text(text, encoding="utf-8")


def htmldate_dates(html_dir: Path, out: Path) -> None:
    from htmldate import find_date

    from newsarchive.ingest import decode_bytes

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date"])
        for page in sorted(html_dir.glob("*.html")):
            try:
                found = find_date(decode_bytes(page.read_bytes(), html=True), original_date=True)
            except Exception:  # a page htmldate cannot read is a page without a date
                found = None
            writer.writerow([page.stem, found or ""])


BASELINES = {"trafilatura": trafilatura_bodies, "htmldate": htmldate_dates}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3 or argv[0] not in BASELINES:
        print(__doc__, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.CRITICAL)  # the libraries' per-page warnings are not results
    BASELINES[argv[0]](Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
