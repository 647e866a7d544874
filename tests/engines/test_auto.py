"""The `auto` engine (no --jobs): in this process for a small input, worker processes for a large one."""
from __future__ import annotations

import functools
import os
import time
from typing import Iterator

from parley.engines import get_engine
from parley.engines.auto import WORKERS_PAY_FROM, AutoEngine, CpuSample, idle_cores
from parley.engines.processes import ProcessEngine, available_cores, engine_for_jobs
from parley.records import Article
from parley.results import ExtractOptions

OPTIONS = ExtractOptions(extractor="fake.v1", engine="auto", jobs=2)


def idle(jobs: int) -> float:
    return float(jobs)  # tests must not depend on what else the machine runs


def busy(jobs: int) -> float:
    return 0.4


def made_up_articles(n: int) -> list[Article]:
    return [Article(id=f"a{i:03d}", text=f"Side {i} offered more. The other side said no.") for i in range(n)]


def pids(results: list) -> set[int]:  # type: ignore[type-arg]
    return {e.extra["pid"] for r in results for e in r.events}


def test_no_jobs_means_auto_and_explicit_jobs_are_kept() -> None:
    assert engine_for_jobs(0) == engine_for_jobs(None) == ("auto" if available_cores() > 1 else "local")
    assert engine_for_jobs(1) == "local" and engine_for_jobs(2) == "processes"
    assert engine_for_jobs(0, "processes") == "processes"
    assert get_engine("auto").name == "auto"


def test_a_small_input_stays_in_this_process() -> None:
    engine = AutoEngine(workers_pay_from=10, free_cores=idle)
    articles = made_up_articles(9)
    results = list(engine.run(iter(articles), OPTIONS))
    assert engine.chosen == "local" and pids(results) == {os.getpid()}
    assert results == list(get_engine("local").run(articles, OPTIONS))


def test_a_large_input_adds_workers_and_keeps_input_order() -> None:
    # Lingering articles (0.1 s each) leave the helper time to start even under load; a short
    # run-ahead makes this process hand chunks to it.
    engine = AutoEngine(workers_pay_from=10, ahead_chunks=1, free_cores=idle)
    articles = [Article(id=a.id, text=a.text + " Both sides linger.") for a in made_up_articles(41)]
    results = list(engine.run(iter(articles), OPTIONS))
    assert engine.chosen == "local+workers"
    assert [r.article.id for r in results] == [a.id for a in articles]
    assert results == list(get_engine("local").run(articles, OPTIONS))
    assert os.getpid() in pids(results) and len(pids(results)) == 2  # this process and one helper
    assert 0 < engine.here < len(articles)


def test_this_process_extracts_while_the_helpers_load_and_does_not_wait_for_them() -> None:
    # A helper that takes 30 s to start: every result comes from this process, and the run
    # ends without waiting for the helper (it is stopped).
    engine = AutoEngine(workers_pay_from=5, ahead_chunks=4, free_cores=idle,
                        helpers=ProcessEngine(worker_setup=functools.partial(time.sleep, 30)))
    started = time.monotonic()
    results = list(engine.run(made_up_articles(40), OPTIONS))
    assert time.monotonic() - started < 20
    assert pids(results) == {os.getpid()} and engine.chosen == "local+workers"
    assert [r.article.id for r in results] == [a.id for a in made_up_articles(40)]


def test_it_reads_no_more_than_the_threshold_ahead_before_deciding() -> None:
    pulled = 0

    def stream() -> Iterator[Article]:
        nonlocal pulled
        for article in made_up_articles(5):
            pulled += 1
            yield article

    engine = AutoEngine(workers_pay_from=WORKERS_PAY_FROM, free_cores=idle)
    first = next(engine.run(stream(), OPTIONS))
    assert first.article.id == "a000" and pulled == 5 and engine.chosen == "local"


def test_one_job_is_always_local() -> None:
    engine = AutoEngine(jobs=1, workers_pay_from=2, free_cores=idle)
    assert pids(list(engine.run(made_up_articles(6), OPTIONS))) == {os.getpid()}
    assert engine.chosen == "local"


def test_no_helper_when_no_core_is_free() -> None:
    engine = AutoEngine(workers_pay_from=10, free_cores=busy)
    articles = made_up_articles(30)
    results = list(engine.run(iter(articles), OPTIONS))
    assert engine.chosen == "local" and pids(results) == {os.getpid()} and engine.here == 30
    assert results == list(get_engine("local").run(articles, OPTIONS))


def test_idle_cores_are_at_most_the_jobs() -> None:
    assert 0.0 <= idle_cores(2) <= 2.0 and idle_cores(1) <= 1.0


def test_a_cpu_sample_counts_this_process_own_use_as_free() -> None:
    sample = CpuSample()
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # this process busy: its own core is still its to use
        pass
    free = sample.free_cores(available_cores())
    assert 0.0 <= free <= available_cores()
    if sample.ticks is not None:
        assert free >= 0.5
