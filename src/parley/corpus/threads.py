"""Negotiation threads: the timeline split into the negotiations it mixes.

An article about one negotiation often mentions another (cost-sharing talks
with one ally in a story about another's). Entries are grouped by the pair
of parties they involve; an entry that names one party only joins the
thread its article's other entries with that party belong to, else the
busiest thread of that party, else (a party seen nowhere else) the thread
most of its article's entries are in. Within a pair, groups of articles
whose subject words do not overlap, and that share no figure, form threads
of their own (two negotiations between the same two parties); so do talks
between the same parties years apart (articles more than `YEARS_APART`
published apart with none between: the 1987 and the 2015 trade talks), each
then named with its first year. Each thread is labelled by its parties and
its most frequent subject words (from headlines, else evidence): words of
the parties' names, people's names, money and units, and common verbs left
out, so that the label reads as the subject.

Every choice is made in an order the entries give (counts, then the words or
ids themselves), never in the order of a set: thread ids do not depend on
Python's hash seed.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from parley.analysis.actors import MEDIA
from parley.errors import ConfigurationError
from parley.records import replace

_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its just me more
most my no nor not now of off on once only or other our out over own same she should so some
such than that the their them then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your said says
say new news amid over per year years month week day last next first second third report
reports reportedly report told according talks talk negotiation negotiations deal deals
offer offered offers demand demanded demands reject rejected agree agreed million billion
trillion percent
agreement side sides two one us u.s. s. n't 's -- —
want wants wanted move moves moved moving seek seeks sought push pushes pushed near nears
nearing call calls called urge urges urged warn warns warned face faces make makes made take
takes took give gives gave raise raises raised cut cuts set sets back backs plan plans
planned hold holds held reach reaches reached see sees get gets come comes came goes went
still could may might must need needs ahead amid hit hits hopes hope keep keeps kept put
puts show shows look looks eye eyes slam slams vows vow fail fails failed end ends ended
open opens opened start starts started begin begins make tell tells deny denies denied
seen sees hail hails hailed lift lifts lifted
rise rises rose risen rising increase increases increased hike hikes hiked boost boosts boosted
lower lowers lowered reduce reduces reduced drop drops dropped round rounds
""".split())
# (The last lines: how terms move and the talks' rounds say how a negotiation goes, not what about.)
# Money and units: what a figure is counted in says nothing of the subject.
_UNITS = frozenset("""
hour hours hourly share shares percent per cent cents crown crowns krona kronor krone kroner
euro euros dollar dollars pound pounds sterling yen won yuan rupee rupees franc francs peso
pesos rouble roubles ruble rubles mark marks lira real reais rand pence penny
""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
_POSSESSIVE = re.compile(r"'s?$")
# Two articles whose subject words overlap this much are about one negotiation.
SAME_SUBJECT = 0.1
COMMON_SHARE = 0.6
MAX_SUBJECT_GROUPS = 400
# Talks between the same parties with no article in this many days between are separate.
YEARS_APART = 2
MIN_SUBJECT_LETTERS = 3
# A subject of its own holds at least this share of its pair's distinct texts: two
# articles of thirty on one side issue are a sub-topic of the same negotiation.
MIN_SUBJECT_SHARE = 0.2


@dataclass(frozen=True)
class Thread:
    id: str
    parties: tuple[str, ...]
    subject: tuple[str, ...]
    entries: int
    articles: int
    first: dt.date | None
    last: dt.date | None

    @property
    def name(self) -> str:
        label = "–".join(self.parties) or "unattributed"
        return f"{label}: {' '.join(self.subject)}" if self.subject else label

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "parties": list(self.parties),
                "subject": list(self.subject), "entries": self.entries, "articles": self.articles,
                "first": self.first.isoformat() if self.first else None,
                "last": self.last.isoformat() if self.last else None}


_PARTY_WORDS: frozenset[str] | None = None


def party_words() -> frozenset[str]:
    """Words of country names, aliases, demonyms and capitals: parties, not subjects."""
    global _PARTY_WORDS
    if _PARTY_WORDS is None:
        from importlib import resources
        words: set[str] = set()
        try:
            table = (resources.files("parley") / "resources" / "countries.tsv").read_text("utf-8")
            for line in table.splitlines()[1:]:
                cells = line.split("\t")
                for cell in cells[1:5]:
                    words.update(w.lower() for w in _WORD.findall(cell))
        except OSError:
            pass
        _PARTY_WORDS = frozenset(words)
    return _PARTY_WORDS


def _pair_id(parties: frozenset[str]) -> str:
    return "-".join(sorted(p.lower() for p in parties)) or "unattributed"


def subject_words(texts: list[str], exclude: set[str], top: int = 3,
                  names: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The words most texts share, most shared first (ties alphabetical), readable ones only.

    Left out: stop words, common verbs, money and units, words under
    `MIN_SUBJECT_LETTERS` letters, `exclude`, and `names` (of the parties
    and people) with every fragment of them ("ver" of "ver.di").
    """
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    # Wire copies repeat headlines and sentences, and texts repeat words: each decided once.
    readable: dict[str, bool] = {}
    kept_of: dict[str, set[str]] = {}
    for text in texts:
        seen = kept_of.get(text)
        if seen is None:
            seen = set()
            for w in {w.lower().strip("'-") for w in _WORD.findall(text)}:
                if w not in readable:
                    readable[w] = _readable(w, exclude, names)
                if readable[w]:
                    seen.add(w)
            kept_of[text] = seen
        # "bid" and "bids" are one word; it is shown in its most frequent form.
        stems = {_stem(w) for w in seen}
        counts.update(stems)
        for w in seen:
            forms[_stem(w)][w] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(_most_common(forms[w]) for w, n in ranked[:top] if n > 1 or len(texts) == 1)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _readable(word: str, exclude: set[str], names: frozenset[str]) -> bool:
    if len(word) < MIN_SUBJECT_LETTERS or word in _STOP or word in _UNITS or word in exclude \
            or word.endswith("'s") or MEDIA.search(word):
        return False
    squeezed = word.replace("-", "").replace("'", "")
    return not any(squeezed in name or name in squeezed for name in names if len(name) >= 3)


def _most_common(counts: Counter[str]) -> str:
    """The most frequent key; ties go to the first in alphabetical order (not to set order)."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def assign_threads(entries: list) -> list:
    """Each TimelineEntry with its `thread` set (the thread id)."""
    pair_of: dict[str, str] = {}
    by_article_party: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    party_threads: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        if len(entry.parties) == 2:
            tid = _pair_id(entry.parties)
            pair_of[entry.id] = tid
            for party in sorted(entry.parties):
                party_threads[party][tid] += 1
                for article in entry.articles:
                    by_article_party[(article, party)][tid] += 1
    out = []
    for entry in entries:
        tid = pair_of.get(entry.id)
        if tid is None:
            tid = _single_party_thread(entry, by_article_party, party_threads)
        out.append(replace(entry, thread=tid))
    return _split_by_subject(_split_by_period(out))


def _single_party_thread(entry, by_article_party, party_threads) -> str:  # type: ignore[no-untyped-def]
    if not entry.parties:
        # No party at all: the thread most of its articles' entries are in.
        votes: Counter[str] = Counter()
        for (article, _party), tids in by_article_party.items():
            if article in entry.articles:
                votes.update(tids)
        return _most_common(votes) if votes else "unattributed"
    party = min(entry.parties)
    votes = Counter()
    for article in entry.articles:
        votes.update(by_article_party.get((article, party), Counter()))
    if votes:
        return _most_common(votes)
    if party_threads.get(party):
        return _most_common(party_threads[party])
    # A party seen nowhere else: the negotiation its articles are mostly about.
    votes = Counter()
    for (article, _other), tids in by_article_party.items():
        if article in entry.articles:
            votes.update(tids)
    if votes:
        return _most_common(votes)
    return _pair_id(entry.parties)


def _article_days(entries: list) -> dict[str, dt.date]:
    """Per article: its publication day, else the earliest date its entries give."""
    days: dict[str, dt.date] = {}
    for entry in entries:
        for source in entry.sources:
            if source.published_day:
                days[source.article] = source.published_day
    for entry in entries:
        if entry.dated and entry.date and entry.date.start:
            published = {s.article for s in entry.sources if s.published_day}
            for article in entry.articles:
                if article not in days or (article in days and days[article] > entry.date.start
                                           and article not in published):
                    days[article] = min(days.get(article, entry.date.start), entry.date.start)
    return days


def _split_by_period(entries: list) -> list:
    """Within one thread, articles published `YEARS_APART` years apart (none between) are
    talks of their own: each period becomes a thread named with its first year. An entry
    goes with the period most of its articles are in; one with undated articles only,
    with the period its own date falls in, else the busiest period."""
    gap = dt.timedelta(days=365 * YEARS_APART)
    groups: dict[str, list] = defaultdict(list)
    for entry in entries:
        groups[entry.thread].append(entry)
    renamed: dict[str, str] = {}
    for tid, members in groups.items():
        days = _article_days(members)
        ordered = sorted(set(days.values()))
        if len(ordered) < 2:
            continue
        periods: list[tuple[dt.date, dt.date]] = [(ordered[0], ordered[0])]
        for day in ordered[1:]:
            if day - periods[-1][1] > gap:
                periods.append((day, day))
            else:
                periods[-1] = (periods[-1][0], day)
        if len(periods) < 2:
            continue
        names = {p: f"{tid}-{p[0].year}" for p in periods}

        def period_of(day: dt.date) -> tuple[dt.date, dt.date] | None:
            return next((p for p in periods if p[0] <= day <= p[1]), None)
        load = Counter(period_of(days[a]) for e in members for a in e.articles if a in days)
        busiest = min((p for p in periods if load[p]), key=lambda p: (-load[p], p[0]))
        for entry in members:
            votes = Counter(names[period_of(days[a])] for a in entry.articles if a in days)  # type: ignore[index]
            if votes:
                renamed[entry.id] = _most_common(votes)
            elif entry.dated and entry.date and entry.date.start and period_of(entry.date.start):
                renamed[entry.id] = names[period_of(entry.date.start)]  # type: ignore[index]
            else:
                renamed[entry.id] = names[busiest]
    return [replace(e, thread=renamed.get(e.id, e.thread)) for e in entries]


def _article_words(entries: list) -> dict[str, set[str]]:
    """Per article: the subject words of its headline and of the evidence of these entries."""
    words: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for source in entry.sources:
            for text in [source.title or "", *(e.text for e in source.event.evidence)]:
                words[source.article].update(_lower_words(text))
    # Names of parties and people say who, not what about.
    names = {w.lower() for e in entries for p in e.parties for w in p.split("-")}
    names |= {w.lower() for e in entries for person in e.people for w in _WORD.findall(person)}
    stop = _STOP | party_words() | names
    return {article: {w for w in found if w not in stop} for article, found in words.items()}


def _article_figures(entries: list) -> dict[str, set[tuple[str, float]]]:
    """Per article: the money figures its entries state (currency, three significant digits)."""
    figures: dict[str, set[tuple[str, float]]] = defaultdict(set)
    for entry in entries:
        for source in entry.sources:
            amount = source.event.amount
            if amount is not None and amount.value and amount.currency:
                figures[source.article].add((amount.currency, float(f"{amount.value:.3g}")))
    return figures


@lru_cache(maxsize=1 << 16)  # headlines and sentences come back with every wire copy and every read
def _lower_words(text: str) -> frozenset[str]:
    # "Seoul's" is the word "Seoul": a possessive names no subject of its own.
    return frozenset(_POSSESSIVE.sub("", w.lower()) for w in _WORD.findall(text.replace("’", "'")))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _split_by_subject(entries: list) -> list:
    """Within one pair, groups of articles about different subjects are threads apart.

    Articles are linked when their subject words overlap (Jaccard at least
    `SAME_SUBJECT`, words common to most of the pair's texts left out) or
    when they state the same figure (the same bid, the same demand); each
    linked group of two or more distinct texts beyond the largest that share
    a word no other text has is a negotiation of its own, named after that
    word. An entry
    goes with the group most of its articles are in.
    """
    groups: dict[str, list] = defaultdict(list)
    for entry in entries:
        groups[entry.thread].append(entry)
    renamed: dict[str, str] = {}
    for tid, members in groups.items():
        vocab = _article_words(members)
        figures = _article_figures(members)
        articles = sorted(vocab)
        # Copies of one story count once: every decision below is over distinct texts.
        texts: dict[frozenset[str], list[str]] = defaultdict(list)
        for a in articles:
            texts[frozenset(vocab[a])].append(a)
        if not 4 <= len(texts) <= MAX_SUBJECT_GROUPS:
            continue  # too few to tell subjects apart; too many to compare pairwise
        # Words in most of the pair's texts name the parties or the genre, not a subject.
        spread = Counter(w for words in texts for w in words)
        common = {w for w, n in spread.items() if n > COMMON_SHARE * len(texts)}
        keys = list(texts)
        stated = [set().union(*(figures.get(a, set()) for a in texts[k])) for k in keys]
        parent = list(range(len(keys)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        for i, a in enumerate(keys):
            for j in range(i + 1, len(keys)):
                if stated[i] & stated[j] or \
                        _jaccard(set(a) - common, set(keys[j]) - common) >= SAME_SUBJECT:
                    parent[find(i)] = find(j)
        components: dict[int, list[int]] = defaultdict(list)
        for i in range(len(keys)):
            components[find(i)].append(i)
        ordered = sorted(components.values(), key=lambda c: (-len(c), c[0]))
        if len(ordered) < 2 or len(ordered[1]) < 2:
            continue
        vocab = {a: words - common for a, words in vocab.items()}
        label: dict[str, str] = {}
        for indices in ordered[1:]:
            if len(indices) < max(2, MIN_SUBJECT_SHARE * len(keys)):
                continue  # a lone story with odd words, or a sub-topic, stays with its pair
            group = sorted({a for i in indices for a in texts[keys[i]]})
            # A subject of its own is named by a word two of its texts share and no other has.
            shared = Counter(w for i in indices for w in set(keys[i]) - common)
            members_of_group = set(group)
            others = set().union(*(vocab[a] for a in articles if a not in members_of_group))
            ranked = [w for w, n in sorted(shared.items(), key=lambda item: (-item[1], item[0]))
                      if n >= 2 and w not in others]
            if not ranked:
                continue  # only incidental words set it apart: the same negotiation
            word = ranked[0]
            for a in group:
                label[a] = f"{tid}-{word}"
        for entry in members:
            votes = Counter(label.get(a, tid) for a in entry.articles)
            choice = _most_common(votes)
            if choice != tid:
                renamed[entry.id] = choice
    return [replace(e, thread=renamed.get(e.id, e.thread)) for e in entries]


def threads(entries: list) -> list[Thread]:
    """The negotiation threads of a timeline, busiest first."""
    members: dict[str, list] = defaultdict(list)
    for entry in entries:
        members[entry.thread or "unattributed"].append(entry)
    out = []
    for tid, group in members.items():
        parties = Counter(p for e in group for p in sorted(e.parties))
        pair = tuple(sorted(p for p, _ in sorted(parties.items(), key=lambda i: (-i[1], i[0]))[:2]))
        titles = {s.article: s.title or "" for e in group for s in e.sources}
        evidence = [ev.text for e in group for s in e.sources for ev in s.event.evidence]
        names = {w.lower() for p in parties for w in re.split(r"[-\s]+", p) if w}
        names |= {p.lower().replace("-", "") for p in parties}
        names |= {w.lower() for e in group for person in e.people for w in _WORD.findall(person)}
        # Headlines name the subject best; evidence only when there are too few.
        headlines = [titles[a] for a in sorted(titles) if titles[a]]
        subject = subject_words(headlines if len(headlines) >= 2 else headlines + evidence,
                                set(party_words()), names=frozenset(names))
        days = [d for e in group for d in (e.placed,) if d]
        out.append(Thread(id=tid, parties=pair, subject=subject, entries=len(group),
                          articles=len(titles), first=min(days) if days else None,
                          last=max(days) if days else None))
    out.sort(key=lambda t: (-t.entries, t.id))
    return out


def select(entries: list, thread: str | None) -> list:
    """Entries of one thread, chosen by id ("kor-usa"), a party code or a subject word."""
    if not thread:
        return entries
    wanted = thread.strip().lower()
    exact = [e for e in entries if (e.thread or "").lower() == wanted]
    if exact:
        return exact
    known = threads(entries)
    matching = {t.id for t in known
                if wanted in (p.lower() for p in t.parties) or wanted in t.name.lower()}
    if not matching:
        choices = ", ".join(t.id for t in known) or "none (the store is empty)"
        raise ConfigurationError(f"no thread {thread!r}; threads: {choices}")
    return [e for e in entries if e.thread in matching]
