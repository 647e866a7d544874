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
    # The $5 billion was the demand "initially": at the start of the talks, in 2019, not at its
    # first report in 2020; the $3.9 billion it was lowered to stands when Seoul offers 13%.
    five = us[values.index(50)]
    assert five.placed_by == "initially" and five.placed is not None and five.placed.year == 2019
    gap = [g for g in standing_gap(rows) if g.higher == "USA" and g.lower == "KOR"]
    assert gap and gap[0].higher_value == pytest.approx(3.9e9)
    assert gap[0].gap == pytest.approx(3.9e9 - offer.normalised)


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


# -- units, placement, order, denials ------------------------------------------

def said(article: str, type: str, actor: str, target: str | None, sentence: str, **kw):  # type: ignore[no-untyped-def]
    from parley.records import Event, Evidence
    return Event(article=article, type=type, actor=actor, target=target,
                 evidence=(Evidence(sentence, 0, len(sentence)),), **kw)


def test_a_period_is_not_assumed_from_a_figure_of_another_order() -> None:
    # A weekly benefit in the story must not turn the bill's total into a weekly sum (x52).
    rows = positions(entries(
        stored(1, ev("a", "demand", "DEM", "GOP", amount=Amount(600.0, "USD", "week")), "2020-09-30"),
        stored(2, ev("a", "demand", "DEM", "GOP", amount=Amount(2.2e12, "USD", previous=Amount(3.4e12, "USD"))),
               "2020-10-01"),
        stored(3, ev("b", "offer", "GOP", "DEM", amount=Amount(1.62e12, "USD", previous=Amount(1e12, "USD"))),
               "2020-10-01"),
    ))
    big = [r for r in rows if r.value >= 1e12 and r.kind != "baseline"]
    assert all(r.unit == "USD/unstated" and not r.period_assumed for r in big)
    assert {r.normalised for r in big} == {2.2e12, 1.62e12}
    assert big[0].heading == "USD, period not stated"
    gaps = [g for g in standing_gap(rows) if g.unit == "USD/unstated"]
    assert [g.gap for g in gaps] == [pytest.approx(5.8e11)]
    # Of the same order, the thread's stated period is still assumed, and marked.
    rows = positions(entries(
        stored(1, ev("a", "demand", "SYL", "FRE", amount=Amount(5e9, "USD", "year")), "2020-03-01"),
        stored(2, ev("b", "offer", "FRE", "SYL", amount=Amount(1e9, "USD")), "2020-03-02"),
    ))
    offer = next(r for r in rows if r.kind == "offer")
    assert offer.unit == "USD/year" and offer.period_assumed


def test_per_share_one_off_and_yearly_figures_never_share_a_unit_or_a_gap() -> None:
    rows = positions(entries(
        stored(1, ev("a", "offer", "BID", "TGT", amount=Amount(180.0, "SEK", "share")), "2023-03-06"),
        stored(2, ev("b", "demand", "TGT", "BID", amount=Amount(2e9, "SEK", "year")), "2023-03-07"),
        stored(3, ev("c", "offer", "BID", "TGT", amount=Amount(5e8, "SEK", "once")), "2023-03-08"),
        stored(4, ev("d", "demand", "TGT", "BID", amount=Amount(220.0, "SEK", "share")), "2023-03-09"),
    ))
    assert {r.value: r.unit for r in rows} == {180.0: "USD/share", 2e9: "USD/year", 5e8: "USD/once",
                                               220.0: "USD/share"}
    assert {r.heading for r in rows} == {"USD a share", "USD a year", "USD once"}
    assert [(g.unit, g.after) for g in standing_gap(rows)] == [("USD/share", rows[-1].entry)]


def test_what_was_there_initially_is_placed_at_the_start_of_the_talks() -> None:
    first_round = DateSpan(dt.date(2019, 9, 24), dt.date(2019, 9, 25), "Sept. 24-25")
    rows = positions(entries(
        stored(1, ev("a", "meet", "SYL", "FRE", date=first_round, round=1), "2019-09-25"),
        stored(2, ev("b", "offer", "FRE", "SYL", amount=Amount(1.1e9, "USD", "year"),
                     date=DateSpan(dt.date(2020, 3, 1), dt.date(2020, 3, 1))), "2020-03-02"),
        stored(3, said("c", "demand", "SYL", "FRE", "Sylvania initially demanded $5 billion a year.",
                       amount=Amount(5e9, "USD", "year")), "2020-05-06"),
        stored(4, ev("d", "demand", "SYL", "FRE", amount=Amount(4e9, "USD", "year")), "2020-05-07"),
    ))
    by_value = {r.value: r for r in rows}
    assert by_value[5e9].placed == dt.date(2019, 9, 24) and by_value[5e9].placed_by == "initially"
    assert not by_value[5e9].dated
    assert by_value[1.1e9].placed_by == "date"
    assert by_value[4e9].placed_by == "first report" and by_value[4e9].placed == dt.date(2020, 5, 7)
    assert [r.value for r in rows] == [5e9, 1.1e9, 4e9]
    assert rows[0].as_dict()["placed_by"] == "initially"


def test_the_deadline_the_talks_run_to_bounds_their_start() -> None:
    # No meeting is dated before the old agreement expires: the talks were under way by then.
    expiry = DateSpan(dt.date(2019, 12, 1), dt.date(2019, 12, 31), "the end of 2019")
    rows = positions(entries(
        stored(1, ev("a", "expire", "SYL", "FRE", date=expiry), "2020-01-10"),
        stored(2, ev("a", "meet", "SYL", "FRE", date=DateSpan(dt.date(2020, 1, 14), dt.date(2020, 1, 14))),
               "2020-01-15"),
        stored(3, said("c", "demand", "SYL", "FRE", "Sylvania initially demanded $5 billion a year.",
                       amount=Amount(5e9, "USD", "year")), "2020-05-06"),
    ))
    assert [(r.value, r.placed, r.placed_by) for r in rows] == [(5e9, dt.date(2019, 12, 1), "initially")]


def test_rows_come_in_thread_order_then_date_order() -> None:
    rows = positions(entries(
        stored(1, ev("a", "offer", "GEN", "SYL", amount=Amount(3e6, "USD", "year")), "2021-01-05"),
        stored(2, ev("b", "offer", "FRE", "SYL", amount=Amount(1e9, "USD", "year")), "2020-03-01"),
        stored(3, ev("c", "demand", "SYL", "GEN", amount=Amount(9e6, "USD", "year")), "2020-12-01"),
        stored(4, ev("d", "demand", "SYL", "FRE", amount=Amount(5e9, "USD", "year")), "2020-03-05"),
    ))
    assert [(r.thread, str(r.placed)) for r in rows] == [
        ("fre-syl", "2020-03-01"), ("fre-syl", "2020-03-05"), ("gen-syl", "2020-12-01"), ("gen-syl", "2021-01-05")]


def test_an_unknown_currency_is_a_usage_error() -> None:
    from parley.errors import UsageError
    with pytest.raises(UsageError, match="unknown currency 'XYZ'"):
        positions([], currency="XYZ")
    assert positions([], currency="eur") == []


def test_a_figure_one_source_reports_and_another_denies_is_marked_and_moves_no_gap() -> None:
    raised = Amount(205.0, "SEK", "share")
    rows = positions(entries(
        stored(1, said("a", "offer", "BID", "TGT", "Bidder offered 180 crowns a share.",
                       amount=Amount(180.0, "SEK", "share")), "2023-03-06"),
        stored(2, said("a", "demand", "TGT", "BID", "Target wants 220 crowns a share.",
                       amount=Amount(220.0, "SEK", "share")), "2023-03-06"),
        stored(3, said("b", "offer", "BID", "TGT", "Bidder has raised its offer to 205 crowns a share, "
                       "people familiar with the matter said.", amount=raised), "2023-03-14"),
        stored(4, said("c", "offer", "BID", "TGT", "Bidder denied that it had raised its offer to 205 "
                       "crowns a share.", amount=raised), "2023-03-15"),
    ))
    denied = next(r for r in rows if r.value == 205.0)
    assert denied.denied_in == ("c",) and denied.reported_only
    offer = next(r for r in rows if r.value == 180.0)
    assert [g.lower_value for g in standing_gap(rows)] == [pytest.approx(offer.normalised)]
