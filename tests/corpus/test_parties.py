"""Parties across articles: one side under one code, and only sides (corpus/parties.py)."""
from __future__ import annotations

import datetime as dt

from parley.corpus.parties import is_generic, is_party, resolve_parties
from parley.corpus.store import StoredEvent
from parley.records import Event, Evidence


def stored(n: int, article: str, type: str, actor: str | None, target: str | None, sentence: str,
           published: str = "2023-03-06") -> StoredEvent:
    event = Event(article=article, type=type, actor=actor, target=target,
                  evidence=(Evidence(sentence, 0, len(sentence)),))
    return StoredEvent(id=n, event=event, source="Wire", published=dt.datetime.fromisoformat(published),
                       title=None)


def sides(events: list[StoredEvent]) -> list[tuple[str | None, str | None]]:
    return [(e.event.actor, e.event.target) for e in resolve_parties(events)]


def test_a_company_named_by_its_nationality_is_the_company_not_its_country() -> None:
    events = [
        stored(1, "a", "offer", "NOR", "SWE", "Norwegian carrier Brannfjord Lines offered 40 crowns a share "
                                              "for Kalmsund Rederi, the Swedish ferry company."),
        stored(2, "a", "offer", "brannfjord-lines", "kalmsund-rederi", "Brannfjord Lines said the bid was final."),
        # No company named in the sentence: the one this article names beside the demonym.
        stored(3, "a", "statement", "NOR", None, "The Norwegian group declined to comment."),
        # Another article: the company the corpus names beside the demonym.
        stored(4, "b", "reject", "kalmsund-rederi", "NOR", "Kalmsund Rederi rejected the Norwegian bidder's offer."),
        stored(5, "b", "offer", "brannfjord-lines", "kalmsund-rederi", "Brannfjord Lines made an offer."),
    ]
    assert sides(events) == [("brannfjord-lines", "kalmsund-rederi"), ("brannfjord-lines", "kalmsund-rederi"),
                             ("brannfjord-lines", None), ("kalmsund-rederi", "brannfjord-lines"),
                             ("brannfjord-lines", "kalmsund-rederi")]


def test_a_state_named_as_itself_stays_the_state() -> None:
    events = [
        stored(1, "a", "reject", "NOR", "brannfjord-lines",
               "Norway's government blocked the Norwegian company Brannfjord Lines from selling the ferries."),
        stored(2, "a", "demand", "NOR", "SWE", "Norway demanded that Sweden reopen the border crossing."),
        stored(3, "b", "demand", "SWE", "NOR", "The Swedish government demanded more from Oslo."),
    ]
    assert sides(events) == [("NOR", "brannfjord-lines"), ("NOR", "SWE"), ("SWE", "NOR")]


def test_one_union_under_several_names_is_one_party() -> None:
    events = [stored(i, f"w{i}", "demand", code, "hafenverband", f"{code} demanded more pay.")
              for i, code in enumerate(["verdi", "verdi", "ver-di", "the-verdi-union", "verdi-union"])]
    assert {actor for actor, _ in sides(events)} == {"verdi"}
    # Initials stand for the one name they abbreviate.
    eu = [stored(1, "a", "offer", "eu", "GBR", "x"), stored(2, "b", "offer", "european-union", "GBR", "x"),
          stored(3, "c", "offer", "european-union", "GBR", "x")]
    assert {actor for actor, _ in sides(eu)} == {"european-union"}
    # Different organisations that share a generic word stay apart.
    two = [stored(1, "a", "offer", "harbour-union", "x-port", "x"), stored(2, "b", "offer", "harbour-group", "x-port", "x")]
    assert {actor for actor, _ in sides(two)} == {"harbour-union", "harbour-group"}


def test_diseases_rates_and_common_nouns_are_not_parties() -> None:
    for code in ("covid-19", "libor", "coronavirus-pandemic"):
        assert not is_party(code), code
    for code in ("club", "bank", "employer", "banks", "union", "management"):
        assert is_generic(code), code
    for code in ("USA", "verdi", "club-atletico-rivera", "libertad-bank", "dock-worker", "democrats"):
        assert is_party(code) and not is_generic(code), code
    events = [stored(1, "a", "impact", "covid-19", "club-atletico", "Covid 19 hit the club."),
              stored(2, "b", "demand", "libor", "FRA", "Libor demanded nothing."),
              stored(3, "c", "agree", "zds-ports", "employer", "ZDS Ports and the employer agreed."),
              # Named by what they are and nothing else: the article's only names of its sides.
              stored(4, "d", "offer", "management", "union", "Management offered the union 6%."),
              stored(5, "e", "demand", "democrats", "republicans", "Democrats demanded $2 trillion.")]
    assert sides(events) == [(None, "club-atletico"), (None, "FRA"), ("zds-ports", None),
                             ("management", "union"), ("democrats", "republicans")]


def test_workers_a_union_speaks_for_are_not_a_side_of_their_own() -> None:
    events = [stored(1, "a", "demand", "verdi", "dock-worker", "Verdi demanded 2 euros an hour more for dock workers."),
              stored(2, "a", "reject", "verdi", "hafenverband", "Verdi rejected the offer."),
              # Alone in their article, striking workers are the side that acts.
              stored(3, "b", "demand", "dock-worker", None, "Dock workers demanded a raise.")]
    assert sides(events) == [("verdi", None), ("verdi", "hafenverband"), ("dock-worker", None)]


def test_a_capital_that_stands_for_an_organisation_is_the_organisation() -> None:
    events = [
        stored(1, "a", "demand", "BEL", "GBR", "Brussels demanded access to British waters."),
        stored(2, "a", "reject", "GBR", "BEL", "London rejected the demand."),
        stored(3, "b", "offer", "european-union", "GBR", "The European Union offered a deal."),
        # The country named as itself: Belgium stays Belgium.
        stored(4, "c", "demand", "BEL", "NLD", "Belgium demanded that the Netherlands dredge the river; "
                                               "Brussels said so on Monday."),
    ]
    assert sides(events) == [("european-union", "GBR"), ("GBR", "european-union"),
                             ("european-union", "GBR"), ("BEL", "NLD")]
    # Without the organisation anywhere in the corpus, the capital is its country.
    assert sides(events[:2]) == [("BEL", "GBR"), ("GBR", "BEL")]


def test_a_demonym_that_names_money_describes_no_company() -> None:
    events = [stored(1, "a", "offer", "dalberg-invest", "SWE",
                     "Dalberg Invest offered 90 Swedish crowns a share for Orrby, a listed firm."),
              stored(2, "a", "offer", "dalberg-invest", "orrby", "Dalberg Invest made an offer.")]
    assert sides(events)[0] == ("dalberg-invest", "SWE")
