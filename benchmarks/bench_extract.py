"""How much parley adds to spaCy: the same texts through bare `nlp.pipe` and
through `parley extract`'s pipeline, in one run (machines are noisy: compare
the ratio, not the seconds).

    python benchmarks/bench_extract.py ../shared/corpus [--repeat 20] [--extractor rules.v1 --extractor learned.v1]

Every extractor named is timed against the same bare spaCy run; peak memory is that
of this one process (the model, the extractor and the texts).
"""
from __future__ import annotations

import argparse
import gc
import resource
import time
from pathlib import Path

from parley.analysis.language import load_model
from parley.pipeline import articles, extract_articles
from parley.records import replace
from parley.results import ExtractOptions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=20, help="times each article is repeated (new ids)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating timing rounds; the best of each is kept")
    ap.add_argument("--extractor", action="append", help="backend to time (repeatable; default rules.v1 and learned.v1)")
    args = ap.parse_args()
    extractors = args.extractor or ["rules.v1", "learned.v1"]

    started = time.perf_counter()

    def say(message: str) -> None:  # progress as it goes: a full run takes minutes
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", flush=True)

    say(f"reading {', '.join(map(str, args.paths))}")
    base = list(articles(args.paths))
    corpus = [replace(a, id=f"{a.id}#{k}") for k in range(args.repeat) for a in base]
    texts = [a.body_text() for a in corpus]
    words = sum(len(t.split()) for t in texts)
    say(f"{len(base)} articles x {args.repeat} = {len(corpus)}; loading the model and warming "
        f"{', '.join(extractors)}")
    nlp = load_model()
    # Warm every path once (model load, weights, lazy resources) before timing.
    list(nlp.pipe(texts[:5]))
    for name in extractors:
        list(extract_articles(corpus[:5], ExtractOptions(extractor=name)))

    spacy_times: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in extractors}
    events: dict[str, int] = {}
    for round_ in range(args.rounds):
        gc.collect()
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=16):
            pass
        spacy_times.append(time.perf_counter() - t0)
        say(f"round {round_ + 1}/{args.rounds}: bare spaCy {spacy_times[-1]:.2f} s")
        for name in extractors:
            gc.collect()
            t0 = time.perf_counter()
            events[name] = sum(len(r.events) for r in extract_articles(corpus, ExtractOptions(extractor=name)))
            times[name].append(time.perf_counter() - t0)
            say(f"round {round_ + 1}/{args.rounds}: {name} {times[name][-1]:.2f} s")

    s = min(spacy_times)
    print(f"articles: {len(corpus)}  words: {words}")
    print(f"bare spaCy nlp.pipe      : {s:7.2f} s  {words / s:9.0f} words/s")
    for name in extractors:
        p = min(times[name])
        print(f"parley extract {name:10s}: {p:7.2f} s  {words / p:9.0f} words/s  ratio to spaCy {p / s:.3f}"
              f"  ({events[name]} events)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (spaCy, every extractor, the texts): {peak:.0f} MB")


if __name__ == "__main__":
    main()
