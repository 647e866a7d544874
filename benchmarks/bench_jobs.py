"""Where workers start to pay: `parley extract` wall time with --jobs 1, --jobs N and the default
(no --jobs: the `auto` engine), for inputs of growing size, in one run.

    python benchmarks/bench_jobs.py ../shared/corpus/sma-2020 ../shared/corpus/dev-mixed.jsonl \
        --sizes 5,10,20,40,80,160 --rounds 2

Each run is a fresh `parley extract INPUT -o /dev/null` process, timed from start to exit:
model loads and worker start-up included, as a user meets them. The input of size n is the
given articles repeated under new ids up to n (a JSONL file in a temporary folder). Runs
alternate between the settings, round after round, and the fastest of each is kept (the
machine may be shared: read the ratios). Prints a line per run as it goes, then a table
and the break-even: the smallest size at which --jobs N beat --jobs 1.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from parley.engines.auto import WORKERS_PAY_FROM
from parley.engines.processes import available_cores
from parley.pipeline import articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--sizes", default="5,10,20,40,80,160", help="input sizes in articles, comma-separated")
    ap.add_argument("--rounds", type=int, default=2, help="runs of each setting at each size; the fastest is kept")
    ap.add_argument("--jobs", type=int, default=min(2, available_cores()), help="workers for the --jobs N setting")
    ap.add_argument("--extractor", default=None, help="extractor backend (default: parley's default)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    settings = {"--jobs 1": ["--jobs", "1"], f"--jobs {args.jobs}": ["--jobs", str(args.jobs)], "default": []}
    extra = ["--extractor", args.extractor] if args.extractor else []

    print(f"reading {', '.join(map(str, args.paths))} ...", flush=True)
    base = [a.as_dict() for a in articles(args.paths)]
    print(f"{len(base)} articles; sizes {sizes}; {args.rounds} rounds of {len(settings)} settings; "
          f"{available_cores()} cores; auto's threshold WORKERS_PAY_FROM = {WORKERS_PAY_FROM}", flush=True)
    best: dict[tuple[int, str], float] = {}
    total = len(sizes) * args.rounds * len(settings)
    done = 0
    # The time left is estimated from the articles still to extract, not the runs: sizes grow.
    work_total = sum(sizes) * args.rounds * len(settings) + 10 * total  # ~ a model load per run
    work_done = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="parley-bench-jobs-") as folder:
        for size in sizes:
            corpus = Path(folder) / f"n{size}.jsonl"
            with corpus.open("w", encoding="utf-8") as out:
                for i in range(size):
                    record = dict(base[i % len(base)], id=f"{base[i % len(base)]['id']}#{i}")
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            for round_ in range(args.rounds):
                for name, flags in settings.items():
                    seconds = _run([*flags, *extra, str(corpus)])
                    best[size, name] = min(best.get((size, name), seconds), seconds)
                    done += 1
                    work_done += size + 10
                    elapsed = time.perf_counter() - started
                    left = elapsed / work_done * (work_total - work_done)
                    # The load decides whether the default adds a helper (engines/auto.py): shown.
                    print(f"[{done}/{total}] n={size:<5} {name:9} round {round_ + 1}: {seconds:6.2f} s"
                          f"   load {os.getloadavg()[0]:4.1f}   (elapsed {elapsed:5.0f} s, about {left:4.0f} s left)",
                          flush=True)

    names = list(settings)
    print()
    print("articles | " + " | ".join(f"{n:>9}" for n in names) + f" | --jobs {args.jobs} vs 1 | default vs 1")
    for size in sizes:
        one, many, auto = (best[size, n] for n in names)
        print(f"{size:8} | " + " | ".join(f"{best[size, n]:8.2f}s" for n in names)
              + f" | {one / many:13.2f}x | {one / auto:11.2f}x")
    paying = [size for size in sizes if best[size, names[1]] < best[size, names[0]]]
    if paying:
        print(f"break-even: --jobs {args.jobs} first beat --jobs 1 at {min(paying)} articles "
              f"(between {max([s for s in sizes if s < min(paying)], default=0)} and {min(paying)})")
    else:
        print(f"break-even: --jobs {args.jobs} never beat --jobs 1 up to {max(sizes)} articles")


def _run(arguments: list[str]) -> float:
    command = [sys.executable, "-m", "parley", "extract", *arguments, "-o", os.devnull]
    t0 = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()[-300:]}")
    return seconds


if __name__ == "__main__":
    main()
