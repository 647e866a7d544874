"""The `processes` engine: same results as `local`, in order, streaming, model loaded once per worker."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Iterator

import pytest

from parley.engines import get_engine
from parley.errors import ConfigurationError, ModelError, ParleyError
from parley.extract import fake, registry
from parley.records import Article
from parley.results import ExtractOptions
from parley.engines.processes import ProcessEngine, engine_for_jobs, resolve_jobs, available_cores



# The fake backend that ships with parley (parley/extract/fake.py): one statement
# per sentence, tagged with the process id; "explode" and "vanish" make trouble.
registry.register("fake-broken.v1", "parley.extract.fake:broken")


FAKE = ExtractOptions(extractor="fake.v1", engine="processes", jobs=2)


def made_up_articles(n: int) -> list[Article]:
    return [Article(id=f"a{i:03d}", text=f"Side {i} offered more. The other side said no. " * (1 + i % 3))
            for i in range(n)]


def test_results_equal_local_engine_and_keep_input_order() -> None:
    articles = made_up_articles(37)
    local = list(get_engine("local").run(articles, FAKE))
    engine = ProcessEngine(jobs=2, chunk_articles=3)
    in_workers = list(engine.run(iter(articles), FAKE))
    assert [r.article.id for r in in_workers] == [a.id for a in articles]
    assert in_workers == local
    # The work really ran elsewhere, in more than one process.
    pids = {e.extra["pid"] for r in in_workers for e in r.events}
    assert os.getpid() not in pids and len(pids) == 2


def test_model_loaded_once_per_worker(tmp_path: Path) -> None:
    log = tmp_path / "loads.txt"
    engine = ProcessEngine(jobs=2, chunk_articles=2,
                           worker_setup=functools.partial(fake.log_loads_to, str(log)))
    results = list(engine.run(made_up_articles(40), FAKE))
    loads = log.read_text().split()
    assert len(loads) == 2 and len(set(loads)) == 2
    assert {str(e.extra["pid"]) for r in results for e in r.events} <= set(loads)


def test_reads_input_lazily_with_a_bounded_window() -> None:
    pulled = 0

    def stream() -> Iterator[Article]:
        nonlocal pulled
        for article in made_up_articles(500):
            pulled += 1
            yield article

    engine = ProcessEngine(jobs=2, chunk_articles=2)
    results = engine.run(stream(), FAKE)
    first = next(results)
    assert first.article.id == "a000"
    # 2 workers x 3 chunks x 2 articles in flight, plus the chunk being formed.
    assert pulled <= 2 * 3 * 2 + 2
    results.close()  # stopping early must not hang or extract the rest
    assert pulled < 500


def test_model_that_fails_to_load_is_a_parley_error_not_a_broken_pool() -> None:
    engine = ProcessEngine(jobs=2)
    with pytest.raises(ModelError, match="make setup"):
        list(engine.run(made_up_articles(5), ExtractOptions(extractor="fake-broken.v1")))


def test_error_in_one_article_reaches_the_caller() -> None:
    articles = made_up_articles(6) + [Article(id="bad", text="This will explode.")]
    engine = ProcessEngine(jobs=2)
    with pytest.raises(ParleyError, match="cannot read"):
        list(engine.run(articles, FAKE))


def test_a_worker_that_dies_is_a_parley_error_not_a_hang() -> None:
    articles = made_up_articles(3) + [Article(id="gone", text="This worker will vanish.")]
    with pytest.raises(ParleyError, match="worker process died"):
        list(ProcessEngine(jobs=2).run(articles, FAKE))


def test_no_articles_no_results() -> None:
    assert list(ProcessEngine(jobs=2).run([], FAKE)) == []


def test_registered_under_processes() -> None:
    assert get_engine("processes").name == "processes"


def test_jobs_default_to_all_cores_and_one_job_runs_in_process() -> None:
    assert resolve_jobs(None) == resolve_jobs(0) == available_cores()
    assert resolve_jobs(3) == 3
    assert engine_for_jobs(1) == "local"
    assert engine_for_jobs(2) == "processes"
    assert engine_for_jobs(1, "ray") == "ray"


@pytest.mark.slow
def test_shared_corpus_equals_local_engine_with_the_real_extractor(shared: Path) -> None:
    from parley.pipeline import articles as read

    corpus = [shared / "corpus" / "sma-2020", shared / "corpus" / "dev-mixed.jsonl"]
    options = ExtractOptions(engine="processes", jobs=2)
    local = list(get_engine("local").run(read(corpus), options))
    in_workers = list(ProcessEngine(jobs=2).run(read(corpus), options))
    assert [r.as_dicts() for r in in_workers] == [r.as_dicts() for r in local]
    assert len(in_workers) == 17


# ---------------------------------------------------------------- progress bar

def test_progress_is_silent_when_stderr_is_not_a_terminal() -> None:
    import io

    from parley.cli.progress import progress_enabled, track
    pipe = io.StringIO()
    assert not progress_enabled(pipe)
    assert list(track(iter(range(5)), total=5, stream=pipe)) == [0, 1, 2, 3, 4]
    assert pipe.getvalue() == ""


def test_progress_bar_shows_rate_and_eta_on_a_terminal() -> None:
    import io

    from parley.cli.progress import track
    screen = io.StringIO()
    seen = list(track(iter(range(12)), total=10, stream=screen, enabled=True))
    assert seen == list(range(12))  # an underestimated total never drops items
    drawn = screen.getvalue()
    assert "articles/s" in drawn and "ETA" in drawn and "12/12" in drawn


def test_count_articles_counts_files_and_jsonl_lines(tmp_path: Path) -> None:
    import gzip

    from parley.cli.progress import count_articles
    (tmp_path / "one.txt").write_text("An article.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "many.jsonl").write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n')
    with gzip.open(tmp_path / "sub" / "more.jsonl.gz", "wt") as packed:
        packed.write('{"text": "d"}\n{"text": "e"}\n')
    (tmp_path / ".hidden").write_text("not an article")
    assert count_articles([tmp_path]) == 1 + 3 + 2
    assert count_articles([tmp_path / "one.txt", tmp_path / "one.txt"]) == 2
    assert count_articles([]) is None


def test_extract_with_progress_runs_the_named_engine_quietly_off_terminal(tmp_path: Path) -> None:
    import io

    from parley.cli.progress import extract_with_progress
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Side {i} offered more. The other side said no.\n")
    pipe = io.StringIO()
    results = list(extract_with_progress([tmp_path], ExtractOptions(extractor="fake.v1", engine="processes",
                                                                    jobs=2), stream=pipe))
    assert all(len(r.events) == 2 for r in results)
    assert sorted(r.article.id for r in results) == [f"{i}.txt" for i in range(5)]
    assert pipe.getvalue() == ""


def test_extractor_from_a_module_workers_cannot_import_is_a_configuration_error() -> None:
    registry.register("ghost.v1", "no_such_parley_plugin:Ghost")
    try:
        with pytest.raises(ConfigurationError, match="no_such_parley_plugin"):
            list(ProcessEngine(jobs=1).run(made_up_articles(2), ExtractOptions(extractor="ghost.v1")))
    finally:
        registry.unregister("ghost.v1")


def test_unknown_extractor_fails_before_any_worker_starts() -> None:
    with pytest.raises(ConfigurationError, match="unknown extractor 'llm.v1'.*rules.v1"):
        list(ProcessEngine(jobs=2).run(made_up_articles(2), ExtractOptions(extractor="llm.v1")))
