"""Ingest: the pipeline into the store.

Reads the inputs, extracts the articles not stored yet (or changed) and
stores them one by one, so that an interrupted ingest keeps what it stored
and the next one completes it. Wire copies are kept once (duplicates.py),
parts written by `parley extract -o OUT/` are loaded as they are
(engines/parts.py), and who is who is consolidated at the end (people.py).
"""
from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path
from typing import Callable, Iterable, Iterator

from parley import pipeline
from parley.corpus.dating import date_undated
from parley.corpus.duplicates import WireCopyIndex
from parley.corpus.people import assign_people
from parley.corpus.store import IngestSummary, Store, content_hash
from parley.engines.parts import is_event_parts, read_event_parts
from parley.records import Article, Problem
from parley.results import ArticleResult, ExtractOptions

ResultSource = Callable[[Iterable[Article]], Iterable[ArticleResult]]
Progress = Callable[[Iterable[ArticleResult]], Iterable[ArticleResult]]


def ingest(store: Store, paths: Iterable[str | Path], options: ExtractOptions = ExtractOptions(),
           on_problem: Callable[[Problem], None] | None = None,
           extract: ResultSource | None = None, detect_copies: bool = True,
           progress: Progress | None = None, articles: Iterable[Article] = ()) -> IngestSummary:
    """Read PATHS, extract the articles not stored yet (or changed) and store them.

    `articles` are articles read already (fetched by `parley watch`, made in a
    notebook): handled after those of PATHS, exactly as if read from them.

    Articles are committed one by one as their results arrive, so an
    interrupted ingest keeps what it stored and the next one completes it.
    `extract` maps articles to results (default: the pipeline's stages 3-7);
    `progress` wraps the results as they come (the CLI draws its bar there).
    """
    paths = list(paths)
    # Parts written by `parley extract -o OUT/` (any engine) are results already.
    parts = [p for p in paths if is_event_parts(p)]
    paths = [p for p in paths if p not in parts]
    skipped = 0

    def count_problem(problem: Problem) -> None:
        nonlocal skipped
        if problem.fatal:
            skipped += 1
        if on_problem is not None:
            on_problem(problem)

    unchanged = 0
    seen: set[str] = set()
    copies = _WireCopies(store)
    copied: list[str] = []
    run_hashes: dict[str, str] = {}

    def pending() -> Iterator[Article]:
        nonlocal unchanged
        for article in itertools.chain(pipeline.articles(paths, count_problem, options), articles):
            article = _own_id(store, article, run_hashes)
            if article.id in seen:
                # Two inputs with one id: the first wins, as a re-run would keep it.
                count_problem(Problem(article.path or article.id,
                                      f"duplicate article id {article.id!r}; kept the first", article.line,
                                      fatal=False))
                continue
            seen.add(article.id)
            if not store.needs_extraction(article, options.extractor):
                unchanged += 1
                continue
            story = copies.story_of(article) if detect_copies else None
            if story is not None:
                # A wire copy: kept once (its story's events), listed as one more source. It is
                # stored only once its story is: a run killed in between must not leave a
                # copy of nothing (its story may still be on its way through extraction).
                if store.stored_hash(story) is not None:
                    store_copy(article, story)
                else:
                    waiting.setdefault(story, []).append(article)
                continue
            yield article

    waiting: dict[str, list[Article]] = {}

    def store_copy(article: Article, story: str) -> None:
        copied.append(store.add(ArticleResult(article=article, events=()), options.extractor, copy_of=story))

    def orphans() -> Iterator[Article]:
        # Copies whose story was not stored after all: extracted as articles of their own.
        for story, articles in list(waiting.items()):
            del waiting[story]
            for article in articles:
                if store.stored_hash(story) is not None:
                    store_copy(article, story)
                else:
                    yield article

    run_results = extract or (lambda items: pipeline.extract_articles(items, options))
    extracted: Iterable[ArticleResult] = itertools.chain(run_results(pending()), run_results(orphans()))
    if progress is not None:
        extracted = progress(extracted)
    run = store.start_run(options.extractor)
    added = updated = 0
    changed: list[str] = []

    def stored_parts() -> Iterator[ArticleResult]:
        nonlocal unchanged
        for part in parts:
            for result in read_event_parts(part):
                if result.article.id in seen:
                    continue
                seen.add(result.article.id)
                if store.needs_extraction(result.article, options.extractor):
                    yield result
                else:
                    unchanged += 1

    for result in itertools.chain(stored_parts(), extracted):
        if result.problem is not None:
            count_problem(result.problem)  # not stored: the next run tries it again
            continue
        outcome = store.add(result, options.extractor)
        if outcome == "added":
            added += 1
        elif outcome == "updated":
            updated += 1
        else:
            unchanged += 1
        if outcome != "unchanged":
            changed.append(result.article.id)
        for article in waiting.pop(result.article.id, ()):
            store_copy(article, result.article.id)
    added += copied.count("added")
    updated += copied.count("updated")
    summary = IngestSummary(added=added, updated=updated, unchanged=unchanged, skipped=skipped,
                            copies=len(copied), extracted=tuple(changed))
    store.finish_run(run, summary)
    # Undated articles dated from the others (the store as it now is), their relative
    # dates read again against the inferred day.
    date_undated(store, run_results)
    assign_people(store)
    return summary


def _own_id(store: Store, article: Article, run_hashes: dict[str, str]) -> Article:
    """A one-article file is named by its file name; another article with that name (a file of
    the same name in another folder) must not replace it. Such an article gets the id
    "FOLDER/NAME" (then "FOLDER/NAME#2"...), and keeps it on every later run, so that
    re-ingesting it is still a no-op and editing the file still updates it."""
    path = article.path
    if path is None or article.line is not None or article.id != Path(path).name:
        return article  # ids given by the input (JSONL, CSV, WARC...) are the input's to choose
    digest = content_hash(article)
    folder = Path(path).parent.name or "."
    candidates = itertools.chain([article.id, f"{folder}/{article.id}"],
                                 (f"{folder}/{article.id}#{n}" for n in itertools.count(2)))
    for candidate in candidates:
        row = store.db.execute("SELECT content_hash, path FROM articles WHERE id = ?", (candidate,)).fetchone()
        in_run = run_hashes.get(candidate)
        free = row is None and in_run is None
        same = (row is not None and (row["content_hash"] == digest or row["path"] == path)) or in_run == digest
        if free or same:
            run_hashes.setdefault(candidate, digest)
            return article if candidate == article.id else dataclasses.replace(article, id=candidate)
    raise AssertionError("unreachable: itertools.count never ends")


class _WireCopies:
    """Near-duplicate detection (MinHash, duplicates.py) over the stories in the store and
    those ingested in this run; built from the store only when a new article needs it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = None

    def story_of(self, article: Article) -> str | None:
        if self.index is None:
            self.index = WireCopyIndex()
            for row in self.store.db.execute("SELECT id, text, body, title, published FROM articles"
                                             " WHERE copy_of IS NULL ORDER BY rowid"):
                body = tuple(tuple(r) for r in json.loads(row["body"] or "[]"))
                self.index.add(Article(id=row["id"], text=row["text"], body=body))  # type: ignore[arg-type]
        story = self.index.add(article)
        return story if story and story != article.id else None
