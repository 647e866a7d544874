"""Text preparation shared by backends: what the parser reads keeps every offset."""
from __future__ import annotations

import pytest

from parley.errors import ModelError
from parley.extract.registry import get_extractor
from parley.extract.text import for_parser, parse_text, quote
from parley.reading.cleaning import clean
from parley.records import Article


def test_hard_wrapped_lines_are_joined_without_moving_offsets() -> None:
    text = "Freedonia offered Sylvania\nmore money on Tuesday. Sylvania said no."
    prepared = parse_text(Article(id="w", text=text))
    assert len(prepared) == len(text)
    assert "\n" not in prepared
    assert prepared.index("Sylvania said no.") == text.index("Sylvania said no.")


def test_a_wire_dateline_is_blanked_not_removed() -> None:
    text = "GENOVIA CITY, March 3 - Freedonia offered more."
    prepared = parse_text(Article(id="d", text=text))
    assert len(prepared) == len(text)
    assert prepared.lstrip().startswith("Freedonia offered more.")


@pytest.mark.parametrize("dateline", ["HAMBURG, 3 June 2024 — ", "Seoul, Jan. 15 (Yonhap) -- ",
                                      "NEW YORK, June 3, 2024 /PRNewswire/ -- ", "TOKYO (Bloomberg) -- "])
def test_every_dateline_form_is_blanked_so_its_day_is_not_an_events(dateline: str) -> None:
    text = dateline + "The port operators offered the union a 3 percent rise."
    shown = parse_text(Article(id="d", text=text))
    assert shown == " " * len(dateline) + text[len(dateline):]


def test_scale_suffixes_are_hidden_from_the_parser_only() -> None:
    text = "They made a £40m bid and a $1.5bn offer."
    parsed = for_parser(text)
    assert len(parsed) == len(text)
    assert "40m" not in parsed and "1.5bn" not in parsed
    assert parsed.index("bid") == text.index("bid")


# --- evidence quotes are sentences of the body ----------------------------------------

PASTED = (
    "The Lakeside Courier\n\n\n"
    "Millers turn down pay offer: union\n\n"
    "By Tove Arnesen\n\n"
    "Published : March 3, 2021 - 10:05\n\n"
    "    • Link copied\n\n"
    "The Millers Union rejected the 4 percent pay offer from Grainco on Tuesday.\n\n"
    "Grainco said it would not raise the offer.\n\n"
    "Share this article\n"
)
FURNITURE = ("Lakeside Courier", "Millers turn down", "Tove Arnesen", "Published", "Link copied", "Share this")


def test_a_span_starting_in_the_header_quotes_only_the_body_sentence() -> None:
    article = clean(Article(id="p", text=PASTED))
    sentence = "The Millers Union rejected the 4 percent pay offer from Grainco on Tuesday."
    # A parser's sentence that swallowed the header: everything up to the first full stop.
    found = quote(article, 0, PASTED.index(sentence) + len(sentence))
    assert found.text == sentence
    assert PASTED[found.start:found.end] == found.text


def test_a_span_running_into_the_tail_stops_before_it() -> None:
    article = clean(Article(id="p", text=PASTED))
    sentence = "Grainco said it would not raise the offer."
    start = PASTED.index(sentence)
    assert quote(article, start, len(PASTED)).text == sentence


def test_dateline_and_stray_marks_are_not_quoted() -> None:
    text = "HARWICH, May 2 (Demo Wire) -- ![]() | Grainco raised its offer to 5 percent."
    found = quote(Article(id="d", text=text), 0, len(text))
    assert found.text == "Grainco raised its offer to 5 percent."


def test_a_span_of_clutter_only_is_kept_rather_than_lost() -> None:
    article = clean(Article(id="p", text=PASTED))
    end = PASTED.index("Link copied") + len("Link copied")
    assert quote(article, PASTED.index("Link copied"), end).text == "Link copied"


@pytest.mark.slow
@pytest.mark.parametrize("extractor", ["rules.v1", "learned.v1"])
def test_extractors_quote_no_page_furniture(extractor: str) -> None:
    try:
        backend = get_extractor(extractor)
        events = backend.extract(clean(Article(id="p", text=PASTED)))
    except ModelError as err:  # the learned weights may not be on this branch
        pytest.skip(f"{extractor} cannot load here: {err}")
    assert events, "the pasted article has a rejection to find"
    for event in events:
        for evidence in event.evidence:
            assert not [f for f in FURNITURE if f in evidence.text], evidence.text
            assert PASTED[evidence.start:evidence.end] == evidence.text
