"""General resources for naming parties: states, institutions, titles, slugs.

World knowledge only, no fact of any one article. Three tables ship in
``resources/`` and are read once, on first use:

``countries.tsv``  code, name, aliases, demonyms, capitals, currency, ambiguous, note
    Every ISO 3166-1 alpha-3 code, plus XKX (Kosovo, a user-assigned code) and
    the historical states old news names, under their ISO 3166-3 codes (DDR,
    SUN, YUG, CSK, SCG, YMD, VDR, ANT). A state that only changed its name is
    an alias of its successor: West Germany, Bonn -> DEU; Burma -> MMR;
    Zaire -> COD; Rhodesia -> ZWE. Lists inside a cell are ``|``-separated;
    ``ambiguous`` lists the row's surfaces that are also ordinary words,
    people or other places (Jordan, Georgia, Chad, Washington), and ``note``
    says why, and which dates a capital stood for which state.
    ``currency`` is today's ISO 4217 code (DEU is EUR even for 1980s news:
    the note gives the old one).

``institutions.tsv``  surface, code, kind, note
    ``kind`` says how far the surface alone names a state:
    ``seat``        a place that stands for one government (White House, Kremlin)
    ``body``        a named body of one state (State Department, Bundestag)
    ``contextual``  a body many states have; ``code`` is the one most news
                    means (Treasury -> USA, Diet -> JPN). Treat it like
                    ``generic``; fall back on ``code`` only when the article's
                    country is unknown.
    ``generic``     ``code`` is ``*``: the state the phrase is qualified by
                    ("South Korea's foreign ministry", "Ministry of Foreign
                    Affairs of Japan"), else the article's own country.
    `party_code` applies exactly this policy.

``titles.tsv``  title, kind, speaks_for_state
    ``kind`` is one of `TITLE_KINDS`; ``speaks_for_state`` is ``yes`` (only a
    state holds the office: Foreign Minister, ambassador), ``side`` (the
    holder speaks for whichever party they belong to: a president, a chief
    negotiator, a spokesman; a state when that party is one) or ``no`` (a
    legislator, a mediator).

Lookups fold case, accents, dots, hyphens and possessives ("the U.S.",
"U.S", "S.Korea", "South Korea's", "Seoul's", "Koreans'"), except that an
undotted all-capitals abbreviation (US, UK, ROK, PA, CAR) only matches in
capitals, so "us" and "car" stay words.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "Country", "Title", "TITLE_KINDS", "SURFACE_KINDS", "INSTITUTION_KINDS",
    "countries", "state_code", "state_name", "currency_of", "surfaces", "ambiguous_surfaces",
    "institution", "party_code", "title_kind", "title_info", "titles", "slug", "is_state_code",
]

TITLE_KINDS = ("head_of_state", "head_of_government", "minister", "diplomat", "negotiator",
               "spokesperson", "official", "legislator", "executive", "union", "military",
               "royal", "other")
SURFACE_KINDS = ("name", "alias", "demonym", "capital", "institution")
INSTITUTION_KINDS = ("seat", "body", "contextual", "generic")

# Trailing words that turn a state's name into a phrase for its side, stripped
# by state_code: "the Korean side", "the U.S. delegation", "Tokyo's negotiators".
_SIDE_WORDS = ("side", "government", "govt", "authorities", "administration", "delegation",
               "negotiators", "negotiating team", "officials", "leadership", "regime", "camp",
               "embassy")

# Legal-form words dropped from the end of an organisation's name by slug().
_LEGAL_SUFFIXES = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "plc",
    "group", "holding", "holdings", "sa", "ag", "nv", "llc", "llp", "lp", "gmbh", "spa", "bv",
    "kk", "ab", "pty", "pte", "sarl", "sas", "se", "oyj", "asa", "and",
})

# Latin letters NFKD does not decompose.
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                          "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th",
                          "ı": "i"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
                              "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"})


@dataclass(frozen=True)
class Country:
    """One row of countries.tsv."""

    code: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    currency: str | None
    ambiguous: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Title:
    """One row of titles.tsv."""

    title: str
    kind: str
    speaks_for_state: str  # "yes", "side" or "no"


# ---------------------------------------------------------------- normalising
def _fold(text: str) -> str:
    """Accents off, typographic quotes and dashes made plain; case kept."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c))


def _key(text: str) -> str:
    """The case- and punctuation-free form surfaces are indexed under."""
    text = _fold(text).casefold().replace("&", " and ")
    text = re.sub(r"[.\-_/,;:()\[\]\"!?]", " ", text)
    text = re.sub(r"[^\w' ]", "", text)
    text = re.sub(r"\s*'\s*", "'", text)
    return " ".join(text.split()).strip("'")


def _compact(key: str) -> str:
    return re.sub(r"[^0-9a-z]", "", key)


def _strip_possessive(text: str) -> str:
    text = text.rstrip()
    for suffix in ("'s", "'S", "'"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)].rstrip()
    return text


def _strip_the(text: str) -> str:
    return text[4:].lstrip() if text[:4].lower() == "the " else text


_DOTTED = re.compile(r"^(?:[A-Za-z]\.\s*)+[A-Za-z]?\.?$")


def _abbreviation(text: str) -> str | None:
    """The capital letters of an abbreviation ("U.S." -> "US"), else None.

    Undotted forms count only in capitals; dotted initials ("u.s.") are never
    an ordinary word, so their case does not matter.
    """
    if _DOTTED.match(text):
        return re.sub(r"[^A-Za-z]", "", text).upper()
    letters = re.sub(r"[^A-Z]", "", text)
    if 2 <= len(letters) <= 6 and re.fullmatch(r"[A-Z.\s&]+", text):
        return letters
    return None


def _split(cell: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in cell.split("|") if s.strip())


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("parley").joinpath("resources", filename).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


# ------------------------------------------------------------------- loading
class _Index:
    """Surfaces by key, by compact key, and abbreviations by capitals."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        self.by_abbrev: dict[str, str] = {}
        self._compact: dict[str, set[str]] = {}

    def add(self, surface: str, value: str) -> None:
        abbrev = _abbreviation(surface)
        if abbrev is not None:
            self.by_abbrev.setdefault(abbrev, value)
            return
        key = _key(surface)
        if not key:
            return
        self.by_key.setdefault(key, value)
        self._compact.setdefault(_compact(key), set()).add(value)

    @functools.cached_property
    def by_compact(self) -> dict[str, str]:
        # A compact key two values share ("Georgetown", "George Town") says nothing.
        return {k: next(iter(v)) for k, v in self._compact.items() if len(v) == 1 and k}

    def find(self, text: str) -> str | None:
        for candidate in dict.fromkeys((text, _strip_the(text))):
            abbrev = _abbreviation(candidate)
            if abbrev is not None and abbrev in self.by_abbrev:
                return self.by_abbrev[abbrev]
        key = _key(text)
        for candidate in dict.fromkeys((key, _strip_the(key))):
            if candidate in self.by_key:
                return self.by_key[candidate]
        for candidate in dict.fromkeys((key, _strip_the(key))):
            found = self.by_compact.get(_compact(candidate))
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class _Tables:
    countries: dict[str, Country]
    states: _Index
    institutions: _Index
    institution_rows: tuple[tuple[str, str, str], ...]
    titles: tuple[Title, ...]


@functools.cache
def _tables() -> _Tables:
    countries: dict[str, Country] = {}
    states = _Index()
    for row in _rows("countries.tsv"):
        country = Country(code=row["code"], name=row["name"], aliases=_split(row["aliases"]),
                          demonyms=_split(row["demonyms"]), capitals=_split(row["capitals"]),
                          currency=row["currency"] or None, ambiguous=_split(row["ambiguous"]),
                          note=row["note"])
        countries[country.code] = country
        for surface in (country.name, *country.aliases, *country.demonyms, *country.capitals):
            states.add(surface, country.code)
    institutions = _Index()
    institution_rows = []
    for row in _rows("institutions.tsv"):
        entry = (row["surface"], row["code"], row["kind"])
        institution_rows.append(entry)
        institutions.add(row["surface"], f"{row['code']}\t{row['kind']}")
    titles = tuple(Title(r["title"], r["kind"], r["speaks_for_state"]) for r in _rows("titles.tsv"))
    return _Tables(countries, states, institutions, tuple(institution_rows), titles)


# ---------------------------------------------------------------- public API
def countries() -> list[Country]:
    """Every row of countries.tsv, in file order."""
    return list(_tables().countries.values())


def _clean(surface: str) -> str:
    return _fold(surface).strip().strip(" \t\n,;:!?\"()[]{}")


def _find(index: _Index, text: str) -> str | None:
    # As written first: "St. John's" is a name, "Seoul's" a possessive.
    for candidate in dict.fromkeys((text, _strip_possessive(text))):
        found = index.find(candidate)
        if found is not None:
            return found
    return None


def _strip_side(text: str) -> str | None:
    lowered = text.lower()
    for word in _SIDE_WORDS:
        if lowered.endswith(" " + word):
            return _strip_possessive(text[: -len(word)].rstrip())
    return None


@functools.lru_cache(maxsize=8192)
def is_state_code(code: str) -> bool:
    """Whether a party code is a state's (ISO alpha-3) or the EU's, not an organisation's slug."""
    return bool(re.fullmatch(r"[A-Z]{3}|EU", code))


def state_code(surface: str) -> str | None:
    """The ISO alpha-3 code a name, alias, demonym or capital stands for.

    >>> state_code("the U.S."), state_code("Seoul's"), state_code("the Korean side")
    ('USA', 'KOR', 'KOR')

    Returns None when the text is not one surface of a state.
    """
    if not isinstance(surface, str) or not surface.strip() or len(surface) > 200:
        return None
    text = _clean(surface)
    if not text:
        return None
    states = _tables().states
    found = _find(states, text)
    if found is None:
        bare = _strip_side(_strip_possessive(text))
        if bare:
            found = _find(states, _strip_the(bare))
    return found


def state_name(code: str) -> str:
    """The English short name of a state code; any other code comes back unchanged.

    Unchanged, so a report can name an organisation's slug the same way.
    """
    country = _tables().countries.get(code)
    return country.name if country else code


def currency_of(code: str) -> str | None:
    """Today's ISO 4217 currency of a state code, or None."""
    country = _tables().countries.get(code)
    return country.currency if country else None


def surfaces() -> list[tuple[str, str, str]]:
    """Every (surface, code, kind) for building a PhraseMatcher.

    kind is one of `SURFACE_KINDS`; institutions carry code ``*`` when generic.
    Abbreviations (US, ROK) are listed in capitals and are meant to match
    case-sensitively (attr="ORTH").
    """
    return list(_surfaces())


@functools.cache
def _surfaces() -> tuple[tuple[str, str, str], ...]:
    out: list[tuple[str, str, str]] = []
    for c in _tables().countries.values():
        out.append((c.name, c.code, "name"))
        out.extend((s, c.code, "alias") for s in c.aliases)
        out.extend((s, c.code, "demonym") for s in c.demonyms)
        out.extend((s, c.code, "capital") for s in c.capitals)
    out.extend((s, code, "institution") for s, code, _ in _tables().institution_rows)
    return tuple(out)


@functools.cache
def ambiguous_surfaces() -> frozenset[str]:
    """Surfaces that are also ordinary words, people or other places.

    Given as written, in lower case and in capitals ("Jordan", "jordan",
    "JORDAN"), so a caller can test a span's text directly. A match on one of
    these needs support from the context (not a PERSON entity, a nearby
    government word) before it names a state.
    """
    out: set[str] = set()
    for c in _tables().countries.values():
        for s in c.ambiguous:
            out.update((s, s.lower(), s.upper(), s.title()))
    return frozenset(out)


def institution(surface: str) -> tuple[str, str] | None:
    """(code, kind) of a government body or metonym, or None.

    code is ``*`` for generic bodies; see the module docstring for the kinds.
    """
    if not isinstance(surface, str) or not surface.strip() or len(surface) > 200:
        return None
    text = _clean(surface)
    if not text:
        return None
    found = _find(_tables().institutions, text)
    if found is None:
        return None
    code, kind = found.split("\t")
    return code, kind


def party_code(text: str, home: str | None = None) -> str | None:
    """The state a phrase stands for, given the article's country `home`.

    A state's own surface ("Seoul", "the Korean side"); a seat or named body
    ("the Kremlin"); a generic body qualified by a state ("South Korea's
    foreign ministry", "the Japanese government", "Ministry of Foreign Affairs
    of Japan"); else a generic or contextual body stands for `home`, and a
    contextual one for its usual state when `home` is unknown.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 200:
        return None
    code = state_code(text)
    if code:
        return code
    found = institution(text)
    if found and found[1] in ("seat", "body"):
        return found[0]
    words = _strip_the(_clean(text)).split()
    for i in range(1, len(words)):
        head, tail = " ".join(words[:i]), " ".join(words[i:])
        tail_inst = institution(tail)
        if tail_inst is not None:
            qualifier = state_code(head)
            if qualifier:
                return qualifier
            if tail_inst[1] in ("seat", "body"):
                return tail_inst[0]
        if words[i - 1].lower() in ("of", "in", "for") and institution(" ".join(words[: i - 1])):
            qualifier = state_code(tail)
            if qualifier:
                return qualifier
    if found is None:
        return None
    if home:
        return home
    return found[0] if found[1] == "contextual" else None


# -------------------------------------------------------------------- titles
def _title_key(text: str) -> str:
    return " ".join(re.sub(r"[.\-_/,;:()\"]", " ", _fold(text).casefold()).split())


@functools.cache
def _title_pattern() -> tuple[re.Pattern[str], dict[str, Title]]:
    by_key = {_title_key(t.title): t for t in _tables().titles}
    alternatives = []
    for key in sorted(by_key, key=len, reverse=True):
        pattern = re.escape(key)
        if key.endswith("man"):
            pattern = re.escape(key[:-3]) + "m[ae]n"
        elif key.endswith("y"):
            pattern = re.escape(key[:-1]) + "(?:y|ys|ies)"
        elif key[-1].isalpha():
            pattern += "(?:e?s)?"
        alternatives.append(pattern)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])"), by_key


def title_info(text: str) -> Title | None:
    """The longest title of office found in `text` ("U.S. deputy assistant secretary of state")."""
    if not isinstance(text, str) or not text.strip() or len(text) > 500:
        return None
    pattern, by_key = _title_pattern()
    best: str | None = None
    for match in pattern.finditer(_title_key(text)):
        if best is None or len(match.group()) > len(best):
            best = match.group()
    if best is None:
        return None
    singulars = (best, re.sub(r"men$", "man", best), re.sub(r"ies$", "y", best), best[:-1], best[:-2])
    return next((by_key[s] for s in singulars if s in by_key), None)


def title_kind(text: str) -> str | None:
    """The kind (`TITLE_KINDS`) of the longest title in `text`, or None."""
    found = title_info(text)
    return found.kind if found else None


def titles() -> list[str]:
    """Every title as written in titles.tsv, longest first (for matching)."""
    return sorted((t.title for t in _tables().titles), key=lambda s: (-len(s), s))


# ---------------------------------------------------------------------- slug
def slug(name: str) -> str:
    """A lowercase hyphenated slug of an organisation's canonical name.

    Legal forms at the end are dropped, and the apostrophe of a possessive:
    "Foster's Group" -> "fosters", "USAir Group Inc" -> "usair",
    "Trans World Airlines Inc" -> "trans-world-airlines". " & " reads "and";
    a glued "&" is dropped ("AT&T" -> "att").
    """
    if not isinstance(name, str):
        return ""
    text = _fold(name).translate(_LETTERS)
    text = re.sub(r"\s+&\s+", " and ", text).replace("&", "")
    text = text.replace("'", "").replace(".", "")
    words = re.findall(r"[A-Za-z0-9]+", text)
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in _LEGAL_SUFFIXES:
        words.pop()
    return "-".join(w.lower() for w in words)
