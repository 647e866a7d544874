"""How the learned extractor turns scored sentences into events: further mentions of a
chosen event join it as evidence, and a meeting told from either side is one event."""
from __future__ import annotations

from parley.extract.learned.model import Proposal, merge_by_party, select
from parley.records import Event, Evidence

TEXT = ("Acme offered 10 dollars a share for Widget. The offer values Widget at 1 billion dollars. "
        "Acme's bid came as a surprise. Beta Corp also looked at Widget.")


def _sentence(n: int) -> Evidence:
    starts = [0]
    for i, ch in enumerate(TEXT):
        if ch == "." and i + 2 < len(TEXT):
            starts.append(i + 2)
    start = starts[n]
    end = TEXT.find(".", start) + 1
    return Evidence(TEXT[start:end], start, end)


def _mention(kind: str, actor: str | None, n: int, target: str | None = None) -> Event:
    return Event(article="a1", type=kind, actor=actor, target=target, evidence=(_sentence(n),))


def _proposal(kind: str, actor: str, n: int, score: float, actor_score: float = 0.9,
              others: tuple[tuple[float, str], ...] = ()) -> Proposal:
    return Proposal(n, kind, score, [_mention(kind, actor, n)], actor_score, [(actor_score, actor), *others])


THRESHOLDS = {"offer": 0.5, "actor": 0.3}


def test_a_weaker_mention_of_a_chosen_event_joins_it_as_evidence():
    proposals = [_proposal("offer", "acme", 0, 0.9), _proposal("offer", "acme", 2, 0.3)]
    events = select(proposals, {**THRESHOLDS, "support": 0.5}, [], None)
    assert len(events) == 1
    assert [e.start for e in events[0].evidence] == [_sentence(0).start, _sentence(2).start]


def test_a_weaker_mention_makes_no_event_of_its_own_nor_joins_another_party():
    proposals = [_proposal("offer", "acme", 0, 0.9), _proposal("offer", "beta-corp", 3, 0.3)]
    events = select(proposals, {**THRESHOLDS, "support": 0.5}, [], None)
    assert [(e.actor, len(e.evidence)) for e in events] == [("acme", 1)]


def test_a_weaker_mention_joins_the_event_of_its_likeliest_candidate():
    # "The offer values Widget at...": Widget is its best actor, but Acme and Beta are candidates too.
    proposals = [_proposal("offer", "acme", 0, 0.9), _proposal("offer", "beta-corp", 3, 0.9),
                 _proposal("offer", "widget", 1, 0.3, 0.6, ((0.4, "acme"), (0.1, "beta-corp")))]
    events = select(proposals, {**THRESHOLDS, "support": 0.5}, [], None)
    assert {e.actor: len(e.evidence) for e in events} == {"acme": 2, "beta-corp": 1}


def test_without_support_only_sentences_above_the_threshold_count():
    proposals = [_proposal("offer", "acme", 0, 0.9), _proposal("offer", "acme", 2, 0.3)]
    events = select(proposals, {**THRESHOLDS, "support": 1.0}, [], None)
    assert [len(e.evidence) for e in events] == [1]


def test_a_mention_too_weak_even_for_support_is_left_out():
    proposals = [_proposal("offer", "acme", 0, 0.9), _proposal("offer", "acme", 2, 0.2)]
    events = select(proposals, {**THRESHOLDS, "support": 0.5}, [], None)
    assert [len(e.evidence) for e in events] == [1]


def test_talks_told_from_either_side_are_one_meeting():
    events = merge_by_party([_mention("meet", "GBR", 0, "EU"), _mention("meet", "EU", 2, "GBR")])
    assert len(events) == 1 and len(events[0].evidence) == 2


def test_talks_of_one_named_side_join_its_only_meeting():
    events = merge_by_party([_mention("meet", "GBR", 0, "EU"), _mention("meet", "EU", 2)])
    assert len(events) == 1


def test_talks_of_one_named_side_stay_apart_when_it_has_two_meetings():
    events = merge_by_party([_mention("meet", "GBR", 0, "EU"), _mention("meet", "EU", 1, "USA"),
                             _mention("meet", "EU", 2)])
    assert len(events) == 3


def test_offers_of_two_bidders_stay_two_events():
    events = merge_by_party([_mention("offer", "acme", 0, "widget"), _mention("offer", "widget", 2, "acme")])
    assert len(events) == 2


def test_a_weaker_mention_earlier_in_the_text_does_not_move_the_event_anchor():
    # The first evidence entry anchors the event's stable id (corrections hang on it).
    proposals = [_proposal("offer", "acme", 2, 0.9), _proposal("offer", "acme", 0, 0.3)]
    events = select(proposals, {**THRESHOLDS, "support": 0.5}, [], None)
    assert [e.start for e in events[0].evidence] == [_sentence(2).start, _sentence(0).start]
