"""The `auto` engine, what no `--jobs` means: extraction starts in this process, and worker
processes are added only when the input is large enough to pay for them.

A worker process costs a language-model load before its first article (forkserver start,
the model, the extractor's weights: seconds, more on a busy machine), which the
in-process engine pays once. For a handful of articles the workers never earn that
back: `parley extract` on five articles took 6.4 s on two workers against 2.8 s with
`--jobs 1`. So `auto`:

1. reads ahead up to `WORKERS_PAY_FROM` articles; if the input ends before that, or if no
   other core is free, they are extracted here, in batches (the `local` engine: exactly
   what `--jobs 1` does). "Free" is measured over the read-ahead (at least 0.2 s) from
   /proc/stat: the idle time of the cores this process may run on, plus its own use; on
   a busy machine a helper would only take time from this process and the other work;
2. otherwise starts a helper process per other free core (at most `jobs - 1`) and goes
   on extracting here, in input order, while they load; nothing is handed to them
   before one is ready, so no result ever waits for a model load. Then chunks go to the
   helpers, and whenever the next result is not back yet, this process extracts the
   first chunk no helper has started (or the next one of the input) instead of waiting.
   Results come in input order, the same as `local`'s. Helpers still loading when the
   input ends are stopped.

`benchmarks/bench_jobs.py` times the default against `--jobs 1` and `--jobs 2` in the same
run; docs/CLUSTER.md has the runs: the break-even of two workers moved from under 5 to
over 200 articles with the machine's load, hence step 2. `WORKERS_PAY_FROM` is a floor,
not a measured quiet-machine break-even.
"""
from __future__ import annotations

import os
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Callable, Iterable, Iterator

from parley.engines.local import LocalEngine
from parley.engines.processes import (DEFAULT_CHUNK_ARTICLES, IN_FLIGHT_PER_WORKER, Outcomes, ProcessEngine,
                                      available_cores, chunks, extract_chunk_in_worker, resolve_jobs,
                                      results_of)
from parley.records import Article
from parley.results import ArticleResult, ExtractOptions

WORKERS_PAY_FROM = 40
AHEAD_CHUNKS = 32


class CpuSample:
    """How much CPU this process could have had since the sample began: the cores it may
    run on (its affinity) that were idle, plus what it used itself. Read from /proc/stat,
    so it sees the machine now, not the 1-minute load average, which lags a minute behind
    (and still counts a run that just ended). Without /proc/stat (not Linux): the load
    average."""

    MIN_WINDOW = 0.2  # seconds: a shorter window is mostly rounding of the kernel's ticks

    def __init__(self) -> None:
        self.cores = _affinity()
        self.started = time.monotonic()
        self.own = time.process_time()
        self.ticks = _cpu_ticks(self.cores)

    def free_cores(self, jobs: int) -> float:
        """Of at most `jobs` cores, how many this process could have used since it began."""
        if self.ticks is None:
            return idle_cores(jobs)
        elapsed = time.monotonic() - self.started
        if elapsed < self.MIN_WINDOW:
            time.sleep(self.MIN_WINDOW - elapsed)
            elapsed = self.MIN_WINDOW
        now = _cpu_ticks(self.cores)
        if now is None:
            return idle_cores(jobs)
        idle = sum(now[core][0] - self.ticks[core][0] for core in now if core in self.ticks)
        total = sum(now[core][1] - self.ticks[core][1] for core in now if core in self.ticks)
        if total <= 0:
            return idle_cores(jobs)
        cores = len(now) * idle / total + (time.process_time() - self.own) / elapsed
        return max(0.0, min(float(jobs), cores))


def _affinity() -> set[int]:
    try:
        return set(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return set(range(os.cpu_count() or 1))


def _cpu_ticks(cores: set[int]) -> dict[int, tuple[int, int]] | None:
    """(idle, total) ticks of each of `cores` from /proc/stat; None where it cannot be read."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            lines = stat.read().splitlines()
    except OSError:
        return None
    ticks = {}
    for line in lines:
        name, _, rest = line.partition(" ")
        if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cores:
            values = [int(v) for v in rest.split()[:8]]
            ticks[int(name[3:])] = (values[3] + values[4], sum(values))  # idle + iowait, all
    return ticks or None


def idle_cores(jobs: int) -> float:
    """Of `jobs` cores, how many the 1-minute load average leaves idle (which counts every
    runnable process, other users' included). Without a load average, every core."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return float(jobs)
    return max(0.0, min(float(jobs), available_cores() - load))


def _ready() -> bool:
    """Run by a helper: it answers only once its initializer has loaded the extractor."""
    return True


def _stop_loading(pool: ProcessPoolExecutor) -> None:
    """End helpers still loading their model: the input is done, they would only delay the exit.
    Python 3.14 has a public way; before it, the pool's own table of its processes."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()


@dataclass
class _Chunk:
    articles: list[Article]
    future: Future[Outcomes] | None = None
    done_here: Outcomes | None = field(default=None)  # extracted by this process instead


class AutoEngine:
    name = "auto"

    def __init__(self, jobs: int | None = None, *, workers_pay_from: int = WORKERS_PAY_FROM,
                 chunk_articles: int = DEFAULT_CHUNK_ARTICLES, ahead_chunks: int = AHEAD_CHUNKS,
                 helpers: ProcessEngine | None = None, free_cores: Callable[[int], float] | None = None) -> None:
        """`jobs` None takes ExtractOptions.jobs (0 or less there: all cores). `helpers` makes
        the worker pool (tests pass one with a worker_setup); `free_cores(jobs)` says how many
        of the cores this process could use (default: a CpuSample over the read-ahead)."""
        self.free_cores = free_cores
        self.jobs = jobs
        self.ahead_chunks = max(0, ahead_chunks)
        self.workers_pay_from = max(1, workers_pay_from)
        self.chunk_articles = max(1, chunk_articles)
        self.helpers = helpers or ProcessEngine()
        self.chosen: str | None = None  # what the last run did: "local" or "local+workers"
        self.here = 0  # articles the last run extracted in this process

    def run(self, articles: Iterable[Article], options: ExtractOptions) -> Iterator[ArticleResult]:
        jobs = resolve_jobs(self.jobs if self.jobs is not None else options.jobs)
        sample = CpuSample() if self.free_cores is None and jobs > 1 else None
        pending = iter(articles)
        ahead = list(islice(pending, self.workers_pay_from))
        self.here = 0
        # This process takes one of the cores it could have used while reading ahead; a helper
        # goes on each other one (a core more than half free counts).
        helpers = 0
        if len(ahead) >= self.workers_pay_from and jobs > 1:
            free = self.free_cores(jobs) if self.free_cores is not None else sample.free_cores(jobs)  # type: ignore[union-attr]
            helpers = min(jobs - 1, int(free + 0.5) - 1)
        if helpers < 1:
            self.chosen = "local"
            for result in LocalEngine().run(chain(ahead, pending), options):
                self.here += 1
                yield result
            return
        self.chosen = "local+workers"
        yield from self._with_helpers(chain(ahead, pending), options, helpers)

    def _with_helpers(self, articles: Iterator[Article], options: ExtractOptions,
                      workers: int) -> Iterator[ArticleResult]:
        pool = self.helpers.start_pool(workers, options)
        # Done once a helper has run its initializer (loaded the model): until then every
        # chunk is extracted here and yielded at once.
        ready = pool.submit(_ready)
        upcoming = chunks(articles, self.chunk_articles)
        window: deque[_Chunk] = deque()
        max_in_flight = workers * IN_FLIGHT_PER_WORKER
        # Chunks this process may run ahead of a slow helper: bounded, so memory stays flat.
        max_window = max_in_flight + self.ahead_chunks
        exhausted = False
        try:
            while not ready.done():
                chunk = next(upcoming, None)
                if chunk is None:
                    return
                yield from self._results(_Chunk(chunk, None, self._here(chunk, options)))
            while True:
                while not exhausted and sum(c.done_here is None for c in window) < max_in_flight \
                        and len(window) < max_window:
                    chunk = next(upcoming, None)
                    if chunk is None:
                        exhausted = True
                        break
                    window.append(_Chunk(chunk, pool.submit(extract_chunk_in_worker, chunk, options)))
                if not window:
                    return
                head = window[0]
                if head.done_here is not None or (head.future is not None and head.future.done()):
                    window.popleft()
                    yield from self._results(head)
                    continue
                # The next result is not back: work here rather than wait. First a chunk no helper
                # has started (cancel() succeeds only for those), else the next chunk of the input.
                mine = next((c for c in window if c.done_here is None and c.future is not None
                             and c.future.cancel()), None)
                if mine is not None:
                    mine.done_here = self._here(mine.articles, options)
                    continue
                if not exhausted and len(window) < max_window:
                    chunk = next(upcoming, None)
                    if chunk is not None:
                        window.append(_Chunk(chunk, None, self._here(chunk, options)))
                        continue
                    exhausted = True
                if head.future is not None:
                    wait([head.future], return_when=FIRST_COMPLETED)
        finally:
            if not ready.done():
                _stop_loading(pool)
            # Also reached when the caller stops early: queued chunks are dropped, not extracted.
            pool.shutdown(wait=True, cancel_futures=True)

    def _here(self, articles: list[Article], options: ExtractOptions) -> Outcomes:
        # In batches, as the local engine (and so --jobs 1) extracts them.
        self.here += len(articles)
        return [(result.events, result.problem) for result in LocalEngine().run(articles, options)]

    @staticmethod
    def _results(chunk: _Chunk) -> Iterator[ArticleResult]:
        if chunk.done_here is not None:
            for article, (events, problem) in zip(chunk.articles, chunk.done_here):
                yield ArticleResult(article=article, events=events, problem=problem)
        elif chunk.future is not None:
            yield from results_of(chunk.articles, chunk.future)
