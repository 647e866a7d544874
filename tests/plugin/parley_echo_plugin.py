"""An extractor backend from outside parley, found through the `parley.extractors` entry point.

The dist-info folder beside this file is what `pip install` would leave: it
declares `echo.v1 = parley_echo_plugin:EchoExtractor`. Tests put this folder
on the path; parley never imports this module by name.
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator

from parley import Event, Evidence
from parley.records import Article


class EchoExtractor:
    """One `statement` per paragraph, tagged with the process that made it; batches on its own."""

    name = "echo.v1"

    def extract(self, article: Article) -> list[Event]:
        events, start = [], 0
        for paragraph in article.text.split("\n\n"):
            begin = article.text.index(paragraph, start)
            start = begin + len(paragraph)
            if paragraph.strip():
                events.append(Event(article=article.id, type="statement", actor=None,
                                    evidence=(Evidence(paragraph, begin, start),),
                                    extra={"pid": os.getpid(), "backend": self.name}))
        return events

    def extract_many(self, articles: Iterable[Article]) -> Iterator[list[Event]]:
        for article in articles:
            yield self.extract(article)
