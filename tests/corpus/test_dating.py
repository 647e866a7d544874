"""Undated articles dated from the others; one timeline entry per real event; stable ids.

The story is written for these tests (invented negotiators, real countries so that the
actor stage knows them): two dated dispatches and one undated report of the same round.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parley.corpus.ingest import ingest
from parley.corpus.store import Store
from parley.corpus.timeline import timeline
from parley.output.export import records

ROUND_FOUR = """Fishing talks end fourth round without a deal

OSLO, March 4, 2021 (Northwire) -- Norway and Sweden ended the fourth round of talks on fishing quotas in Oslo on Tuesday and Wednesday without an agreement, the Norwegian foreign ministry said on Thursday.

Norway's chief negotiator Ingrid Falk and her Swedish counterpart Lars Oberg met for two days at the ministry.

Sweden demanded a quota of 120,000 tonnes, while Norway offered 90,000 tonnes.
"""

UNDATED = """Quota talks stall again

Norway and Sweden held the fourth round of talks on fishing quotas in Oslo on Tuesday and Wednesday, but failed to close the gap.

Ingrid Falk, who leads the Norwegian team, told reporters on Thursday that Sweden had not moved. Her counterpart Lars Oberg said the two sides would meet again next month.

Sweden has offered to pay 50 million kronor ($5.9 million) a year for access to Norwegian waters, a figure Norway rejected last month.
"""

ROUND_FIVE = """Fifth round of fishing talks set

STOCKHOLM, 12 April 2021 — Norway and Sweden will hold a fifth round of talks on fishing quotas in Stockholm next week, officials said on Monday.
"""


def write(folder: Path, **articles: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write(tmp_path_factory.mktemp("fishing") / "story", a=ROUND_FOUR, b=UNDATED, c=ROUND_FIVE)
    db = folder.parent / "story.db"
    with Store(db) as store:
        ingest(store, [folder])
    return db


def test_the_undated_report_is_dated_from_the_round_a_dated_one_reports(story: Path) -> None:
    with Store(story) as store:
        row = store.db.execute("SELECT published, inferred_published, inferred_earliest, inferred_latest,"
                               " inferred_reason FROM articles WHERE id = 'b.txt'").fetchone()
    assert row["published"] is None, "the article as read stays undated"
    # "Tuesday and Wednesday" are March 2-3 in a.txt: b.txt was written after, within the week.
    assert dt.date(2021, 3, 3) <= dt.date.fromisoformat(row["inferred_earliest"])
    assert dt.date.fromisoformat(row["inferred_latest"]) <= dt.date(2021, 3, 9)
    reason = row["inferred_reason"]
    assert "round 4 of NOR and SWE" in reason and "a.txt" in reason
    assert "ECB reference rate" in reason, "the sum in kronor and dollars is checked against the rate"


def test_relative_dates_of_the_undated_report_are_read_against_its_inferred_date(story: Path) -> None:
    with Store(story) as store:
        entries = timeline(store)
    rejection = next(e for e in entries if e.type == "reject")
    assert rejection.dated and rejection.date is not None
    assert (rejection.date.start, rejection.date.end) == (dt.date(2021, 2, 1), dt.date(2021, 2, 28)), \
        "'last month' of a report written in March 2021"
    assert rejection.date_inferred and "round 4" in rejection.date_inferred


def test_one_entry_for_the_round_with_both_reports_as_sources(story: Path) -> None:
    with Store(story) as store:
        entries = timeline(store)
    rounds = [e for e in entries if e.type == "meet" and e.round == 4]
    assert len(rounds) == 1
    assert set(rounds[0].articles) == {"a.txt", "b.txt"}
    assert rounds[0].date is not None and rounds[0].date.start == dt.date(2021, 3, 2)
    assert rounds[0].date_inferred is None, "a.txt states the date itself"
    fifth = [e for e in entries if e.type == "meet" and e.round == 5]
    assert len(fifth) == 1 and fifth[0].date is not None
    # "next week" of a dispatch datelined 12 April 2021: the dateline's day is the paper's.
    assert (fifth[0].date.start, fifth[0].date.end) == (dt.date(2021, 4, 19), dt.date(2021, 4, 25))


def test_the_inferred_date_is_in_the_exports(story: Path) -> None:
    with Store(story) as store:
        events = records(store, "events", flat=True)
        entries = records(store, "timeline")
    undated = [r for r in events if r["article"] == "b.txt"]
    assert undated and all(r["published_inferred"] and r["published"].startswith("2021-03") for r in undated)
    assert all(r["published_inferred"] is None for r in events if r["article"] != "b.txt")
    assert any(e["date_inferred"] for e in entries)


def test_entry_ids_survive_more_articles_and_the_same_ones_again(tmp_path: Path) -> None:
    folder = write(tmp_path / "story", a=ROUND_FOUR, b=UNDATED)
    db = tmp_path / "ids.db"
    with Store(db) as store:
        ingest(store, [folder])
        before = {e.id: (e.type, e.round, e.articles) for e in timeline(store)}
        ingest(store, [folder])
        assert {e.id: (e.type, e.round, e.articles) for e in timeline(store)} == before
        write(folder, c=ROUND_FIVE)
        ingest(store, [folder])
        after = {e.id: (e.type, e.round, e.articles) for e in timeline(store)}
    assert set(before) < set(after), "the new article adds entries and renumbers none"
    assert all(after[i] == before[i] for i in before)


def test_seed_rounds_and_expiry_are_one_entry_each_and_the_undated_article_is_dated(seed_db: Path) -> None:
    with Store(seed_db) as store:
        entries = timeline(store)
        inferred = {r["id"]: r["inferred_reason"] for r in store.db.execute(
            "SELECT id, inferred_reason FROM articles WHERE published IS NULL")}
    # The one article without a date (its sixth round "Tuesday and Wednesday" with the two chief
    # negotiators in Washington) is dated from the dispatch that dates that meeting.
    assert len(inferred) == 1
    (undated, reason), = inferred.items()
    assert reason and "Jeong Eun-bo" in reason and "2020-01-14" in reason and "ECB reference rate" in reason
    sixth = [e for e in entries if e.type == "meet" and e.round == 6]
    assert len(sixth) == 1
    assert sixth[0].date is not None and sixth[0].date.start == dt.date(2020, 1, 14)
    assert sixth[0].date.end <= dt.date(2020, 1, 15)  # type: ignore[operator]
    assert undated in sixth[0].articles and len(sixth[0].articles) == 2
    assert len([e for e in entries if e.type == "meet" and e.round == 7]) == 1
    lapsed = [e for e in entries if e.type == "expire" and e.date is not None
              and e.date.start <= dt.date(2019, 12, 31) <= e.date.end]  # type: ignore[operator]
    assert len(lapsed) == 1 and len(lapsed[0].articles) == 3, "the agreement's expiry, once"


YEARLESS = """Fishing talks: no deal after two days

OSLO, March 5 (Northwire) -- Norway and Sweden held the fourth round of talks on fishing quotas in Oslo on Tuesday and Wednesday without closing the gap on quotas.
"""


def test_a_dateline_day_without_a_year_is_placed_by_the_round_it_reports(tmp_path: Path) -> None:
    folder = write(tmp_path / "story", a=ROUND_FOUR, d=YEARLESS)
    with Store(tmp_path / "yearless.db") as store:
        ingest(store, [folder])
        row = store.db.execute("SELECT metadata, inferred_published, inferred_reason FROM articles"
                               " WHERE id = 'd.txt'").fetchone()
    assert '"dateline_day": "--03-05"' in row["metadata"]
    assert row["inferred_published"] == "2021-03-05", "the only March 5 the round allows"
    assert "dateline" in row["inferred_reason"]
