"""Money and change, written for people: one way everywhere (show, timeline, positions, report).

    format_money(1.04e12, "KRW")  -> "1.04 trillion KRW"
    format_money(5e9, "USD")      -> "$5 billion"
    describe_amount(amount)       -> "$5 billion/year (+13% on $4.4 billion)"
"""
from __future__ import annotations

from parley.records import Amount

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def format_money(value: float | None, currency: str | None) -> str:
    if value is None:
        return "?"
    for size, word in _SCALES:
        if abs(value) >= size:
            number = f"{value / size:.5g}"
            break
    else:
        number, word = f"{value:,.2f}".rstrip("0").rstrip("."), ""
    unit = currency or ""
    if unit == "USD":
        return f"${number} {word}".strip()
    return f"{number} {word} {unit}".replace("  ", " ").strip()


def describe_change(amount: Amount) -> str | None:
    change = amount.change
    if change is None:
        return None
    if change.percent is not None:
        text = f"{change.percent:+g}%"
    elif change.factor is not None:
        text = f"×{change.factor:g}"
    else:
        return None
    if change.base is not None and change.base.value is not None:
        text += f" on {format_money(change.base.value, change.base.currency)}"
    return text


def describe_amount(amount: Amount) -> str:
    parts = []
    value = native_value(amount)
    if value is not None:
        parts.append(format_money(value, amount.currency or (amount.change.base.currency
                                                              if amount.change and amount.change.base else None)))
        if amount.period:
            parts[-1] += f"/{amount.period}"
    change = describe_change(amount)
    if change:
        parts.append(f"({change})" if parts else change)
    return " ".join(parts)


def native_value(amount: Amount) -> float | None:
    """The stated value, or the one its change implies ("13 percent more than X")."""
    if amount.value is not None:
        return amount.value
    change = amount.change
    if change is None or change.base is None or change.base.value is None:
        return None
    if change.percent is not None:
        return change.base.value * (1 + change.percent / 100)
    if change.factor is not None:
        return change.base.value * change.factor
    return None
