"""The corrections as training data: the corrected and added events of a store, one JSON
object per line, in the gold format of ../shared/ANNOTATION.md (what `make train` reads
from gold files), so that every correction made in `parley serve` or with `parley correct`
can teach the learned extractor."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from parley.corpus.corrections import gold_records
from parley.corpus.store import Store
from parley.errors import OutputError


def write_corrections(store: Store, out: Path | TextIO) -> int:
    """Write the corrected and added events as gold JSON lines; returns how many."""
    records = gold_records(store)
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    if isinstance(out, Path):
        try:
            out.write_text(lines, encoding="utf-8")
        except OSError as exc:
            raise OutputError.writing(out, exc) from exc
    else:
        out.write(lines)
    return len(records)
