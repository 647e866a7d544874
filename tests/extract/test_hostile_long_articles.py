"""Articles longer than the language model accepts: parsed in pieces, offsets kept, the run goes on."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.cli import main
from parley.extract.pieces import PIECE_CHARS, piece_of, pieces, shifted
from parley.records import Amount, Article, DateSpan, Event, Evidence

import invented_texts  # tests/invented_texts.py, on pytest's pythonpath


SENTENCES = [
    "The ferry union offered the harbour board a {n} percent pay rise on Monday.",
    "The harbour board rejected the offer on Tuesday.",
    "Gulls circled over the quay while the stalls sold fish.",
    "The ferry union demanded {n} more crew on every crossing.",
    "Both sides met for a third round of talks at the town hall.",
]


def long_prose(size: int, seed: int = 3) -> str:
    return invented_texts.long_prose(size, seed, SENTENCES)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n\t!"), max_size=400), st.integers(2, 60))
def test_pieces_cover_the_text_in_order_and_fit_the_limit(text: str, limit: int) -> None:
    ranges = list(pieces(text, limit))
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    assert all(0 < end - start <= limit for start, end in ranges if text)


def test_pieces_are_cut_at_paragraph_breaks_where_there_are_some() -> None:
    text = long_prose(3 * 1000)
    for start, end in list(pieces(text, 1000))[:-1]:
        assert text[:end].endswith("\n\n")


def test_a_piece_keeps_its_body_ranges_and_its_events_move_back() -> None:
    article = Article(id="a", text="x" * 100, body=((10, 40), (60, 90)))
    part = piece_of(article, 30, 70)
    assert part.text == "x" * 40 and part.body == ((0, 10), (30, 40)) and part.id == "a"
    event = Event(article="a", type="offer", actor="FRE", evidence=(Evidence("xx", 1, 3),),
                  amount=Amount(5.0, "USD", start=2, end=3, equivalent=Amount(1.0, "EUR", start=4, end=5)),
                  date=DateSpan(dt.date(2020, 1, 1), dt.date(2020, 1, 1), "x", 6, 7))
    moved = shifted(event, 30)
    assert moved.evidence[0].start == 31 and moved.evidence[0].end == 33
    assert (moved.amount.start, moved.amount.equivalent.start, moved.date.char_start) == (32, 34, 36)


@pytest.mark.parametrize("extractor", ["rules.v1", "learned.v1"])
def test_an_article_longer_than_the_model_accepts_is_parsed_in_pieces(nlp, extractor) -> None:  # type: ignore[no-untyped-def]
    from parley.engines.local import load_extractor

    text = "Harbour talks drag on\n\n" + long_prose(int(PIECE_CHARS * 2.2))
    article = Article(id="long", text=text, title="Harbour talks drag on")
    saved = nlp.max_length
    nlp.max_length = PIECE_CHARS + 1000  # the whole article would be refused (spaCy's E088)
    try:
        events = load_extractor(extractor).extract(article)
    finally:
        nlp.max_length = saved
    evidence = [e for event in events for e in event.evidence]
    assert evidence and all(text[e.start:e.end] == e.text for e in evidence)
    assert min(e.start for e in evidence) < PIECE_CHARS < 2 * PIECE_CHARS < max(e.start for e in evidence)
    # The learned extractor drops events whose actor it cannot place (the prose's
    # common-noun parties, "the port authority", are no candidates): offers it finds.
    expected = {"offer", "reject", "demand"} if extractor == "rules.v1" else {"offer"}
    assert expected <= {event.type for event in events}


def test_a_long_article_does_not_cost_the_other_articles_of_the_run(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a-long.txt").write_text(long_prose(int(PIECE_CHARS * 1.5)), encoding="utf-8")
    (tmp_path / "b-short.txt").write_text("Ferry fares\n\nThe ferry union rejected the fare offer on Friday.\n",
                                          encoding="utf-8")
    saved = nlp.max_length
    nlp.max_length = PIECE_CHARS + 1000
    try:
        run = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(tmp_path / "p.db"), str(tmp_path)])
    finally:
        nlp.max_length = saved
    assert run.exit_code == 0, run.output
    assert run.exception is None or isinstance(run.exception, SystemExit)
    assert "2 added" in run.output
