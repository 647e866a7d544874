"""One timeline: reports of one event merged across articles; negotiation threads."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from parley.corpus.timeline import amounts_match, dates_match, merge, timeline
from parley.errors import ConfigurationError
from parley.records import Amount, Change, DateSpan, Event, Evidence
from parley.corpus.store import Store, StoredEvent
from parley.corpus.threads import select, threads
from test_store import article, result


def stored(n: int, event: Event, published: str | None = "2020-03-10") -> StoredEvent:
    return StoredEvent(id=n, event=event, source="Wire",
                       published=dt.datetime.fromisoformat(published) if published else None,
                       title=None)


def ev(article_id: str, type: str, actor: str, target: str | None = None, **kw) -> Event:  # type: ignore[no-untyped-def]
    return Event(article=article_id, type=type, actor=actor, target=target,
                 evidence=(Evidence(f"In {article_id}, {actor} {type} {target}.", 0, 10),), **kw)


USD5 = Amount(5e9, "USD", "year")


def test_one_offer_reported_by_three_articles_is_one_entry() -> None:
    pct = Amount(None, None, change=Change(percent=10.0))
    full = Amount(1.1e9, "EUR", "year", change=Change(percent=10.0, base=Amount(1e9, "EUR")))
    entries = merge([
        stored(1, ev("a", "offer", "FRE", "SYL", amount=full), "2020-03-10"),
        stored(2, ev("b", "offer", "FRE", "SYL", amount=pct, status="reported"), "2020-03-08"),
        stored(3, ev("c", "offer", "FRE", None, amount=full), "2020-03-12"),
        stored(4, ev("c", "offer", "FRE", "SYL", amount=Amount(3e9, "EUR", "year")), "2020-03-12"),
    ])
    offers = sorted((e for e in entries if e.type == "offer"), key=lambda e: -e.source_count)
    assert [e.source_count for e in offers] == [3, 1]
    merged = offers[0]
    assert merged.articles == ("b", "a", "c")  # by first publication
    assert merged.amount == full  # the most complete report
    assert merged.target == "SYL"
    assert merged.first_reported == dt.date(2020, 3, 8)
    assert merged.statuses == ("reported", "asserted") and merged.status == "asserted"


def test_an_entry_is_dated_by_its_most_precise_source_else_placed_by_first_report() -> None:
    month = DateSpan(dt.date(2020, 1, 1), dt.date(2020, 1, 31), "in January")
    day = DateSpan(dt.date(2020, 1, 14), dt.date(2020, 1, 14), "on Jan. 14")
    entries = merge([
        stored(1, ev("a", "meet", "FRE", "SYL", date=month, round=6)),
        stored(2, ev("b", "meet", "FRE", "SYL", date=day, round=6)),
        stored(3, ev("c", "demand", "SYL", "FRE", amount=USD5), "2020-02-20"),
        stored(4, ev("d", "demand", "SYL", "FRE", amount=USD5), "2020-02-18"),
    ])
    meet = next(e for e in entries if e.type == "meet")
    assert meet.dated and meet.date == day and meet.placed == dt.date(2020, 1, 14)
    demand = next(e for e in entries if e.type == "demand")
    assert not demand.dated and demand.placed == dt.date(2020, 2, 18)
    assert [e.type for e in entries] == ["meet", "demand"]  # date order


def test_reports_that_contradict_stay_apart() -> None:
    entries = merge([
        stored(1, ev("a", "meet", "FRE", "SYL", round=6)),
        stored(2, ev("b", "meet", "FRE", "SYL", round=7)),
        stored(3, ev("a", "demand", "SYL", "FRE", amount=USD5)),
        stored(4, ev("b", "demand", "SYL", "FRE", amount=Amount(3.9e9, "USD", "year"))),
        stored(5, ev("c", "meet", "FRE", "SYL", date=DateSpan(dt.date(2020, 1, 14), dt.date(2020, 1, 14)))),
        stored(6, ev("d", "meet", "FRE", "SYL", date=DateSpan(dt.date(2020, 5, 6), dt.date(2020, 5, 6)))),
        stored(7, ev("e", "demand", "SYL", "GEN", amount=USD5)),
    ])
    assert len(entries) == 7


def test_a_rejection_without_amount_joins_the_one_rejection_with_one() -> None:
    offer = Amount(1.1e9, "EUR", "year")
    one = merge([stored(1, ev("a", "reject", "SYL", "FRE", amount=offer)),
                 stored(2, ev("b", "reject", "SYL", "FRE"))])
    assert [e.source_count for e in one] == [2]
    # With two candidate rejections it would be a guess: it stays apart.
    two = merge([stored(1, ev("a", "reject", "SYL", "FRE", amount=offer)),
                 stored(2, ev("b", "reject", "SYL", "FRE", amount=Amount(2e9, "EUR", "year"))),
                 stored(3, ev("c", "reject", "SYL", "FRE"))])
    assert sorted(e.source_count for e in two) == [1, 1, 1]
    # A demand without a figure restates the standing one (issue 8): a source, not an entry.
    demands = merge([stored(1, ev("a", "demand", "SYL", "FRE", amount=USD5)),
                     stored(2, ev("b", "demand", "SYL", "FRE"))])
    assert len(demands) == 1 and demands[0].articles == ("a", "b")


def test_copies_of_one_sentence_are_one_event() -> None:
    quote = (Evidence("Sylvania wants further compromise from Freedonia", 0, 48),)
    copies = [stored(i, Event(article=f"copy{i}", type="demand", actor="SYL", target="FRE",
                              evidence=quote)) for i in range(5)]
    entries = merge(copies + [stored(9, ev("other", "demand", "SYL", "FRE"))])
    assert sorted(e.source_count for e in entries) == [1, 5]


def test_matching_rules() -> None:
    assert amounts_match(Amount(5e9, "USD"), Amount(5.05e9, "USD")) is True
    assert amounts_match(Amount(5e9, "USD"), Amount(3.9e9, "USD")) is False
    assert amounts_match(Amount(None, None, change=Change(percent=13.0)),
                         Amount(1.1752e12, "KRW", change=Change(percent=13.0))) is True
    assert amounts_match(None, Amount(1.0, "USD")) is None
    wide = DateSpan(dt.date(2019, 9, 1), dt.date(2020, 5, 6))
    day = DateSpan(dt.date(2020, 1, 14), dt.date(2020, 1, 14))
    assert dates_match(wide, day) is None  # overlapping, but too vague to confirm
    assert dates_match(day, DateSpan(dt.date(2020, 1, 1), dt.date(2020, 1, 31))) is True
    assert dates_match(day, DateSpan(dt.date(2020, 5, 6), dt.date(2020, 5, 6))) is False


def test_threads_keep_negotiations_apart_and_views_select_them(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        store.add(result(article("a1", "Freedonia offered Sylvania $5 million a year. "
                                       "Genovia met Sylvania on 2020-03-14.", title="Fishing talks stall")))
        store.add(result(article("a2", "Freedonia offered Sylvania $5 million a year. "
                                       "Sylvania rejected it.", title="Fishing offer rejected")))
        entries = timeline(store)
    found = {t.id: t for t in threads(entries)}
    assert set(found) == {"fre-syl", "gen-syl"}
    assert found["fre-syl"].entries == 2 and found["fre-syl"].articles == 2
    assert "fishing" in found["fre-syl"].subject
    assert {e.thread for e in select(entries, "gen-syl")} == {"gen-syl"}
    assert {e.thread for e in select(entries, "GEN")} == {"gen-syl"}
    with pytest.raises(ConfigurationError, match="fre-syl"):
        select(entries, "nowhere")
    # The one-party rejection joins the thread of its article's other entries.
    reject = next(e for e in entries if e.type == "reject")
    assert reject.target is None and reject.thread == "fre-syl"


# -- the seed corpus, real pipeline ------------------------------------------

@pytest.mark.slow
def test_seed_timeline_merges_the_offer_the_rejection_and_the_demands(seed_db: Path) -> None:
    with Store(seed_db) as store:
        entries = timeline(store)
    by_kind = {}
    for entry in entries:
        by_kind.setdefault((entry.type, entry.actor), []).append(entry)

    def biggest(type: str, actor: str):  # type: ignore[no-untyped-def]
        return max(by_kind.get((type, actor), []), key=lambda e: e.source_count, default=None)

    offer = biggest("offer", "KOR")
    assert offer is not None and offer.source_count >= 3, "the 13 percent offer is reported in 3+ articles"
    assert offer.amount is not None and offer.amount.change is not None
    assert offer.amount.change.percent == pytest.approx(13.0)
    rejection = biggest("reject", "USA")
    assert rejection is not None and rejection.source_count == 3
    five = [e for e in by_kind.get(("demand", "USA"), [])
            if e.amount and e.amount.value and abs(e.amount.value - 5e9) < 1e8]
    # Two articles state the figure; restatements without one are further sources (issue 8).
    assert len(five) == 1 and sum(1 for s in five[0].sources if s.event.amount) == 2
    # Per-article records stay available behind every entry.
    assert sum(len(e.sources) for e in entries) == Store(seed_db).event_count()


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason="needs the extractor to report the US-Japan talks "
                                        "(the gold-based test checks the threading itself)")
def test_seed_us_japan_talks_are_a_thread_apart(seed_db: Path) -> None:
    with Store(seed_db) as store:
        entries = timeline(store)
    assert any(t.parties == ("JPN", "USA") for t in threads(entries))


def test_gold_seed_events_merge_into_the_expected_entries(gold_db: Path) -> None:
    with Store(gold_db) as store:
        entries = timeline(store)
    # Reports that state the figure (restatements without one join as further sources).
    counts = {(e.type, e.actor, round(e.amount.value / 1e8)): sum(1 for s in e.sources if s.event.amount)
              for e in entries if e.type in ("offer", "reject", "demand") and e.amount and e.amount.value}
    assert counts[("offer", "KOR", 11752)] == 3
    assert counts[("reject", "USA", 11752)] == 3
    assert counts[("demand", "USA", 50)] == 2
    assert counts[("demand", "USA", 39)] == 1
    assert counts[("demand", "USA", 13)] == 1
    assert {t.id for t in threads(entries)} == {"kor-usa", "jpn-usa"}


@given(st.text(max_size=300), st.text(min_size=1, max_size=30))
def test_finding_a_role_never_fails(text: str, name: str) -> None:
    from parley.corpus.people import find_role
    role = find_role(name, [text], [text])
    assert role is None or (isinstance(role, str) and role in text)


def test_roles_from_the_text() -> None:
    from parley.corpus.people import find_role
    assert find_role("Ana Ruiz", ["talks led by Trade Minister Ana Ruiz ended"]) == "Trade Minister"
    assert find_role("Ana Ruiz", ["Ana Ruiz, the union's chief negotiator, said"]) == "the union's chief negotiator"
    assert find_role("Ana Ruiz", ["Ana Ruiz said no"]) is None


def test_two_negotiations_between_the_same_parties_are_two_threads(tmp_path: Path) -> None:
    fishing = ["Freedonia offered Sylvania $5 million a year for fishing quotas in northern waters.",
               "Freedonia offered Sylvania $5 million a year for fishing quotas, trawler crews said.",
               "Sylvania rejected the fishing quotas offered by Freedonia for northern waters."]
    tariffs = ["Sylvania demanded Freedonia cut steel tariffs on imported machinery by $8 million.",
               "Sylvania demanded Freedonia cut steel tariffs, machinery makers said."]
    with Store(tmp_path / "t.db") as store:
        for i, text in enumerate(fishing + tariffs):
            store.add(result(article(f"n{i}", text, f"2020-03-1{i}",
                                     title="Fishing quota talks" if text in fishing else "Steel tariff dispute")))
        entries = timeline(store)
    found = {t.id: t for t in threads(entries)}
    assert len(found) == 2 and "fre-syl" in found
    (other,) = [t for t in found if t != "fre-syl"]
    assert other.startswith("fre-syl-")
    kinds = {thread: {e.type for e in entries if e.thread == thread} for thread in found}
    assert kinds == {"fre-syl": {"offer", "reject"}, other: {"demand"}}
    # Copies of one story do not make a subject of their own.
    with Store(tmp_path / "c.db") as store:
        for i in range(6):
            store.add(result(article(f"c{i}", fishing[0] if i < 4 else tariffs[0], "2020-03-10")))
        assert {t.id for t in threads(timeline(store))} == {"fre-syl"}
