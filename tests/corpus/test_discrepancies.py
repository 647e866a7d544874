"""Discrepancies: one quantity reported differently, explained by exchange rates or not."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from parley.corpus.timeline import timeline
from parley.corpus.discrepancies import (EXPLAINED, NOT_EXPLAINED, UNDATED_CONSISTENT, conflicting_claims,
                                  find_discrepancies, rounding_error)
from parley.analysis.exchange import reference_rate
from parley.corpus.store import Store
from test_store import article, result


def test_rounding_error_is_half_the_last_stated_digit() -> None:
    assert rounding_error(850e6) == pytest.approx(5e6 / 850e6)
    assert rounding_error(875e6) == pytest.approx(0.5e6 / 875e6)
    assert rounding_error(1.04e12) == pytest.approx(0.005e12 / 1.04e12)
    assert rounding_error(0) == 0.0


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_rounding_error_never_fails(value: float) -> None:
    error = rounding_error(value)
    assert error >= 0 and not math.isnan(error)


def _usd(krw: float, day: dt.date, off: float = 0.0) -> str:
    """A dollar figure for `krw` won at the reference rate of `day`, moved by `off`."""
    rate, _ = reference_rate("USD", "KRW", day)
    assert rate
    return f"{krw / rate * (1 + off) / 1e6:.0f}"


def test_figures_explained_and_not_by_the_exchange_rate(tmp_path: Path) -> None:
    d1, d2, d3 = dt.date(2020, 3, 10), dt.date(2020, 9, 1), dt.date(2020, 6, 1)
    texts = [
        ("f1", d1, f"Freedonia offered Sylvania a 10 percent increase over 1.5 trillion won "
                   f"(${_usd(1.5e12, d1)} million)."),
        ("f2", d2, f"Freedonia offered Sylvania a 10 percent increase over 1.5 trillion won "
                   f"(${_usd(1.5e12, d2)} million)."),
        # Five percent off the day's rate: not a rate effect.
        ("f3", d3, f"Freedonia offered Sylvania a 10 percent increase over 1.5 trillion won "
                   f"(${_usd(1.5e12, d3, 0.05)} million)."),
        ("f4", None, f"Freedonia offered Sylvania a 10 percent increase over 1.5 trillion won "
                     f"(${_usd(1.5e12, d1)} million)."),
    ]
    with Store(tmp_path / "d.db") as store:
        for id, day, text in texts:
            store.add(result(article(id, text, day.isoformat() if day else None)))
        found = find_discrepancies(store, timeline(store))
    (group,) = found.figures
    assert group.native_currency == "KRW" and group.native_value == pytest.approx(1.5e12)
    verdicts = {r.article: r.verdict for r in group.reports}
    assert verdicts == {"f1": EXPLAINED, "f2": EXPLAINED, "f3": NOT_EXPLAINED, "f4": UNDATED_CONSISTENT}
    f3 = next(r for r in group.reports if r.article == "f3")
    assert f3.deviation == pytest.approx(-0.05 / 1.05, abs=0.003)
    assert "not explained" in f3.explanation()
    assert [r.article for r in group.explained] == ["f1", "f2", "f4"] or \
        sorted(r.article for r in group.explained) == ["f1", "f2", "f4"]


def test_the_same_figure_everywhere_is_no_discrepancy(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as store:
        for id in ("s1", "s2"):
            store.add(result(article(id, "Freedonia offered Sylvania a 10 percent increase over "
                                         "2 billion yen ($18 million).", "2020-03-10")))
        assert find_discrepancies(store, timeline(store)).figures == ()


def test_a_denied_report_is_a_conflicting_claim(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as store:
        store.add(result(article("c1", "Freedonia reportedly offered Sylvania $7 million a year.")))
        store.add(result(article("c2", "Officials denied that Freedonia offered Sylvania $7 million a year.")))
        store.add(result(article("c3", "Sylvania demanded $9 million a year.")))
        claims = conflicting_claims(timeline(store))
    (claim,) = claims
    assert claim.stating == ("c1",) and claim.denying == ("c2",)
    assert "denied in 1" in claim.summary()


def _check_seed(found) -> None:  # type: ignore[no-untyped-def]
    krw = [g for g in found.figures if g.native_currency == "KRW" and abs(g.native_value - 1.04e12) < 1e10]
    assert len(krw) == 1, [g.summary() for g in found.figures]
    group = krw[0]
    stated = {round(v / 1e6) for v in group.stated_values}
    assert {850, 875, 896} <= stated
    verdict = {round(r.stated_value / 1e6): r.verdict for r in group.reports}
    assert verdict[850] == EXPLAINED and verdict[875] == EXPLAINED
    assert verdict[896] in (EXPLAINED, UNDATED_CONSISTENT)
    if 870 in stated:
        assert all(r.verdict == NOT_EXPLAINED for r in group.reports if round(r.stated_value / 1e6) == 870)
    return stated


def test_gold_seed_discrepancy_explanation(gold_db: Path) -> None:
    with Store(gold_db) as store:
        found = find_discrepancies(store, timeline(store))
    assert _check_seed(found) == {850, 870, 875, 896}


@pytest.mark.slow
def test_seed_discrepancy_explanation(seed_db: Path) -> None:
    with Store(seed_db) as store:
        found = find_discrepancies(store, timeline(store))
    assert {850, 875, 896} <= _check_seed(found)


def test_a_claim_one_outlet_reports_and_the_party_denies_is_a_conflicting_claim() -> None:
    from parley.corpus.claims import denies
    from parley.corpus.discrepancies import conflicting_claims
    from parley.corpus.timeline import merge
    from parley.records import Amount, Event, Evidence
    from test_timeline import stored

    def said(article: str, sentence: str, status: str = "asserted") -> Event:
        return Event(article=article, type="offer", actor="bidder", target="target", status=status,
                     amount=Amount(480.0, "GBX", "share"), evidence=(Evidence(sentence, 0, len(sentence)),))
    entries = merge([
        stored(1, said("p1", "Bidder has raised its offer to 480p a share, the paper said.", "reported"),
               "2021-05-03"),
        stored(2, said("p2", "Bidder denied that it had raised its offer to 480p a share."), "2021-05-04"),
    ])
    (claim,) = conflicting_claims(entries)
    assert claim.stating == ("p1",) and claim.denying == ("p2",)
    # Rejecting an offer is not denying it; denying reports of it is.
    assert not denies("asserted", ("The board rejected the offer of 480p a share.",))
    assert denies("asserted", ("The company dismissed reports that it would pay 480p.",))
    assert denies("asserted", ("It denied raising the bid.",))
    assert denies("denied", ())
