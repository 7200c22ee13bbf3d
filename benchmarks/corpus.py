"""A synthetic landing folder of raw text pages for throughput benchmarks.

    python benchmarks/corpus.py OUT_DIR --docs 100000 [--eval ../shared/eval] [--seed 7]

Pages are recombined from the dedup DEV split when it is available: each page takes the
header and footer chrome of a random DEV page (lines that are not in that page's clean text)
and a body of random DEV paragraphs under a random DEV headline, with a "Published" line over
a 60-day span. A quarter of the pages are syndicated copies of an earlier page (another
outlet's chrome, the last paragraph dropped, straight quotes). Without the eval folder the
paragraphs are random words. Deterministic for a given seed. Quality numbers on this corpus
mean nothing: its paragraphs collide on purpose; it measures speed and memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path


def _templates(eval_dir: Path, rnd: random.Random):
    corpus = eval_dir / "dedup" / "corpus.jsonl"
    if not corpus.is_file():
        words = [f"w{i}" for i in range(20000)]
        paragraphs = [" ".join(rnd.choice(words) for _ in range(rnd.randint(25, 70))) + "." for _ in range(5000)]
        headlines = [" ".join(rnd.choice(words) for _ in range(8)).title() for _ in range(2000)]
        chrome = [(["Home | News | World", "Subscribe  Sign in"], ["© 2024 Example Media", "Privacy | Terms"])]
        return paragraphs, headlines, chrome
    paragraphs, headlines, chrome = [], [], []
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            clean = [x.strip() for x in doc["clean_text"].splitlines() if x.strip()]
            if len(clean) < 2:
                continue
            headlines.append(clean[0])
            paragraphs += [p for p in clean[1:] if len(p) > 80]
            body = set(clean)
            lines = doc["text"].splitlines()
            inside = [i for i, x in enumerate(lines) if x.strip() in body]
            if inside:
                chrome.append((lines[:inside[0]], lines[inside[-1] + 1:]))
    return paragraphs, headlines, chrome


def generate(out: Path, docs: int, eval_dir: Path, seed: int = 7) -> int:
    rnd = random.Random(seed)
    paragraphs, headlines, chrome = _templates(eval_dir, rnd)
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2024, 3, 1)
    made: list[tuple[str, list[str], dt.date]] = []
    for n in range(docs):
        if made and rnd.random() < 0.25:
            headline, body, day = rnd.choice(made[-2000:])
            body = [p.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'") for p in body]
            body = body[:-1] if len(body) > 3 else body
            day += dt.timedelta(days=rnd.randint(0, 2))
        else:
            headline = rnd.choice(headlines)
            body = rnd.sample(paragraphs, rnd.randint(4, 12))
            day = start + dt.timedelta(days=rnd.randint(0, 59))
            made.append((headline, body, day))
        header, footer = rnd.choice(chrome)
        page = [*header, "", headline, f"Published {day:%B} {day.day}, {day.year}", "",
                *(x for p in body for x in (p, "")), *footer]
        (out / f"page-{n:06d}.txt").write_text("\n".join(page) + "\n", encoding="utf-8")
    return docs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"wrote {generate(args.out, args.docs, args.eval, args.seed)} pages to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
