"""Negotiation threads: the timeline split into the negotiations it mixes.

An article about one negotiation often mentions another (cost-sharing talks
with one ally in a story about another's). Entries are grouped by the pair
of parties they involve; an entry that names one party only joins the
thread its article's other entries with that party belong to, else the
busiest thread of that party, else (a party seen nowhere else) the thread
most of its article's entries are in. Within a pair, groups of articles
whose subject words do not overlap form threads of their own (two
negotiations between the same two parties). Each thread is labelled by its parties and
its most frequent subject words (from headlines and evidence).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

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
""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
# Two articles whose subject words overlap this much are about one negotiation.
SAME_SUBJECT = 0.1
COMMON_SHARE = 0.6
MAX_SUBJECT_GROUPS = 400


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


def subject_words(texts: list[str], exclude: set[str], top: int = 3) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    for text in texts:
        seen = {w.lower() for w in _WORD.findall(text)}
        counts.update(w for w in seen if w not in _STOP and w not in exclude)
    return tuple(w for w, n in counts.most_common(top) if n > 1 or len(texts) == 1)


def assign_threads(entries: list) -> list:
    """Each TimelineEntry with its `thread` set (the thread id)."""
    pair_of: dict[str, str] = {}
    by_article_party: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    party_threads: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        if len(entry.parties) == 2:
            tid = _pair_id(entry.parties)
            pair_of[entry.id] = tid
            for party in entry.parties:
                party_threads[party][tid] += 1
                for article in entry.articles:
                    by_article_party[(article, party)][tid] += 1
    out = []
    for entry in entries:
        tid = pair_of.get(entry.id)
        if tid is None:
            tid = _single_party_thread(entry, by_article_party, party_threads)
        out.append(replace(entry, thread=tid))
    return _split_by_subject(out)


def _single_party_thread(entry, by_article_party, party_threads) -> str:  # type: ignore[no-untyped-def]
    if not entry.parties:
        # No party at all: the thread most of its articles' entries are in.
        votes: Counter[str] = Counter()
        for (article, _party), tids in by_article_party.items():
            if article in entry.articles:
                votes.update(tids)
        return votes.most_common(1)[0][0] if votes else "unattributed"
    party = next(iter(entry.parties))
    votes = Counter()
    for article in entry.articles:
        votes.update(by_article_party.get((article, party), Counter()))
    if votes:
        return votes.most_common(1)[0][0]
    if party_threads.get(party):
        return party_threads[party].most_common(1)[0][0]
    # A party seen nowhere else: the negotiation its articles are mostly about.
    votes = Counter()
    for (article, _other), tids in by_article_party.items():
        if article in entry.articles:
            votes.update(tids)
    if votes:
        return votes.most_common(1)[0][0]
    return _pair_id(entry.parties)


def _article_words(entries: list) -> dict[str, set[str]]:
    """Per article: the subject words of its headline and of the evidence of these entries."""
    words: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for source in entry.sources:
            for text in [source.title or "", *(e.text for e in source.event.evidence)]:
                words[source.article].update(w.lower() for w in _WORD.findall(text))
    stop = _STOP | party_words()
    return {article: {w for w in found if w not in stop} for article, found in words.items()}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _split_by_subject(entries: list) -> list:
    """Within one pair, groups of articles about different subjects are threads apart.

    Articles are linked when their subject words overlap (Jaccard at least
    `SAME_SUBJECT`, words common to most of the pair's texts left out); each
    linked group of two or more distinct texts beyond the largest is a
    negotiation of its own, named after its most distinctive word. An entry
    goes with the group most of its articles are in.
    """
    groups: dict[str, list] = defaultdict(list)
    for entry in entries:
        groups[entry.thread].append(entry)
    renamed: dict[str, str] = {}
    for tid, members in groups.items():
        vocab = _article_words(members)
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
        parent = list(range(len(keys)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        for i, a in enumerate(keys):
            for j in range(i + 1, len(keys)):
                if _jaccard(set(a) - common, set(keys[j]) - common) >= SAME_SUBJECT:
                    parent[find(i)] = find(j)
        components: dict[int, list[int]] = defaultdict(list)
        for i in range(len(keys)):
            components[find(i)].append(i)
        ordered = sorted(components.values(), key=len, reverse=True)
        if len(ordered) < 2 or len(ordered[1]) < 2:
            continue
        vocab = {a: words - common for a, words in vocab.items()}
        label: dict[str, str] = {}
        for indices in ordered[1:]:
            if len(indices) < 2:
                continue  # a lone story with odd words stays with its pair
            group = {a for i in indices for a in texts[keys[i]]}
            counts = Counter(w for a in group for w in vocab[a])
            others = set().union(*(vocab[a] for a in articles if a not in group))
            word = next((w for w, _ in counts.most_common() if w not in others), None) or \
                counts.most_common(1)[0][0]
            for a in group:
                label[a] = f"{tid}-{word}"
        for entry in members:
            votes = Counter(label.get(a, tid) for a in entry.articles)
            choice = votes.most_common(1)[0][0]
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
        parties = Counter(p for e in group for p in e.parties)
        pair = tuple(sorted(p for p, _ in parties.most_common(2)))
        titles = {s.article: s.title or "" for e in group for s in e.sources}
        evidence = [ev.text for e in group for s in e.sources for ev in s.event.evidence]
        exclude = {p.lower() for p in pair} | party_words()
        # Headlines name the subject best; evidence only when there are too few.
        headlines = [t for t in titles.values() if t]
        subject = subject_words(headlines if len(headlines) >= 2 else headlines + evidence, exclude)
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
