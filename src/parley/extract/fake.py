"""`fake.v1`: a backend for tests, beside the real ones (as httpx ships MockTransport).

It needs no model: every sentence ("...text ending in a full stop.") is one
`statement` event whose evidence is that sentence, tagged with the id of the
process that extracted it, so that a test can see where the work ran. Words
in an article steer it, so that tests can pass it trouble through any engine:

    "explode"  raises ModelError for that article (an error in one article)
    "vanish"   ends the worker process at once (a worker killed mid-article);
               in the parent process it is an ordinary word

`broken` is a target whose backend fails to load (a model not installed), and
`log_loads_to(path)` makes every backend made afterwards in this process
append its process id to `path` (a worker setup: how often the model loads).
"""
from __future__ import annotations

import multiprocessing
import os
import re
import time

from parley.errors import ModelError
from parley.extract.registry import ExtractorBase
from parley.records import Article, Event, Evidence

_SENTENCE = re.compile(r"[^.]+\.")
# About as slow as a small model, so that the work of a test spreads over workers.
SECONDS_PER_ARTICLE = 0.005

_load_log: str | None = None


class FakeExtractor(ExtractorBase):
    """One `statement` per sentence; no model, no network."""

    name = "fake.v1"

    def __init__(self) -> None:
        if _load_log is not None:
            with open(_load_log, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()}\n")

    def extract(self, article: Article) -> list[Event]:
        if "explode" in article.text:
            raise ModelError("the fake model cannot read this article")
        if "vanish" in article.text and multiprocessing.parent_process() is not None:
            os._exit(3)
        time.sleep(SECONDS_PER_ARTICLE)
        return [Event(article=article.id, type="statement", actor=None,
                      evidence=(Evidence(m.group(), m.start(), m.end()),),
                      extra={"pid": os.getpid()})
                for m in _SENTENCE.finditer(article.text)]


def broken() -> FakeExtractor:
    raise ModelError("fake model not installed; install it with `make setup`")


def log_loads_to(path: str) -> None:
    global _load_log
    _load_log = path
