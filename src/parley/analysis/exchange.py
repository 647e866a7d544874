"""Exchange rates: money to US dollars at the ECB reference rate of a day.

The rates come from the ECB history shipped inside the `currencyconverter`
package, so conversion is offline and reproducible. Nothing here raises: an
amount that cannot be converted comes back as ``(None, None)``, unresolved
rather than guessed.
"""
from __future__ import annotations

import datetime as dt
import math
import threading
from importlib import resources
from typing import Any

# Fixed conversion rates of the currencies the euro replaced (units per EUR,
# Council Regulation 2866/98 and later accessions). The ECB history has none
# of them, so they are converted through the euro.
EURO_LEGACY_RATES: dict[str, float] = {
    "DEM": 1.95583, "FRF": 6.55957, "ITL": 1936.27, "ESP": 166.386, "NLG": 2.20371,
    "BEF": 40.3399, "ATS": 13.7603, "PTE": 200.482, "FIM": 5.94573, "IEP": 0.787564,
    "GRD": 340.75, "LUF": 40.3399,
}

_converter: Any = None
_converter_lock = threading.Lock()


def _ecb() -> Any:
    """The converter, built on first use: loading the history takes ~0.3 s."""
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                from currency_converter import CurrencyConverter
                _converter = CurrencyConverter(fallback_on_missing_rate=True,
                                               fallback_on_wrong_date=True)
    return _converter


def ecb_currencies() -> tuple[str, ...]:
    """The currencies the ECB reference rates cover, and those the euro replaced.

    Read from the header of the latest rates shipped with `currencyconverter`, which
    is much cheaper than loading the history."""
    header = resources.files("currency_converter").joinpath("eurofxref.csv").read_text().splitlines()[0]
    ecb = {c.strip() for c in header.split(",")[1:] if c.strip()}
    return tuple(sorted(ecb | {"EUR"} | set(EURO_LEGACY_RATES)))


def _rate_day(codes: tuple[str, ...], day: dt.date | None) -> dt.date:
    """The day whose rates are used: `day` clamped into the span every code has.

    Clamping ourselves (rather than letting the converter fall back per
    currency) keeps both legs of a cross rate on the same day, and lets us
    report that day.
    """
    ecb = _ecb()
    first = max(ecb.bounds[c].first_date for c in codes)
    last = min(ecb.bounds[c].last_date for c in codes)
    if day is None or day > last:
        return last
    return max(day, first)


def _euro_leg(currency: str) -> tuple[str, float]:
    """The ECB currency to convert through and how many of `currency` make one of it."""
    code = currency.upper()
    if code in EURO_LEGACY_RATES:
        return "EUR", EURO_LEGACY_RATES[code]
    return code, 1.0


def reference_rate(base: str, quote: str,
                   day: dt.date | None) -> tuple[float | None, dt.date | None]:
    """Units of `quote` per unit of `base` (KRW per USD: ``reference_rate("USD", "KRW", d)``).

    Returns the rate and the date of the ECB rates actually used. `day` None
    means the latest rate in the history. For a day before the ECB history
    starts (1999-01-04, later for some currencies) the first available rate
    is used and its date returned; likewise the last one after it ends.
    Currencies the euro replaced (DEM, FRF, ITL, ...) go through the euro at
    their fixed conversion rates: an approximation for pre-1999 dates, when
    they floated. Unknown currencies give ``(None, None)``.
    """
    if day is not None and isinstance(day, dt.datetime):
        day = day.date()
    try:
        base_code, base_units = _euro_leg(base)
        quote_code, quote_units = _euro_leg(quote)
        ecb = _ecb()
        if base_code not in ecb.currencies or quote_code not in ecb.currencies:
            return None, None
        used = _rate_day((base_code, quote_code), day)
        if base_code == quote_code:
            rate = 1.0
        else:
            rate = float(ecb.convert(1.0, base_code, quote_code, date=used))
        return rate * quote_units / base_units, used
    except Exception:  # noqa: BLE001 - the converter's errors must not reach callers
        return None, None


def to_usd(value: float, currency: str,
           day: dt.date | None) -> tuple[float | None, dt.date | None]:
    """`value` of `currency` in US dollars at the ECB reference rate of `day`.

    Returns the USD value and the date of the rate actually used. A USD value
    is returned as is, dated `day`. Before the ECB history starts (1999-01-04,
    later for some currencies) the first available rate is used and that
    first date returned; `day` None means the latest rate. Legacy euro-area
    currencies (DEM, FRF, ITL, ESP, NLG, BEF, ATS, PTE, FIM, IEP, GRD, LUF)
    are converted through the euro at the fixed euro conversion rates, an
    approximation for pre-1999 dates. Any other unknown currency, or a value
    that is not a finite number, gives ``(None, None)``; this never raises.
    """
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return None, None
    if not currency or not math.isfinite(amount):
        return None, None
    if currency.upper() == "USD":
        return amount, day.date() if isinstance(day, dt.datetime) else day
    rate, used = reference_rate(currency, "USD", day)
    if rate is None:
        return None, None
    return amount * rate, used
