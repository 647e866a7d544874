"""How well parley reads money, on its peers' own test cases.

    python benchmarks/bench_money.py ../shared/bench/money-formats.jsonl [--peers] [--misses N]

The cases file holds one case a line: `text`, optional `hint` and
`decimal_separator` (a peer's extra arguments, which parley does not take) and
`expected`, a list of {`value`, `currency` (the ISO codes it may stand for),
`written` (how the text writes the currency), `span`}. Each expected amount is
matched to the money parley finds: the one overlapping `span` when the case
gives one, else the first. Counted per expected amount:

    found     parley read some money there
    value     ... with the expected value (relative difference under 1e-6)
    currency  ... with one of the expected currencies
    both      value and currency right

"written" is the subset whose currency is written in the text itself (a case
that carries its currency only in the peer's `hint` cannot be read from the
text by anyone). Cases expecting no money count the amounts wrongly found.
With --peers, price-parser (with its extra arguments), quantulum3 and
Recognizers-Text are scored on the same cases when they are installed
(`pip install -e '.[bench]'`).
"""
from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from parley import find_amounts


@dataclass(frozen=True)
class Reading:
    value: float | None
    currency: str | None
    span: tuple[int, int] | None


Reader = Callable[[dict], list[Reading]]


def parley_reader(case: dict) -> list[Reading]:
    return [Reading(a.value, a.currency, (a.start, a.end))
            for a in find_amounts(case["text"], None) if a.is_money]


def price_parser_reader() -> Reader | None:
    try:
        from price_parser import Price
    except ImportError:
        return None

    def read(case: dict) -> list[Reading]:
        price = Price.fromstring(case["text"], currency_hint=case.get("hint"),
                                 decimal_separator=case.get("decimal_separator"))
        if price.amount is None:
            return []
        return [Reading(float(price.amount), price.currency, None)]
    return read


def quantulum_reader() -> Reader | None:
    try:
        from quantulum3 import parser
    except ImportError:
        return None

    def read(case: dict) -> list[Reading]:
        out = []
        for q in parser.parse(case["text"]):
            code = getattr(q.unit.entity, "name", "") == "currency" and q.unit.currency_code
            if code:
                out.append(Reading(q.value, code, tuple(q.span)))
        return out
    return read


def recognizers_reader() -> Reader | None:
    try:
        from recognizers_number_with_unit import recognize_currency
        from recognizers_text import Culture
    except ImportError:
        return None

    def read(case: dict) -> list[Reading]:
        out = []
        for r in recognize_currency(case["text"], Culture.English):
            resolution = r.resolution or {}
            try:
                value = float(resolution.get("value"))
            except (TypeError, ValueError):
                continue
            # "$" resolves to the unit "Dollar" without a code: its default reading is USD.
            code = resolution.get("isoCurrency") or ("USD" if resolution.get("unit") == "Dollar" else None)
            out.append(Reading(value, code, (r.start, r.end + 1)))  # its end is inclusive
        return out
    return read


def _same(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _written(case: dict, expected: dict) -> bool:
    written = expected.get("written") or ""
    return bool(written) and written.lower() in case["text"].lower()


def _pick(readings: list[Reading], expected: dict, used: set[int]) -> Reading | None:
    span = expected.get("span")
    for i, r in enumerate(readings):
        if i in used:
            continue
        if span is None or r.span is None or (r.span[0] < span[1] and span[0] < r.span[1]):
            used.add(i)
            return r
    return None


def score(cases: Iterable[dict], read: Reader, misses: list[tuple[str, str]] | None = None
          ) -> dict[str, Counter]:
    """Counts per group ("all", "written", each suite): cases, found, value, currency, both."""
    counts: dict[str, Counter] = {}
    for case in cases:
        try:
            readings = read(case)
        except Exception as exc:  # a peer's crash is a miss, not the end of the benchmark
            readings = []
            if misses is not None:
                misses.append((case["text"], f"crashed: {exc!r}"))
        groups = ["all", case["suite"]]
        if not case["expected"]:
            for g in groups:
                counts.setdefault(g, Counter())["no-money cases"] += 1
                counts[g]["wrongly found"] += bool(readings)
            continue
        used: set[int] = set()
        for expected in case["expected"]:
            got = _pick(readings, expected, used)
            value = got is not None and _same(got.value, expected["value"])
            # price-parser reports the currency as written ("€"): that counts as right.
            currency = got is not None and (got.currency in expected["currency"]
                                            or got.currency == expected.get("written"))
            for g in groups + (["written"] if _written(case, expected) else []):
                c = counts.setdefault(g, Counter())
                c["amounts"] += 1
                c["found"] += got is not None
                c["value"] += value
                c["currency"] += currency
                c["both"] += value and currency
            if misses is not None and not (value and currency) and _written(case, expected):
                shown = f"{got.value} {got.currency}" if got else "nothing"
                misses.append((case["text"], f"read {shown}, want {expected['value']} "
                                             f"{'/'.join(expected['currency'])}"))
    return counts


def _table(name: str, counts: dict[str, Counter]) -> str:
    lines = [f"{name}"]
    for group in ["written", "all"] + sorted(g for g in counts if g not in ("all", "written")):
        c = counts.get(group)
        if not c:
            continue
        if c["amounts"]:
            n = c["amounts"]
            lines.append(f"  {group:<13} {n:5d} amounts   found {c['found'] / n:6.1%}   value "
                         f"{c['value'] / n:6.1%}   currency {c['currency'] / n:6.1%}   both "
                         f"{c['both'] / n:6.1%}")
        if c["no-money cases"]:
            lines.append(f"  {group:<13} {c['no-money cases']:5d} cases without money: "
                         f"{c['wrongly found']} read money anyway")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", type=Path)
    ap.add_argument("--peers", action="store_true", help="score price-parser and quantulum3 too")
    ap.add_argument("--misses", type=int, default=0, help="show parley's first N misses")
    args = ap.parse_args()
    cases = [json.loads(line) for line in args.cases.read_text("utf-8").splitlines() if line.strip()]
    misses: list[tuple[str, str]] = []
    print(_table("parley", score(cases, parley_reader, misses)))
    if args.peers:
        for name, make in (("price-parser", price_parser_reader), ("quantulum3", quantulum_reader),
                           ("Recognizers-Text", recognizers_reader)):
            read = make()
            if read is None:
                print(f"{name}: not installed (pip install -e '.[bench]')")
            else:
                print(_table(name, score(cases, read)))
    for text, why in misses[:args.misses]:
        print(f"  miss {text!r}: {why}")


if __name__ == "__main__":
    main()
