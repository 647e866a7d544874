"""The `ray` engine: the same per-article extraction, on a Ray cluster (Ray Data).

Articles are read where `parley` runs, sent to the cluster in windows of
`window_articles`, extracted by a pool of actors that each load the
extractor (and so the language model) once, and come back in input order:
the results equal the `local` engine's. Results stream: the driver holds one
window of articles at a time, never the whole corpus.

    engine = RayEngine(address="ray://head-node:10001")
    for result in engine.run(articles, ExtractOptions(engine="ray", jobs=16)):
        ...

`parley extract --engine ray -o OUT/` writes the results as parts
(engines/parts.py) that `parley ingest OUT/` loads. See docs/CLUSTER.md.

Ray is an optional extra (`pip install "ray[data]"`), imported only when
this engine runs.
"""
from __future__ import annotations

import logging
import pickle
from contextlib import contextmanager
from itertools import islice
from typing import Any, Iterable, Iterator

from parley.engines.local import WorkerSetup, extract_one, portable, prepare_worker
from parley.engines.processes import resolve_jobs
from parley.errors import ConfigurationError, ParleyError
from parley.extract.registry import target_of
from parley.records import Article
from parley.results import ArticleResult, ExtractOptions

INSTALL_RAY = 'the ray engine needs Ray: pip install "ray[data]"'
DEFAULT_WINDOW_ARTICLES = 5_000
DEFAULT_BATCH_ARTICLES = 8


def _import_ray() -> Any:
    # Ray is an optional extra, loaded late on purpose: importing it costs seconds.
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigurationError(INSTALL_RAY) from exc
    return ray


class _ExtractBatch:
    """A Ray Data actor: loads the extractor once, then extracts batch after batch."""

    def __init__(self, options: ExtractOptions, target: str, setup: WorkerSetup | None) -> None:
        prepare_worker(options.extractor, target, setup)
        self.options = options

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np  # comes with Ray, the optional extra: loaded late on purpose

        out = np.empty(len(batch["article"]), dtype=object)
        out[:] = [pickle.dumps(self._extract(pickle.loads(a))) for a in batch["article"]]
        return {"seq": batch["seq"], "result": out}

    def _extract(self, article: Article) -> ArticleResult | ParleyError:
        # Returned, not raised: Ray would flatten it into a traceback string,
        # and the driver raises it in input order, as the local engine would.
        try:
            return extract_one(article, self.options)
        except ParleyError as exc:
            return portable(exc)


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
                    fn_constructor_args=(options, target_of(options.extractor), self.worker_setup),
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
