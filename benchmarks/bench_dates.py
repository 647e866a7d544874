"""How well parley reads dates, on TimeML newswire (TimeBank, TempEval-3).

    python benchmarks/bench_dates.py ../shared/bench/timebank [--misses N] [--peers]

Each document's <TEXT> is read with the creation time (DCT) as publication day.
Gold expressions are the TIMEX3 of type DATE. TempEval-3's definitions:

    found (recall)   gold DATEs overlapped by an expression parley finds (relaxed match)
    precision        parley's resolved expressions that overlap some gold TIMEX3
                     (a DATE, or a DURATION/TIME/SET it also reads)
    value            of the found gold DATEs with a concrete value (a day, week,
                     month, quarter, half, season, year, decade), those whose
                     interval parley gives exactly; "near" also counts an
                     interval that holds the gold one or lies inside it
    value F1         relaxed F1 times value accuracy (TempEval-3's attribute F1)

Values that name no interval (PRESENT_REF, PAST_REF, XXXX-...) count for
recall only. Seasons follow parley's convention (spring March-May, ..., winter
December to February). --peers scores dateparser's `search_dates` on the same
text, and Recognizers-Text's datetime model (`pip install -e '.[bench]'`).
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from parley import find_dates


@dataclass(frozen=True)
class Timex:
    kind: str
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    published: dt.date
    timexes: list[Timex]


def read_timeml(path: Path) -> Document:
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3")
    published = dt.date.fromisoformat(dct.get("value", "")[:10])  # type: ignore[union-attr]
    body = root.find("TEXT")
    pieces: list[str] = []
    timexes: list[Timex] = []
    pos = 0

    def walk(node: ET.Element) -> None:
        nonlocal pos
        start = pos
        if node.text:
            pieces.append(node.text)
            pos += len(node.text)
        for child in node:
            walk(child)
            if child.tail:
                pieces.append(child.tail)
                pos += len(child.tail)
        if node.tag == "TIMEX3":
            text = "".join(pieces)[start:pos]
            timexes.append(Timex(node.get("type", ""), node.get("value", ""), start, pos, text))

    walk(body)  # type: ignore[arg-type]
    return Document(path.stem, "".join(pieces), published, timexes)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_SEASONS = {"SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12}


def interval(value: str) -> tuple[dt.date, dt.date] | None:
    """The days a TIMEX3 DATE value names, or None when it names no interval."""
    try:
        if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:T.*)?", value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
            return monday, monday + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
            return dt.date(int(m[1]), int(m[2]), 1), _month_end(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            first = 3 * int(m[2]) - 2
            return dt.date(int(m[1]), first, 1), _month_end(int(m[1]), first + 2)
        if m := re.fullmatch(r"(\d{4})-H([12])", value):
            first = 6 * int(m[2]) - 5
            return dt.date(int(m[1]), first, 1), _month_end(int(m[1]), first + 5)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", value):
            year, first = int(m[1]), _SEASONS[m[2]]
            if first == 12:
                return dt.date(year - 1, 12, 1), _month_end(year, 2)
            return dt.date(year, first, 1), _month_end(year, first + 2)
        if m := re.fullmatch(r"(\d{4})", value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(\d{3})X?", value):
            return dt.date(int(m[1]) * 10, 1, 1), dt.date(int(m[1]) * 10 + 9, 12, 31)
    except ValueError:
        return None
    return None


Span = tuple[int, int, "dt.date | None", "dt.date | None"]
Reader = Callable[[Document], list[Span]]


def parley_reader(doc: Document) -> list[Span]:
    return [(s.char_start, s.char_end, s.start, s.end) for s in find_dates(doc.text, doc.published)]


def dateparser_reader() -> Reader | None:
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}

    def read(doc: Document) -> list[Span]:
        found = search_dates(doc.text, languages=["en"], settings={
            **settings, "RELATIVE_BASE": dt.datetime.combine(doc.published, dt.time())}) or []
        spans, pos = [], 0
        for text, when in found:
            start = doc.text.find(text, pos)
            if start < 0:
                continue
            pos = start + len(text)
            spans.append((start, pos, when.date(), when.date()))
        return spans
    return read


def recognizers_reader() -> Reader | None:
    try:
        from recognizers_date_time import recognize_datetime
        from recognizers_text import Culture
    except ImportError:
        return None

    def read(doc: Document) -> list[Span]:
        reference = dt.datetime.combine(doc.published, dt.time(12))
        spans: list[Span] = []
        for r in recognize_datetime(doc.text, Culture.English, reference=reference):
            values = (r.resolution or {}).get("values") or [{}]
            first = values[0]  # an ambiguous date comes with its past reading first
            try:
                if "value" in first:
                    day = dt.date.fromisoformat(first["value"][:10])
                    start, end = day, day
                else:
                    start = dt.date.fromisoformat(first["start"][:10])
                    end = dt.date.fromisoformat(first["end"][:10]) - dt.timedelta(days=1)
            except (KeyError, ValueError, TypeError):
                start = end = None  # type: ignore[assignment]
            spans.append((r.start, r.end + 1, start, end))  # its end is inclusive
        return spans
    return read


def score(docs: list[Document], read: Reader, misses: list[str] | None = None) -> Counter:
    c: Counter = Counter()
    for doc in docs:
        spans = read(doc)
        for timex in doc.timexes:
            if timex.kind != "DATE":
                continue
            c["gold"] += 1
            gold = interval(timex.value)
            c["concrete"] += gold is not None
            hit = next((s for s in spans if s[0] < timex.end and timex.start < s[1]), None)
            if hit is None:
                if misses is not None:
                    misses.append(f"{doc.name}: missed {timex.text!r} ({timex.value})")
                continue
            c["found"] += 1
            if gold is None:
                continue
            c["found concrete"] += 1
            got = (hit[2], hit[3])
            if got == gold:
                c["exact"] += 1
            elif got[0] is not None and got[1] is not None and (
                    got[0] <= gold[0] <= gold[1] <= got[1] or gold[0] <= got[0] <= got[1] <= gold[1]):
                c["near"] += 1
            if got != gold and misses is not None:
                misses.append(f"{doc.name} ({doc.published}): {timex.text!r} is {timex.value} "
                              f"{gold[0]}..{gold[1]}, read {doc.text[hit[0]:hit[1]]!r} as "
                              f"{got[0]}..{got[1]}")
        for start, end, first, _last in spans:
            if first is None:
                continue
            c["system"] += 1
            c["system right"] += any(t.start < end and start < t.end for t in doc.timexes)
    return c


def _report(name: str, c: Counter) -> str:
    recall = c["found"] / c["gold"] if c["gold"] else 0.0
    precision = c["system right"] / c["system"] if c["system"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = c["exact"] / c["found concrete"] if c["found concrete"] else 0.0
    near = (c["exact"] + c["near"]) / c["found concrete"] if c["found concrete"] else 0.0
    return (f"{name}: {c['gold']} gold DATEs ({c['concrete']} concrete)\n"
            f"  found {recall:6.1%}   precision {precision:6.1%}   relaxed F1 {f1:6.1%}\n"
            f"  value exact {exact:6.1%} of {c['found concrete']} found concrete"
            f"   (near {near:6.1%})   value F1 {f1 * exact:6.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a folder of TimeML (.tml) documents")
    ap.add_argument("--peers", action="store_true", help="score dateparser's search_dates too")
    ap.add_argument("--misses", type=int, default=0, help="show parley's first N misses")
    args = ap.parse_args()
    docs = [read_timeml(p) for p in sorted(args.folder.glob("*.tml"))]
    misses: list[str] = []
    print(_report("parley", score(docs, parley_reader, misses)))
    if args.peers:
        for name, make in (("dateparser", dateparser_reader), ("Recognizers-Text", recognizers_reader)):
            read = make()
            print(_report(name, score(docs, read)) if read else
                  f"{name}: not installed (pip install -e '.[bench]')")
    for line in misses[:args.misses]:
        print("  " + line)


if __name__ == "__main__":
    main()
