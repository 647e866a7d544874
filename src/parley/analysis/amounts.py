"""Amounts: money, percentages and factors found in text, relative ones resolved.

    find_amounts(text, published)   every amount in a text, with absolute offsets
    parse_amount(s, published)      one expression ("$5bn", "a 13 percent increase over ...")

How it works, in passes over one sentence or article:

1. One compiled pattern finds the atoms: money ("$850 million", "1.04 trillion
   won", "A$4.17-a-share"), percentages ("13 percent", "7/8 percentage
   points") and factors ("fivefold", "doubled"). The currency vocabulary is
   the table ``resources/currencies.tsv``.
2. Neighbouring atoms are merged when the words between them say how they
   relate: an equivalent in parentheses ("1.04 trillion won ($850 million)"),
   an old and a new value ("from $5 billion to $3.9 billion"), a change and
   its base ("a 13 percent increase over X" becomes X * 1.13) or its target
   ("a fivefold increase ... to $5 billion"), or money followed by its change
   ("$1.3 billion a year -- an increase of 50 percent").
3. Money gets its US dollar value at the ECB rate of the article's day.

A decrease is a negative ``Change.percent`` ("a 10 percent cut" is -10.0), so
that a resolved value is always ``base * (1 + percent / 100)``. Bare numbers
are never amounts: years, counts, times and dates need no special casing
because an amount needs a currency, a percent sign or "-fold".
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from parley.analysis.exchange import to_usd
from parley.analysis.money_formats import NUMBER, WORDISH_CODES, currency_forms, glued_dollar, parse_number
from parley.records import Amount, Change, replace

# --- vocabulary -------------------------------------------------------------

_SCALES = {"trillion": 1e12, "tn": 1e12, "trn": 1e12, "billion": 1e9, "bn": 1e9, "bln": 1e9,
           "b": 1e9, "million": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6, "m": 1e6,
           "t": 1e12, "thousand": 1e3, "k": 1e3, "crore": 1e7, "crores": 1e7, "cr": 1e7,
           "lakh": 1e5, "lakhs": 1e5, "lac": 1e5}
_WORD_NUMBERS = {w: float(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WORD_NUMBERS.update({"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0,
                      "seventy": 70.0, "eighty": 80.0, "ninety": 90.0, "hundred": 100.0})
_MULTIPLIERS = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}
_PERIODS = {"year": "year", "annum": "year", "yr": "year", "annually": "year", "yearly": "year",
            "month": "month", "mo": "month", "monthly": "month", "week": "week", "wk": "week",
            "weekly": "week", "day": "day", "daily": "day", "share": "share"}
_UP = ("increase increases increased rise rises raise raises raised hike hikes hiked jump gain"
       " boost growth up higher more premium")
_DOWN = ("decrease decreases decreased cut cuts reduction reduce reduced decline drop fall"
         " lower lowered less down discount slash")
_SIGNS = {**{w: 1 for w in _UP.split()}, **{w: -1 for w in _DOWN.split()}}
# An ordinary word after a number makes "won"/"marks" the verb or a count, not money.
_NOT_MONEY_AFTER = re.compile(
    r"\s+(?:the|a|an|his|her|its|their|this|that|these|those|my|our|your|him|them|it|by"
    r"|against|over|with|out|up|down|of)\b", re.I)


@dataclass(frozen=True)
class _Vocabulary:
    symbols: dict[str, str]          # "A$" -> AUD
    codes: dict[str, str]            # "CHF" -> CHF
    nouns: dict[str, tuple[str, ...]]  # "pesos" -> (MXN, PHP, ...), default first
    adjectives: dict[str, frozenset[str]]  # "philippine" -> {PHP}
    everyday: frozenset[str]         # nouns that are also ordinary words
    fractions: frozenset[str]        # nouns of a hundredth: "cents", "pence", "sen"


def _key(s: str) -> str:
    return " ".join(s.lower().split())


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    symbols: dict[str, str] = {}
    codes: dict[str, str] = {}
    nouns: dict[str, list[str]] = {}
    adjectives: dict[str, set[str]] = {}
    everyday: set[str] = set()
    fractions: set[str] = set()
    table = resources.files("parley").joinpath("resources/currencies.tsv").read_text("utf-8")
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, forms = line.split("\t")
        for form in forms.split("|"):
            if kind == "symbol":
                symbols[form] = code
            elif kind == "code":
                codes[form] = code
            elif kind == "noun":
                if form.endswith("?"):
                    form = form[:-1]
                    everyday.add(_key(form))
                nouns.setdefault(_key(form), []).append(code)
            elif kind == "adjective":
                adjectives.setdefault(_key(form), set()).add(code)
            elif kind == "fraction":
                nouns.setdefault(_key(form), []).append(code)
                fractions.add(_key(form))
    return _Vocabulary(symbols, codes, {k: tuple(v) for k, v in nouns.items()},
                       {k: frozenset(v) for k, v in adjectives.items()}, frozenset(everyday),
                       frozenset(fractions))


def _alternation(forms: object, *, spaced: bool = True) -> str:
    """Regex alternation of literal forms, as a trie: the engine rejects a position on its
    first character instead of trying hundreds of forms in turn. A form is matched whole
    and the longest wins ("HK$" over "$"); spaces match any run of spaces."""
    trie: dict[str, dict] = {}
    for form in forms:  # type: ignore[attr-defined]
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [(r"[ \u00a0]+" if spaced and char == " " else re.escape(char)) + emit(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 and len(branches[0]) <= 2 and "" not in node \
            else "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return emit(trie)


# --- patterns ---------------------------------------------------------------

_SP = r"[ \u00a0]"
_NUM = NUMBER  # "1,234.5", "1.234,5", "1 234", "1'234", "50,-" (money_formats.py)
_FRAC = r"(?:\d+[ -])?\d+/\d+"
_END = r"(?![^\W\d_])"  # not followed by a letter
_APPROX = (r"(?:about|around|some|roughly|nearly|almost|approximately|approx\.|at\s+least"
           r"|at\s+most|more\s+than|less\s+than|over|under|up\s+to|close\s+to|as\s+much\s+as"
           r"|as\s+little\s+as|(?:an\s+)?estimated|just\s+(?:over|under)|upwards\s+of"
           r"|in\s+the\s+(?:region|neighbou?rhood|range)\s+of)")
_DIR = r"(?:" + "|".join(sorted(_SIGNS, key=len, reverse=True)) + r")"


@lru_cache(maxsize=1)
def _atom_pattern() -> re.Pattern[str]:
    v = _vocabulary()
    forms = currency_forms()
    symbols = _alternation(set(v.symbols) | set(forms.symbols), spaced=False)
    codes = _alternation(v.codes, spaced=False)
    # ISO codes that are words ("ALL", "TOP") only where parley's table lists them.
    all_codes = {c for c in forms.all_codes if c.lower() not in WORDISH_CODES} | set(v.codes)
    any_codes = _alternation(set(forms.codes) | all_codes, spaced=False)
    nouns = _alternation(v.nouns)
    adjectives = _alternation(v.adjectives)
    scales = "|".join(sorted(_SCALES, key=len, reverse=True))
    # Before a symbol only scale words: "1 T$" is one Tongan pa'anga, not a trillion dollars.
    word_scales = "|".join(sorted((s for s in _SCALES if len(s) > 1), key=len, reverse=True))
    words = _alternation(_WORD_NUMBERS, spaced=False)
    # "thirteen", "forty-five", "two hundred and fifty"
    word_number = rf"(?:{words})(?:(?:[ -]|{_SP}+and{_SP}+)(?:{words}))*"
    big = "trillion|billion|million|thousand"
    currency = rf"(?:(?P<{{p}}adj>{adjectives}){_SP}+)?(?P<{{p}}noun>{nouns}|(?-i:{codes})){_END}"
    # The characters a prefix can start with: a cheap gate before the alternations.
    # Lower-case codes only after a number ("25 pln"): before one they would open the gate
    # on every word.
    upper_codes = _alternation(all_codes, spaced=False)
    first_chars = re.escape("".join(sorted({f[0] for f in set(v.symbols) | set(forms.symbols)}
                                           | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))))
    # A form that ends in a letter must not run on into a word: "5 RMB", not "5 RMBs".
    word_end = r"(?:(?<=[^\W\d_])(?![^\W\d_])|(?<![^\W\d_]))"
    return re.compile("|".join([
        # "$850 million", "A$584m", "DM 300", "CHF 10m", "Rs 500 crore", "€ 2.109,00",
        # "SGD$4.90", "C $ 300 million", "rmb 100". The lookahead at the head of a branch
        # is a cheap first-character gate: most positions fail there.
        rf"(?=[{first_chars}])(?<![^\W\d_])(?:(?P<sym>(?-i:{symbols}|{upper_codes}))"
        rf"|(?P<glue>(?-i:[A-Z]{{1,3}}))[ ]?\$):?{_SP}?"
        rf"(?P<pnum>{_NUM})"
        rf"(?:{_SP}?-?(?P<pscale>{scales}){_END})?",
        # "1.04 trillion won", "3.1bn Australian dollars", "2.3 mln dlrs", "10m CHF"
        rf"(?=[\d.])(?<![\w.,])(?P<snum>{_NUM})(?:{_SP}?-?(?P<sscale>{scales}){_END})?(?:\s+|-)"
        + currency.format(p="s"),
        # "34,50 €", "12,000원", "419 руб.", "25 pln", "30 MUSD", "10m €"
        rf"(?=[\d.,])(?<![\w.,])(?P<anum>{_NUM})(?:{_SP}?-?(?P<ascale>{word_scales}){_END})?{_SP}?"
        rf"(?:(?P<acodescale>(?-i:k|K|M|MM|B|Bn|Mn))(?=(?-i:[A-Z]{{3}})))?"
        rf"(?P<asym>(?-i:{symbols}|{any_codes})){word_end}",
        # "a trillion dollars", "five million pounds", "thirteen dollars"
        rf"(?<![\w'’-])(?P<wnum>an?(?=(?:{_SP}+|-)(?:{big}))|{word_number})"
        rf"(?:(?:{_SP}+|-)(?P<wscale>{big}))?(?:\s+|-)" + currency.format(p="w"),
        # "480p": pence, glued to the figure
        rf"(?<![\w.,])(?P<pence>\d{{1,3}}(?:\.\d+)?)p(?![\w%])",
        # "the trillion-dollar deal"
        rf"(?<![\w'’-])(?P<bscale>{big})-" + currency.format(p="b"),
        # "13 percent", "13%", "one full percentage point", "7/8 percentage points"
        rf"(?<![\w.,/])(?P<qnum>{_FRAC}|{_NUM}|an?|{words}){_SP}*-?(?:full{_SP}+)?"
        rf"(?P<unit>%|percentage{_SP}+points?|per{_SP}?cent(?:age{_SP}+points?)?"
        rf"|pct(?:{_SP}+points?)?|basis{_SP}+points?|bps?){_END}",
        # "5/8 points", "1-1/8 points": a bare "points" only with a fraction
        rf"(?=\d)(?<![\w.,/])(?P<fpnum>{_FRAC}){_SP}+points?{_END}",
        # "fivefold", "2.5-fold", "five-fold"
        rf"(?<![\w.,'’-])(?P<fnum>{_NUM}|{words})[ -]?fold{_END}",
        # "doubled", "tripling", "to double the"
        rf"\b(?P<mult>doubl|tripl|quadrupl)(?:ed|ing){_END}",
        rf"\b(?P<mult2>doubl|tripl|quadrupl)e(?={_SP}+(?:the|its|their|his|her|our|what|that)\b)",
    ]), re.I)


_PERIOD = re.compile(
    rf"(?:{_SP}*-{_SP}*|\s+)(?:a|an|per|each|every)(?:\s+|-)(?P<per>year|annum|month|week"
    rf"|day|share){_END}|{_SP}+(?P<adv>annually|yearly|monthly|weekly|daily|per{_SP}+annum)"
    rf"{_END}|{_SP}*/{_SP}*(?P<abbr>year|yr|month|mo|week|wk|day|share){_END}", re.I)
_BARE_FROM = re.compile(
    rf"\bfrom\s+(?P<figure>(?P<num>{_NUM})(?:{_SP}?(?P<scale>{'|'.join(k for k in _SCALES if len(k) > 1)}))?)"
    rf"\s+to\s+$", re.I)
_SCALE_IN = re.compile(rf"(?<=[\d\s])(?P<scale>{'|'.join(sorted(_SCALES, key=len, reverse=True))})(?![^\W\d_])",
                       re.I)
_CENTS_AFTER = re.compile(
    rf",?\s+(?:and\s+)?(?P<cents>\d{{1,2}}|(?:{'|'.join(_WORD_NUMBERS)})(?:-(?:{'|'.join(_WORD_NUMBERS)}))?)"
    rf"\s+(?:cents?|pence|p)(?![^\W\d_])", re.I)
_CODE_AFTER = re.compile(rf"{_SP}?(?P<code>[A-Z]{{3}})(?![^\W\d_])")
_PERIOD_NOT = re.compile(r"\s+(?:ago|earlier|before|later|after|from\s+now)\b", re.I)
_APPROX_BEFORE = re.compile(rf"\b{_APPROX}\s+$", re.I)
_EQUIVALENT_OPEN = re.compile(rf"\s*[(\[]\s*(?:{_APPROX}\s+)?", re.I)
_EQUIVALENT_NEXT = re.compile(rf"\s*[;,/]\s*(?:or\s+)?(?:{_APPROX}\s+)?|\s+or\s+", re.I)
_EQUIVALENT_CLOSE = re.compile(r"\s*[)\]]")
_FROM_BEFORE = re.compile(rf"\bfrom\s+(?:(?:the|its|their|his|her|an?)\s+)?"
                          rf"(?:(?:[\w'’]+\s+){{1,4}}?of\s+)?(?:{_APPROX}\s+)?$", re.I)
_TO_BEFORE = re.compile(rf"\bto\s+(?:{_APPROX}\s+)?$", re.I)
_FROM_TO_GAP = re.compile(rf"\s+to\s+(?:{_APPROX}\s+)?", re.I)
_TO_FROM_GAP = re.compile(
    rf"\s+from\s+(?:(?:the|an?|its|their|his|her|earlier|previous|prior|original|initial)\s+)"
    rf"{{0,3}}(?:{_APPROX}\s+)?", re.I)
_DIR_BEFORE = re.compile(rf"\b(?P<dir>{_DIR})(?:\s+(?:of|by))?\s+(?:{_APPROX}\s+)?$", re.I)
_DIR_AFTER = re.compile(  # "13 percent increase", "a five pct wage rise"
    rf"(?:[ -]+(?!(?:of|the|an?|and|or|to|from|in|on|for|by|with|that|which)\b)[a-z]+){{0,2}}?"
    rf"[ -]+(?P<dir>{_DIR})\b")
_BASE_GAP = re.compile(
    r"\s+(?P<prep>over|from|on|above|below|than)\s+(?:(?:the|its|his|her|their|our|this|that"
    r"|last|previous|current|existing|earlier|initial|original|year'?s|year’s)\s+){0,4}"
    rf"(?:(?:[\w'’.-]+\s+){{1,5}}?of\s+)?(?:{_APPROX}\s+)?", re.I)
_TARGET_GAP = re.compile(rf"(?:\s+[\w'’-]+){{0,5}}?\s+to\s+(?:{_APPROX}\s+)?", re.I)
_SHORT_GAP = re.compile(r"(?:\s+[\w'’-]+){0,3}?\s+")
_CHANGE_AFTER_MONEY = re.compile(
    rf"\s*(?:--|—|–|,|;|:|\()?\s*(?:(?:an?|or)\s+)?(?:(?P<dir>{_DIR})\s+(?:of\s+|by\s+)?)?"
    rf"(?:{_APPROX}\s+)?", re.I)
_DIR_LEAD = re.compile(rf"(?P<dir>{_DIR})\b", re.I)
_MAX_GAP = 90  # characters between two atoms that can still be one statement


# --- atoms ------------------------------------------------------------------

def _words_value(words: str) -> float:
    """"forty-five" is 45, "two hundred and fifty" 250; NaN when a word is not a number."""
    total = 0.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word not in _WORD_NUMBERS:
            return math.nan
        if word == "hundred":
            total = (total or 1.0) * 100
        else:
            total += _WORD_NUMBERS[word]
    return total


def _currency_form(form: str) -> str:
    """The currency a symbol or code written beside a number stands for."""
    v, forms = _vocabulary(), currency_forms()
    return (v.symbols.get(form) or v.codes.get(form) or forms.symbols.get(form)
            or forms.codes.get(form) or form)


def _money_number(number: str, currency: str, *, scaled: bool) -> float | None:
    if number[:1].isalpha():  # "thirteen", "a"
        value = _number(number)
        return None if math.isnan(value) else value
    return parse_number(number, scaled=scaled, decimals=currency_forms().minor_digits.get(currency, 2))


def _number(s: str) -> float:
    s = s.lower()
    if s[:1].isdigit() or s[:1] in ".,":
        if "/" not in s:
            value = parse_number(s, scaled=True)
            return math.nan if value is None else value
    if s in _WORD_NUMBERS:
        return _WORD_NUMBERS[s]
    if s[:1].isalpha() and s not in ("a", "an"):
        return _words_value(s)
    if s in ("a", "an"):
        return 1.0
    if "/" in s:
        whole, _, frac = s.replace(" ", "-").rpartition("-")
        num, den = frac.split("/")
        if float(den) == 0:
            return math.nan
        return (float(whole) if whole else 0.0) + float(num) / float(den)
    return float(s)


def _period_after(text: str, end: int, stop: int) -> tuple[str | None, int]:
    """The period written right after an amount ("a year", "-a-share") and where it ends."""
    m = _PERIOD.match(text, end, stop)
    if m is None or _PERIOD_NOT.match(text, m.end(), stop):
        return None, end
    return _PERIODS[(m["per"] or m["adv"] or m["abbr"]).lower().split()[-1]], m.end()


def _currency(adjective: str | None, noun: str) -> str:
    v = _vocabulary()
    if noun in v.codes:
        return v.codes[noun]
    candidates = v.nouns[_key(noun)]
    if adjective:
        wanted = v.adjectives.get(_key(adjective), frozenset())
        for code in candidates:
            if code in wanted:
                return code
    return candidates[0]


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100


def _atom(m: re.Match[str], text: str, stop: int) -> Amount | None:
    """One atom from one match of the atom pattern, or None when it is not an amount."""
    g = m.groupdict()
    end = m.end()
    if g["pence"] is not None:
        return Amount(float(g["pence"]) / 100, "GBP", start=m.start(), end=end)
    if g["pnum"] is not None or g["snum"] is not None or g["wnum"] is not None or g["bscale"] \
            or g["anum"] is not None:
        branch = ("p" if g["pnum"] else "s" if g["snum"] else "w" if g["wnum"] else "a" if g["anum"]
                  else "b")
        number = g.get(f"{branch}num") or "1"  # "the trillion-dollar deal" has no number
        scale = g[f"{branch}scale"]
        start = m.start()
        if branch == "p" and g["glue"]:
            currency = glued_dollar(g["glue"], spaced=" " in m.group()[:m.group().index("$")])
            if currency is None:  # "I $5": the letters are not a currency's
                currency, start = "USD", m.start() + m.group().index("$")
        elif branch in ("p", "a"):
            currency = _currency_form(g[f"{branch}sym"] if branch == "a" else g["sym"])
            if branch == "a" and g["acodescale"]:
                scale = g["acodescale"]
        else:
            noun = g[f"{branch}noun"]
            if branch in ("s", "w") and not scale:
                if _is_year(number):  # "in 2019 dollars"
                    return None
                if _key(noun) in _vocabulary().everyday and _NOT_MONEY_AFTER.match(text, end, stop):
                    return None  # "two pounds of rice", "ten won the race"
            currency = _currency(g[f"{branch}adj"], noun)
        figure = _money_number(number, currency, scaled=bool(scale))
        if figure is None:
            return None
        value = figure * (_SCALES[scale.lower()] if scale else 1.0)
        noun = g.get(f"{branch}noun") or g.get(f"{branch}sym") or ""
        if _key(noun) in _vocabulary().fractions or noun == "¢":
            value /= 100  # "50 cents", "forty pence"
        elif not scale:
            cents = _CENTS_AFTER.match(text, end, stop)  # "3 dollars 50 cents", "$3 and 50 cents"
            if cents is not None:
                value += _number(cents["cents"]) / 100
                end = cents.end()
        if not math.isfinite(value):
            return None
        if branch == "p" and g["sym"] == "$":
            code = _CODE_AFTER.match(text, end, stop)  # "$1,190.00 AUD": the code says which dollar
            if code and code["code"] in currency_forms().all_codes:
                currency, end = code["code"], code.end()
        period, end = _period_after(text, end, stop)
        return Amount(value, currency, period=period, start=start, end=end)
    if g["qnum"] is not None:
        unit = " ".join(g["unit"].lower().split())
        if g["qnum"].lower() in ("a", "an") and "percentage" not in unit:
            return None
        percent = _number(g["qnum"]) / (100.0 if unit.startswith(("basis", "bp")) else 1.0)
        if not math.isfinite(percent):
            return None
        return Amount(None, None, change=Change(percent=percent), start=m.start(), end=end)
    if g["fpnum"] is not None:
        percent = _number(g["fpnum"])
        return Amount(None, None, change=Change(percent=percent), start=m.start(),
                      end=end) if math.isfinite(percent) else None
    factor = _number(g["fnum"]) if g["fnum"] else _MULTIPLIERS[(g["mult"] or g["mult2"]).lower()]
    if not math.isfinite(factor) or factor == 0:
        return None
    return Amount(None, None, change=Change(factor=factor), start=m.start(), end=end)


# Every atom holds a digit, a currency sign or one of these words; both searches
# start with a character set, which the regex engine scans for in C. Only the
# text around them is matched against the (much slower) atom pattern.
_ANCHOR_SIGN = re.compile(r"[\d$€£¥₩₹₪₱฿₫₦%]")
_ANCHOR_WORD = re.compile(r"fold|oubl|ripl|uadrupl|illion|thousand|percent|pct|point")


@lru_cache(maxsize=1)
def _anchor_noun() -> re.Pattern[str]:
    """Currency nouns, for money written in words ("thirteen dollars", "forty pence")."""
    # Only a noun's first word: the window reaches the rest.
    nouns = {n.split()[0] for n in _vocabulary().nouns if len(n) > 2}
    return re.compile(r"\b(?:" + _alternation(nouns, spaced=False) + ")", re.I)
_BEFORE_ANCHOR, _AFTER_ANCHOR = 40, 70


def _windows(text: str, lo: int, stop: int) -> list[tuple[int, int]]:
    anchors = sorted([m.start() for m in _ANCHOR_SIGN.finditer(text, lo, stop)]
                     + [m.start() for m in _ANCHOR_WORD.finditer(text, lo, stop)]
                     + [m.start() for m in _anchor_noun().finditer(text, lo, stop)])
    windows: list[tuple[int, int]] = []
    for anchor in anchors:
        a, b = max(lo, anchor - _BEFORE_ANCHOR), min(stop, anchor + _AFTER_ANCHOR)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


def _atoms(text: str, start: int, stop: int) -> list[Amount]:
    atoms: list[Amount] = []
    pattern = _atom_pattern()
    for window_start, window_end in _windows(text, start, stop):
        for m in pattern.finditer(text, window_start, window_end):
            atom = _atom(m, text, stop)
            if atom is None or (atoms and atom.start < atoms[-1].end):
                continue
            lo = max(start, atoms[-1].end if atoms else start, atom.start - 40)
            if _APPROX_BEFORE.search(text, lo, atom.start):
                atom = replace(atom, approximate=True)
            atoms.append(atom)
    return atoms


# --- merging ----------------------------------------------------------------

def _gap(text: str, a: Amount, b: Amount) -> str:
    return text[a.end:b.start] if b.start - a.end <= _MAX_GAP else "\x00"


def _merge_equivalents(text: str, atoms: list[Amount], stop: int) -> list[Amount]:
    """"1.04 trillion won ($850 million)" and "3.1bn dollars ($2.3bn; £1.8bn)"."""
    out: list[Amount] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        j = i + 1
        if (a.is_money and j < len(atoms) and atoms[j].is_money
                and _EQUIVALENT_OPEN.fullmatch(_gap(text, a, atoms[j]))):
            while (j + 1 < len(atoms) and atoms[j + 1].is_money
                   and _EQUIVALENT_NEXT.fullmatch(_gap(text, atoms[j], atoms[j + 1]))):
                j += 1
            close = _EQUIVALENT_CLOSE.match(text, atoms[j].end, stop)
            if close:
                equivalent = atoms[i + 1]
                end, period = close.end(), a.period
                if period is None:
                    period, end = _period_after(text, end, stop)
                rate = a.value / equivalent.value if equivalent.value else None  # type: ignore[operator]
                out.append(replace(a, end=end, period=period, equivalent=equivalent,
                                   implied_rate=rate))
                i = j + 1
                continue
        out.append(a)
        i += 1
    return out


def _bare_from(text: str, a: Amount, lo: int) -> Amount:
    """"from 26 to 50 euros", "from 5 to 7 billion dollars": the old value shares the new
    one's currency and, when it has none of its own, its scale."""
    before = _BARE_FROM.search(text, max(lo, a.start - 50), a.start)
    if before is None or a.value is None or _is_year(before["num"]) and not before["scale"]:
        return a  # "from 2019 to $7 a share": a year, not an old price
    scale = before["scale"] or (_SCALE_IN.search(a.text or text[a.start:a.end]) or {"scale": None})["scale"]
    value = _number(before["num"]) * (_SCALES[scale.lower()] if scale else 1.0)
    if not math.isfinite(value):
        return a
    previous = Amount(value, a.currency, start=before.start("num"), end=before.end("figure"))
    return replace(a, start=before.start(), previous=previous)


def _merge_from_to(text: str, atoms: list[Amount], lo: int) -> list[Amount]:
    """"from $5 billion to $3.9 billion", "to 92.50 dlrs a share from 80 dlrs" and
    "from 26 to 50 euros"."""
    out: list[Amount] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if a.is_money and a.previous is None:
            a = _bare_from(text, a, max(lo, out[-1].end if out else lo))
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and a.is_money and b.is_money:
            window = max(lo, out[-1].end if out else lo, a.start - 60)
            before = _FROM_BEFORE.search(text, window, a.start)
            if before and _FROM_TO_GAP.fullmatch(_gap(text, a, b)):
                out.append(replace(b, start=before.start(), previous=a))
                i += 2
                continue
            before = _TO_BEFORE.search(text, window, a.start)
            if before and _TO_FROM_GAP.fullmatch(_gap(text, a, b)):
                out.append(replace(a, start=before.start(), end=b.end, previous=b))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _resolve(change: Change, sign: int | None, base: Amount) -> float | None:
    if base.value is None:
        return None
    if change.factor is not None:
        return base.value * change.factor if sign != -1 else base.value / change.factor
    return base.value * (1 + (change.percent or 0.0) / 100)


def _signed(change: Change, sign: int | None) -> Change:
    if change.percent is not None and sign == -1:
        return replace(change, percent=-abs(change.percent))
    return change


def _merge_relative(text: str, atoms: list[Amount], lo: int, stop: int) -> list[Amount]:
    """A percent or factor with its base ("over X") or target ("to X")."""
    out: list[Amount] = []
    i = 0
    while i < len(atoms):
        p = atoms[i]
        if p.change is None or p.is_money:
            out.append(p)
            i += 1
            continue
        window = max(lo, out[-1].end if out else lo, p.start - 40)
        start, end, sign = p.start, p.end, None
        before = _DIR_BEFORE.search(text, window, p.start)
        if before:
            start, sign = before.start(), _SIGNS[before["dir"].lower()]
        n = atoms[i + 1] if i + 1 < len(atoms) else None
        after = _DIR_AFTER.match(text, p.end, min(stop, p.end + 40, n.start if n else stop))
        if after:
            end, sign = after.end(), _SIGNS[after["dir"]]
        merged = None
        if n is not None and n.is_money and n.start - end <= _MAX_GAP:
            gap = text[end:n.start]
            base_gap = _BASE_GAP.fullmatch(gap)
            change = _signed(p.change, sign)
            if n.previous is not None and _SHORT_GAP.fullmatch(gap):  # "... from X to Y"
                change = replace(change, base=n.previous)
                merged = replace(n, start=start, change=change)
            elif base_gap:
                prep = base_gap["prep"].lower()
                if sign is None and prep in ("over", "above"):
                    sign = 1
                elif sign is None and prep == "below":
                    sign = -1
                if sign is not None:
                    change = replace(_signed(p.change, sign), base=n)
                    merged = Amount(_resolve(change, sign, n), n.currency, period=n.period,
                                    change=change, start=start, end=n.end,
                                    approximate=p.approximate or n.approximate)
            elif _TARGET_GAP.fullmatch(gap):
                merged = replace(n, start=start, change=change,
                                 approximate=p.approximate or n.approximate)
        if merged is not None:
            out.append(merged)
            i += 2
            continue
        # The direction words stay in the span so that the text re-parses to the same sign.
        out.append(replace(p, start=start, end=end, change=_signed(p.change, sign)))
        i += 1
    return out


def _merge_trailing_change(text: str, atoms: list[Amount], stop: int) -> list[Amount]:
    """"$1.3 billion a year -- an increase of about 50 percent": the change joins the money."""
    out: list[Amount] = []
    i = 0
    while i < len(atoms):
        m = atoms[i]
        p = atoms[i + 1] if i + 1 < len(atoms) else None
        if (p is not None and m.is_money and m.change is None and p.change is not None
                and not p.is_money and p.value is None and p.change.base is None):
            gap = _CHANGE_AFTER_MONEY.fullmatch(_gap(text, m, p))
            lead = _DIR_LEAD.match(text, p.start)
            limit = atoms[i + 2].start if i + 2 < len(atoms) else stop
            after = _DIR_AFTER.match(text, p.end, min(stop, p.end + 40, limit))
            direction = (gap and gap["dir"]) or (lead and lead["dir"]) or (after and after["dir"])
            if gap and direction:
                end = after.end() if after else p.end
                out.append(replace(m, end=end, change=_signed(p.change, _SIGNS[direction.lower()])))
                i += 2
                continue
        out.append(m)
        i += 1
    return out


# "Net income    (12.5)    14.3": a gap between two figures makes the line a table row.
_TABLE_GAP = re.compile(r"[\d)%](?:\t|[ \u00a0]{2,}|[ \u00a0]*\|[ \u00a0]*)[(\d$€£¥-]")


def _negative_in_table(text: str, amount: Amount, lo: int, stop: int) -> Amount:
    """Accounts write a loss in brackets: "($12.5m)" in a table row is negative. In prose
    brackets hold an aside or an equivalent, never a sign."""
    if not (amount.is_money and amount.start > lo and amount.end < stop
            and text[amount.start - 1] == "(" and text[amount.end] == ")"):
        return amount
    line_start = text.rfind("\n", 0, amount.start) + 1
    line_end = text.find("\n", amount.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if not _TABLE_GAP.search(line):
        return amount
    return replace(amount, value=-amount.value, start=amount.start - 1,  # type: ignore[operator]
                   end=amount.end + 1)


# --- public API ---------------------------------------------------------------

def _finished(amount: Amount, text: str, day: dt.date | None) -> Amount:
    """The amount with its text and USD value, and those of the amounts inside it."""
    usd, rate_day = None, None
    if amount.is_money:
        if amount.currency == "USD":
            usd, rate_day = amount.value, day
        elif day is not None:
            usd, rate_day = to_usd(amount.value, amount.currency, day)  # type: ignore[arg-type]
    change = amount.change
    if change is not None and change.base is not None:
        change = replace(change, base=_finished(change.base, text, day))
    return replace(
        amount, text=text[amount.start:amount.end], usd=usd, usd_rate_date=rate_day, change=change,
        equivalent=amount.equivalent and _finished(amount.equivalent, text, day),
        previous=amount.previous and _finished(amount.previous, text, day))


def find_amounts(text: str, published: dt.date | dt.datetime | None = None, *, start: int = 0,
                 end: int | None = None) -> list[Amount]:
    """Every amount in ``text[start:end]``, sorted by start and non-overlapping.

    Offsets are absolute in `text`. `published` is the article's publication day:
    money gets its US dollar value at the ECB rate of that day (None: no USD
    value, except for amounts already in USD). Never raises on any text.
    """
    if not isinstance(text, str):
        return []
    stop = len(text) if end is None else max(0, min(end, len(text)))
    lo = max(0, min(start, stop))
    atoms = _atoms(text, lo, stop)
    if not atoms:
        return []
    atoms = _merge_equivalents(text, atoms, stop)
    atoms = _merge_from_to(text, atoms, lo)
    atoms = _merge_relative(text, atoms, lo, stop)
    atoms = _merge_trailing_change(text, atoms, stop)
    atoms = [_negative_in_table(text, a, lo, stop) for a in atoms]
    day = published.date() if isinstance(published, dt.datetime) else published
    return [_finished(a, text, day) for a in atoms]


def parse_amount(s: str, published: dt.date | dt.datetime | None = None) -> Amount | None:
    """The amount one expression states ("$5bn", "13 percent", "1.04 trillion won
    ($850 million)"): the longest found in `s`, or None when there is none."""
    amounts = find_amounts(s, published)
    if not amounts:
        return None
    return max(amounts, key=lambda a: a.end - a.start)
