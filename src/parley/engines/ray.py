"""The `ray` engine: the same per-article extraction, on a Ray cluster (Ray Data).

Articles are read where `parley` runs, sent to the cluster in windows of
`window_articles`, extracted by a pool of actors that each load the
extractor (and so the language model) once, and come back in input order:
the results equal the `local` engine's. Results stream: the driver holds one
window of articles at a time, never the whole corpus.

    engine = RayEngine(address="ray://head-node:10001")
    for result in engine.run(articles, ExtractOptions(engine="ray", jobs=16)):
        ...

`write_event_parts` stores results as numbered Parquet (or JSONL) parts,
one row per article with its events, and `read_event_parts` reads them
back in order; that is what `parley extract --engine ray -o OUT/` writes and
`parley ingest OUT/` loads. See docs/CLUSTER.md.

Ray is an optional extra (`pip install "ray[data]"`), imported only when
this engine runs.
"""
from __future__ import annotations

import json
import logging
import pickle
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal

from parley.engines.local import register
from parley.errors import ConfigurationError, InputError, ParleyError
from parley.records import Article, DateSpan, Event, replace
from parley.results import ArticleResult, ExtractOptions
from parley.engines.processes import extractor_module

INSTALL_RAY = 'the ray engine needs Ray: pip install "ray[data]"'
DEFAULT_WINDOW_ARTICLES = 5_000
DEFAULT_BATCH_ARTICLES = 8
DEFAULT_PART_ARTICLES = 1_000

PartFormat = Literal["parquet", "jsonl"]
WorkerSetup = Callable[[], None]


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigurationError(INSTALL_RAY) from exc
    return ray


class _ExtractBatch:
    """A Ray Data actor: loads the extractor once, then extracts batch after batch."""

    def __init__(self, options: ExtractOptions, module: str | None, setup: WorkerSetup | None) -> None:
        from parley.engines.processes import prepare_worker
        prepare_worker(options.extractor, module, setup)
        self.options = options

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        out = np.empty(len(batch["article"]), dtype=object)
        out[:] = [pickle.dumps(self._extract(pickle.loads(a))) for a in batch["article"]]
        return {"seq": batch["seq"], "result": out}

    def _extract(self, article: Article) -> ArticleResult | ParleyError:
        from parley.engines.local import extract_one
        from parley.engines.processes import _portable
        # Returned, not raised: Ray would flatten it into a traceback string,
        # and the driver raises it in input order, as the local engine would.
        try:
            return extract_one(article, self.options)
        except ParleyError as exc:
            return _portable(exc)


class RayEngine:
    """Extraction on Ray: a local instance, or the cluster at `address`."""

    name = "ray"

    def __init__(self, address: str | None = None, *, window_articles: int | None = None,
                 batch_articles: int = DEFAULT_BATCH_ARTICLES, worker_setup: WorkerSetup | None = None,
                 init_options: dict[str, Any] | None = None) -> None:
        """`address`: "auto", "ray://host:10001" or "host:6379"; None starts Ray on this machine.

        When Ray is already initialised in this process (a notebook, a test),
        that instance is used. `worker_setup` runs first in every actor (a
        picklable function that, e.g., registers a plugin extractor).
        `window_articles` None: 5,000, or 250 per actor on a large cluster, so
        that each actor's model load is spread over enough articles.
        """
        self.address = address
        self.window_articles = max(1, window_articles) if window_articles else None
        self.batch_articles = max(1, batch_articles)
        self.worker_setup = worker_setup
        self.init_options = dict(init_options or {})

    def run(self, articles: Iterable[Article], options: ExtractOptions) -> Iterator[ArticleResult]:
        ray = _import_ray()
        address = self.address or getattr(options, "address", None)
        started_here = not ray.is_initialized()
        if started_here:
            _connect(ray, address, options, self.init_options)
        try:
            actors = _actor_count(ray, options)
            window_articles = self.window_articles or max(DEFAULT_WINDOW_ARTICLES, actors * 250)
            it = iter(articles)
            seq = 0
            while window := list(islice(it, window_articles)):
                yield from self._run_window(ray, window, seq, actors, options)
                seq += len(window)
        finally:
            if started_here:
                ray.shutdown()

    def _run_window(self, ray: Any, window: list[Article], first_seq: int, actors: int,
                    options: ExtractOptions) -> Iterator[ArticleResult]:
        with _quiet_ray_data(ray):
            try:
                # A few blocks per actor so that every actor gets work.
                blocks = min(len(window), max(actors, min(len(window) // self.batch_articles, actors * 4)))
                dataset = ray.data.from_items(
                    [{"seq": first_seq + i, "article": pickle.dumps(a)} for i, a in enumerate(window)],
                    override_num_blocks=blocks)
                extracted = dataset.map_batches(
                    _ExtractBatch,
                    fn_constructor_args=(options, extractor_module(options.extractor), self.worker_setup),
                    batch_size=self.batch_articles, num_cpus=1,
                    compute=ray.data.ActorPoolStrategy(size=min(actors, blocks)))
                expected = first_seq
                for row in extracted.iter_rows():
                    if row["seq"] != expected:  # preserve_order is what makes ray == local
                        raise ParleyError(f"the ray engine returned article {row['seq']} before {expected}")
                    expected += 1
                    result = pickle.loads(row["result"])
                    if isinstance(result, ParleyError):
                        raise result
                    yield result
            except ParleyError:
                raise
            except Exception as exc:  # noqa: BLE001 - Ray wraps the actor's error; show the cause
                raise _translate(exc) from exc


@contextmanager
def _quiet_ray_data(ray: Any) -> Iterator[None]:
    """Same order as the local engine, and nothing printed from library code; restored after."""
    context = ray.data.DataContext.get_current()
    logger = logging.getLogger("ray.data")
    saved = (context.execution_options.preserve_order, context.enable_progress_bars,
             getattr(context, "print_on_execution_start", None), logger.level)
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    if saved[2] is not None:
        context.print_on_execution_start = False
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved[:2]
        if saved[2] is not None:
            context.print_on_execution_start = saved[2]
        logger.setLevel(saved[3])


def _connect(ray: Any, address: str | None, options: ExtractOptions, init_options: dict[str, Any]) -> None:
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.ERROR,
                              "log_to_driver": False}
    if not address:
        from parley.engines.processes import resolve_jobs
        kwargs["num_cpus"] = resolve_jobs(options.jobs)
    kwargs.update(init_options)
    try:
        ray.init(address=address or None, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ConfigurationError(
            f"cannot start or reach Ray at {address or 'this machine'}: {exc}; "
            "check --address (e.g. ray://HEAD:10001 or auto)") from exc


def _actor_count(ray: Any, options: ExtractOptions) -> int:
    """`--jobs N` actors; 0 (all cores) means one per CPU of the cluster."""
    if options.jobs and options.jobs > 0:
        return options.jobs
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _translate(exc: BaseException) -> ParleyError:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ParleyError):
            return type(cause)(str(cause)) if _simple(cause) else ParleyError(str(cause))
        cause = cause.__cause__ or cause.__context__
    return ParleyError(f"the ray engine failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


def _simple(exc: ParleyError) -> bool:
    try:
        type(exc)(str(exc))
        return True
    except TypeError:
        return False


@register("ray")
def _ray_engine() -> RayEngine:
    return RayEngine()


# ---------------------------------------------------------------- parts on disk

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
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigurationError(
            'Parquet parts need pyarrow: pip install pyarrow (or "ray[data]"), or use --format jsonl') from exc
    return pa, pq
