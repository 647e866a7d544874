"""Text preparation shared by backends: what the parser reads keeps every offset."""
from __future__ import annotations

from parley.extract.text import for_parser, parse_text
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


def test_scale_suffixes_are_hidden_from_the_parser_only() -> None:
    text = "They made a £40m bid and a $1.5bn offer."
    parsed = for_parser(text)
    assert len(parsed) == len(text)
    assert "40m" not in parsed and "1.5bn" not in parsed
    assert parsed.index("bid") == text.index("bid")
