"""Files that cannot be read or written are one line each, never a usage error or a traceback."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from test_store import FAKE, STORY, register_fake, write_jsonl


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    register_fake()
    db = tmp_path / "c.db"
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE,
                                     str(write_jsonl(tmp_path / "c.jsonl", STORY))])
    assert done.exit_code == 0, done.output
    return db


def one_line_error(done, *names: str) -> None:  # type: ignore[no-untyped-def]
    assert done.exit_code == 1, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), repr(done.exception)
    lines = [line for line in done.output.splitlines() if line.startswith("parley: error:")]
    assert len(lines) == 1 and all(name in lines[0] for name in names), done.output
    assert "Traceback" not in done.output


@pytest.mark.parametrize("command", [["report", "-o"], ["export", "--format", "csv", "-o"],
                                     ["export", "--format", "jsonl", "-o"]])
def test_output_into_a_missing_folder_is_one_line(store: Path, tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "nonexistent" / "dir" / "out.file"
    done = CliRunner().invoke(main, [*command, str(target), "--db", str(store)])
    one_line_error(done, "cannot write", str(target))
    assert not target.parent.exists()


def test_extract_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    register_fake()
    target = tmp_path / "nonexistent" / "out.jsonl"
    done = CliRunner().invoke(main, ["extract", "--jobs", "1", "--extractor", FAKE, "-o", str(target),
                                     str(write_jsonl(tmp_path / "c.jsonl", STORY))])
    one_line_error(done, "cannot write", str(target))


def test_an_unreadable_file_named_on_the_command_line_is_one_problem(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    register_fake()
    good = write_jsonl(tmp_path / "c.jsonl", STORY)
    locked = write_jsonl(tmp_path / "locked.jsonl", STORY[:1])
    locked.chmod(0)
    if os.geteuid() == 0:
        # root reads every file: make this one unreadable to root too, for the checks and the reader.
        real_access, real_open = os.access, Path.open
        monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if Path(p) == locked
                            else real_access(p, mode, *a, **k))

        def refuse(self: Path, *a, **k):  # type: ignore[no-untyped-def]
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *a, **k)
        monkeypatch.setattr(Path, "open", refuse)
    try:
        done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(tmp_path / "p.db"),
                                         "--extractor", FAKE, str(locked), str(good)])
    finally:
        locked.chmod(0o644)
    assert done.exit_code == 1, done.output
    assert "3 added" in done.output
    assert f"skipped: {locked}: cannot read" in done.output
