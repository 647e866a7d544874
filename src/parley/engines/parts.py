"""Events parts on disk: what `parley extract -o OUT/` writes and `parley ingest OUT/` loads.

`write_event_parts` stores results as numbered Parquet (or JSONL) parts,
one row per article with its events, and `read_event_parts` reads them
back in order. Any engine's results can be written; the ray engine is
where they are most useful (docs/CLUSTER.md). pyarrow is optional and
loaded only for Parquet parts.
"""
from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from parley.errors import ConfigurationError, InputError
from parley.records import Article, DateSpan, Event, replace
from parley.results import ArticleResult

DEFAULT_PART_ARTICLES = 1_000

PartFormat = Literal["parquet", "jsonl"]


def write_event_parts(results: Iterable[ArticleResult], out_dir: str | Path,
                      format: PartFormat = "parquet", part_articles: int = DEFAULT_PART_ARTICLES) -> list[Path]:
    """Write results as parts `part-00000.parquet`, ... in `out_dir`; return their paths.

    One row per article (articles without events too: they count as sources
    read): `seq`, `id`, `title`, `source`, `published`, `url`, `n_events`,
    `events` (JSON list in the EVENTS.md shape) and `article` (the Article as
    JSON, text included). `_parts.json` is written last and lists the parts:
    a directory without it is an interrupted run.
    """
    if format not in ("parquet", "jsonl"):
        raise ConfigurationError(f"unknown part format {format!r}; use parquet or jsonl")
    if format == "parquet":
        _import_pyarrow()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "_parts.json").unlink(missing_ok=True)
    paths: list[Path] = []
    it = iter(results)
    seq = 0
    while rows := [_row(seq + i, r) for i, r in enumerate(islice(it, part_articles))]:
        path = out / f"part-{len(paths):05d}.{format}"
        _write_part(path, rows, format)
        paths.append(path)
        seq += len(rows)
    (out / "_parts.json").write_text(json.dumps(
        {"format": format, "articles": seq, "parts": [p.name for p in paths]}, indent=1) + "\n")
    return paths


def is_event_parts(path: str | Path) -> bool:
    """True for a directory written by `write_event_parts` (what `parley ingest` loads as is)."""
    path = Path(path)
    if not path.is_dir():
        return path.is_file() and path.name.startswith("part-") and path.suffix == ".parquet"
    return (path / "_parts.json").exists() or any(path.glob("part-*.parquet"))


def read_event_parts(path: str | Path) -> Iterator[ArticleResult]:
    """Every ArticleResult in a directory of parts (or one part file), in the order written."""
    path = Path(path)
    if path.is_dir():
        manifest = path / "_parts.json"
        if manifest.exists():
            parts = [path / name for name in json.loads(manifest.read_text())["parts"]]
        else:
            parts = sorted(p for p in path.iterdir() if p.name.startswith("part-")
                           and p.suffix in (".parquet", ".jsonl"))
    else:
        parts = [path]
    for part in parts:
        for row in _read_part(part):
            yield _result(row, part)


def _row(seq: int, result: ArticleResult) -> dict[str, Any]:
    a = result.article
    return {"seq": seq, "id": a.id, "title": a.title, "source": a.source,
            "published": a.published.isoformat() if a.published else None, "url": a.url,
            "n_events": len(result.events),
            "events": json.dumps(result.as_dicts(), ensure_ascii=False),
            "article": json.dumps(a.as_dict(), ensure_ascii=False)}


def _result(row: dict[str, Any], part: Path) -> ArticleResult:
    try:
        article = Article.from_dict(json.loads(row["article"]))
        events = tuple(_event(e) for e in json.loads(row["events"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(str(part), f"not a parley events part ({exc})", row.get("seq")) from exc
    return ArticleResult(article=article, events=events)


def _event(d: dict[str, Any]) -> Event:
    event = Event.from_dict(d)
    # Event.from_dict drops "date_text" (an unresolved date); keep it so that
    # events read back from parts write out exactly as they were extracted.
    if event.date is None and d.get("date_text"):
        event = replace(event, date=DateSpan(None, None, d["date_text"]))
    return event


def _write_part(path: Path, rows: list[dict[str, Any]], format: PartFormat) -> None:
    tmp = path.with_name(path.name + ".tmp")
    if format == "jsonl":
        with tmp.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        pa, pq = _import_pyarrow()
        pq.write_table(pa.Table.from_pylist(rows, schema=_schema(pa)), tmp)
    tmp.replace(path)  # a part is either complete or absent


def _read_part(part: Path) -> Iterator[dict[str, Any]]:
    try:
        if part.suffix == ".jsonl":
            with part.open(encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        yield json.loads(line)
            return
        _, pq = _import_pyarrow()
        for batch in pq.ParquetFile(part).iter_batches(batch_size=256):
            yield from batch.to_pylist()
    except (OSError, ValueError) as exc:
        raise InputError(str(part), f"cannot read events part: {exc}") from exc


def _schema(pa: Any) -> Any:
    return pa.schema([("seq", pa.int64()), ("id", pa.string()), ("title", pa.string()),
                      ("source", pa.string()), ("published", pa.string()), ("url", pa.string()),
                      ("n_events", pa.int32()), ("events", pa.large_string()),
                      ("article", pa.large_string())])


def _import_pyarrow() -> tuple[Any, Any]:
    # pyarrow is optional (the parquet extra): loaded late on purpose, only for Parquet parts.
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigurationError(
            'Parquet parts need pyarrow: pip install pyarrow (or "ray[data]"), or use --format jsonl') from exc
    return pa, pq
