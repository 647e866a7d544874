"""Turn an annotator's file (gold format, evidence as strings) into the repository's form:
article id + character offsets + labels, no article text.

    python annotations/convert.py ANNOTATED.gold.jsonl DONE_IDS.txt CORPUS.jsonl OUT.jsonl --corpus-name corpus/X.jsonl
"""
from __future__ import annotations

import argparse
import json
import re

KEEP = ("type", "actor", "target", "people", "amount", "amount_alternatives", "date", "status", "optional")


def offsets(text: str, needle: str) -> list[int] | None:
    i = text.find(needle)
    if i >= 0:
        return [i, i + len(needle)]
    m = re.search(r"\s+".join(map(re.escape, needle.split())), text)
    return [m.start(), m.end()] if m else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("annotated")
    ap.add_argument("done")
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--corpus-name", required=True)
    ap.add_argument("--annotator", default="helper")
    a = ap.parse_args()
    texts = {}
    for line in open(a.corpus, encoding="utf-8"):
        r = json.loads(line)
        texts[r["id"]] = r["text"]
    done = [line.rstrip("\n") for line in open(a.done, encoding="utf-8") if line.strip()]
    events: dict[str, list] = {i: [] for i in done}
    lost = 0
    for line in open(a.annotated, encoding="utf-8"):
        if not line.strip():
            continue
        e = json.loads(line)
        if e["article"] not in events:
            continue
        spans = [offsets(texts[e["article"]], s) for s in e.get("evidence", [])]
        lost += sum(1 for s in spans if s is None)
        rec = {k: e.get(k) for k in KEEP if k in e}
        rec["evidence"] = [s for s in spans if s]
        if rec["evidence"]:
            events[e["article"]].append(rec)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(json.dumps({"corpus": a.corpus_name, "guide": "../shared/ANNOTATION.md",
                            "annotator": a.annotator}) + "\n")
        for art in done:
            f.write(json.dumps({"article": art, "events": events[art]}, ensure_ascii=False) + "\n")
    print(f"{a.out}: {len(done)} articles, {sum(map(len, events.values()))} events, {lost} evidence strings not found")


if __name__ == "__main__":
    main()
