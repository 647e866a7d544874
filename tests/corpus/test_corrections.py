"""Corrections: kept with their previous values, applied on every read, tied to the
article's text and the evidence span so that they outlive re-ingest and re-extraction.

The articles are the store tests' invented sentences, read by their fake extractor."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from parley.corpus import corrections as fix
from parley.corpus.ingest import ingest
from parley.corpus.store import SCHEMA_VERSION, Store
from parley.corpus.timeline import timeline
from parley.errors import ConfigurationError, StoreError
from parley.extract.registry import register
from parley.output.export import records
from parley.output.gold import write_corrections
from parley.records import Article, Event, replace
from parley.results import ExtractOptions
from test_store import FAKE, STORY, FakeExtractor, register_fake, write_jsonl

RETYPING = "test.fake-retyping"
SAME_AGAIN = "test.fake-again"


class RetypingExtractor(FakeExtractor):
    """Another extractor that reads the same sentences but calls every offer a demand."""

    name = RETYPING

    def extract(self, article: Article) -> list[Event]:
        return [replace(e, type="demand") if e.type == "offer" else e
                for e in super().extract(article)]


def retyping() -> RetypingExtractor:
    return RetypingExtractor()


def same_again() -> FakeExtractor:
    return FakeExtractor()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    register_fake()
    register(RETYPING, f"{__name__}:retyping")
    register(SAME_AGAIN, f"{__name__}:same_again")
    path = tmp_path / "p.db"
    with Store(path) as store:
        ingest(store, [write_jsonl(tmp_path / "story.jsonl", STORY)], ExtractOptions(extractor=FAKE, jobs=1))
    return path


def _reingest(db: Path, extractor: str = FAKE) -> None:
    with Store(db) as store:
        ingest(store, [db.parent / "story.jsonl"], ExtractOptions(extractor=extractor, jobs=1))


def test_the_store_gains_the_corrections_table_by_migration(db: Path) -> None:
    with Store(db) as store:
        assert store.version == SCHEMA_VERSION >= 3
        columns = {r[1] for r in store.db.execute("PRAGMA table_info(corrections)")}
    assert {"kind", "event_key", "article_id", "span_start", "span_end", "quote", "changes",
            "previous", "made_at"} <= columns


def test_every_event_has_a_stable_id_that_re_extraction_keeps(db: Path) -> None:
    with Store(db) as store:
        before = {(s.article, s.event.type): s.key for s in store.events()}
        rows = {s.key: s.id for s in store.events()}
    assert len(set(before.values())) == len(before)
    _reingest(db, SAME_AGAIN)  # another extractor name: every article is extracted again
    with Store(db) as store:
        after = {(s.article, s.event.type): s.key for s in store.events()}
        new_rows = {s.key: s.id for s in store.events()}
    assert after == before
    assert set(new_rows.values()).isdisjoint(rows.values())  # new rows, same ids


def test_an_edit_shows_new_values_keeps_the_previous_and_marks_the_event(db: Path) -> None:
    with Store(db) as store:
        offer = next(s for s in store.events() if s.event.type == "offer" and s.article == "a1")
        made = fix.edit_event(store, offer.key, type="demand", amount="1.3 billion USD year",
                              date="2020-03-09", note="the headline says demand")
        edited = next(s for s in store.events() if s.key == offer.key)
        assert [c.kind for c in fix.history(store, offer.key)] == ["edit"]
    assert made.previous["type"] == "offer" and made.changes["type"] == "demand"
    assert made.previous["amount"] is not None and made.previous["date"] is None
    assert edited.event.type == "demand"
    assert edited.event.amount.value == pytest.approx(1.3e9) and edited.event.amount.period == "year"
    assert edited.event.date.start == dt.date(2020, 3, 9)
    assert edited.event.extra["corrected"] is True and edited.event.extra["id"] == offer.key


def test_a_correction_outlives_re_ingest_and_re_extraction(db: Path) -> None:
    with Store(db) as store:
        offer = next(s for s in store.events() if s.event.type == "offer" and s.article == "a1")
        fix.edit_event(store, offer.key, actor="GEN")
    _reingest(db)  # unchanged: a no-op
    _reingest(db, SAME_AGAIN)  # every article extracted again, new rows
    with Store(db) as store:
        again = next(s for s in store.events() if s.key == offer.key)
        assert again.event.actor == "GEN" and again.event.extra["corrected"]
        assert store.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1


def test_an_extractor_that_types_the_event_otherwise_still_gets_the_correction_by_its_span(db: Path) -> None:
    with Store(db) as store:
        offer = next(s for s in store.events() if s.event.type == "offer" and s.article == "a1")
        fix.edit_event(store, offer.key, status="planned")
    _reingest(db, RETYPING)
    with Store(db) as store:
        (retyped,) = [s for s in store.events() if s.article == "a1" and s.event.evidence == offer.event.evidence]
    assert retyped.key != offer.key  # the id follows the extracted type...
    assert retyped.event.type == "demand" and retyped.event.status == "planned"  # ...the correction the span


def test_a_rejected_event_leaves_every_view_and_can_be_restored(db: Path) -> None:
    with Store(db) as store:
        meet = next(s for s in store.events() if s.event.type == "meet")
        fix.reject_event(store, meet.key, note="not talks")
        assert meet.key not in {s.key for s in store.events()}
        assert meet.key in {s.key for s in store.events(rejected=True)}
        assert not any(e.type == "meet" for e in timeline(store))
        assert meet.key not in {r["id"] for r in records(store, "events")}
        with pytest.raises(ConfigurationError):
            fix.reject_event(store, meet.key)
        fix.restore_event(store, meet.key)
        assert meet.key in {s.key for s in store.events()}


def test_an_added_event_is_anchored_on_its_sentence_and_goes_when_the_text_changes(db: Path, tmp_path: Path) -> None:
    text = STORY[2]["text"]
    with Store(db) as store:
        made = fix.add_event(store, "a3", 0, len(text), type="agree", actor="GEN", target="SYL",
                             amount="2 million EUR once", date="2020-03-14")
        added = next(s for s in store.events() if s.key == made.event)
        assert added.event.type == "agree" and added.event.evidence[0].text == text.strip()
        assert added.event.extra["added"] and added.event.extra["corrected"]
        assert added.id < 0  # no events row: the correction's number, negated
        assert any(e.type == "agree" for e in timeline(store))
    _reingest(db, SAME_AGAIN)
    with Store(db) as store:
        assert made.event in {s.key for s in store.events()}
    changed = [*STORY[:2], {**STORY[2], "text": "Genovia and Sylvania spoke about quotas."}]
    write_jsonl(tmp_path / "story.jsonl", changed)
    _reingest(db)
    with Store(db) as store:
        assert made.event not in {s.key for s in store.events()}


def test_a_selection_whose_offsets_drifted_is_found_by_its_quote(db: Path) -> None:
    text = STORY[0]["text"]
    second = text.index("Sylvania demanded")
    quote = text[second:].strip()
    with Store(db) as store:
        made = fix.add_event(store, "a1", 0, 5, type="demand", actor="SYL", quote=quote)
    assert (made.start, made.end, made.quote) == (second, second + len(quote), quote)


def test_merging_two_codes_of_one_party_and_undoing_it(db: Path) -> None:
    with Store(db) as store:
        fix.merge_parties(store, "GEN", "SYL")
        assert not {"GEN"} & {p for s in store.events() for p in (s.event.actor, s.event.target)}
        assert all(e.thread == "syl" or "gen" not in (e.thread or "") for e in timeline(store))
        fix.unmerge_party(store, "GEN")
        assert "GEN" in {s.event.actor for s in store.events()}
        with pytest.raises(ConfigurationError):
            fix.unmerge_party(store, "GEN")


def test_splitting_a_code_given_to_two_parties(db: Path) -> None:
    with Store(db) as store:
        keys = [s.key for s in store.events() if s.article == "a2" and "FRE" in (s.event.actor, s.event.target)]
        made = fix.split_party(store, "FRE", "freedonian-navy", keys)
        assert len(made) == len(keys) >= 1
        parties = {p for s in store.events() if s.article == "a2" for p in (s.event.actor, s.event.target)}
        assert "freedonian-navy" in parties and "FRE" not in parties
        assert "FRE" in {s.event.actor for s in store.events() if s.article == "a1"}
        assert store.parties()["freedonian-navy"] == "Freedonian Navy"


def test_exports_carry_the_id_and_corrected(db: Path) -> None:
    with Store(db) as store:
        meet = next(s for s in store.events() if s.event.type == "meet")
        fix.edit_event(store, meet.key, status="reported")
        rows = records(store, "events")
        flat = records(store, "events", flat=True)
    assert all(r["id"] and r["id"].startswith("e") for r in rows + flat)
    assert {r["id"]: r["corrected"] for r in rows}[meet.key] is True
    assert sum(r["corrected"] for r in flat) == 1


def test_the_gold_export_has_the_annotation_format(db: Path, tmp_path: Path) -> None:
    text = STORY[2]["text"]
    with Store(db) as store:
        offer = next(s for s in store.events() if s.event.type == "offer" and s.article == "a1")
        fix.edit_event(store, offer.key, type="demand", amount="5 million USD year")
        fix.add_event(store, "a3", 0, len(text), type="agree", actor="GEN", target="SYL")
        fix.reject_event(store, next(s.key for s in store.events() if s.event.type == "reject"))
        count = write_corrections(store, tmp_path / "gold.jsonl")
        texts = {a.id: a.text for a in store.articles()}
    lines = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert count == len(lines) == 2  # the edit and the addition; a rejected event is no event
    for line in lines:
        assert {"article", "type", "actor", "target", "people", "amount", "date", "status", "optional",
                "evidence"} <= set(line)
        assert line["optional"] is False
        assert all(isinstance(e, str) and e in texts[line["article"]] for e in line["evidence"])
    demand = next(line for line in lines if line["type"] == "demand")
    assert demand["amount"] == {"value": 5e6, "currency": "USD", "period": "year", "change": None}


def test_what_a_person_types_is_read_or_refused() -> None:
    amount = fix.read_amount("1.3 billion USD year")
    assert (amount.value, amount.currency, amount.period, amount.usd) == (1.3e9, "USD", "year", 1.3e9)
    assert fix.read_amount("870 million usd").value == pytest.approx(870e6)
    assert fix.read_amount("$5bn a year").value == pytest.approx(5e9)
    assert fix.read_amount("") is None
    with pytest.raises(ConfigurationError):
        fix.read_amount("a lot of money")
    assert fix.read_date("2020-08-20").start == dt.date(2020, 8, 20)
    span = fix.read_date("2020-08-01..2020-08-31")
    assert (span.start, span.end) == (dt.date(2020, 8, 1), dt.date(2020, 8, 31))
    for bad in ("20 August", "2020-08-31..2020-08-01"):
        with pytest.raises(ConfigurationError):
            fix.read_date(bad)
    with pytest.raises(ConfigurationError):
        fix.check_party("Not A Code", "actor")


def test_unknown_ids_and_meaningless_edits_are_refused(db: Path) -> None:
    with Store(db) as store:
        with pytest.raises(StoreError, match="no event"):
            fix.edit_event(store, "e000000000000", type="offer")
        key = next(s.key for s in store.events())
        current = next(s.event for s in store.events() if s.key == key)
        with pytest.raises(ConfigurationError, match="nothing to change"):
            fix.edit_event(store, key, type=current.type)
        with pytest.raises(ConfigurationError, match="unknown type"):
            fix.edit_event(store, key, type="bribe")
        assert store.corrections() == []


def test_a_correction_of_a_story_holds_for_its_wire_copies(tmp_path: Path) -> None:
    register_fake()
    story = {"id": "w1", "published": "2020-05-01", "title": "Talks",
             "text": "Freedonia offered Sylvania $9 million a year on 2020-04-30. " * 3
                     + "Negotiators from both sides will meet again next month in the capital."}
    copy = {**story, "id": "w2", "published": "2020-05-02"}
    path = tmp_path / "w.db"
    with Store(path) as store:
        summary = ingest(store, [write_jsonl(tmp_path / "w.jsonl", [story, copy])],
                         ExtractOptions(extractor=FAKE, jobs=1))
        assert summary.copies == 1
        offer = next(s for s in store.events() if s.article == "w1")
        fix.edit_event(store, offer.key, target="GEN")
        reports = [s for s in store.events() if s.key == offer.key]
    assert {s.article for s in reports} == {"w1", "w2"}
    assert all(s.event.target == "GEN" and s.event.extra["corrected"] for s in reports)
