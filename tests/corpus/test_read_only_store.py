"""The read commands work on a store in a folder they cannot write (a shared, read-only copy)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from test_store import FAKE, STORY, register_fake, write_jsonl


def lock(folder: Path) -> None:
    """Make `folder` unwritable, for root too (root ignores file modes; not the immutable flag)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)],
                                                       capture_output=True).returncode != 0:
        pytest.skip("running as root where the immutable flag cannot be set: no folder is read-only")


def unlock(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    else:
        folder.chmod(0o755)


@pytest.fixture()
def read_only_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    register_fake()
    folder = tmp_path / "read-only"
    folder.mkdir()
    db = folder / "p.db"
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE,
                                     str(write_jsonl(tmp_path / "c.jsonl", STORY))])
    assert done.exit_code == 0, done.output
    lock(folder)
    try:
        with pytest.raises(OSError):
            (folder / "probe").write_text("x")
        yield db
    finally:
        unlock(folder)


@pytest.mark.parametrize("command", [["timeline"], ["threads"], ["positions"], ["discrepancies"],
                                     ["search", "Freedonia"], ["export", "--format", "csv"]])
def test_read_commands_work_in_a_read_only_folder(read_only_store: Path, command: list[str]) -> None:
    done = CliRunner().invoke(main, [*command, "--db", str(read_only_store)])
    assert done.exit_code == 0, done.output
    assert "not a usable" not in done.output and "error" not in done.output


def test_ingest_into_a_read_only_folder_is_one_line(read_only_store: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(read_only_store), "--extractor", FAKE,
                                     str(write_jsonl(tmp_path / "d.jsonl", STORY))])
    assert done.exit_code == 1
    assert done.output.startswith("parley: error:") and done.output.count("\n") == 1, done.output
