"""How much parley adds to spaCy: the same texts through bare `nlp.pipe` and
through `parley extract`'s pipeline, in one run (machines are noisy: compare
the ratio, not the seconds).

    python benchmarks/bench_extract.py ../shared/corpus [--repeat 20]
"""
from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from parley.analysis.language import load_model
from parley.pipeline import articles, extract_articles
from parley.records import replace


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=20, help="times each article is repeated (new ids)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating timing rounds; the best of each is kept")
    args = ap.parse_args()

    base = list(articles(args.paths))
    corpus = [replace(a, id=f"{a.id}#{k}") for k in range(args.repeat) for a in base]
    texts = [a.body_text() for a in corpus]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model()
    # Warm both paths once (model load, lazy resources) before timing.
    list(nlp.pipe(texts[:5]))
    list(extract_articles(corpus[:5]))

    spacy_times, parley_times = [], []
    events = 0
    for _ in range(args.rounds):
        gc.collect()
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=16):
            pass
        spacy_times.append(time.perf_counter() - t0)
        gc.collect()
        t0 = time.perf_counter()
        events = sum(len(r.events) for r in extract_articles(corpus))
        parley_times.append(time.perf_counter() - t0)

    s, p = min(spacy_times), min(parley_times)
    print(f"articles: {len(corpus)}  words: {words}  events: {events}")
    print(f"bare spaCy nlp.pipe : {s:7.2f} s  {words / s:9.0f} words/s")
    print(f"parley extract      : {p:7.2f} s  {words / p:9.0f} words/s")
    print(f"ratio parley/spaCy  : {p / s:.3f}  (overhead {100 * (p / s - 1):+.1f}%; target <= +30%)")


if __name__ == "__main__":
    main()
