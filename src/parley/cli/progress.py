"""The command line's progress bar for long runs: articles per second and time left, on a terminal only.

    for result in track(extract(paths, options), total=count_articles(paths)):
        ...

When standard error is not a terminal (a pipe, a log file, CI) nothing is
drawn, so logs stay clean; the items pass through unchanged either way.
"""
from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, TypeVar

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, Task,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

from parley.pipeline import extract
from parley.records import Problem
from parley.results import ArticleResult, ExtractOptions

T = TypeVar("T")

_JSONL = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def progress_enabled(stream: IO[str] | None = None) -> bool:
    """True when a bar would be seen: `stream` (default stderr) is a terminal that draws."""
    stream = stream if stream is not None else sys.stderr
    try:
        is_terminal = stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real file
        return False
    return is_terminal and os.environ.get("TERM") != "dumb"


def count_articles(paths: Iterable[str | Path]) -> int | None:
    """About how many articles `paths` hold, cheaply, for the bar's ETA.

    One per file, one per non-empty line of a JSONL file; files that cannot
    be read count as one (the reader will report them). None when there are
    no paths. An estimate: the reader decides what is really an article.
    """
    total, seen = 0, False
    for path in map(Path, paths):
        seen = True
        files = (p for p in sorted(path.rglob("*")) if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.name.startswith("."):
                continue
            total += _articles_in(file)
    return total if seen else None


def _articles_in(file: Path) -> int:
    name = file.name.lower()
    if not name.endswith(_JSONL):
        return 1
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(file, "rb") as lines:
            return sum(1 for line in lines if line.strip())
    except (OSError, EOFError):
        return 1


def track(items: Iterable[T], total: int | None = None, description: str = "extracting",
          stream: IO[str] | None = None, enabled: bool | None = None) -> Iterator[T]:
    """Yield `items` unchanged, drawing a bar with articles/s and ETA while they come.

    `enabled` None means: only when `stream` (default stderr) is a terminal.
    """
    if enabled is None:
        enabled = progress_enabled(stream)
    if not enabled:
        yield from items
        return
    class ArticlesPerSecond(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} articles/s" if speed else "- articles/s", style="progress.data.speed")

    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total:
        columns += [BarColumn(), MofNCompleteColumn()]
    else:
        columns += [TextColumn("{task.completed} articles")]
    columns += [ArticlesPerSecond(), TimeElapsedColumn()]
    if total:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]

    console = Console(file=stream if stream is not None else sys.stderr)
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(description, total=total)
        done = 0
        for item in items:
            yield item
            done += 1
            # The count is an estimate; never show more done than the total.
            if total is not None and done > total:
                total = done
                bar.update(task, total=total)
            bar.advance(task)
        bar.update(task, total=done, completed=done)


def extract_with_progress(paths: Iterable[str | Path], options: ExtractOptions,
                          on_problem: Callable[[Problem], None] | None = None,
                          stream: IO[str] | None = None) -> Iterator[ArticleResult]:
    """`pipeline.extract` with the bar on a terminal: what `parley extract` and `ingest` call.

    Counting the articles for the ETA costs a quick pass over the inputs, so
    it is done only when the bar is drawn.
    """
    paths = list(paths)
    total = count_articles(paths) if progress_enabled(stream) else None
    yield from track(extract(paths, options, on_problem), total=total, stream=stream)

