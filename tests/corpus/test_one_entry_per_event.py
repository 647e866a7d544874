"""One timeline entry per real-world event (issue 8, item 3), on reports written for the tests."""
from __future__ import annotations

import datetime as dt

from parley.corpus.timeline import merge
from parley.records import Amount, DateSpan, replace
from test_timeline import USD5, ev, stored

TUE_WED = DateSpan(dt.date(2020, 1, 14), dt.date(2020, 1, 15), "Tuesday and Wednesday")
TUESDAY = DateSpan(dt.date(2020, 1, 14), dt.date(2020, 1, 14), "Jan. 14")


def test_a_meeting_is_one_entry_whoever_is_named_first() -> None:
    entries = merge([stored(1, ev("a", "meet", "FRE", "SYL", date=TUESDAY), "2020-01-16"),
                     stored(2, ev("b", "meet", "SYL", "FRE", date=TUE_WED), "2020-01-17")])
    assert len(entries) == 1 and entries[0].articles == ("a", "b")
    # The span that holds every report's date is the meeting's: a day of it is not all of it.
    assert (entries[0].date.start, entries[0].date.end) == (TUE_WED.start, TUE_WED.end)  # type: ignore[union-attr]


def test_a_numbered_round_is_one_entry_also_when_one_article_reports_it_from_both_sides() -> None:
    entries = merge([stored(1, ev("a", "meet", "FRE", "SYL", round=7)),
                     stored(2, ev("a", "meet", "SYL", "FRE", round=7)),
                     stored(3, ev("b", "meet", "SYL", "FRE", round=7), "2020-05-01"),
                     stored(4, ev("b", "meet", "SYL", "FRE", round=8), "2020-05-01")])
    assert sorted((e.round, e.articles) for e in entries) == [(7, ("a", "b")), (8, ("b",))]


def test_meetings_with_a_third_party_stay_apart() -> None:
    entries = merge([stored(1, ev("a", "meet", "FRE", "SYL", date=TUESDAY)),
                     stored(2, ev("b", "meet", "GEN", "FRE", date=TUESDAY))])
    assert len(entries) == 2


def test_the_same_agreements_expiry_is_one_entry() -> None:
    december = DateSpan(dt.date(2019, 12, 1), dt.date(2019, 12, 31), "the end of last year")
    late = DateSpan(dt.date(2019, 9, 1), dt.date(2019, 12, 31), "late last year")
    entries = merge([stored(1, ev("a", "expire", "FRE", "SYL", date=december)),
                     stored(2, ev("b", "expire", "SYL", "FRE", date=late)),
                     stored(3, ev("c", "expire", "SYL", "FRE",
                                  date=DateSpan(dt.date(2024, 12, 1), dt.date(2024, 12, 31))))])
    assert sorted(len(e.articles) for e in entries) == [1, 2], "the next agreement's expiry is another"


def test_a_restated_demand_is_a_source_of_the_one_standing_at_its_date() -> None:
    lowered = Amount(3.9e9, "USD", "year")
    entries = merge([
        stored(1, ev("a", "demand", "SYL", "FRE", amount=USD5), "2020-01-10"),
        stored(2, ev("b", "demand", "SYL", "FRE", amount=lowered), "2020-03-01"),
        stored(3, ev("c", "demand", "SYL", "FRE"), "2020-02-01"),  # restates $5 billion
        stored(4, ev("d", "demand", "SYL", "FRE"), "2020-04-01"),  # restates $3.9 billion
        stored(5, ev("e", "demand", "GEN", "FRE"), "2020-04-01"),  # another party: its own entry
    ])
    by_value = {e.amount.value if e.amount else None: e.articles for e in entries}
    assert by_value == {5e9: ("a", "c"), 3.9e9: ("b", "d"), None: ("e",)}


def test_entry_ids_come_from_content_not_from_row_order() -> None:
    first = [stored(1, ev("a", "meet", "FRE", "SYL", round=6), "2020-01-20"),
             stored(2, ev("a", "demand", "SYL", "FRE", amount=USD5), "2020-01-20")]
    ids = {e.type: e.id for e in merge(first)}
    # More articles, one reporting an earlier event and one the same round: no id changes.
    more = first + [stored(3, ev("b", "offer", "FRE", "SYL", amount=Amount(1e9, "USD", "year")), "2019-12-01"),
                    stored(4, ev("c", "meet", "SYL", "FRE", round=6), "2020-01-15")]
    again = {e.type: e.id for e in merge(more)}
    assert again["meet"] == ids["meet"] and again["demand"] == ids["demand"]
    assert len(set(again.values())) == 3 and all(i.startswith("T") for i in again.values())


def test_a_demand_restated_twice_in_one_article_joins_one_entry_not_a_later_figure() -> None:
    entries = merge([
        stored(1, ev("a", "demand", "SYL", "FRE", amount=USD5), "2020-05-01"),
        stored(2, ev("b", "demand", "SYL", "FRE", amount=Amount(1.3e9, "USD", "year")), "2020-08-01"),
        stored(3, ev("c", "demand", "SYL", "FRE"), "2020-01-20"),
        stored(4, ev("c", "demand", "SYL", "FRE"), "2020-01-20"),
    ])
    by_value = {e.amount.value: len(e.sources) for e in entries if e.amount}
    assert by_value == {5e9: 3, 1.3e9: 1}, "both restatements precede every figure: the earliest stands"


def test_an_entry_is_marked_inferred_only_when_no_source_states_its_date() -> None:
    inferred = "inferred: it reports round 6 of FRE and SYL"
    stated = stored(1, ev("a", "meet", "FRE", "SYL", round=6, date=TUESDAY), "2020-01-24")
    guessed = replace(stored(2, ev("b", "meet", "FRE", "SYL", round=6, date=TUESDAY), "2020-01-20"),
                      dated_by=inferred)
    assert merge([stated, guessed])[0].date_inferred is None
    assert merge([guessed])[0].date_inferred == inferred
