"""The normalisers as public API: importable from `parley`, documented, usable like their peers."""
from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import parley
from parley import find_amounts, find_dates, parse_amount, resolve_date
from parley.records import Amount, DateSpan

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "NORMALISERS.md").read_text("utf-8")
PUBLISHED = dt.date(2021, 11, 4)


def test_exported_and_documented() -> None:
    for name in ("find_amounts", "parse_amount", "find_dates", "resolve_date"):
        assert name in parley.__all__
        assert f"`{name}" in DOCS or f"parley.{name}" in DOCS, name


def test_signatures_name_the_publication_day() -> None:
    for function in (find_amounts, parse_amount, find_dates):
        assert list(inspect.signature(function).parameters)[1] == "published"
    params = inspect.signature(find_dates).parameters
    assert list(params)[2] == "tense" and params["tense"].default is None
    assert params["window"].kind is inspect.Parameter.KEYWORD_ONLY


def test_the_documented_example_runs() -> None:
    block = re.search(r"```python\n(.*?)```", DOCS, re.S)
    assert block is not None
    printed: list[tuple] = []
    exec(block.group(1), {"print": lambda *a: printed.append(a)})  # noqa: S102
    amounts = [p for p in printed if isinstance(p[1], (float, type(None))) and len(p) == 4]
    assert ("34,50 €", 34.5, "EUR") in [p[:3] for p in amounts]
    dates = [p for p in printed if len(p) == 3]
    assert ("Dec. 2", dt.date(2021, 12, 2), dt.date(2021, 12, 2)) in dates
    assert ("last week", dt.date(2021, 10, 25), dt.date(2021, 10, 31)) in dates


def test_amount_records() -> None:
    text = "The offer rose to 1.2 million zł a year from zł900,000 (about $230,000)."
    found = find_amounts(text, PUBLISHED)
    money = [a for a in found if a.is_money]
    assert money and all(isinstance(a, Amount) for a in money)
    offer = money[0]
    assert (offer.value, offer.currency, offer.period) == (1.2e6, "PLN", "year")
    assert offer.previous is not None and offer.previous.value == 900_000
    assert text[offer.start:offer.end] == offer.text
    assert offer.usd is not None and offer.usd_rate_date is not None
    assert parse_amount("34,50 €", dt.datetime(2021, 11, 4, 12, 0)).value == 34.5  # type: ignore[union-attr]


def test_date_records() -> None:
    span = find_dates("The deal lapses at the end of the month.", PUBLISHED)[0]
    assert isinstance(span, DateSpan)
    assert (span.text, span.start, span.end) == ("the end of the month", D(2021, 11, 24), D(2021, 11, 30))
    assert (span.char_start, span.char_end) == (19, 39)
    assert resolve_date("July", PUBLISHED, "future").start == D(2022, 7, 1)  # type: ignore[union-attr]


def test_neither_raises_on_non_text() -> None:
    assert find_amounts(None) == []  # type: ignore[arg-type]
    assert find_dates(None) == []  # type: ignore[arg-type]


D = dt.date
