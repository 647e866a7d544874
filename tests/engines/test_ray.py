"""The `ray` engine on a local Ray instance: same results as `local`, in order; parts on disk read back."""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Iterator

import pytest

from parley.engines import get_engine
from parley.engines.parts import is_event_parts, read_event_parts, write_event_parts
from parley.engines.ray import RayEngine
from parley.errors import ConfigurationError, InputError, ParleyError
from parley.extract import fake
from parley.records import Article, Event
from parley.results import ArticleResult, ExtractOptions

ROOT = Path(__file__).parents[2]
PLUGIN = Path(__file__).parents[1] / "plugin"  # an out-of-package backend: echo.v1


# The fake backend that ships with parley (parley/extract/fake.py).
FAKE = ExtractOptions(extractor="fake.v1", engine="ray", jobs=2)


def made_up_articles(n: int) -> list[Article]:
    return [Article(id=f"a{i:03d}", text=f"Side {i} offered more. The other side said no. " * (1 + i % 3),
                    source="Invented Wire" if i % 2 else None)
            for i in range(n)]


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[object]:
    ray = pytest.importorskip("ray", reason='Ray is not installed: pip install "ray[data]"')
    # Workers import parley and this file by name, whether or not parley is installed.
    path = os.pathsep.join([str(ROOT / "src"), str(Path(__file__).parent), str(PLUGIN),
                            os.environ.get("PYTHONPATH", "")])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": path}})
    yield ray
    ray.shutdown()


def test_results_equal_local_engine_in_input_order(ray_instance: object, tmp_path: Path) -> None:
    articles = made_up_articles(45)
    local = list(get_engine("local").run(articles, FAKE))
    log = tmp_path / "loads.txt"
    engine = RayEngine(window_articles=30, batch_articles=4,
                       worker_setup=functools.partial(fake.log_loads_to, str(log)))
    on_ray = list(engine.run(iter(articles), FAKE))
    assert [r.article.id for r in on_ray] == [a.id for a in articles]
    assert on_ray == local
    assert os.getpid() not in {e.extra["pid"] for r in on_ray for e in r.events}
    # Two windows of at most two actors each, each actor loading the model once.
    assert len(log.read_text().split()) <= 2 * 2


def test_error_in_an_actor_is_a_parley_error(ray_instance: object) -> None:
    articles = made_up_articles(4) + [Article(id="bad", text="This will explode.")]
    engine = RayEngine()
    with pytest.raises(ParleyError, match="cannot read"):
        list(engine.run(articles, FAKE))


@pytest.mark.parametrize("backend", ["fake.v1", "echo.v1"])
def test_every_registered_backend_runs_on_ray(ray_instance: object, monkeypatch: pytest.MonkeyPatch,
                                              backend: str) -> None:
    monkeypatch.syspath_prepend(str(PLUGIN))  # echo.v1 installed here and on the cluster
    articles = [Article(id=f"r{i}", text=f"Side {i} offered more.\n\nThe other side said no.") for i in range(5)]
    options = ExtractOptions(extractor=backend, engine="ray", jobs=2)
    local = list(get_engine("local").run(articles, options))
    on_ray = list(RayEngine(batch_articles=2).run(articles, options))
    assert [[e.evidence for e in r.events] for r in on_ray] == [[e.evidence for e in r.events] for r in local]
    assert all(r.events for r in on_ray)
    assert os.getpid() not in {e.extra["pid"] for r in on_ray for e in r.events}


def test_registered_under_ray() -> None:
    assert get_engine("ray").name == "ray"


def test_parts_round_trip_in_order(tmp_path: Path) -> None:
    results = list(get_engine("local").run(made_up_articles(25), FAKE))
    for format in ("jsonl", "parquet"):
        if format == "parquet":
            pytest.importorskip("pyarrow", reason="pyarrow is not installed")
        out = tmp_path / format
        parts = write_event_parts(results, out, format=format, part_articles=10)  # type: ignore[arg-type]
        assert [p.name for p in parts] == [f"part-0000{i}.{format}" for i in range(3)]
        assert json.loads((out / "_parts.json").read_text())["articles"] == 25
        back = list(read_event_parts(out))
        assert [r.article for r in back] == [r.article for r in results]
        assert [r.as_dicts() for r in back] == [r.as_dicts() for r in results]


def test_articles_without_events_are_kept_in_parts(tmp_path: Path) -> None:
    silent = ArticleResult(article=Article(id="quiet", text="no full stop here"), events=())
    write_event_parts([silent], tmp_path, format="jsonl")
    assert list(read_event_parts(tmp_path)) == [silent]


def test_a_part_that_is_not_ours_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "part-00000.jsonl").write_text('{"something": "else"}\n')
    with pytest.raises(InputError, match="part-00000.jsonl"):
        list(read_event_parts(tmp_path))


def test_unknown_part_format_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="parquet or jsonl"):
        write_event_parts([], tmp_path, format="csv")  # type: ignore[arg-type]


@pytest.mark.slow
def test_shared_corpus_on_ray_equals_local(ray_instance: object, tmp_path: Path, shared: Path) -> None:
    from parley.pipeline import articles as read

    corpus = [shared / "corpus" / "sma-2020", shared / "corpus" / "dev-mixed.jsonl"]
    options = ExtractOptions(engine="ray", jobs=2)
    local = list(get_engine("local").run(read(corpus), options))
    on_ray = list(RayEngine().run(read(corpus), options))
    assert [r.as_dicts() for r in on_ray] == [r.as_dicts() for r in local]
    write_event_parts(on_ray, tmp_path)
    assert [r.as_dicts() for r in read_event_parts(tmp_path)] == [r.as_dicts() for r in local]


def test_parts_directories_are_recognised(tmp_path: Path) -> None:
    results = list(get_engine("local").run(made_up_articles(3), FAKE))
    write_event_parts(results, tmp_path / "out", format="jsonl")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.jsonl").write_text('{"text": "An article."}\n')
    assert is_event_parts(tmp_path / "out")
    assert not is_event_parts(tmp_path / "articles")
    assert not is_event_parts(tmp_path / "articles" / "a.jsonl")


def test_unresolved_dates_survive_the_parts(tmp_path: Path) -> None:
    from parley.records import DateSpan
    event = Event(article="u", type="meet", actor="USA", date=DateSpan(None, None, "on Tuesday"))
    result = ArticleResult(article=Article(id="u", text="They met on Tuesday."), events=(event,))
    write_event_parts([result], tmp_path, format="jsonl")
    assert [r.as_dicts() for r in read_event_parts(tmp_path)] == [result.as_dicts()]
    assert result.as_dicts()[0]["date_text"] == "on Tuesday"
