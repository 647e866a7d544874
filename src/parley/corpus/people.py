"""Who is who: each person's side and role, consolidated across the corpus.

After an ingest every stored person gets the party they act for most often
and a role from the text ("Foreign Minister NAME", "NAME, chief negotiator,").
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from parley.analysis.gazetteer import state_code
from parley.corpus.store import Store


def assign_people(store: Store) -> None:
    """Give each stored person the party they act for most often and a role from the text.

    A role that names a state decides; otherwise a person named alone in an
    event acts for its actor and, named with others, may be on either side,
    so actor and target count half each.
    """
    weights: dict[str, Counter[str]] = defaultdict(Counter)
    evidence_of: dict[str, list[str]] = defaultdict(list)
    for item in store.events():
        people = item.event.people
        for person in people:
            if item.event.actor:
                weights[person][item.event.actor] += 1.0 if len(people) == 1 else 0.5
            if len(people) > 1 and item.event.target:
                weights[person][item.event.target] += 0.5
            evidence_of[person].extend(e.text for e in item.event.evidence)
    store.db.execute("BEGIN IMMEDIATE")
    try:
        for person in store.people():
            counts = weights.get(person.name)
            role = find_role(person.name, evidence_of.get(person.name, []),
                             _article_texts(store, person.name))
            # A role that names a state ("US Secretary of State") settles the side.
            party = state_in(role) if role else None
            if party is None and counts:
                party = counts.most_common(1)[0][0]
            store.set_person(person.name, role, party)
    except BaseException:
        store.db.execute("ROLLBACK")
        raise
    store.db.execute("COMMIT")


# General words that make a phrase a title or a role; not tied to any article.
_TITLE_WORDS = frozenset("""
president vice minister secretary negotiator envoy ambassador spokesman spokeswoman
spokesperson chief director chairman chairwoman chair ceo cfo executive officer governor
commissioner chancellor premier prime mayor senator representative leader head deputy
assistant undersecretary official adviser advisor coordinator manager general counsel
treasurer king queen emperor attorney speaker delegate lawmaker member founder owner
counterpart
""".split())
_NAME_CHARS = r"[\w’'.-]"


def find_role(name: str, evidence: Iterable[str], texts: Iterable[str] = ()) -> str | None:
    """The role a text gives a person: "Foreign Minister NAME" or "NAME, chief negotiator,"."""
    escaped = re.escape(name)
    before = re.compile(r"((?:[\w’'.-]+,? ){1,8})" + escaped)
    after = re.compile(escaped + r", ((?:[\w’'.-]+ ?){1,12})[,.;]")
    for text in [*evidence, *texts]:
        for match in before.finditer(text):
            role = _title_before(match.group(1).split())
            if role:
                return role
        for match in after.finditer(text):
            phrase = match.group(1).strip()
            if any(w.lower().strip(".") in _TITLE_WORDS for w in phrase.split()[:6]):
                return phrase
    return None


def _title_before(words: list[str]) -> str | None:
    """The title that ends right before a name, read backwards: "US Secretary of State"."""
    role: list[str] = []
    capital_title = False
    for word in reversed(words):
        if word.endswith(","):
            break
        lower = word.lower().strip(".")
        if word[:1].isupper():
            role.insert(0, word)
            capital_title = capital_title or lower in _TITLE_WORDS
        elif lower in ("of", "for") and role:
            role.insert(0, word)
        elif lower in _TITLE_WORDS and not capital_title:
            # "chief negotiator NAME"; but not "counterpart" before "US Secretary of State".
            role.insert(0, word)
        else:
            break
    while role and role[0].lower() in ("of", "for", "the"):
        role.pop(0)
    if not any(w.lower().strip(".") in _TITLE_WORDS for w in role):
        return None
    return " ".join(role)


def state_in(text: str) -> str | None:
    """The state a phrase names ("US Secretary of State" -> USA), by the country gazetteer."""
    words = re.findall(r"[A-Z][\w.’']*", text)
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            code = state_code(" ".join(words[i:i + size]))
            if code:
                return code
    return None


def _article_texts(store: Store, person: str) -> list[str]:
    rows = store.db.execute(
        "SELECT DISTINCT a.text FROM articles a JOIN events e ON e.article_id = a.id"
        " JOIN event_people ep ON ep.event_id = e.id WHERE ep.person = ? LIMIT 3", (person,))
    return [r[0] for r in rows]
