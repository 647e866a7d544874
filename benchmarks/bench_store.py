"""Time and peak memory of `parley ingest` + `parley report` as the corpus grows.

Builds the seed corpus repeated N times under new ids (JSON lines in a
temporary folder), then runs each command in its own process and reads
that process's peak RSS from os.wait4. Prints one row per N and the ratios
of the largest N to the smallest.

    python benchmarks/bench_store.py [--seed ../shared/corpus/sma-2020] [-n 1 -n 1000] [--jobs 2] [--keep-copies]

The repeats are the same texts, so by default ingest recognises them as wire
copies of the five seed stories (extracted once, listed as sources);
--keep-copies extracts every one, which measures extraction at scale.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

PARLEY = "from parley.cli import main; main()"


def build_corpus(seed: Path, copies: int, out: Path) -> int:
    """The seed articles `copies` times, each copy under its own id; returns the article count."""
    from parley.reading.readers import read_articles
    from parley.records import Article

    articles = [a for a in read_articles([seed]) if isinstance(a, Article)]
    count = 0
    with out.open("w", encoding="utf-8") as stream:
        for copy in range(copies):
            for article in articles:
                record = {"id": f"{article.id}#{copy:05d}", "text": article.text, "title": article.title,
                          "source": article.source,
                          "published": article.published.isoformat() if article.published else None}
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def measure(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one parley command in a child process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    pid = os.posix_spawn(sys.executable, [sys.executable, "-c", PARLEY, *args], env)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"parley {' '.join(args)} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=REPO.parent / "shared" / "corpus" / "sma-2020")
    parser.add_argument("-n", "--copies", type=int, action="append", help="repeat counts (default 1 and 1000)")
    parser.add_argument("--jobs", type=int, default=1, help="extraction worker processes")
    parser.add_argument("--keep-copies", action="store_true",
                        help="extract every repeated copy (parley ingest --keep-copies) instead of "
                             "recognising the repeats as wire copies of the seed stories")
    options = parser.parse_args()
    sizes = options.copies or [1, 1000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as tmp:
        for copies in sizes:
            corpus = Path(tmp) / f"seed-x{copies}.jsonl"
            articles = build_corpus(options.seed, copies, corpus)
            db = Path(tmp) / f"x{copies}.db"
            ingest = measure(["ingest", "--db", str(db), "--jobs", str(options.jobs), str(corpus)]
                             + (["--keep-copies"] if options.keep_copies else []))
            report = measure(["report", "--db", str(db), "-o", str(Path(tmp) / f"x{copies}.html")])
            size = (Path(tmp) / f"x{copies}.html").stat().st_size / 2**20
            db_size = db.stat().st_size / 2**20
            rows.append((copies, articles, ingest, report, size, db_size))
            print(f"N={copies:>5} articles={articles:>6}  ingest {ingest[0]:8.1f} s {ingest[1]:7.0f} MiB"
                  f"  report {report[0]:7.1f} s {report[1]:6.0f} MiB  (html {size:.1f} MiB, db {db_size:.1f} MiB)",
                  flush=True)
    if len(rows) > 1:
        (n0, a0, i0, r0, *_), (n1, a1, i1, r1, *_) = rows[0], rows[-1]
        print(f"\nN={n1} / N={n0} (articles x{a1 / a0:.0f}):")
        print(f"  ingest time x{i1[0] / i0[0]:.1f}, peak RSS x{i1[1] / i0[1]:.2f}; "
              f"per article {i0[0] / a0 * 1000:.0f} ms -> {i1[0] / a1 * 1000:.0f} ms")
        print(f"  report time x{r1[0] / r0[0]:.1f}, peak RSS x{r1[1] / r0[1]:.2f}")


if __name__ == "__main__":
    main()
