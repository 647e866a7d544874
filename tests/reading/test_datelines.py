"""Datelines in their common forms date the article; a place alone gives no date."""
from __future__ import annotations

import datetime as dt

import pytest

from parley.reading.cleaning import clean
from parley.records import Article

BODY = " The dock workers' union and the port operators resumed pay talks on a new wage deal.\n"


def cleaned(text: str, url: str | None = None) -> Article:
    return clean(Article(id="t", text="Port pay talks resume\n\n" + text, url=url))


@pytest.mark.parametrize("dateline, day, place", [
    ("HAMBURG, 3 June 2024 —", dt.date(2024, 6, 3), "HAMBURG"),
    ("NEW YORK, June 3, 2024 /PRNewswire/ --", dt.date(2024, 6, 3), "NEW YORK"),
    ("June 3, 2024 /PRNewswire/ --", dt.date(2024, 6, 3), None),
    ("BRUSSELS, 12 May 2023 (Reuters) —", dt.date(2023, 5, 12), "BRUSSELS"),
    ("SPRINGFIELD, Ohio, May 2, 1988 -", dt.date(1988, 5, 2), "SPRINGFIELD, Ohio"),
])
def test_a_dateline_with_a_year_dates_the_article(dateline: str, day: dt.date, place: str | None) -> None:
    article = cleaned(dateline + BODY)
    assert article.published is not None and article.published.date() == day
    assert article.metadata.get("dateline") == place
    assert article.metadata["published_from"] == "dateline"


@pytest.mark.parametrize("dateline, day", [
    ("WASHINGTON, Jan 14 (Reuters) -", "--01-14"),
    ("Seoul, Jan. 15 (Yonhap) --", "--01-15"),
    ("MOSCOW, June 3. /TASS/.", "--06-03"),
])
def test_a_day_without_a_year_is_kept_but_not_guessed(dateline: str, day: str) -> None:
    article = cleaned(dateline + BODY)
    assert article.published is None
    assert article.metadata["dateline_day"] == day


def test_a_day_without_a_year_takes_the_year_of_the_page_address() -> None:
    article = cleaned("WASHINGTON, Jan 14 (Reuters) -" + BODY, url="https://wire.example/2020/01/14/port-talks")
    assert article.published == dt.datetime(2020, 1, 14)
    assert article.metadata["published_from"] == "dateline; year from the address"


@pytest.mark.parametrize("dateline", ["TOKYO (Bloomberg) --", "Tokyo (Kyodo) --", "OSLO --"])
def test_a_place_alone_gives_no_date(dateline: str) -> None:
    article = cleaned(dateline + BODY)
    assert article.published is None and "dateline_day" not in article.metadata
    assert article.metadata["dateline"] in ("TOKYO", "Tokyo", "OSLO")


def test_a_sentence_that_opens_with_a_place_is_not_a_dateline() -> None:
    article = cleaned("Seoul said on Monday it would resume the talks." + BODY)
    assert "dateline" not in article.metadata and article.published is None
