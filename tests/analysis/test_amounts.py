"""Amounts: money, percentages and factors in text, relative amounts resolved."""
from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.amounts import find_amounts, parse_amount
from parley.records import Amount

DAY = dt.date(2020, 5, 6)
SHARED = Path(__file__).resolve().parents[3] / "shared"


def only(text: str, day: dt.date | None = DAY) -> Amount:
    found = find_amounts(text, day)
    assert len(found) == 1, [a.text for a in found]
    a = found[0]
    assert text[a.start:a.end] == a.text
    return a


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


# --- money --------------------------------------------------------------------

MONEY = [
    # sentence, amount text, value, currency, period
    ("The deal is worth 1.04 trillion won over five years.", "1.04 trillion won", 1.04e12, "KRW", None),
    ("Analysts put it at $850 million in total.", "$850 million", 850e6, "USD", None),
    ("The group raised $5bn last week.", "$5bn", 5e9, "USD", None),
    ("A bid of £1.8bn was tabled.", "£1.8bn", 1.8e9, "GBP", None),
    ("The club is valued at £800m by the bidders.", "£800m", 800e6, "GBP", None),
    ("He moved north for £6.5m in the summer.", "£6.5m", 6.5e6, "GBP", None),
    ("The brewer spent A$584m on the stake.", "A$584m", 584e6, "AUD", None),
    ("They tabled an A$4.17-a-share proposal.", "A$4.17-a-share", 4.17, "AUD", "share"),
    ("They offered 3.1bn Australian dollars in cash.", "3.1bn Australian dollars", 3.1e9, "AUD", None),
    ("The fee was DM 300 per visit.", "DM 300", 300.0, "DEM", None),
    ("Each worker gets 300 marks in cash.", "300 marks", 300.0, "DEM", None),
    ("Tokyo will spend 50 billion yen on it.", "50 billion yen", 50e9, "JPY", None),
    ("Profit was 2.3 mln dlrs in the quarter.", "2.3 mln dlrs", 2.3e6, "USD", None),
    ("The bidder offers 52 dlrs per share in cash.", "52 dlrs per share", 52.0, "USD", "share"),
    ("The new price is 92.50 dlrs a share.", "92.50 dlrs a share", 92.5, "USD", "share"),
    ("The bill costs $2 trillion overall.", "$2 trillion", 2e12, "USD", None),
    ("Their plan costs $1.62 trillion overall.", "$1.62 trillion", 1.62e12, "USD", None),
    ("Nobody wants to spend a trillion dollars on that.", "a trillion dollars", 1e12, "USD", None),
    ("Critics of the trillion-dollar deal spoke up.", "trillion-dollar", 1e12, "USD", None),
    ("It includes a $400 per week benefit.", "$400 per week", 400.0, "USD", "week"),
    ("The fund holds US$5 million now.", "US$5 million", 5e6, "USD", None),
    ("The bank lent €3bn to the state.", "€3bn", 3e9, "EUR", None),
    ("The project costs Rs 500 crore in all.", "Rs 500 crore", 5e9, "INR", None),
    ("A subsidy of Rs 2 lakh is paid.", "Rs 2 lakh", 2e5, "INR", None),
    ("Brussels pledged 5 billion euros to the fund.", "5 billion euros", 5e9, "EUR", None),
    ("The tower sold for HK$10m last year.", "HK$10m", 10e6, "HKD", None),
    ("The farm sold for NZ$5m last year.", "NZ$5m", 5e6, "NZD", None),
    ("The mine sold for C$2bn last year.", "C$2bn", 2e9, "CAD", None),
    ("The flat sold for S$3m last year.", "S$3m", 3e6, "SGD", None),
    ("The port sold for R$40m last year.", "R$40m", 40e6, "BRL", None),
    ("The plant sold for ¥500bn last year.", "¥500bn", 500e9, "JPY", None),
    ("The yard sold for ₩3 trillion last year.", "₩3 trillion", 3e12, "KRW", None),
    ("The tower sold for ₹20 crore last year.", "₹20 crore", 2e8, "INR", None),
    ("The fine was CHF 10m in the end.", "CHF 10m", 10e6, "CHF", None),
    ("The loan is USD 5 million at most.", "USD 5 million", 5e6, "USD", None),
    ("The bank paid 10 million Swiss francs to settle.", "10 million Swiss francs", 10e6, "CHF", None),
    ("The plant cost 2 million cruzados to build.", "2 million cruzados", 2e6, "BRC", None),
    ("Miners earn 300 rand more now.", "300 rand", 300.0, "ZAR", None),
    ("The mayor spent 5 million pesos on roads.", "5 million pesos", 5e6, "MXN", None),
    ("Manila set aside 3 billion Philippine pesos.", "3 billion Philippine pesos", 3e9, "PHP", None),
    ("Buenos Aires paid 7 million Argentine pesos.", "7 million Argentine pesos", 7e6, "ARS", None),
    ("The island paid 9 million Hong Kong dollars.", "9 million Hong Kong dollars", 9e6, "HKD", None),
    ("The chipmaker paid 4 billion New Taiwan dollars.", "4 billion New Taiwan dollars", 4e9, "TWD", None),
    ("The miner paid 8 million Canadian dollars.", "8 million Canadian dollars", 8e6, "CAD", None),
    ("Allies paid about $1.3 billion a year.", "$1.3 billion a year", 1.3e9, "USD", "year"),
    ("Rent is $2,500 a month there.", "$2,500 a month", 2500.0, "USD", "month"),
    ("They pay $5 million annually.", "$5 million annually", 5e6, "USD", "year"),
    ("They pay $7 million per year.", "$7 million per year", 7e6, "USD", "year"),
    ("They pay $3 million per month.", "$3 million per month", 3e6, "USD", "month"),
    ("They pay $4 million per annum.", "$4 million per annum", 4e6, "USD", "year"),
    ("Five million pounds changed hands.", "Five million pounds", 5e6, "GBP", None),
]


@pytest.mark.parametrize("sentence, text, value, currency, period", MONEY)
def test_money(sentence: str, text: str, value: float, currency: str, period: str | None) -> None:
    a = only(sentence)
    assert a.text == text
    assert close(a.value, value)
    assert a.currency == currency
    assert a.period == period
    assert a.change is None


def test_period_is_not_a_time_reference() -> None:
    a = only("It earned $5 million a year ago.")
    assert a.text == "$5 million" and a.period is None


@pytest.mark.parametrize("sentence", [
    "Troops numbered 28,500 in 2019.",
    "Some 4,000 workers lost their jobs on Jan. 14.",
    "The 5th round starts at 10:30 a.m.; call 555-1234 for details.",
    "The team won 3 games and he won the vote.",
    "Democrats won 2 seats.",
    "2020 marks the end of an era.",
    "The match ended 3-1 and she scored 2 goals.",
    "Prices are quoted in 2019 dollars.",
    "He carried 300 pounds of feed.",
    "",
])
def test_not_amounts(sentence: str) -> None:
    assert find_amounts(sentence, DAY) == []


def test_won_is_currency_only_after_a_number() -> None:
    amounts = find_amounts("Seoul won praise for paying 500 billion won.", DAY)
    assert [(a.text, a.currency) for a in amounts] == [("500 billion won", "KRW")]


def test_approximate() -> None:
    assert only("They want about $5 billion.").approximate
    assert only("They want at least $40 billion.").approximate
    assert only("They want more than $2 billion.").approximate
    assert not only("They want $5 billion.").approximate


# --- percentages and factors ----------------------------------------------------

PERCENTS = [
    ("Pay rose 13 percent in March.", 13.0),
    ("Pay rose 13% in March.", 13.0),
    ("Strikers want 275 pct in back pay.", 275.0),
    ("Employers offered 2.7 pct on Monday.", 2.7),
    ("The spread is one full percentage point over Libor.", 1.0),
    ("The spread is 7/8 percentage points over Libor.", 0.875),
    ("The spread stood at 5/8 points over Libor.", 0.625),
    ("The spread stood at 1-1/8 points over Libor.", 1.125),
    ("The union wants five pct in the end.", 5.0),
    ("The union wants ten percent in the end.", 10.0),
    ("The bank cut rates by 50 basis points today.", 0.5),
    ("Inflation was 13 per cent last year.", 13.0),
]


@pytest.mark.parametrize("sentence, percent", PERCENTS)
def test_percent(sentence: str, percent: float) -> None:
    a = only(sentence)
    assert a.value is None and a.currency is None
    assert a.change is not None and close(a.change.percent, percent)
    assert a.change.factor is None


@pytest.mark.parametrize("sentence, factor", [
    ("Costs grew fivefold in a decade.", 5.0),
    ("Costs grew five-fold in a decade.", 5.0),
    ("Costs grew 2.5-fold in a decade.", 2.5),
    ("They asked for a threefold increase in the end.", 3.0),
    ("Costs doubled in a decade.", 2.0),
    ("They want to triple the budget soon.", 3.0),
])
def test_factor(sentence: str, factor: float) -> None:
    a = only(sentence)
    assert a.change is not None and a.change.factor == factor and a.value is None


def test_percent_direction_words_are_part_of_the_amount() -> None:
    a = only("The union rejected a 10 percent cut on Friday.")
    assert a.text == "10 percent cut" and a.change is not None and a.change.percent == -10.0
    b = only("Workers seek a 275 pct pay increase.")
    assert b.text == "275 pct pay increase" and b.change is not None and b.change.percent == 275.0


# --- equivalents, old and new values --------------------------------------------

def test_parenthesised_equivalent() -> None:
    a = only("The allies paid 1.04 trillion won ($850 million) last year.")
    assert a.text == "1.04 trillion won ($850 million)"
    assert close(a.value, 1.04e12) and a.currency == "KRW"
    assert a.equivalent is not None and close(a.equivalent.value, 850e6)
    assert a.equivalent.currency == "USD" and a.equivalent.text == "$850 million"
    assert close(a.implied_rate, 1.04e12 / 850e6)


def test_first_of_several_equivalents() -> None:
    a = only("A bid worth 3.1bn Australian dollars ($2.3bn; £1.8bn) was refused.")
    assert a.currency == "AUD" and close(a.value, 3.1e9)
    assert a.equivalent is not None and a.equivalent.currency == "USD"
    assert close(a.equivalent.value, 2.3e9)
    assert close(a.implied_rate, 3.1 / 2.3)


def test_from_old_to_new() -> None:
    a = only("Washington cut its demand from $5 billion to $3.9 billion.")
    assert a.text == "from $5 billion to $3.9 billion"
    assert close(a.value, 3.9e9) and a.previous is not None and close(a.previous.value, 5e9)


def test_to_new_from_old() -> None:
    a = only("The buyer raised its bid to 92.50 dlrs a share from 80 dlrs a share.")
    assert close(a.value, 92.5) and a.period == "share"
    assert a.previous is not None and close(a.previous.value, 80.0)


# --- relative amounts ------------------------------------------------------------

def test_percent_increase_over_a_base() -> None:
    a = only("Seoul offered a 13 percent increase over the 1.04 trillion won it paid.")
    assert close(a.value, 1.1752e12) and a.currency == "KRW"
    assert a.change is not None and a.change.percent == 13.0
    assert a.change.base is not None and close(a.change.base.value, 1.04e12)
    assert a.change.base.currency == "KRW"
    assert a.text == "13 percent increase over the 1.04 trillion won"


def test_base_after_a_possessive_and_an_equivalent() -> None:
    a = only("They refused a 13 percent hike from last year's deal of around "
             "1.04 trillion won ($875 million) on Monday.")
    assert close(a.value, 1.1752e12) and a.currency == "KRW"
    assert a.change is not None and a.change.percent == 13.0
    assert a.change.base is not None and close(a.change.base.value, 1.04e12)
    assert a.change.base.equivalent is not None
    assert a.text.endswith("($875 million)") and a.approximate


def test_factor_with_a_target() -> None:
    a = only("He demanded a fivefold increase from the ally to about $5 billion per year.")
    assert close(a.value, 5e9) and a.currency == "USD" and a.period == "year"
    assert a.change is not None and a.change.factor == 5.0 and a.change.base is None
    assert a.text.startswith("fivefold") and a.text.endswith("per year")


def test_money_then_its_change() -> None:
    a = only("They asked for $1.3 billion a year -- an increase of about 50 percent "
             "from the previous year.")
    assert close(a.value, 1.3e9) and a.period == "year"
    assert a.change is not None and a.change.percent == 50.0 and a.change.base is None


def test_money_then_up_a_percent() -> None:
    a = only("It paid $870 million, up 10 percent from the year before.")
    assert close(a.value, 870e6) and a.change is not None and a.change.percent == 10.0


def test_degenerate_numbers_are_not_amounts() -> None:
    assert find_amounts("A spread of 5/0 percent or 0/0 points, and 0-fold.", DAY) == []
    assert find_amounts("$" + "9" * 400 + " trillion", DAY) == []


def test_percent_without_a_base() -> None:
    a = only("Seoul would raise its share by at least 13 percent from last year.")
    assert a.value is None and a.change is not None and a.change.percent == 13.0
    assert a.approximate


def test_decrease_from_a_base() -> None:
    a = only("Managers proposed a 10 percent cut from $20 million.")
    assert close(a.value, 18e6) and a.currency == "USD"
    assert a.change is not None and a.change.percent == -10.0
    assert a.change.base is not None and close(a.change.base.value, 20e6)


def test_factor_over_a_base() -> None:
    a = only("They want a threefold increase over the $2 billion paid now.")
    assert close(a.value, 6e9) and a.change is not None and a.change.factor == 3.0


def test_percent_with_old_and_new_value() -> None:
    a = only("It is a 13 percent increase from $1 billion to $1.13 billion.")
    assert close(a.value, 1.13e9) and a.change is not None and a.change.percent == 13.0
    assert a.change.base is not None and close(a.change.base.value, 1e9)


def test_percent_without_direction_is_not_resolved_against_money() -> None:
    amounts = find_amounts("He sold 5 percent from his $1 billion fund.", DAY)
    assert [a.value for a in amounts] == [None, 1e9]


# --- region, dollars ---------------------------------------------------------------

def test_offsets_are_absolute_within_a_region() -> None:
    text = "First $5 million. Then $7 million. Last $9 million."
    amounts = find_amounts(text, DAY, start=18, end=34)
    assert [a.text for a in amounts] == ["$7 million"]
    assert text[amounts[0].start:amounts[0].end] == "$7 million"


def test_usd_conversion_on_the_day() -> None:
    a = only("They paid 1.04 trillion won in 2019.")
    assert a.usd is not None and 700e6 < a.usd < 1000e6
    assert a.usd_rate_date == DAY
    b = only("They paid $870 million.")
    assert b.usd == 870e6 and b.usd_rate_date == DAY


def test_no_day_no_conversion() -> None:
    a = only("They paid 1.04 trillion won.", day=None)
    assert a.usd is None and a.usd_rate_date is None


def test_parse_amount() -> None:
    a = parse_amount("1.04 trillion won ($850 million)")
    assert a is not None and close(a.value, 1.04e12) and a.equivalent is not None
    assert parse_amount("no money here") is None
    assert parse_amount("") is None


def test_as_dict_shape() -> None:
    d = only("Seoul offered a 13 percent increase over the 1.04 trillion won.").as_dict()
    assert d["currency"] == "KRW" and d["change"]["percent"] == 13.0
    assert d["change"]["base"] == {"value": 1.04e12, "currency": "KRW"}
    json.dumps(d)


# --- properties ----------------------------------------------------------------------

PIECES = ["$5", "5", "billion", "million", "bn", "m", "won", "marks", "dollars", "Australian",
          "percent", "pct", "%", "7/8", "points", "fivefold", "doubled", "a", "year", "share",
          "per", "from", "to", "over", "the", "increase", "cut", "of", "about", "(", ")", ";",
          "--", "£1.8bn", "1.04", "trillion", "A$4.17-a-share", "Rs", "crore", "last year's",
          ",", ".", "-", "one", "full", "percentage", "point", "HK$", "C$", "₩", "yen"]
phrases = st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join)
texts = st.one_of(st.text(max_size=300), phrases)


def check_invariants(text: str, amounts: list[Amount]) -> None:
    previous_end = -1
    for a in amounts:
        assert text[a.start:a.end] == a.text
        assert a.start >= previous_end and a.end > a.start
        previous_end = a.end


@settings(max_examples=300, deadline=None)
@given(texts)
def test_never_raises_and_offsets_hold(text: str) -> None:
    check_invariants(text, find_amounts(text, DAY))


@settings(max_examples=300, deadline=None)
@given(phrases)
def test_idempotent(text: str) -> None:
    for a in find_amounts(text):
        again = parse_amount(a.text)
        assert again is not None
        assert again.value == a.value and again.currency == a.currency


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.01", max_value="999999.99", places=2))
def test_dollar_millions_round_trip(number: object) -> None:
    a = parse_amount(f"${number:,} million")
    assert a is not None and a.currency == "USD"
    assert close(a.value, float(number) * 1e6)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.integers(-5, 250), st.integers(-5, 250))
def test_region_bounds_never_raise(text: str, start: int, end: int) -> None:
    for a in find_amounts(text, None, start=start, end=end):
        assert max(0, start) <= a.start and a.end <= max(0, end)


# --- the shared corpus -------------------------------------------------------------

def corpus_texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted((SHARED / "corpus" / "sma-2020").glob("*.txt"))]
    dev = SHARED / "corpus" / "dev-mixed.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text("utf-8").splitlines() if line]
    return texts


@pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="shared corpus not present")
def test_corpus_amounts_hold_their_invariants() -> None:
    found = 0
    for text in corpus_texts():
        amounts = find_amounts(text, DAY)
        check_invariants(text, amounts)
        for a in amounts:
            assert a.is_money or a.change is not None
            if a.is_money:
                assert a.currency is not None and len(a.currency) == 3 and a.value > 0  # type: ignore[operator]
        found += len(amounts)
    assert found > 50
