"""The `processes` engine: per-article extraction in worker processes, on all cores.

Each worker loads the extractor (and so the language model) once, when it
starts, and then extracts chunks of articles. The parent reads articles
lazily and keeps only a bounded number of chunks in flight, so memory does
not grow with the number of articles, and it yields results in input order,
exactly as the `local` engine would.

    engine = ProcessEngine(jobs=4)
    for result in engine.run(articles, ExtractOptions(engine="processes")):
        ...

Workers are started with `forkserver` (Linux) rather than `fork`: the parent
may run threads (the progress bar's refresher, Ray's) and may have the
language model loaded, and forking either is how pools deadlock or double
their memory. `forkserver` costs about one model load per worker, paid once.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Iterable, Iterator

from parley.engines.local import WorkerSetup, extract_chunk, portable, prepare_worker
from parley.errors import ParleyError
from parley.extract.registry import target_of
from parley.records import Article, Event, Problem
from parley.results import ArticleResult, ExtractOptions

DEFAULT_CHUNK_ARTICLES = 4
# Chunks in flight per worker: enough that a worker never waits for the
# parent between chunks, few enough that memory stays flat.
IN_FLIGHT_PER_WORKER = 3


def available_cores() -> int:
    """The cores this process may run on (respects CPU affinity and containers' cpusets)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    """`--jobs` as given: None or 0 (or less) means all cores."""
    if jobs is None or jobs <= 0:
        return available_cores()
    return jobs


def engine_for_jobs(jobs: int | None, engine: str | None = None) -> str:
    """The engine `--jobs N` implies when `--engine` is not given.

    One job runs in-process: a worker process would only add start-up time. No
    --jobs (None or 0) is `auto`: in-process unless the input is large enough to
    pay for the workers (engines/auto.py); --jobs N > 1 asks for N workers.
    """
    if engine:
        return engine
    if resolve_jobs(jobs) == 1:
        return "local"
    return "auto" if jobs is None or jobs <= 0 else "processes"


def default_start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


# Set in each worker by _start_worker; an error while loading the model is
# kept and raised with the first chunk, so the user sees it as a ParleyError
# instead of a bare "process pool broken".
_LOAD_ERROR: BaseException | None = None


def _start_worker(extractor: str, target: str, setup: WorkerSetup | None, parent: int | None = None) -> None:
    global _LOAD_ERROR
    if parent is not None:
        _end_with(parent)
    try:
        prepare_worker(extractor, target, setup)
    except BaseException as exc:  # noqa: BLE001 - re-raised with the first chunk
        _LOAD_ERROR = exc


def _end_with(parent: int, every: float = 0.5) -> None:
    """End this worker when the parley process that started it is gone (killed, say): a worker
    holds a language model, and the pool's own clean-up never runs in a killed parent. Its
    parent process is the forkserver, so PR_SET_PDEATHSIG would not see the right death."""
    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass  # alive, under another user: cannot happen for our own parent, but not a death

    threading.Thread(target=watch, name="parley-parent-watch", daemon=True).start()


Outcomes = list[tuple[tuple[Event, ...], Problem | None]]


def extract_chunk_in_worker(articles: list[Article], options: ExtractOptions) -> Outcomes:
    # Only the events (or the article's Problem) travel back: the parent still holds the articles.
    try:
        if _LOAD_ERROR is not None:
            raise _LOAD_ERROR
        return extract_chunk(articles, options)
    except ParleyError as exc:
        raise portable(exc) from None


def chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while chunk := list(islice(it, size)):
        yield chunk


class ProcessEngine:
    """Extraction in `jobs` worker processes, results in input order, streaming."""

    name = "processes"

    def __init__(self, jobs: int | None = None, *, chunk_articles: int = DEFAULT_CHUNK_ARTICLES,
                 start_method: str | None = None, worker_setup: WorkerSetup | None = None) -> None:
        """`jobs` None takes ExtractOptions.jobs (0 or less there: all cores)."""
        self.jobs = jobs
        self.chunk_articles = max(1, chunk_articles)
        self.start_method = start_method or default_start_method()
        self.worker_setup = worker_setup

    def start_pool(self, workers: int, options: ExtractOptions) -> ProcessPoolExecutor:
        """`workers` processes, each loading the extractor once (the `auto` engine uses it too)."""
        # Resolved here, so that an unknown name fails before any worker starts,
        # and so that workers import the very backend the parent would.
        target = target_of(options.extractor)
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context(self.start_method),
            initializer=_start_worker, initargs=(options.extractor, target, self.worker_setup, os.getpid()))

    def run(self, articles: Iterable[Article], options: ExtractOptions) -> Iterator[ArticleResult]:
        jobs = resolve_jobs(self.jobs if self.jobs is not None else options.jobs)
        max_in_flight = jobs * IN_FLIGHT_PER_WORKER
        pool = self.start_pool(jobs, options)
        pending: deque[tuple[list[Article], Future[Outcomes]]] = deque()
        try:
            for chunk in chunks(articles, self.chunk_articles):
                pending.append((chunk, pool.submit(extract_chunk_in_worker, chunk, options)))
                if len(pending) >= max_in_flight:
                    yield from results_of(*pending.popleft())
            while pending:
                yield from results_of(*pending.popleft())
        finally:
            # Also reached when the caller stops iterating early: drop queued
            # chunks rather than extracting articles nobody will read.
            pool.shutdown(wait=True, cancel_futures=True)


def results_of(chunk: list[Article], future: Future[Outcomes]) -> Iterator[ArticleResult]:
    try:
        events = future.result()
    except BrokenProcessPool as exc:
        raise ParleyError(
            "a worker process died (out of memory?); try fewer --jobs, or --jobs 1") from exc
    for article, (found, problem) in zip(chunk, events):
        yield ArticleResult(article=article, events=found, problem=problem)
