"""Negotiation threads (corpus/threads.py): one negotiation is one thread."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parley.corpus.store import Store, StoredEvent
from parley.corpus.threads import threads
from parley.corpus.timeline import timeline
from parley.records import Amount, DateSpan, Event, Evidence


REPO = Path(__file__).resolve().parents[2]


def stored(n: int, article: str, type: str, actor: str, target: str | None, sentence: str,
           published: str | None, title: str, amount: Amount | None = None,
           date: DateSpan | None = None) -> StoredEvent:
    event = Event(article=article, type=type, actor=actor, target=target, amount=amount, date=date,
                  evidence=(Evidence(sentence, 0, len(sentence)),))
    return StoredEvent(id=n, event=event, source="Wire", title=title,
                       published=dt.datetime.fromisoformat(published) if published else None)


def two_subjects() -> list[StoredEvent]:
    """Fishing quotas and steel tariffs between the same two states, the same week."""
    fishing = ["Freedonia offered Sylvania $5 million a year for fishing quotas in northern waters.",
               "Freedonia offered Sylvania $5 million a year for fishing quotas, trawler crews said.",
               "Sylvania rejected the fishing quotas offered by Freedonia for northern waters."]
    tariffs = ["Sylvania demanded Freedonia cut steel tariffs on imported machinery by $8 million.",
               "Sylvania demanded Freedonia cut steel tariffs on machinery, makers said."]
    out = []
    for i, text in enumerate(fishing):
        kind, actor, target = ("reject", "SYL", "FRE") if "rejected" in text else ("offer", "FRE", "SYL")
        out.append(stored(i, f"f{i}", kind, actor, target, text, f"2020-03-1{i}", "Fishing quota talks",
                          Amount(5e6, "USD", "year")))
    for i, text in enumerate(tariffs):
        out.append(stored(10 + i, f"t{i}", "demand", "SYL", "FRE", text, f"2020-03-1{i}",
                          "Steel tariff talks", Amount(8e6, "USD") if i == 0 else None))
    return out


def test_two_subjects_between_the_same_parties_are_two_threads_named_by_their_subject() -> None:
    entries = timeline(two_subjects())
    found = {t.id: t for t in threads(entries)}
    assert set(found) == {"fre-syl", "fre-syl-machinery"}
    assert {"steel", "tariff"} <= set(found["fre-syl-machinery"].subject)
    assert "fishing" in found["fre-syl"].subject


def test_a_party_named_in_the_possessive_is_no_subject_of_its_own() -> None:
    # Two reports whose only word in common that no other has is "Sylvania's": the same talks.
    extra = [stored(20, "p0", "agree", "FRE", "SYL", "Sylvania's quotas offered for northern waters were ratified.",
                    "2019-01-05", "Quota talks", Amount(4e6, "USD", "year")),
             stored(21, "p1", "agree", "FRE", "SYL", "Sylvania's quotas offered in northern waters still stand.",
                    "2019-01-06", "Quota talks", Amount(4e6, "USD", "year"))]
    found = threads(timeline(two_subjects()[:3] + extra))
    assert [t.id for t in found] == ["fre-syl"]
    assert not any("'" in w or "’" in w for t in found for w in t.subject)


def test_articles_sharing_a_figure_are_one_negotiation_whatever_their_words() -> None:
    # Five reports of one bid, worded differently: the shared price links them.
    bid = Amount(180.0, "SEK", "share")
    words = ["board study approach", "shareholders await verdict", "analysts call price low",
             "pension funds back offer", "ferry unions fear cuts"]
    events = [stored(i, f"b{i}", "offer", "bidder-lines", "ferry-target", f"The {w}.", f"2023-03-0{i + 1}",
                     f"Ferry bid: {w}", bid) for i, w in enumerate(words)]
    assert {e.thread for e in timeline(events)} == {"bidder-lines-ferry-target"}


def test_talks_years_apart_are_separate_threads() -> None:
    events = [stored(1, "a", "demand", "USA", "JPN", "The US demanded Japan open its chip market.", "1987-03-02",
                     "Chip talks"),
              stored(2, "b", "offer", "JPN", "USA", "Japan offered to buy more US chips.", "1987-04-20", "Chip talks"),
              stored(3, "c", "demand", "USA", "JPN", "The US demanded Japan cut tariffs on beef.", "2015-06-01",
                     "Trade pact talks"),
              stored(4, "d", "reject", "JPN", "USA", "Japan rejected the demand on beef.", "2015-07-30",
                     "Trade pact talks"),
              # Undated, dated by its own event: with the later talks.
              stored(5, "e", "meet", "JPN", "USA", "Negotiators met on July 2, 2015.", None, "Trade pact talks",
                     date=DateSpan(dt.date(2015, 7, 2), dt.date(2015, 7, 2), "July 2, 2015"))]
    by_article = {e.articles[0]: e.thread for e in timeline(events)}
    assert by_article == {"a": "jpn-usa-1987", "b": "jpn-usa-1987", "c": "jpn-usa-2015",
                          "d": "jpn-usa-2015", "e": "jpn-usa-2015"}
    # A long negotiation with no long silence stays one thread.
    steady = [stored(i, f"s{i}", "meet", "GBR", "european-union", "They met.", f"{2016 + i}-06-01", "Exit talks")
              for i in range(5)]
    assert {e.thread for e in timeline(steady)} == {"european-union-gbr"}


_IDS_SCRIPT = """
import json, sys
sys.path[:0] = {paths!r}
from test_threads import two_subjects
from parley.corpus.threads import threads
from parley.corpus.timeline import timeline
entries = timeline(two_subjects())
print(json.dumps([[e.id, e.thread] for e in entries] + [[t.id, list(t.subject), list(t.parties)]
                                                       for t in threads(entries)]))
"""


def test_thread_ids_and_subjects_do_not_depend_on_the_hash_seed() -> None:
    script = _IDS_SCRIPT.format(paths=[str(REPO / "tests" / "corpus"), str(REPO / "tests")])
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                              check=True, timeout=120)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "fre-syl-machinery" in outputs.pop()


# -- invented multi-article stories through the real pipeline ------------------

@pytest.mark.slow
def test_a_takeover_fight_is_one_thread_between_the_two_companies(stories_db: Path) -> None:
    with Store(stories_db) as store:
        entries = timeline(store)
    found = {t.id: t for t in threads(entries)}
    # The Norwegian bidder and its Swedish target: one thread between the two companies.
    assert "havbris-shipping-solberga-ferries" in found
    assert not any(p in ("NOR", "SWE") for t in found.values() for p in t.parties)
    takeover = [t for t in found.values() if "solberga-ferries" in t.parties]
    assert [t.id for t in takeover] == ["havbris-shipping-solberga-ferries"]
    # The undated article's entries are in the takeover thread.
    undated = [e for e in entries if e.articles == ("tk5",)]
    assert undated and {e.thread for e in undated} == {"havbris-shipping-solberga-ferries"}
    # Subjects read as words: no fragment of a party's name, no unit.
    assert takeover[0].subject
    for word in takeover[0].subject:
        assert word not in ("havbris", "solberga", "crowns"), takeover[0]


@pytest.mark.slow
def test_a_wage_round_is_one_thread_of_the_union_and_the_employers(stories_db: Path) -> None:
    with Store(stories_db) as store:
        entries = timeline(store)
    found = {t.id: t for t in threads(entries)}
    # The union under four names, against the employers: one thread.
    wage = [t for t in found.values() if "zds" in t.parties]
    assert len(wage) == 1 and wage[0].parties == ("verdi", "zds")
    assert set(found) == {"havbris-shipping-solberga-ferries", wage[0].id}
    for word in wage[0].subject:
        assert word not in ("ver", "hour", "verdi"), wage[0]


def test_threads_as_json_are_plain() -> None:
    entries = timeline(two_subjects())
    assert json.loads(json.dumps([t.as_dict() for t in threads(entries)]))
