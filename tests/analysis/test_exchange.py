"""Exchange: US dollar values at the ECB reference rate, offline, never raising."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from parley.analysis.exchange import EURO_LEGACY_RATES, reference_rate, to_usd

ECB_START = dt.date(1999, 1, 4)


def test_eur_on_a_day_within_the_history() -> None:
    # The ECB reference rate of 28 March 2014 was 1.3759 USD per EUR.
    usd, used = to_usd(100.0, "EUR", dt.date(2014, 3, 28))
    assert usd is not None and math.isclose(usd, 137.59, rel_tol=1e-6)
    assert used == dt.date(2014, 3, 28)


def test_before_the_history_uses_its_first_day() -> None:
    usd, used = to_usd(100.0, "EUR", dt.date(1987, 3, 9))
    first, _ = to_usd(100.0, "EUR", ECB_START)
    assert used == ECB_START and usd == first


def test_legacy_currency_goes_through_the_euro() -> None:
    day = dt.date(2002, 6, 3)
    eur, eur_day = to_usd(100.0, "EUR", day)
    dem, dem_day = to_usd(195.583, "DEM", day)
    assert eur is not None and dem is not None and math.isclose(dem, eur, rel_tol=1e-9)
    assert dem_day == eur_day == day
    frf, _ = to_usd(EURO_LEGACY_RATES["FRF"] * 100, "FRF", day)
    assert frf is not None and math.isclose(frf, eur, rel_tol=1e-9)


def test_legacy_currency_before_1999() -> None:
    usd, used = to_usd(1000.0, "DEM", dt.date(1987, 3, 9))
    assert used == ECB_START and usd is not None and 400 < usd < 700


@pytest.mark.parametrize("currency", ["XYZ", "", "BRC", "not a code"])
def test_unknown_currency_is_unresolved(currency: str) -> None:
    assert to_usd(100.0, currency, dt.date(2020, 5, 6)) == (None, None)
    assert reference_rate("USD", currency, dt.date(2020, 5, 6)) == (None, None)


def test_usd_is_itself() -> None:
    assert to_usd(870e6, "USD", dt.date(2020, 5, 6)) == (870e6, dt.date(2020, 5, 6))
    assert to_usd(5.0, "usd", None) == (5.0, None)


def test_bad_values_never_raise() -> None:
    assert to_usd(float("nan"), "EUR", None) == (None, None)
    assert to_usd("lots", "EUR", None) == (None, None)  # type: ignore[arg-type]


def test_krw_per_usd() -> None:
    rate, used = reference_rate("USD", "KRW", dt.date(2020, 5, 6))
    assert rate is not None and 1100 < rate < 1300 and used == dt.date(2020, 5, 6)
    inverse, _ = reference_rate("KRW", "USD", dt.date(2020, 5, 6))
    assert inverse is not None and math.isclose(rate * inverse, 1.0, rel_tol=1e-9)


def test_no_day_means_the_latest_rate() -> None:
    rate, used = reference_rate("EUR", "USD", None)
    assert rate is not None and used is not None and used > dt.date(2020, 1, 1)


def test_a_datetime_is_read_as_its_day() -> None:
    usd, used = to_usd(100.0, "EUR", dt.datetime(2014, 3, 28, 15, 40))
    assert used == dt.date(2014, 3, 28) and usd is not None
