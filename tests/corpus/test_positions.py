"""Positions and the gap: each side's terms over time, normalised."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parley.corpus.timeline import merge, timeline
from parley.analysis.exchange import to_usd
from parley.corpus.money import format_money, native_value
from parley.corpus.positions import normalise, positions, standing_gap
from parley.records import Amount, Change, DateSpan
from parley.corpus.store import Store
from parley.corpus.threads import assign_threads
from test_timeline import ev, stored


def entries(*items):  # type: ignore[no-untyped-def]
    return assign_threads(merge(list(items)))


def test_terms_are_normalised_to_dollars_a_year_with_the_native_figure_kept() -> None:
    day = DateSpan(dt.date(2020, 3, 2), dt.date(2020, 3, 2))
    rows = positions(entries(
        stored(1, ev("a", "demand", "SYL", "FRE", amount=Amount(100e6, "USD", "month"), date=day)),
        stored(2, ev("a", "offer", "FRE", "SYL", amount=Amount(1e9, "EUR", "year"), date=day)),
    ))
    demand = next(r for r in rows if r.kind == "demand")
    assert demand.normalised == pytest.approx(1.2e9) and demand.unit == "USD/year"
    assert (demand.value, demand.currency, demand.period) == (100e6, "USD", "month")
    offer = next(r for r in rows if r.kind == "offer")
    expected, _ = to_usd(1e9, "EUR", dt.date(2020, 3, 2))
    assert offer.normalised == pytest.approx(expected) and offer.currency == "EUR"
    assert offer.rate_date == dt.date(2020, 3, 2)


def test_reported_rejected_baseline_and_order() -> None:
    offer = Amount(1.13e9, "EUR", "year", change=Change(percent=13.0, base=Amount(1e9, "EUR")))
    lowered = Amount(3.9e9, "USD", "year", previous=Amount(5e9, "USD"))
    rows = positions(entries(
        stored(1, ev("a", "offer", "FRE", "SYL", amount=offer), "2020-03-01"),
        stored(2, ev("b", "reject", "SYL", "FRE", amount=offer), "2020-03-05"),
        stored(3, ev("c", "demand", "SYL", "FRE", amount=Amount(1.3e9, "USD", "year")), "2020-08-01"),
        stored(4, ev("d", "demand", "SYL", "FRE", amount=lowered, status="reported"), None),
        stored(5, ev("e", "demand", "SYL", "FRE", amount=Amount(5e9, "USD", "year")), "2020-02-01"),
    ))
    fre = [(r.kind, r.value) for r in rows if r.party == "FRE"]
    assert fre == [("baseline", 1e9), ("offer", 1.13e9)]
    assert next(r for r in rows if r.kind == "offer").rejected
    syl = [r for r in rows if r.party == "SYL"]
    # The undated, lowered demand follows the figure it was lowered from.
    assert [r.value for r in syl] == [5e9, 3.9e9, 1.3e9]
    assert [r.reported_only for r in syl] == [False, True, False]
    assert syl[1].placed == syl[0].placed and not syl[1].dated


def test_the_gap_follows_the_standing_positions() -> None:
    rows = positions(entries(
        stored(1, ev("a", "offer", "FRE", "SYL", amount=Amount(1e9, "USD", "year")), "2020-03-01"),
        stored(2, ev("b", "demand", "SYL", "FRE", amount=Amount(5e9, "USD", "year")), "2020-03-05"),
        stored(3, ev("c", "demand", "SYL", "FRE", amount=Amount(2e9, "USD", "year")), "2020-06-01"),
    ))
    gap = standing_gap(rows)
    assert [(g.higher, g.lower, g.gap) for g in gap] == [("SYL", "FRE", 4e9), ("SYL", "FRE", 1e9)]
    assert gap[-1].placed == dt.date(2020, 6, 1)


def test_helpers() -> None:
    assert native_value(Amount(None, None, change=Change(percent=13.0, base=Amount(1.04e12, "KRW")))) \
        == pytest.approx(1.1752e12)
    assert native_value(Amount(None, None, change=Change(factor=5.0, base=Amount(1e9, "USD")))) == 5e9
    assert native_value(Amount(None, None, change=Change(percent=5.0))) is None
    assert format_money(5e9, "USD") == "$5 billion"
    assert format_money(1.1752e12, "KRW") == "1.1752 trillion KRW"
    assert normalise(10.0, "USD", "once", None)[0] is None  # a one-off has no yearly rate
    value, _, assumed = normalise(10.0, "USD", None, None, fallback_period="month")
    assert value == 120.0 and assumed


def _seed_checks(rows) -> None:  # type: ignore[no-untyped-def]
    us = [r for r in rows if r.party == "USA" and r.kind == "demand" and r.currency == "USD"]
    values = [round(r.value / 1e8) for r in us]
    for figure in (50, 39, 13):
        assert figure in values, f"US demand of {figure / 10} billion missing: {values}"
    assert values.index(50) < values.index(39) < values.index(13)
    assert us[values.index(39)].reported_only
    assert us[values.index(13)].period == "year" and us[values.index(13)].normalised == pytest.approx(1.3e9)
    seoul = [r for r in rows if r.party == "KOR" and r.currency == "KRW"]
    krw = [(r.kind, round(r.value / 1e8)) for r in seoul]
    assert ("baseline", 10400) in krw and ("offer", 11752) in krw
    assert krw.index(("baseline", 10400)) < krw.index(("offer", 11752))
    offer = seoul[krw.index(("offer", 11752))]
    assert offer.rejected and offer.normalised is not None and 0.9e9 < offer.normalised < 1.0e9
    gap = [g for g in standing_gap(rows) if g.higher == "USA" and g.lower == "KOR"]
    # Against the US demand standing at the offer: $5 billion, or the $3.9 billion a report
    # dated from the sixth round (January 2020, an inferred date) says it was lowered to.
    assert gap and gap[0].higher_value in (5e9, 3.9e9)
    assert gap[0].gap == pytest.approx(gap[0].higher_value - offer.normalised)


def test_gold_seed_positions(gold_db: Path) -> None:
    with Store(gold_db) as store:
        rows = positions(timeline(store))
    # The gold file does not link "$3.9 billion" to the "$5 billion" it lowered: only
    # the dated figures' order is checked here; the real pipeline test checks all three.
    us = [round(r.value / 1e8) for r in rows if r.party == "USA" and r.kind == "demand"]
    assert us.index(50) < us.index(13)
    seoul = [(r.kind, round(r.value / 1e8)) for r in rows if r.party == "KOR" and r.currency == "KRW"]
    assert seoul == [("baseline", 10400), ("offer", 11752)]


@pytest.mark.slow
def test_seed_positions_and_gap(seed_db: Path) -> None:
    with Store(seed_db) as store:
        rows = positions(timeline(store))
    _seed_checks(rows)
