"""`parley demo`: the dispatches that ship with the package, end to end, in a folder of
its own; and the demo corpus travels inside the wheel."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.corpus.demo import demo_corpus
from parley.corpus.ingest import ingest
from parley.corpus.store import Store
from parley.corpus.timeline import timeline
from parley.results import ExtractOptions

ROOT = Path(__file__).resolve().parents[2]
# The demo works with whatever extractor is the default; the tests pin the rules, which
# need no trained weights on any branch.
EXTRACTOR = "rules.v1"


def test_the_demo_corpus_is_the_talks_and_a_wage_round_one_dispatch_undated() -> None:
    files = sorted(demo_corpus().glob("*.txt"))
    assert 5 <= len(files) <= 9
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert sum("Published:" not in t for t in texts) == 1
    assert sum("Eastmere" in t for t in texts) == 2


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """One demo run in an empty folder, keeping its store (--db) for the checks below."""
    folder = tmp_path_factory.mktemp("demo")
    db = tmp_path_factory.mktemp("store") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        done = CliRunner().invoke(main, ["demo", "--jobs", "1", "--extractor", EXTRACTOR, "--db", str(db)])
    assert done.exit_code == 0, done.output
    return folder, done.output, db


@pytest.mark.slow
def test_demo_prints_timeline_and_positions_and_writes_the_page(demo_run: tuple[Path, str, Path]) -> None:
    folder, output, _ = demo_run
    assert "Timeline" in output and "Positions (USD a year)" in output
    for round_ in (1, 6, 7):
        assert f"(round {round_})" in output
    assert "2019-09-24 – 2019-09-25" in output            # the first round's two days
    assert "$5 billion/year" in output and "$3.9 billion/year" in output
    assert "1.1752 trillion KRW" in output                # 13 percent over 1.04 trillion won
    assert "? (undated)" in output                         # the dispatch with no date
    assert "eastmere" in output
    assert "wrote parley-demo.html" in output
    page = (folder / "parley-demo.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "Eastmere" in page


@pytest.mark.slow
def test_demo_store_holds_each_story_in_its_own_thread(demo_run: tuple[Path, str, Path]) -> None:
    _, _, db = demo_run
    with Store(db) as store:
        entries = timeline(store)
        assert store.article_count() == len(list(demo_corpus().glob("*.txt")))
        evidence = [t for (t,) in store.db.execute("SELECT text FROM evidence")]
    rounds = {e.round: e for e in entries if e.type == "meet" and e.round}
    assert {1, 6, 7} <= set(rounds)
    assert {rounds[n].thread for n in (1, 6, 7)} == {"kor-usa"}
    assert str(rounds[1].date.start) == "2019-09-24"
    wage = {e.thread for e in entries if "eastmere" in (e.thread or "")}
    assert wage and "kor-usa" not in wage
    # Quotes are sentences of the body: the outlet, headline and buttons stay out.
    assert evidence and not [t for t in evidence if "Demo Wire\n" in t or "Published:" in t
                             or "Share this article" in t or "Harbour Ledger\n" in t]


@pytest.mark.slow
def test_demo_without_db_leaves_only_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["demo", "--jobs", "1", "--extractor", EXTRACTOR])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parley-demo.html"]


def test_demo_with_an_unknown_extractor_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["demo", "--extractor", "nonesuch.v9"])
    assert done.exit_code == 2 and "nonesuch.v9" in done.output
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_the_wheel_carries_the_demo_corpus(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("parley-*.whl")
    shipped = {Path(n).name for n in zipfile.ZipFile(wheel).namelist() if "/resources/demo/" in n}
    assert shipped == {p.name for p in demo_corpus().glob("*.txt")}


def _recipe(makefile: str, target: str) -> tuple[list[str], str]:
    """The prerequisites and recipe of one make rule."""
    match = re.search(rf"(?m)^{re.escape(target)}:([^\n]*)\n((?:\t[^\n]*\n)*)", makefile)
    assert match, f"no rule for {target}"
    return match.group(1).split(), match.group(2)


def test_make_demo_installs_without_the_dev_extras_and_make_test_with_them() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (demo_stamp, *_), demo_recipe = _recipe(makefile, "demo")
    assert "parley demo" in demo_recipe
    _, install = _recipe(makefile, demo_stamp)
    assert "pip install" in install and "[dev]" not in install
    (test_stamp, *_), _ = _recipe(makefile, "test")
    assert test_stamp != demo_stamp and "[dev]" in _recipe(makefile, test_stamp)[1]


@pytest.mark.slow
def test_the_demo_talks_are_one_thread_with_the_default_extractor(tmp_path: Path) -> None:
    # One negotiation, one thread: the dispatches about the 13% rise are not a subject of their own.
    with Store(tmp_path / "d.db") as store:
        ingest(store, [demo_corpus()], ExtractOptions(jobs=1))
        entries = timeline(store)
    assert {e.thread for e in entries if e.parties and set(e.parties) <= {"KOR", "USA"}} == {"kor-usa"}
