"""--jobs is bounded by the cores, worker processes end with their parent, and flag combinations
that cannot mean anything are usage errors (exit 2)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.engines.processes import available_cores

import invented_texts  # tests/invented_texts.py, on pytest's pythonpath
from test_store import FAKE, SRC, STORY, register_fake, write_jsonl


@pytest.mark.parametrize("args, message", [
    (["--jobs", "-1"], "not in the range"),
    (["--address", "auto"], "--address names a Ray cluster"),
    (["--engine", "local", "--jobs", "4"], "--engine local runs in this process"),
    (["--extractor", "no.such.v1"], "unknown extractor"),
])
@pytest.mark.parametrize("command", ["extract", "show", "ingest"])
def test_usage_errors_exit_2(tmp_path: Path, command: str, args: list[str], message: str) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", STORY)
    extra = ["--db", str(tmp_path / "p.db")] if command == "ingest" else []
    done = CliRunner().invoke(main, [command, *extra, *args, str(corpus)])
    assert done.exit_code == 2, done.output
    assert message in done.output and "Traceback" not in done.output


def test_jobs_past_the_cores_are_cut_to_the_cores_with_a_warning(tmp_path: Path) -> None:
    register_fake()
    corpus = write_jsonl(tmp_path / "c.jsonl", STORY)
    seen: list[int] = []
    from parley.cli import support as cli_support
    real = cli_support.options_from_flags

    def spy(extractor: str, jobs: int, engine: str | None, address: str | None):  # type: ignore[no-untyped-def]
        seen.append(jobs)
        return real(extractor, 1, "local", address)  # the fake extractor lives in this process
    try:
        cli_support.options_from_flags = spy  # type: ignore[assignment]
        import parley.cli as cli
        cli.options_from_flags = spy  # type: ignore[assignment]
        done = CliRunner().invoke(main, ["extract", "--extractor", FAKE, "--jobs", "1000", str(corpus)])
        forced = CliRunner().invoke(main, ["extract", "--extractor", FAKE, "--jobs", "1000", "--force-jobs",
                                           str(corpus)])
    finally:
        cli_support.options_from_flags = real  # type: ignore[assignment]
        cli.options_from_flags = real  # type: ignore[assignment]
    assert done.exit_code == 0 and forced.exit_code == 0, done.output + forced.output
    assert seen == [available_cores(), 1000]
    assert f"using {available_cores()}" in done.output and "--force-jobs" in done.output
    assert "1000 workers" in forced.output


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


SENTENCES = ["The ferry union offered the harbour board a {n} percent pay rise on Monday.",
             "The harbour board rejected the offer on Tuesday.",
             "Both sides met for a third round of talks at the town hall."]


def long_prose(size: int, seed: int) -> str:
    return invented_texts.long_prose(size, seed, SENTENCES)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    articles = tmp_path / "in"
    articles.mkdir()
    for n in range(8):  # two chunks of four articles: two workers
        (articles / f"a{n}.txt").write_text(long_prose(100_000, seed=n), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    parent = subprocess.Popen([sys.executable, "-m", "parley", "extract", "--jobs", "2", "--force-jobs",
                               str(articles), "-o", str(tmp_path / "out.jsonl")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        # The forkserver and the workers, each busy with long articles.
        while time.monotonic() < deadline and len(workers) < 3 and parent.poll() is None:
            workers = {p for p in descendants(parent.pid)
                       if "resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")}
            time.sleep(0.2)
        time.sleep(3)  # the workers load the model and start extracting
        assert parent.poll() is None and len(workers) >= 3, \
            f"extraction ended before the test could kill it: {workers} {parent.poll()}"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(p) for p in workers):
            time.sleep(0.2)
        assert not any(alive(p) for p in workers), "worker processes outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in workers:  # only the processes this test started
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
