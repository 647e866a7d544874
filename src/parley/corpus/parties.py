"""Parties across articles: each side under one code, and only sides.

The extractor names the parties of each article on its own; across articles
the same side can carry several codes, and a few codes are not sides at all.
`resolve_parties` rewrites the actor and target of stored events before
they are merged into the timeline:

1. Not a party: a word of `resources/not_parties.txt` (diseases,
   benchmark rates: "Covid 19", "Libor"); and, in an article that names an
   organisation, a generic noun alone ("club", "bank", "employer") or a
   group of members ("dock workers" beside their union): they only refer to
   a side named there. Alone in their article they are the side's only
   name and stay. The event keeps its other party.
2. A company is not its country: a state that a sentence names only by its
   demonym as the describer of a company ("Norwegian shipping group
   Havbris", "the Swedish ferry operator") stands for that company: the
   organisation named beside the demonym in that sentence, else the one
   the same article (then the corpus) names beside that demonym.
3. A capital that stands for an organisation seated there
   (`resources/seats.tsv`: "Brussels" for the European Union) is that
   organisation when the article's sentences name the capital (or the
   organisation) and never the country itself, and the corpus has the
   organisation as a party.
4. One organisation under several names is one party: codes that differ
   only by one generic word, "the", or punctuation ("ver.di", "the Verdi union",
   "verdi-union", "Verdi"), or one is the initials of the only other code
   they could stand for ("EU" and "European Union"), take the code most
   reports use (ties: the shorter, then the first in alphabetical order, so
   the outcome depends on the reports only, never on their order).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache, lru_cache
from importlib import resources

from parley.analysis.actors import BODY_NOUNS, DESCRIBED_NOUNS, GROUP_NOUNS, MEMBER_NOUNS, ORG_NOUNS
from parley.analysis.gazetteer import countries
from parley.corpus.store import StoredEvent
from parley.records import replace

# Words an organisation's name may carry or drop without becoming another organisation.
GENERIC_NAME_WORDS = frozenset({"the", "union", "group", "company", "co", "inc", "corp", "ltd", "plc",
                                "holding", "holdings"})
# Nouns that, after a demonym, describe a company ("a Norwegian shipping group").
COMPANY_NOUNS = DESCRIBED_NOUNS | frozenset({"operator", "owner", "rival", "peer", "target", "suitor",
                                             "conglomerate", "business", "concern", "corporation",
                                             "provider", "supplier", "shipper", "firm"})
# How many words may stand between a demonym and the company it describes.
NEAR_WORDS = 6
_WORDS = re.compile(r"[A-Za-z0-9]+")
# The sentences of a store repeat (every wire copy reports its story's events): what
# is decided of one sentence is kept for the next read of the store, up to this many.
SENTENCE_CACHE = 1 << 16
# "Swedish crowns", "Norwegian kroner": a demonym that names money describes no company.
_MONEY_AFTER = re.compile(r"\s+(?:crowns?|kron[aeor]+|dollars?|pounds?|euros?|francs?|yen|won|yuan|"
                          r"pesos?|rupees?|marks?|lira|rand|reais|real|roubles?|rubles?)\b", re.I)


@cache  # asked of every party of every report: a store has few codes
def is_state(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.isupper()


@cache
def _not_party_words() -> frozenset[str]:
    text = (resources.files("parley") / "resources" / "not_parties.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


@cache
def _seats() -> dict[str, tuple[str, ...]]:
    """Capital as written -> the codes of the organisation seated there, preferred first."""
    text = (resources.files("parley") / "resources" / "seats.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {capital: tuple(codes.split("|")) for capital, codes in rows[1:]}


@cache
def _demonyms() -> dict[str, tuple[str, ...]]:
    """State code -> its demonyms in the singular-adjective forms ("Norwegian")."""
    return {c.code: tuple(d for d in c.demonyms if d) for c in countries()}


@cache
def _other_surfaces() -> dict[str, tuple[str, ...]]:
    """State code -> its names, aliases and capitals: a state named as itself."""
    return {c.code: tuple(s for s in (c.name, *c.aliases, *c.capitals) if s) for c in countries()}


@cache
def is_party(code: str) -> bool:
    """False for codes that never name a side: the words of resources/not_parties.txt."""
    if is_state(code):
        return True
    return code.split("-")[0] not in _not_party_words() and code not in _not_party_words()


@cache
def is_generic(code: str) -> bool:
    """A side named only by what it is: "club", "bank", "employer", "union", "management"."""
    if is_state(code) or "-" in code:
        return False
    word = code.rstrip("s")
    return word in _GENERIC or code in _GENERIC


# Political sides ("the Democrats") are named by a group noun, but are sides by that name.
_GENERIC = frozenset((ORG_NOUNS | GROUP_NOUNS | BODY_NOUNS | MEMBER_NOUNS) - {"democrat", "republican"})


@cache
def _is_member_group(code: str) -> bool:
    """ "dock-worker", "teacher": the people a union or an employer speaks for."""
    return not is_state(code) and code.split("-")[-1].rstrip("s") in MEMBER_NOUNS


@cache
def _name_pattern(code: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in code.split("-") if w]
    return re.compile(r"\b" + r"\W{1,3}".join(words) + r"\b", re.I)


def _alias_key(code: str) -> str:
    kept = [p for p in code.split("-") if p not in GENERIC_NAME_WORDS]
    return "".join(kept)


def _initials(code: str) -> str:
    parts = [p for p in code.split("-") if p and p != "the"]
    return "".join(p[0] for p in parts) if len(parts) >= 2 else ""


def resolve_parties(events: list[StoredEvent]) -> list[StoredEvent]:
    """The events with their actor and target resolved across articles (see the module docstring)."""
    events = list(events)
    orgs_of_article: dict[str, set[str]] = defaultdict(set)
    for item in events:
        for code in (item.event.actor, item.event.target):
            if code and not is_state(code) and is_party(code) and not _is_member_group(code) \
                    and not is_generic(code):
                orgs_of_article[item.article].add(code)
    companies = _companies_by_nationality(events, orgs_of_article)
    known = {code for codes in orgs_of_article.values() for code in codes}
    seats = {capital: next((c for c in codes if c in known), None) for capital, codes in _seats().items()}
    article_texts: dict[str, list[str]] = defaultdict(list)
    for item in events:
        article_texts[item.article].extend(e.text for e in item.event.evidence)
    seated: dict[tuple[str | None, str], str | None] = {}  # (code, article): wire copies ask again
    out = []
    for item in events:
        event = item.event
        actor = _seated(_resolve_one(event.actor, item, orgs_of_article, companies), item, seats,
                        article_texts, orgs_of_article, seated)
        target = _seated(_resolve_one(event.target, item, orgs_of_article, companies), item, seats,
                         article_texts, orgs_of_article, seated)
        if target == actor:
            target = None
        if (actor, target) != (event.actor, event.target):
            item = replace(item, event=replace(event, actor=actor, target=target))
        out.append(item)
    aliases = _aliases(out)
    if not aliases:
        return out
    return [item if item.event.actor not in aliases and item.event.target not in aliases else
            replace(item, event=replace(item.event, actor=aliases.get(item.event.actor, item.event.actor),
                                        target=aliases.get(item.event.target, item.event.target)))
            for item in out]


def _resolve_one(code: str | None, item: StoredEvent, orgs_of_article: dict[str, set[str]],
                 companies: dict[tuple[str, str], Counter[str]]) -> str | None:
    if code is None or not is_party(code):
        return None
    if (_is_member_group(code) or is_generic(code)) and orgs_of_article.get(item.article, set()) - {code}:
        return None  # the article names the side; "the club", "the workers" only refer to it
    if not is_state(code):
        return code
    others = {c for c in (item.event.actor, item.event.target) if c and c != code}
    for evidence in item.event.evidence:
        company = _company_for_demonym(code, evidence.text, orgs_of_article.get(item.article, set()) - others)
        if company is None and _describes_company(code, evidence.text):
            votes = companies.get((item.article, code)) or companies.get(("", code))
            candidates = [c for c, _ in (votes or Counter()).most_common() if c not in others]
            company = candidates[0] if candidates else None
        if company is not None:
            return company
    return code


def _seated(code: str | None, item: StoredEvent, seats: dict[str, str | None],
            article_texts: dict[str, list[str]], orgs_of_article: dict[str, set[str]],
            memo: dict[tuple[str | None, str], str | None] | None = None) -> str | None:
    """The organisation a capital stands for, in an article whose sentences name the capital
    (or the organisation) and never the country itself. `memo` keeps the answer per code and
    article (it depends on nothing else) for the article's other events."""
    if code is None or not is_state(code):
        return code
    if memo is not None and (code, item.article) in memo:
        return memo[(code, item.article)]
    country = _country(code)
    if country is None:
        return code
    texts = tuple(article_texts.get(item.article, []))
    found = code
    if not _names_any(_itself_patterns(code), texts):
        for capital in country.capitals:
            organisation = seats.get(capital)
            if organisation is None:
                continue
            named = _names_any(_whole_word_patterns((capital,)), texts)
            if named or organisation in orgs_of_article.get(item.article, set()):
                found = organisation
                break
    if memo is not None:
        memo[(code, item.article)] = found
    return found


@cache
def _whole_word_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r"\b" + re.escape(name) + r"\b") for name in names)


@cache
def _itself_patterns(code: str) -> tuple[re.Pattern[str], ...]:
    """The state named as itself: its name, aliases and demonyms."""
    country = _country(code)
    return _whole_word_patterns(tuple(name for name in (country.name, *country.aliases, *country.demonyms)
                                      if name))


@lru_cache(maxsize=SENTENCE_CACHE)
def _names_any(patterns: tuple[re.Pattern[str], ...], texts: tuple[str, ...]) -> bool:
    # Keyed by the article's sentences: its wire copies have the same ones.
    return any(p.search(t) for t in texts for p in patterns)


@cache
def _country(code: str):  # type: ignore[no-untyped-def]
    return next((c for c in countries() if c.code == code), None)


@lru_cache(maxsize=SENTENCE_CACHE)
def _demonym_spans(code: str, text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for pattern in _whole_word_patterns(_demonyms().get(code, ())):
        spans.extend(m.span() for m in pattern.finditer(text) if not _MONEY_AFTER.match(text, m.end()))
    return tuple(spans)


@cache
def _surface_patterns(code: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r"\b" + re.escape(surface) + r"\b(?!'s|’s)")
                 for surface in _other_surfaces().get(code, ()))


@lru_cache(maxsize=SENTENCE_CACHE)
def _names_state_itself(code: str, text: str) -> bool:
    """The sentence names the state by its name (not as the possessor of a company)."""
    return any(p.search(text) for p in _surface_patterns(code))


@lru_cache(maxsize=SENTENCE_CACHE)
def _describes_company(code: str, text: str) -> bool:
    """ "the Norwegian group": a demonym of `code` followed closely by a company noun."""
    if _names_state_itself(code, text):
        return False
    for _start, end in _demonym_spans(code, text):
        following = [w.lower() for w in _WORDS.findall(text[end:])][:3]
        if any(w.rstrip("s") in COMPANY_NOUNS or w in COMPANY_NOUNS for w in following):
            return True
    return False


def _company_for_demonym(code: str, text: str, orgs: set[str]) -> str | None:
    """The organisation a demonym of `code` describes in this sentence, if one is named beside it."""
    if not orgs:
        return None
    return _company_beside_demonym(code, text, frozenset(orgs))


@lru_cache(maxsize=SENTENCE_CACHE)
def _company_beside_demonym(code: str, text: str, orgs: frozenset[str]) -> str | None:
    if _names_state_itself(code, text):
        return None
    best: tuple[int, str] | None = None
    for start, end in _demonym_spans(code, text):
        for org in sorted(orgs):
            for m in _name_pattern(org).finditer(text):
                if m.start() >= end:
                    between = text[end:m.start()]
                elif m.end() <= start:
                    between = text[m.end():start]
                    if "," not in between:
                        continue  # only an apposition names a company before its demonym
                else:
                    continue
                distance = len(_WORDS.findall(between))
                if distance <= NEAR_WORDS and (best is None or distance < best[0]):
                    best = (distance, org)
    return best[1] if best else None


def _companies_by_nationality(events: list[StoredEvent], orgs_of_article: dict[str, set[str]]
                              ) -> dict[tuple[str, str], Counter[str]]:
    """(article, state) and ("", state) -> the companies that sentences name beside its demonym."""
    found: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for item in events:
        orgs = orgs_of_article.get(item.article, set())
        if not orgs:
            continue
        for evidence in item.event.evidence:
            for code, company in _companies_beside_demonyms(evidence.text, frozenset(orgs)):
                found[(item.article, code)][company] += 1
                found[("", code)][company] += 1
    return found


@lru_cache(maxsize=SENTENCE_CACHE)
def _companies_beside_demonyms(text: str, orgs: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(state, company) for each state whose demonym describes one of `orgs` in this sentence."""
    found = []
    for code, demonyms in _demonyms().items():
        if demonyms and any(d in text for d in demonyms):
            company = _company_beside_demonym(code, text, orgs)
            if company is not None:
                found.append((code, company))
    return tuple(found)


def _aliases(events: list[StoredEvent]) -> dict[str, str]:
    """Organisation code -> the code of the same organisation most reports use."""
    uses: Counter[str] = Counter()
    for item in events:
        for code in (item.event.actor, item.event.target):
            if code and not is_state(code):
                uses[code] += 1
    by_key: dict[str, list[str]] = defaultdict(list)
    for code in uses:
        key = _alias_key(code)
        if len(key) >= 3:
            by_key[key].append(code)
    by_initials: dict[str, list[str]] = defaultdict(list)
    for code in uses:
        if _initials(code):
            by_initials[_initials(code)].append(code)
    # "harbour-union" and "harbour-group" are two bodies: a name keeps one generic word at most.
    groups: list[set[str]] = [set(codes) for codes in by_key.values() if len(codes) > 1
                              and len({w for c in codes for w in c.split("-")}
                                      & (GENERIC_NAME_WORDS - {"the"})) <= 1]
    for code in uses:
        expanded = by_initials.get(code.replace("-", ""), [])
        if "-" not in code and len({_alias_key(c) for c in expanded}) == 1:
            groups.append({code, *expanded})
    # Join overlapping groups (an alias of an alias is the same organisation).
    merged: list[set[str]] = []
    for group in groups:
        for other in [m for m in merged if m & group]:
            group |= other
            merged.remove(other)
        merged.append(group)
    out: dict[str, str] = {}
    for group in merged:
        canonical = min(group, key=lambda c: (-uses[c], len(c), c))
        out.update({code: canonical for code in group if code != canonical})
    return out
