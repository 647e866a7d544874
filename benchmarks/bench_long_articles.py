"""Peak memory and time of `parley extract --jobs 1` on one very long article.

Each size is one article of ordinary prose (benchmarks/long_prose.py, no corpus text)
extracted in its own process; peak RSS comes from os.wait4. The reference, measured in
the same run, is a short article of the same prose: the ratios say how much more memory
a long article costs than a short one (bounded: long articles are parsed in pieces,
src/parley/pieces.py).

    python benchmarks/bench_long_articles.py [--mb 1 --mb 5 --mb 20] [--reference-kb 5]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from long_prose import prose  # noqa: E402

PARLEY = "from parley.cli import main; main()"


def measure(article: Path, out: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, events) of `parley extract --jobs 1 ARTICLE -o OUT`."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    pid = os.posix_spawn(sys.executable, [sys.executable, "-c", PARLEY, "extract", "--jobs", "1",
                                          str(article), "-o", str(out)], env)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"parley extract {article} failed with status {status}")
    with out.open(encoding="utf-8") as lines:
        events = sum(1 for _ in lines)
    return seconds, usage.ru_maxrss / 1024, events  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, action="append", help="article size in MB (repeatable)")
    parser.add_argument("--reference-kb", type=float, default=5)
    args = parser.parse_args()
    sizes = args.mb or [1, 5, 20]
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for label, size in [(f"{args.reference_kb:g} KB (reference)", int(args.reference_kb * 1000))] + \
                           [(f"{mb:g} MB", int(mb * 1_000_000)) for mb in sizes]:
            article = Path(tmp, "article.txt")
            article.write_text(prose(size), encoding="utf-8")
            seconds, rss, events = measure(article, Path(tmp, "events.jsonl"))
            rows.append((label, size, seconds, rss, events))
            print(f"{label:>18}: {seconds:8.1f} s  peak RSS {rss:8.1f} MiB  {events:6d} events  "
                  f"{size / seconds / 1000:7.1f} kB/s", flush=True)
        _, _, ref_seconds, ref_rss, _ = rows[0]
        print("\nratios of peak RSS to the reference:")
        for label, size, seconds, rss, _ in rows[1:]:
            print(f"{label:>18}: RSS x{rss / ref_rss:5.2f}")


if __name__ == "__main__":
    main()
