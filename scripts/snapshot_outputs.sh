#!/bin/sh
# Snapshot what parley writes for every shared corpus: the events (`parley extract`),
# the store's exports (`parley ingest` + `parley export --table all`) and the HTML
# report. Run it before and after a change and diff the two folders:
#
#     scripts/snapshot_outputs.sh /tmp/before   # on the old commit
#     scripts/snapshot_outputs.sh /tmp/after    # on the new one
#     diff -r /tmp/before /tmp/after && echo same
#
# The report's "generated" time is the one line expected to differ; it is blanked.
# PYTHONHASHSEED is fixed: thread subjects (and so thread ids) depend on set order,
# which changes from one process to the next (corpus/threads.py; noted, not fixed here).
set -eu
OUT=${1:?usage: snapshot_outputs.sh OUT_DIR [SHARED]}
SHARED=$(cd "${2:-$(dirname "$0")/../../shared}" && pwd)
PARLEY=${PARLEY:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/parley}
JOBS=${JOBS:-2}
export PYTHONHASHSEED=0
mkdir -p "$OUT"
cd "$OUT"  # messages name files relative to OUT, so that two snapshots compare
OUT=.
for corpus in "$SHARED"/corpus/*; do
    name=$(basename "$corpus" .jsonl)
    "$PARLEY" extract --jobs "$JOBS" "$corpus" -o "$OUT/$name.events.jsonl" 2>"$OUT/$name.extract.stderr" || true
    rm -f "$OUT/$name.db"
    "$PARLEY" ingest --jobs "$JOBS" --db "$OUT/$name.db" "$corpus" >"$OUT/$name.ingest.stdout" 2>"$OUT/$name.ingest.stderr" || true
    "$PARLEY" export --db "$OUT/$name.db" --format jsonl --table all -o "$OUT/$name.export" \
        >/dev/null 2>"$OUT/$name.export.stderr" || true
    "$PARLEY" report --db "$OUT/$name.db" -o "$OUT/$name.report.html" >/dev/null 2>"$OUT/$name.report.stderr" || true
    sed -i 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] UTC/GENERATED/' "$OUT/$name.report.html" 2>/dev/null || true
    rm -f "$OUT/$name.db"
done
