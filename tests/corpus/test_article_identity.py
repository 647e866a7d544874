"""Two different articles in files of the same name never replace each other in the store."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from parley.cli import main
from test_store import FAKE, register_fake

FIRST = "Freedonia offered Sylvania $5 million a year on 2020-03-02.\n"
SECOND = "Sylvania rejected the offer of Freedonia on 2020-03-04.\n"


def ingest(db: Path, *paths: Path) -> str:
    register_fake()
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE,
                                     *map(str, paths)])
    assert done.exit_code == 0, done.output
    return done.output


def stored(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT id, text FROM articles"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_of_the_same_name_elsewhere_is_added_not_updated(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    mine = write(tmp_path / "mine" / "bid_1.txt", FIRST)
    other = write(tmp_path / "other" / "bid_1.txt", SECOND)
    ingest(db, mine)
    assert "1 added, 0 updated" in ingest(db, other)
    assert stored(db) == {"bid_1.txt": FIRST, "other/bid_1.txt": SECOND}
    # Re-ingesting either (or both) is still a no-op...
    assert "0 added, 0 updated, 2 unchanged" in ingest(db, mine, other)
    # ...and editing a file still updates its own article, under the id it was given.
    write(other, SECOND + "Freedonia met Sylvania on 2020-03-09.\n")
    assert "0 added, 1 updated" in ingest(db, other)
    assert stored(db)["bid_1.txt"] == FIRST
    write(mine, FIRST + "Genovia demanded talks.\n")
    assert "0 added, 1 updated" in ingest(db, mine)
    assert stored(db)["other/bid_1.txt"].startswith(SECOND)


def test_two_files_of_one_name_in_one_run_are_both_kept(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    write(tmp_path / "in" / "a" / "bid.txt", FIRST)
    write(tmp_path / "in" / "b" / "bid.txt", SECOND)
    assert "2 added" in ingest(db, tmp_path / "in")
    assert stored(db) == {"bid.txt": FIRST, "b/bid.txt": SECOND}
    assert "2 unchanged" in ingest(db, tmp_path / "in")
