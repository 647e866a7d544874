"""Money as the world writes it: currency forms on either side, number formats, scale letters."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.analysis.amounts import find_amounts, parse_amount
from parley.analysis.money_formats import currency_forms, glued_dollar, parse_number


def money(text: str) -> tuple[float, str]:
    found = [a for a in find_amounts(text) if a.is_money]
    assert len(found) == 1, [(a.text, a.value, a.currency) for a in found]
    a = found[0]
    assert text[a.start:a.end] == a.text
    return a.value, a.currency  # type: ignore[return-value]


@pytest.mark.parametrize("text, value, currency", [
    # the symbol after the number, comma decimals
    ("The ticket costs 34,50 € at the door.", 34.5, "EUR"),
    ("Dinner was 49,96€ for two.", 49.96, "EUR"),
    ("The fee is 249,00 EUR a head.", 249.0, "EUR"),
    # space, dot and apostrophe grouping
    ("A flat there sells for 1 995 000 Kč now.", 1_995_000.0, "CZK"),
    ("The stall charges Rp 31.500 for a plate.", 31_500.0, "IDR"),
    ("The watch is listed at CHF 1'049,95 online.", 1049.95, "CHF"),
    ("The car went for € 2.109,00 at auction.", 2109.0, "EUR"),
    ("He paid 10 000 dollars in cash.", 10_000.0, "USD"),
    ("The old price was PTE 120 000 000 for the estate.", 120_000_000.0, "PTE"),
    # local forms of the currency, and ISO codes in any case
    ("The bill came to 419 руб. in the end.", 419.0, "RUB"),
    ("Rent is 2 660 руб a week.", 2660.0, "RUB"),
    ("A coffee costs 12 zł here.", 12.0, "PLN"),
    ("The jacket was 3,990 Ft in the sale.", 3990.0, "HUF"),
    ("The box cost 3,500円 in Osaka.", 3500.0, "JPY"),
    ("Lunch was 12,000원 near the station.", 12_000.0, "KRW"),
    ("The handset sells for 423.923 KD in Kuwait.", 423.923, "KWD"),
    ("Shipping adds 25 pln to the order.", 25.0, "PLN"),
    ("The factory paid rmb 100 a day.", 100.0, "CNY"),
    # codes glued to the dollar sign, or after the figure
    ("The fare is SGD$4.90 one way.", 4.9, "SGD"),
    ("Ottawa set aside C $ 300 million for it.", 300e6, "CAD"),
    ("The order totalled $1,190.00 AUD with tax.", 1190.0, "AUD"),
    # scale letters
    ("The fund holds 30 MUSD in bonds.", 30e6, "USD"),
    ("Its GDP is about $2.174T by that measure.", 2.174e12, "USD"),
    ("She has €10M in savings.", 10e6, "EUR"),
])
def test_money_formats(text: str, value: float, currency: str) -> None:
    got_value, got_currency = money(text)
    assert math.isclose(got_value, value, rel_tol=1e-9)
    assert got_currency == currency


@pytest.mark.parametrize("text, value", [
    ("SHARES PRICED AT $5 EACH", 5.0),   # not euros for Austria's "AT"
    ("PROFIT ROSE TO $5 BILLION", 5e9),  # not pa'anga for Tonga's "TO"
])
def test_headline_words_before_a_dollar_sign_are_not_its_country(text: str, value: float) -> None:
    assert money(text) == (value, "USD")


@pytest.mark.parametrize("text", [
    "TOP 5 FIRMS CUT JOBS",                     # ISO codes that are words
    "ALL 5 MEMBERS AGREED",
    "The plane carried 250 mcf of gas.",       # a unit, not the Monegasque franc
    "They walked 5 KM to the border.",          # kilometres, not convertible marks
    "The top 10 firms all agreed.",             # "top" is a word, not pa'anga
    "Article 1,2 and 3 were struck out.",
])
def test_words_and_units_are_not_money(text: str) -> None:
    assert [a for a in find_amounts(text) if a.is_money] == []


@pytest.mark.parametrize("text, value, currency", [
    ("The fine was thirteen dollars and forty-five cents.", 13.45, "USD"),
    ("Parking costs 3 dollars 50 cents an hour.", 3.5, "USD"),
    ("Each share gets $3 and 50 cents.", 3.5, "USD"),
    ("The fund lent two hundred million dollars.", 200e6, "USD"),
    ("Tickets are four hundred and fifty euros each.", 450.0, "EUR"),
    ("The stamp now costs 50 cents.", 0.5, "USD"),
    ("The levy is forty Australian cents a litre.", 0.4, "AUD"),
    ("The bid values each share at 480p.", 4.8, "GBP"),
    ("A bag costs 5 pence now.", 0.05, "GBP"),
    ("The fee is 50¢ per call.", 0.5, "USD"),
])
def test_words_cents_and_pence(text: str, value: float, currency: str) -> None:
    got_value, got_currency = money(text)
    assert math.isclose(got_value, value, rel_tol=1e-9)
    assert got_currency == currency


@pytest.mark.parametrize("text", [
    "She bought two pounds of apples.",
    "Ten won the vote for the motion.",
    "The screen shows 1080p video.",
])
def test_everyday_words_in_words_are_not_money(text: str) -> None:
    assert [a for a in find_amounts(text) if a.is_money] == []


def test_from_a_bare_figure_to_money() -> None:
    found = find_amounts("Wages rose from 26 to 50 euros a day.")
    assert len(found) == 1
    wage = found[0]
    assert (wage.text, wage.value, wage.currency) == ("from 26 to 50 euros a day", 50.0, "EUR")
    assert wage.previous is not None and (wage.previous.value, wage.previous.currency) == (26.0, "EUR")
    # The old figure takes the new one's scale when it has none of its own.
    budget = find_amounts("The budget went from 5 to 7 billion dollars.")[0]
    assert budget.previous is not None and budget.previous.value == 5e9
    # A year is not an old price.
    assert find_amounts("Dividends went from 2019 to $7 a share.")[0].previous is None


def test_lakh_grouping() -> None:
    assert money("The flat sold for Rs 1,50,000 last year.") == (150_000.0, "INR")
    assert money("The scheme cost Rs 12,34,56,789 in all.") == (123_456_789.0, "INR")


def test_brackets_are_negative_only_in_a_table() -> None:
    table = "Net income    ($12.5m)    $14.3m\nRevenue    $100m    $90m"
    found = [(a.text, a.value) for a in find_amounts(table)]
    assert found[0] == ("($12.5m)", -12.5e6) and found[1] == ("$14.3m", 14.3e6)
    assert [a.value for a in find_amounts("Loss\t(€5,000)\t€3,000")] == [-5000.0, 3000.0]
    # In prose brackets hold an aside or an equivalent.
    assert money("The annual revenue is ($99.99).") == (99.99, "USD")
    assert money("Sales  rose to a record.  The fee ($20) was waived.") == (20.0, "USD")


def test_news_forms_keep_their_meaning() -> None:
    # English grouping and decimals, a thousand billion, and a share price
    assert money("It issued 1,000 billion yen of bonds.") == (1e12, "JPY")
    assert money("Shares closed at $1.125 on Friday.") == (1.125, "USD")
    assert money("The bid was $1.125 billion.") == (1.125e9, "USD")
    assert money("Each ticket was $1,250.") == (1250.0, "USD")


@pytest.mark.parametrize("written, kwargs, value", [
    ("1,234", {}, 1234.0),
    ("1.234", {}, 1.234),
    ("31.500", {"decimals": 0}, 31500.0),
    ("1.125", {"scaled": True, "decimals": 0}, 1.125),
    ("423,923", {"decimals": 3}, 423.923),
    ("1 298,00", {}, 1298.0),
    ("9.990,00", {}, 9990.0),
    ("6,000.00", {}, 6000.0),
    ("50,-", {}, 50.0),
    (".75", {}, 0.75),
])
def test_parse_number(written: str, kwargs: dict, value: float) -> None:
    assert parse_number(written, **kwargs) == value


def test_currency_forms_come_from_the_table_and_babel() -> None:
    forms = currency_forms()
    assert forms.symbols["$"] == "USD"          # parley's table decides shared forms
    assert forms.symbols["Kč"] == "CZK"         # CLDR, through babel
    assert forms.symbols["руб."] == "RUB"       # a local form from the table
    assert forms.codes["pln"] == "PLN"
    assert "top" not in forms.codes
    assert forms.minor_digits["KWD"] == 3
    assert glued_dollar("SGD") == "SGD" and glued_dollar("NZ") == "NZD" and glued_dollar("I") is None


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.01", max_value="9999999.99", places=2),
       st.sampled_from(["{n} €", "€ {n}", "{n} EUR", "EUR {n}"]),
       st.sampled_from([(".", ","), (" ", ","), ("'", ","), (",", ".")]))
def test_grouped_numbers_round_trip(number: object, layout: str, marks: tuple[str, str]) -> None:
    group, decimal = marks
    whole, cents = f"{number:,.2f}".split(".")
    written = whole.replace(",", group) + decimal + cents
    a = parse_amount("Price " + layout.format(n=written))
    assert a is not None and a.currency == "EUR"
    assert math.isclose(a.value, float(number), rel_tol=1e-9)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,'’-€$£¥Kčzłруб.RpEURusdTMk()\u00a0"
                                             "abc")), max_size=60))
def test_money_alphabet_never_crashes_and_offsets_hold(text: str) -> None:
    for a in find_amounts(text):
        assert 0 <= a.start < a.end <= len(text)
        assert a.text == text[a.start:a.end]
        assert a.value is None or math.isfinite(a.value)
