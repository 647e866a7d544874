"""Wire copies at ingest: one agency story republished by several outlets is kept once,
and every copy is listed as a source of its events, counted as one independent report."""
from __future__ import annotations

from pathlib import Path

from parley.corpus.timeline import timeline
from parley.results import ExtractOptions
from parley.corpus.ingest import ingest
from parley.corpus.store import Store
from test_store import FAKE, register_fake, write_jsonl

WIRE = ("Freedonia offered Sylvania $5 million a year on 2020-03-02 to settle the long dispute over "
        "fishing rights in the northern gulf, officials in both capitals said on Monday after a week "
        "of quiet meetings between the two delegations in a hotel near the border. ")
REWRITE = WIRE.replace("officials in both capitals said on Monday", "officials said on Monday") + \
    "The Sylvanian press called the sum modest."
OTHER = ("Genovia met Sylvania on 2020-03-05 about grain tariffs and railway fees, and the two sides "
         "promised to draft a joint text on customs checks before the summer holidays begin in July, "
         "according to a statement released by the Genovian trade office late on Thursday evening. ")


def corpus(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "wire.jsonl", [
        {"id": "agency", "source": "Wire Agency", "published": "2020-03-02", "text": WIRE},
        {"id": "paper", "source": "Daily Paper", "published": "2020-03-03", "text": REWRITE},
        {"id": "other", "source": "Wire Agency", "published": "2020-03-06", "text": OTHER},
    ])


def test_a_republished_story_is_kept_once_and_both_outlets_are_sources(tmp_path: Path) -> None:
    register_fake()
    with Store(tmp_path / "w.db") as store:
        summary = ingest(store, [corpus(tmp_path)], ExtractOptions(extractor=FAKE))
        assert summary.added == 3 and summary.copies == 1
        copy_of = dict(store.db.execute("SELECT id, copy_of FROM articles").fetchall())
        assert copy_of == {"agency": None, "paper": "agency", "other": None}
        # Events are extracted once, for the story's first article.
        stored = {row[0] for row in store.db.execute("SELECT DISTINCT article_id FROM events")}
        assert stored == {"agency", "other"}
        entries = timeline(store)
    offer = next(e for e in entries if e.type == "offer")
    assert set(offer.articles) == {"agency", "paper"}
    assert {s.source for s in offer.sources} == {"Wire Agency", "Daily Paper"}
    assert offer.source_count == 1 and offer.copy_count == 1
    meet = next(e for e in entries if e.type == "meet")
    assert meet.articles == ("other",) and meet.source_count == 1


def test_copies_are_recognised_across_runs_and_reingest_changes_nothing(tmp_path: Path) -> None:
    register_fake()
    first = write_jsonl(tmp_path / "first.jsonl",
                        [{"id": "agency", "source": "Wire Agency", "published": "2020-03-02", "text": WIRE}])
    later = write_jsonl(tmp_path / "later.jsonl",
                        [{"id": "paper", "source": "Daily Paper", "published": "2020-03-03", "text": REWRITE}])
    with Store(tmp_path / "w.db") as store:
        ingest(store, [first], ExtractOptions(extractor=FAKE))
        assert ingest(store, [later], ExtractOptions(extractor=FAKE)).copies == 1
        again = ingest(store, [first, later], ExtractOptions(extractor=FAKE))
        assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
        assert store.db.execute("SELECT copy_of FROM articles WHERE id = 'paper'").fetchone()[0] == "agency"


def test_copy_detection_can_be_turned_off(tmp_path: Path) -> None:
    register_fake()
    with Store(tmp_path / "w.db") as store:
        summary = ingest(store, [corpus(tmp_path)], ExtractOptions(extractor=FAKE), detect_copies=False)
        assert summary.copies == 0
        assert store.db.execute("SELECT count(*) FROM articles WHERE copy_of IS NOT NULL").fetchone()[0] == 0
