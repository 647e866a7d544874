"""Docs are tested: every command has help text and appears in the README; the public API is complete."""
from __future__ import annotations

from pathlib import Path

import click

import parley
from parley.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_and_is_in_the_readme():
    ctx = click.Context(main)
    names = main.list_commands(ctx)
    assert {"extract", "show", "ingest", "timeline", "report"} <= set(names)
    for name in names:
        command = main.get_command(ctx, name)
        assert command.help and command.help.strip(), f"`parley {name}` has no help text"
        assert f"`parley {name}" in README, f"`parley {name}` is not in the README"


def test_readme_opens_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_public_api_is_complete_and_importable():
    for name in parley.__all__:
        assert getattr(parley, name) is not None
    exported = set(parley.__all__)
    from parley import records
    for name in ("Article", "Amount", "Change", "DateSpan", "Event", "Evidence", "Problem"):
        assert name in exported and getattr(parley, name) is getattr(records, name)
