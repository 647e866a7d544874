"""Everything `parley serve` shows of a store, as one JSON file: to prove a speed change
changes nothing.

    python scripts/views_json.py parley.db -o before.json   # on the old code
    python scripts/views_json.py parley.db -o after.json    # on the new code
    cmp before.json after.json

Written: the timeline (every entry with its sources), the threads, each thread's
positions, gap and chart, the discrepancies, and the web views' indexes (the entry of
each event, the corrected entries, the report and copy counts), with the seconds each
took on stderr.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from parley.corpus.store import Store
from parley.web.pages import Views


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def views_json(store: Store) -> dict[str, Any]:
    started = time.perf_counter()
    views = Views.build(store)
    built = time.perf_counter()
    positions = {}
    for thread in views.threads:
        rows, gap, chart = views.positions(thread.id)
        positions[thread.id] = {"rows": _plain(rows), "gap": _plain(gap), "chart": chart}
    found = views.discrepancies(store)
    print(f"views {built - started:.2f} s, positions and discrepancies {time.perf_counter() - built:.2f} s",
          file=sys.stderr)
    return {
        "timeline": [e.as_dict() for e in views.entries],
        "threads": [t.as_dict() for t in views.threads],
        "thread_entries": {tid: [e.id for e in entries] for tid, entries in views.thread_entries.items()},
        "entry_of": {key: entry.id for key, entry in views.entry_of.items()},
        "corrected_entries": sorted(views.corrected_entries),
        "source_counts": views.source_counts,
        "by_key": sorted(views.by_key),
        "by_article": {a: [e.key for e in items] for a, items in views.by_article.items()},
        "positions": positions,
        "discrepancies": _plain(found),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    with Store(args.db) as store:
        data = views_json(store)
    args.output.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
