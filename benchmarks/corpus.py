"""A synthetic landing folder of raw text pages for throughput benchmarks.

    python benchmarks/corpus.py OUT_DIR --docs 100000 [--eval ../shared/eval] [--seed 7]

Pages are built from the dedup DEV split when it is available: each page takes the header and
footer chrome of a random DEV page (lines that are not in that page's clean text), a random
DEV headline, a "Published" line over a 60-day span, and a body of 4-12 paragraphs written by
a word-bigram chain trained on the DEV bodies: news-like vocabulary and sentence lengths, but
new text, so that unrelated pages share no more 5-grams than unrelated news does (recombining
whole DEV paragraphs would make every page a partial copy of hundreds of others, and the
candidate search quadratic). A quarter of the pages are syndicated copies of an earlier page
(another outlet's chrome, the last paragraph dropped, straight quotes). Without the eval
folder the words are random. Deterministic for a given seed; it measures speed and memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path


def _sources(eval_dir: Path, rnd: random.Random):
    """(bigram chain, headlines, chrome (header, footer) pairs) from the DEV split."""
    corpus = eval_dir / "dedup" / "corpus.jsonl"
    chain: dict[str, list[str]] = {}
    headlines, chrome = [], []
    if not corpus.is_file():
        words = [f"w{i}" for i in range(20000)]
        chain = {w: rnd.sample(words, 20) for w in words}
        headlines = [" ".join(rnd.choice(words) for _ in range(8)).title() for _ in range(2000)]
        return chain, headlines, [(["Home | News | World", "Subscribe  Sign in"], ["© 2024 Example Media", "Privacy | Terms"])]
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            clean = [x.strip() for x in doc["clean_text"].splitlines() if x.strip()]
            if len(clean) < 2:
                continue
            headlines.append(clean[0])
            for paragraph in clean[1:]:
                words = paragraph.split()
                for a, b in zip(words, words[1:]):
                    chain.setdefault(a, []).append(b)
            body = set(clean)
            lines = doc["text"].splitlines()
            inside = [i for i, x in enumerate(lines) if x.strip() in body]
            if inside:
                chrome.append((lines[:inside[0]], lines[inside[-1] + 1:]))
    return chain, headlines, chrome


def _paragraph(chain: dict[str, list[str]], starts: list[str], rnd: random.Random) -> str:
    words = [rnd.choice(starts)]
    for _ in range(rnd.randint(30, 80)):
        followers = chain.get(words[-1])
        words.append(rnd.choice(followers) if followers else rnd.choice(starts))
    text = " ".join(words).rstrip(",;:")
    return text if text.endswith((".", "?", "!", '"')) else text + "."


def generate(out: Path, docs: int, eval_dir: Path, seed: int = 7) -> int:
    rnd = random.Random(seed)
    chain, headlines, chrome = _sources(eval_dir, rnd)
    starts = [w for w in chain if w[:1].isupper()] or list(chain)
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
            body = [_paragraph(chain, starts, rnd) for _ in range(rnd.randint(4, 12))]
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
