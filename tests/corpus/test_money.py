"""Money is written one way everywhere: `show`, the timeline, positions and the report."""
from __future__ import annotations

from parley.cli.tables import format_amount
from parley.corpus.money import describe_amount, format_money
from parley.records import Amount, Change


def test_show_and_positions_write_a_figure_the_same_way() -> None:
    amount = Amount(1.04e12, "KRW", usd=8.5e8)
    assert format_money(1.04e12, "KRW") == "1.04 trillion KRW"
    assert format_amount(amount) == "1.04 trillion KRW = $850 million"
    assert describe_amount(amount) == "1.04 trillion KRW"


def test_dollars_take_the_sign_and_small_figures_keep_their_cents() -> None:
    assert format_money(5e9, "USD") == "$5 billion"
    assert format_money(950.5, "EUR") == "950.5 EUR"
    assert format_money(None, "USD") == "?"


def test_a_change_on_a_base_is_described_with_the_figure_it_implies() -> None:
    amount = Amount(None, None, change=Change(percent=13.0, base=Amount(1.0e12, "KRW")))
    assert describe_amount(amount) == "1.13 trillion KRW (+13% on 1 trillion KRW)"
