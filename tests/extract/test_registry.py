"""The extractor seam: backends found by name (built-ins by module path, others by entry
point), and every engine and the CLI running a second in-package backend (`fake.v1`) and
one from outside the package (`echo.v1`, tests/plugin/) without knowing either."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley import Article, ConfigurationError, ExtractOptions, extract_articles
from parley.cli import main
from parley.engines.processes import ProcessEngine
from parley.extract import registry

PLUGIN = Path(__file__).parents[1] / "plugin"

ARTICLES = [Article(id=f"p{i}", text=f"Side {i} offered more.\n\nThe other side said no. Talks went on.")
            for i in range(6)]


@pytest.fixture()
def plugin_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if `pip install parley-echo-plugin` had run: its dist-info is on the path."""
    monkeypatch.syspath_prepend(str(PLUGIN))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(PLUGIN), os.environ.get("PYTHONPATH", "")]))


def test_built_ins_are_named_by_module_path_and_not_imported_to_be_listed() -> None:
    probe = ("import sys; from parley.extract import registry; names = registry.available(); "
             "print(names, 'parley.extract.rules' in sys.modules, 'spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    names, rules_imported, spacy_imported = done.stdout.rsplit(" ", 2)
    assert "'rules.v1'" in names and "'fake.v1'" in names
    assert (rules_imported, spacy_imported.strip()) == ("False", "False")


def test_unknown_extractor_lists_what_is_available() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown extractor 'llm\.v1'; available: .*rules\.v1"):
        registry.get_extractor("llm.v1")


def test_a_target_that_is_not_module_and_attribute_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="module:attribute"):
        registry.register("odd.v1", "no_colon_here")


def test_entry_point_backend_is_found_without_being_imported(plugin_installed: None) -> None:
    assert "echo.v1" in registry.available()
    assert registry.target_of("echo.v1") == "parley_echo_plugin:EchoExtractor"
    (result,) = extract_articles([ARTICLES[0]], ExtractOptions(extractor="echo.v1"))
    assert [e.evidence[0].text for e in result.events] == ["Side 0 offered more.",
                                                          "The other side said no. Talks went on."]


def test_an_installed_package_cannot_take_over_a_built_in_name(plugin_installed: None) -> None:
    assert registry.target_of("rules.v1") == "parley.extract.rules:RuleExtractor"


@pytest.mark.parametrize("backend, per_article", [("fake.v1", 3), ("echo.v1", 2)])
def test_every_backend_runs_in_worker_processes_as_in_process(plugin_installed: None, backend: str,
                                                              per_article: int) -> None:
    options = ExtractOptions(extractor=backend, engine="processes", jobs=2)
    local = list(extract_articles(ARTICLES, ExtractOptions(extractor=backend)))
    in_workers = list(ProcessEngine(jobs=2, chunk_articles=2).run(ARTICLES, options))
    assert [r.as_dicts() for r in in_workers] != [] and all(len(r.events) == per_article for r in local)
    # Same events, except where they were made.
    assert [[e.evidence for e in r.events] for r in in_workers] == [[e.evidence for e in r.events] for r in local]
    assert os.getpid() not in {e.extra["pid"] for r in in_workers for e in r.events}


def test_a_backend_registered_at_run_time_reaches_the_workers() -> None:
    # The registry hands workers the target, not a module the parent happened to import.
    registry.register("again.v1", "parley.extract.fake:FakeExtractor")
    try:
        results = list(ProcessEngine(jobs=2).run(ARTICLES[:3], ExtractOptions(extractor="again.v1")))
    finally:
        registry.unregister("again.v1")
    assert [len(r.events) for r in results] == [3, 3, 3]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("backend", ["fake.v1", "echo.v1"])
def test_the_cli_runs_any_registered_backend(plugin_installed: None, tmp_path: Path, backend: str,
                                             jobs: str) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in ARTICLES[:3]))
    done = CliRunner().invoke(main, ["extract", "--jobs", jobs, "--extractor", backend, str(corpus)])
    assert done.exit_code == 0, done.output
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert {e["article"] for e in events} == {"p0", "p1", "p2"}
    assert len(events) == 3 * (3 if backend == "fake.v1" else 2)


def test_the_cli_names_an_unknown_extractor_as_a_usage_error() -> None:
    done = CliRunner().invoke(main, ["extract", "--extractor", "llm.v1", "nowhere.txt"])
    assert done.exit_code == 2
    assert "unknown extractor 'llm.v1'" in done.output and "rules.v1" in done.output
    assert "Traceback" not in done.output
