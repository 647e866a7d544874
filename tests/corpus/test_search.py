"""Search: any text is a query, words are stemmed, one sentence is one hit, best first, marked."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from parley.corpus.store import HIGHLIGHT, MIGRATIONS, Store, _statements, fts_query
from parley.errors import StoreError
from parley.records import Event, Evidence
from parley.results import ArticleResult
from test_store import article, result


def stored(tmp_path: Path, *texts: str) -> Store:
    store = Store(tmp_path / "s.db")
    for number, text in enumerate(texts, start=1):
        store.add(result(article(f"s{number}", text)))
    return store


@pytest.mark.parametrize("query", ["ver.di", "U.S.-Sylvania", '"unbalanced', "OR", "NEAR(", "a*b", "-x", "col:umn",
                                   "^start", "(", "'", "AND NOT"])
def test_any_user_text_is_a_valid_query(tmp_path: Path, query: str) -> None:
    with stored(tmp_path, "The ver.di union met Freedonia. U.S.-Sylvania talks resumed.") as store:
        store.search(query)  # never an FTS5 syntax error


def test_punctuated_names_are_found(tmp_path: Path) -> None:
    with stored(tmp_path, "The ver.di union met Freedonia on Monday.", "Sylvania offered nothing.") as store:
        assert {hit.article for hit in store.search("ver.di")} == {"s1"}


def test_words_are_stemmed(tmp_path: Path) -> None:
    with stored(tmp_path, "Sylvania rejected the offer from Freedonia.", "Genovia met Sylvania.") as store:
        hits = store.search("rejecting")
    assert hits and {hit.article for hit in hits} == {"s1"}
    assert {hit.kind for hit in hits} == {"article", "evidence"}


def test_every_word_must_match(tmp_path: Path) -> None:
    with stored(tmp_path, "Sylvania rejected the offer.", "Freedonia rejected the demand.") as store:
        assert {hit.article for hit in store.search("rejected demand")} == {"s2"}


def test_one_sentence_stored_for_two_events_is_one_hit(tmp_path: Path) -> None:
    text = "Sylvania rejected the offer and Freedonia demanded more."
    evidence = (Evidence(text, 0, len(text)),)
    events = (Event(article="d1", type="reject", actor="SYL", evidence=evidence),
              Event(article="d1", type="demand", actor="FRE", evidence=evidence))
    with Store(tmp_path / "d.db") as store:
        store.add(ArticleResult(article("d1", text), events))
        hits = [hit for hit in store.search("rejected") if hit.kind == "evidence"]
    assert len(hits) == 1


def test_best_match_first_and_the_match_marked(tmp_path: Path) -> None:
    with stored(tmp_path, "Genovia met Sylvania about quotas. Later the weather was fine and the harbour was "
                          "quiet, the boats were in and nobody said a word about anything at all that day.",
                "Quotas, quotas, quotas: Sylvania demanded quotas.") as store:
        hits = [hit for hit in store.search("quotas") if hit.kind == "article"]
    assert [hit.article for hit in hits] == ["s2", "s1"]
    assert hits[0].rank <= hits[1].rank
    opening, closing = HIGHLIGHT
    assert f"{opening}Quotas{closing}" in hits[0].snippet


def test_advanced_queries_keep_fts5_syntax(tmp_path: Path) -> None:
    with stored(tmp_path, "Sylvania rejected the offer.", "Freedonia met Genovia.") as store:
        assert {hit.article for hit in store.search("rejected OR met", advanced=True)} == {"s1", "s2"}
        assert store.search("rejected OR met") == []  # without the flag, "OR" is a word to find
        with pytest.raises(StoreError, match="FTS5 syntax"):
            store.search("NEAR(", advanced=True)


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('best "final offer') == '"best" """final" "offer"'
    assert fts_query("   ") == ""


def test_an_older_store_is_migrated_and_its_index_rebuilt_with_stemming(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        for statement in _statements(migration):
            old.execute(statement)
    old.execute("PRAGMA user_version = 2")
    old.execute("INSERT INTO articles (id, content_hash, text, ingested_at) VALUES "
                "('o1', 'h', 'Sylvania rejected the offer.', '2020-01-01')")
    old.close()
    with Store(path) as store:
        assert store.version == len(MIGRATIONS)
        assert [hit.article for hit in store.search("rejecting")] == ["o1"]
        columns = {row[1] for row in store.db.execute("PRAGMA table_info(articles)")}
    assert "retrieved_at" in columns
