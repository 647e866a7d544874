"""CSV / TSV exports and Parquet: one article per row, columns as the JSONL fields."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import sys
import tracemalloc
from pathlib import Path

import pytest

from parley.reading.readers import read_articles
from parley.records import Article, Problem

ROWS = [
    {"id": "r1", "title": "Nurses reject pay offer", "published": "2023-02-01", "source": "Lowland Post",
     "url": "https://post.example/nurses", "author": "Kai Mendel", "desk": "health",
     "text": "Nurses rejected the health board's pay offer on Wednesday.\n\nTheir union said talks would go on."},
    {"id": "", "title": "", "published": "", "source": "", "url": "https://post.example/rail", "author": "",
     "desk": "", "text": "Rail staff and the operator met on Thursday, both sides said."},
]


def split(items: list[Article | Problem]) -> tuple[list[Article], list[Problem]]:
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)])


def write_table(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.mark.parametrize("name,delimiter", [("export.csv", ","), ("export.tsv", "\t"),
                                            ("export.csv", ";"), ("export.csv.gz", ",")])
def test_csv_rows_are_articles_with_their_fields(tmp_path: Path, name: str, delimiter: str) -> None:
    f = write_table(tmp_path / name, ROWS, delimiter)
    (nurses, rail), problems = split(list(read_articles([f])))
    assert problems == []
    assert nurses.id == "r1" and nurses.title == "Nurses reject pay offer"
    assert nurses.text == ROWS[0]["text"], "a quoted multi-line cell is kept exactly"
    assert nurses.published == dt.datetime(2023, 2, 1) and nurses.author == "Kai Mendel"
    assert nurses.source == "Lowland Post" and nurses.metadata["desk"] == "health"
    assert nurses.line == 2 and rail.line == 5, "a row's line is where it starts"
    assert rail.id == "https://post.example/rail" and rail.title is None


def test_bad_rows_are_problems_with_line_numbers_and_the_rest_is_read(tmp_path: Path) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text("id,text,published\n"
                 "a,Talks resumed on Monday.,2023-01-02\n"
                 "b,Talks stalled.,next Tuesday\n"
                 "c,,2023-01-03\n"
                 f"d,{'Talks went on. ' * 200},\n"
                 "e,The sides agreed on Friday.,\n", encoding="utf-8")
    articles, problems = split(list(read_articles([f], max_bytes=1000)))
    assert [a.id for a in articles] == ["a", "e"]
    assert [p.line for p in problems] == [3, 4, 5]
    assert "`published`" in problems[0].reason and "`text`" in problems[1].reason
    assert "over the limit" in problems[2].reason


def test_a_long_article_in_a_cell_is_read(tmp_path: Path) -> None:
    text = "The two delegations met again and again to discuss the terms. " * 4000  # past csv's 128 KiB
    f = write_table(tmp_path / "long.csv", [{"id": "long", "text": text}])
    (article,), problems = split(list(read_articles([f])))
    assert problems == [] and article.text == text


def test_a_table_without_a_text_column_is_one_problem(tmp_path: Path) -> None:
    f = write_table(tmp_path / "wrong.csv", [{"name": "x", "value": "1"}, {"name": "y", "value": "2"}])
    (problem,) = list(read_articles([f]))
    assert isinstance(problem, Problem) and "no `text` or `html` column" in problem.reason
    assert "name" in problem.reason


def test_an_undecodable_row_is_skipped_and_the_rest_is_read(tmp_path: Path) -> None:
    f = tmp_path / "latin.csv"
    f.write_bytes(b"id,text\nok,Talks resumed on Monday.\nx,caf\xe9 owners met\nok2,Talks ended.\n")
    articles, problems = split(list(read_articles([f])))
    assert [a.id for a in articles] == ["ok", "ok2"]
    (problem,) = problems
    assert problem.line == 3 and "not UTF-8" in problem.reason and "0xe9" in problem.reason


def test_csv_is_streamed_row_by_row(tmp_path: Path) -> None:
    f = tmp_path / "many.csv"
    with f.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "notes"])
        for i in range(400):
            writer.writerow([f"n{i}", "The two sides met again on Friday.", "x" * 20_000])
    tracemalloc.start()
    try:
        count = sum(isinstance(item, Article) for item in read_articles([f]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 400
    assert peak < f.stat().st_size / 4, f"peak {peak} bytes: the file was held in memory"


# --- Parquet ---------------------------------------------------------------


def write_parquet(path: Path, rows: list[dict[str, object]], row_group_size: int = 2) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def test_parquet_rows_are_articles(tmp_path: Path) -> None:
    rows = [{"id": i, "text": f"Round {i} of the talks ended without a deal, officials said.",
             "published": dt.datetime(2023, 3, i + 1, 8, 0, tzinfo=dt.timezone.utc),
             "author": ["Ana Pol", "Ben Ruiz"] if i == 0 else None, "desk": "labour"} for i in range(5)]
    f = write_parquet(tmp_path / "export.parquet", rows)
    articles, problems = split(list(read_articles([f])))
    assert problems == []
    assert [a.id for a in articles] == ["0", "1", "2", "3", "4"]
    assert [a.line for a in articles] == [1, 2, 3, 4, 5]
    assert articles[0].author == "Ana Pol and Ben Ruiz"
    assert articles[2].published == dt.datetime(2023, 3, 3, 8, 0, tzinfo=dt.timezone.utc)
    assert articles[4].metadata["desk"] == "labour"


def test_parquet_row_problems_and_a_parquet_under_another_name(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": "Talks resumed."}, {"id": "b", "text": ""}, {"id": "c", "text": "x " * 2000},
            {"id": "d", "text": "The sides agreed on Friday."}]
    f = write_parquet(tmp_path / "export.csv", rows)
    articles, problems = split(list(read_articles([f], max_bytes=1000)))
    assert [a.id for a in articles] == ["a", "d"]
    assert [p.line for p in problems] == [2, 3]


def test_corrupt_parquet_and_missing_pyarrow_are_clear_problems(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1" + b"\x00garbage" * 50)
    (problem,) = list(read_articles([corrupt]))
    assert isinstance(problem, Problem) and "not a readable Parquet file" in problem.reason
    good = write_parquet(tmp_path / "good.parquet", [{"id": "a", "text": "Talks resumed."}])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    (problem,) = list(read_articles([good]))
    assert isinstance(problem, Problem) and "parley[parquet]" in problem.reason
