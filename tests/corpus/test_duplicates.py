"""Wire copies: a story and its lightly edited reprints are one story; another story on the same talks is not."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from parley.corpus.duplicates import WireCopyIndex, find_wire_copies, shingles, similarity
from parley.records import Article

# Made-up texts about invented talks between two invented unions and a port authority.
STORY = (
    "HARBOURTON -- Negotiators for the dockworkers' union and the Harbourton port authority "
    "met on Monday for a fourth round of talks on a new three-year contract, officials said. "
    "The union is asking for a wage rise of nine percent over three years and a cap on overtime. "
    "The port authority has offered four percent and said any deal must include new shift rules. "
    "Union leader Mara Quint told reporters that the gap remained wide but that both sides "
    "wanted to avoid a strike before the holiday season. The authority's chief negotiator, "
    "Tomas Ebb, said the offer was fair given falling cargo volumes at the port this year. "
    "A fifth round is planned for next week, and a mediator could be called in if the talks stall. "
    "The current contract expires at the end of the month."
)

EDITED_COPY = (
    "Port talks stall over pay\n\n"
    "HARBOURTON (Wire) -- Negotiators for the dockworkers' union and the Harbourton port authority "
    "met Monday for a fourth round of talks on a new three-year contract, officials said. "
    "The union is asking for a wage rise of nine percent over three years and a cap on overtime. "
    "The port authority has offered four percent and said any deal must include new shift rules. "
    "Union leader Mara Quint told reporters that the gap remained wide but that both sides "
    "wanted to avoid a strike before the holidays. The authority's chief negotiator, "
    "Tomas Ebb, said the offer was fair given falling cargo volumes at the port this year. "
    "A fifth round is planned for next week. "
    "The current contract expires at the end of the month.\n\nReporting by the wire desk."
)

# Same talks, same people and figures, but an outlet's own reporting.
OTHER_STORY = (
    "Dockworkers in Harbourton could walk out before the holidays after a fourth round of "
    "contract negotiations ended on Monday without agreement. Mara Quint, who leads the "
    "dockworkers' union, wants nine percent more pay spread across three years and limits on "
    "overtime, while Tomas Ebb, negotiating for the port authority, has put four percent on the "
    "table in exchange for changes to shifts. Cargo at the port has fallen this year, Ebb argued, "
    "so the authority cannot pay more. Quint called the offer an insult to workers who kept the "
    "port running. The two sides return next week; the existing deal runs out when the month ends, "
    "and a mediator may be asked to help if no progress is made."
)


def article(id: str, text: str) -> Article:
    return Article(id=id, text=text)


def test_lightly_edited_copy_is_the_same_story_and_own_reporting_is_not() -> None:
    groups = find_wire_copies([article("wire", STORY), article("reprint", EDITED_COPY),
                               article("own", OTHER_STORY)])
    assert groups == [{"wire", "reprint"}]


def test_thresholds_have_margin_on_both_sides() -> None:
    assert similarity(article("a", STORY), article("b", EDITED_COPY)) > 0.6
    assert similarity(article("a", STORY), article("c", OTHER_STORY)) < 0.1


def test_first_seen_copy_is_canonical_and_every_copy_is_listed() -> None:
    index = WireCopyIndex()
    assert index.add(article("first", STORY)) is None
    assert index.add(article("own", OTHER_STORY)) is None
    assert index.add(article("second", EDITED_COPY)) == "first"
    assert index.add(article("third", STORY.replace("Monday", "Tuesday"))) == "first"
    assert index.copies("third") == ["first", "second", "third"]
    assert index.canonical("own") == "own" and index.copies("own") == ["own"]
    assert index.groups() == [{"first", "second", "third"}]


def test_outlet_that_ran_only_the_first_paragraphs_is_a_copy() -> None:
    cut = STORY[: int(len(STORY) * 0.55)]
    assert similarity(article("a", STORY), article("b", cut)) < 0.6
    assert find_wire_copies([article("full", STORY), article("cut", cut)]) == [{"full", "cut"}]


def test_only_the_body_counts_not_the_clutter_around_it() -> None:
    clutter = "Subscribe now. Cookie settings. Most read. " * 30
    text = clutter + OTHER_STORY
    wrapped = Article(id="wrapped", text=text, body=((len(clutter), len(text)),))
    other_site = Article(id="other-site", text=clutter + "Weather: sunny all week in the valley.")
    assert find_wire_copies([wrapped, other_site]) == []


def test_short_articles_are_never_merged() -> None:
    brief = "Talks resume on Monday, the union said."
    assert find_wire_copies([article("x", brief), article("y", brief)]) == []


def test_adding_the_same_id_twice_does_not_make_it_its_own_copy() -> None:
    index = WireCopyIndex()
    index.add(article("a", STORY))
    assert index.add(article("a", STORY)) is None
    assert index.groups() == []


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("The Union, asked for MORE pay today.") == shingles("the union asked for more pay today")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=400), max_size=6))
def test_never_crashes_and_every_id_is_in_at_most_one_group(texts: list[str]) -> None:
    groups = find_wire_copies(article(str(i), t) for i, t in enumerate(texts))
    ids = [i for g in groups for i in g]
    assert len(ids) == len(set(ids))
    assert all(len(g) >= 2 for g in groups)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["offer", "union", "port", "pay", "talks", "strike", "deal",
                                 "rejected", "Monday", "percent", "wage", "rise"]),
                min_size=40, max_size=120))
def test_an_exact_reprint_of_a_long_enough_article_is_always_found(words: list[str]) -> None:
    text = " ".join(words)
    if len(shingles(text)) < 20:
        return
    assert find_wire_copies([article("a", text), article("b", text)]) == [{"a", "b"}]


def test_shared_corpora_distinct_articles_stay_apart_and_reprints_are_found() -> None:
    shared = Path(__file__).parents[3] / "shared" / "corpus"
    if not shared.exists():
        pytest.skip("the shared corpora are not beside the repository")
    from parley.pipeline import articles

    real = [a for a in articles([shared / "sma-2020", shared / "dev-mixed.jsonl"])
            if len(shingles(a.body_text())) >= 60]
    assert len(real) >= 10
    # Several outlets on the same talks, same names and figures: none is a copy.
    assert find_wire_copies(real) == []
    # A reprint under another id, with the last fifth of the body cut, is.
    index = WireCopyIndex()
    for a in real:
        index.add(a)
    for a in real:
        start, end = a.body_ranges()[0][0], a.body_ranges()[-1][1]
        cut = Article(id=f"reprint-of-{a.id}", text=a.text[start:start + int((end - start) * 0.8)])
        assert index.add(cut) == a.id
