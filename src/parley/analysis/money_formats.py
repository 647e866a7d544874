"""How the world writes money: currency forms and number formats, for `amounts.py`.

    currency_forms()           every written form of a currency -> ISO 4217 codes
    NUMBER                     the regex of a written number ("1,234.5", "1.234,5",
                               "1 234", "1'234", "1,50,000", "1,20", "50,-")
    parse_number(s, ...)       its value, the decimal mark decided from its shape

Currency forms come from three places, the first to claim a form keeping it:
parley's own table (`resources/currencies.tsv`: news usage, "dollars" is USD),
CLDR through babel (the symbol each country's main language writes for its
currency, "Kč", "zł", "₽", "Rp", and every ISO code), and the common local forms
babel does not know ("руб.", "KD", "元"), which are the `local` rows of the
same table. A form shared by several currencies goes to the one first listed:
the table's currencies, then the ECB's, then the rest. Babel's data is read
once per process, on first use (about a second).

Numbers: a group separator (",", ".", "'", a space) is followed by exactly three
digits; a lone "," or "." is a decimal mark unless three digits follow it, and
even then ("$1.125 billion", "423.923 KD") when a scale word follows or the
currency has three decimals. When both marks appear the last one is decimal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from babel import localedata, numbers
from babel.core import get_global

from parley.analysis.exchange import ecb_currencies

# --- numbers ----------------------------------------------------------------

# Spaces that group digits: plain, no-break, narrow no-break, thin.
_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
NUMBER = (
    r"\d{1,2}(?:,\d\d)+,\d{3}(?!\d)(?:\.\d+)?"                             # 1,50,000 (lakh)
    rf"|\d{{1,3}}(?:(?:,|\.|['’]|{_GROUP_SPACE})\d{{3}}(?!\d))+(?:[.,]\d+)?"  # 1,234,567.89 1.234,5
    r"|\d+(?:[.,]\d+)?(?:,-)?"                                               # 1234.5 1,20 50,-
    r"|[.,]\d+"                                                              # .75
)
_ONLY_GROUPING = re.compile(rf"\d{{1,3}}(?:{_GROUP_SPACE}|['’])\d{{3}}")


def parse_number(written: str, *, scaled: bool = False, decimals: int = 2) -> float | None:
    """The value of a number as `NUMBER` matches it, or None when its shape is not a number.

    `scaled`: a scale word follows ("1.125 billion"), so a lone "." is decimal.
    `decimals`: the currency's minor digits: with none (yen, rupiah) "31.500" is
    thirty-one thousand five hundred; with three (Kuwaiti dinar) "423,923" is decimal.
    """
    s = written.strip().removesuffix(",-")
    s = re.sub(rf"{_GROUP_SPACE}|['’]", "", s)
    commas, dots = s.count(","), s.count(".")
    if commas and dots:
        decimal: str | None = "," if s.rfind(",") > s.rfind(".") else "."
    elif commas + dots == 0:
        decimal = None
    elif commas + dots > 1:
        decimal = None  # "1,234,567", "1.234.567": grouping
    else:
        decimal = "," if commas else "."
        head, tail = s.split(decimal)
        if len(tail) == 3 and head not in ("", "0"):
            # "1,234" is grouping in English (and "1,000 billion"); "1.234" only where
            # money has no cents and no scale word follows.
            if decimal == "," and decimals != 3 or decimal == "." and decimals == 0 and not scaled:
                decimal = None
    if decimal is None:
        digits = s.replace(",", "").replace(".", "")
    else:
        group = "." if decimal == "," else ","
        whole, _, fraction = s.replace(group, "").rpartition(decimal)
        if decimal in whole:
            return None  # "1,2,3": not one number
        digits = f"{whole}.{fraction}"
    try:
        return float(digits)
    except ValueError:
        return None


# --- currency forms ---------------------------------------------------------

# ISO codes that are words or common acronyms ("ALL", "TOP", "AMD"): read as money only
# where parley's table lists them, never from babel's list of codes.
WORDISH_CODES = frozenset("all amd ang bam bob cad cup fun gel lak mad mop nio pen sos top "
                           "try wst xxx".split())
# Symbols CLDR gives that are also units or letters in English text ("5 KM", "10 L").
_NOT_SYMBOLS = frozenset({"KM", "L", "M", "K", "S", "Q", "R", "P", "E", "D", "F", "C", "$",
                          "CF", "FC", "SR", "RF", "Kz", "Afl.", "MTn", "\u200b", "Cg."})


@dataclass(frozen=True)
class CurrencyForms:
    """Written forms of currencies, each with its ISO code."""

    symbols: dict[str, str]      # case-sensitive, before or after the number: "Kč", "zł", "R$"
    codes: dict[str, str]        # lower-case ISO codes of money in use: "pln" -> PLN
    all_codes: frozenset[str]    # every ISO code, upper case, current or not: "DEM"
    minor_digits: dict[str, int]  # "KWD" -> 3


def _table_rows() -> list[tuple[str, str, str]]:
    table = resources.files("parley").joinpath("resources/currencies.tsv").read_text("utf-8")
    rows = []
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            code, kind, forms = line.split("\t")
            rows.append((code, kind, forms))
    return rows


@lru_cache(maxsize=1)
def currency_forms() -> CurrencyForms:
    rows = _table_rows()
    order: list[str] = []
    for code in [c for c, _, _ in rows] + list(ecb_currencies()) + sorted(numbers.list_currencies()):
        if code not in order:
            order.append(code)
    rank = {code: i for i, code in enumerate(order)}

    claims: dict[str, list[str]] = {}

    def claim(form: str, code: str, *, checked: bool = False) -> None:
        form = form.replace("\u200f", "").replace("\u200e", "").replace("\u202f", " ").strip()
        if form and (checked or form not in _NOT_SYMBOLS) and not form.isdigit():
            claims.setdefault(form, []).append(code)
            if form.endswith(".") and len(form) > 2:
                claims.setdefault(form[:-1], []).append(code)  # "руб." and "руб"

    for code, kind, forms in rows:
        if kind in ("symbol", "local"):
            for form in forms.split("|"):
                claim(form, code, checked=True)
    # The symbol each country writes for its own currency, in its main language.
    likely = get_global("likely_subtags")
    for territory in get_global("territory_currencies"):
        tag = likely.get("und_" + territory)
        if not tag:
            continue
        parts = tag.split("_")
        symbols: dict[str, str] = {}
        # Unmerged files, language then country, are enough here and ten times faster.
        for ident in (parts[0], "_".join(parts[:-1]), f"{parts[0]}_{parts[-1]}", tag):
            if localedata.exists(ident):
                symbols.update(localedata.load(ident, merge_inherited=False).get("currency_symbols", {}))
        for code in numbers.get_territory_currencies(territory):
            if symbols.get(code):
                claim(symbols[code], code)
    # English names of the symbols ("CA$", "NZ$", "₹"), for every currency.
    for code, symbol in localedata.load("en").get("currency_symbols", {}).items():
        if symbol != code:
            claim(symbol, code)

    symbols = {form: min(codes, key=lambda c: rank.get(c, len(rank))) for form, codes in claims.items()}
    all_codes = sorted(numbers.list_currencies())
    # In lower case only the codes of money in use today ("25 pln"), not "mcf" (a
    # Monegasque franc, and a thousand cubic feet).
    current = {c for t in get_global("territory_currencies") for c in numbers.get_territory_currencies(t)}
    codes = {c.lower(): c for c in all_codes if c in current and c.lower() not in WORDISH_CODES}
    digits = {c: numbers.get_currency_precision(c) for c in all_codes}
    return CurrencyForms(symbols, codes, frozenset(all_codes), digits)


def glued_dollar(prefix: str, *, spaced: bool = False) -> str | None:
    """The currency of "SGD$", "NZ$", "C $": an ISO code, or a country's two letters, before "$".

    With a space between them only an ISO code that is not a word, or "C", counts: in a
    headline "PRICED AT $5" and "ROSE TO $5" are dollars, not euros and pa'anga."""
    prefix = prefix.strip().upper()
    if len(prefix) == 3 and prefix in currency_forms().all_codes:
        return None if spaced and prefix.lower() in WORDISH_CODES else prefix
    if len(prefix) == 2 and not spaced:
        found = numbers.get_territory_currencies(prefix)
        return found[0] if found else None
    return {"C": "CAD", "CAN": "CAD", "CDN": "CAD"}.get(prefix)
