"""Figures on the negotiation threads of a store, for reports on threading changes.

    python scripts/thread_figures.py parley.db [--pair GBR european-union] [--pair JPN USA]

Prints the number of timeline entries and threads, threads with two or more
articles, every thread of each pair asked for (id, entries, articles, first and
last day), codes among the entries' parties that are not parties or generic
nouns (parley.corpus.parties), and a digest of every entry's
thread and every thread's subject: run it under two PYTHONHASHSEED values and
the digests must be equal.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter

from parley.corpus.parties import is_generic, is_party
from parley.corpus.store import Store
from parley.corpus.threads import threads
from parley.corpus.timeline import timeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--pair", nargs=2, action="append", default=[], metavar=("PARTY", "PARTY"))
    args = parser.parse_args()
    with Store(args.db) as store:
        entries = timeline(store)
    found = threads(entries)
    print(f"entries {len(entries)}, threads {len(found)}, "
          f"threads with 2+ articles {sum(1 for t in found if t.articles >= 2)}")
    for pair in args.pair:
        wanted = set(pair)
        rows = [(t.id, t.entries, t.articles, str(t.first), str(t.last), " ".join(t.subject))
                for t in found if set(t.parties) == wanted]
        print(f"{'-'.join(pair)}: {rows}")
    odd = Counter(p for e in entries for p in e.parties if not is_party(p))
    generic = Counter(p for e in entries for p in e.parties if is_generic(p))
    print(f"codes that are no party: {dict(odd)}; generic names kept (their article names no "
          f"organisation): {dict(generic)}")
    blob = json.dumps([[e.id, e.thread] for e in entries] + [[t.id, list(t.subject)] for t in found])
    print(f"digest {hashlib.sha256(blob.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
