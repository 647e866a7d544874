"""`parley correct`: the corrections of `parley serve` from the command line
(corpus/corrections.py does the work; this parses and formats)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from parley.cli.corpus import db_option
from parley.cli.support import fail
from parley.corpus import corrections as fix
from parley.corpus.store import open_store
from parley.errors import ParleyError, UsageError
from parley.output.safe_output import for_terminal


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@db_option
@click.option("--type", "type_", default=None, help="The event's type (offer, demand, reject, ...).")
@click.option("--actor", default=None, help="The acting party: ISO alpha-3 (USA), EU, or a slug (ig-metall).")
@click.option("--target", default=None, help="The other party.")
@click.option("--amount", default=None, metavar="AMOUNT", help='The money, e.g. "1.3 billion USD year".')
@click.option("--date", default=None, metavar="DATE", help="YYYY-MM-DD, or a span YYYY-MM-DD..YYYY-MM-DD.")
@click.option("--status", default=None, help="asserted, reported, denied or planned.")
@click.option("--clear", multiple=True, type=click.Choice(["actor", "target", "amount", "date"]),
              help="Remove this value (repeatable).")
@click.option("--reject", is_flag=True, help="Not an event: leave it out of every view and export.")
@click.option("--restore", is_flag=True, help="Undo --reject.")
@click.option("--add", "add", default=None, metavar="ARTICLE",
              help="Add a missed event to ARTICLE, anchored on --span (needs --type).")
@click.option("--span", default=None, metavar="START:END", help="Character offsets of the missed event's sentence.")
@click.option("--merge", nargs=2, default=None, metavar="PARTY INTO", help="Two codes are one party.")
@click.option("--unmerge", default=None, metavar="PARTY", help="Undo a merge.")
@click.option("--split", nargs=2, default=None, metavar="PARTY NEW",
              help="In the events ID..., PARTY was another party: call it NEW.")
@click.option("--history", is_flag=True, help="List the corrections (of ID..., or all).")
@click.option("--note", default=None, help="Why: kept with the correction.")
def correct(ids: tuple[str, ...], db: Path, type_: str | None, actor: str | None, target: str | None,
            amount: str | None, date: str | None, status: str | None, clear: tuple[str, ...], reject: bool,
            restore: bool, add: str | None, span: str | None, merge: tuple[str, str] | None,
            unmerge: str | None, split: tuple[str, str] | None, history: bool, note: str | None) -> None:
    """Correct events by their stable ID (the "id" of `parley export`): change type, actor,
    target, amount, date or status, reject, add a missed event, merge or split parties.
    Previous values are kept; corrections outlive re-ingest and re-extraction.

    \b
    Examples:
      parley correct e42f5e57b79b --actor KOR --amount "1.3 billion USD year"
      parley correct e42f5e57b79b --reject --note "a forecast, not an offer"
      parley correct --add 01-first-round.txt --span 120:245 --type offer --actor KOR
      parley correct --merge verdi-union verdi
    """
    edits = {"type": type_, "actor": actor, "target": target, "amount": amount, "date": date, "status": status}
    wanted = {k: v for k, v in edits.items() if v is not None}
    try:
        with open_store(db) as store:
            if history:
                for c in fix.history(store) if not ids else [c for i in ids for c in fix.history(store, i)]:
                    click.echo(for_terminal(f"{c.made}  #{c.id} {c.kind:<8} {c.event or ''}  "
                                            f"{fix.to_json(c.changes)}  was {fix.to_json(c.previous)}"
                                            + (f"  ({c.note})" if c.note else "")))
                return
            if merge:
                _done(fix.merge_parties(store, merge[0], merge[1], note))
                return
            if unmerge:
                _done(fix.unmerge_party(store, unmerge, note))
                return
            if split:
                if not ids:
                    raise UsageError("--split PARTY NEW needs the ids of the events where PARTY was NEW")
                for made in fix.split_party(store, split[0], split[1], ids, note):
                    _done(made)
                return
            if add is not None:
                if not span or ":" not in span or not type_:
                    raise UsageError("--add ARTICLE needs --span START:END and --type")
                start, _, end = span.partition(":")
                try:
                    first, last = int(start), int(end)
                except ValueError:
                    raise UsageError(f"--span {span!r}: give character offsets START:END") from None
                _done(fix.add_event(store, add, first, last, type=type_, actor=actor, target=target,
                                    amount=amount, date=date, status=status or "asserted", note=note))
                return
            if not ids:
                raise UsageError("give the id of the event to correct (the \"id\" field of `parley export`)")
            if reject and restore:
                raise UsageError("--reject and --restore contradict each other")
            for key in ids:
                if reject:
                    _done(fix.reject_event(store, key, note))
                elif restore:
                    _done(fix.restore_event(store, key, note))
                if wanted or clear:
                    _done(fix.edit_event(store, key, type=type_, actor=actor, target=target, amount=amount,
                                         date=date, status=status, unset=clear, note=note))
                elif not (reject or restore):
                    raise UsageError("nothing to change: give --type, --actor, --target, --amount, --date, "
                                     "--status, --clear, --reject or --restore")
    except ParleyError as err:
        fail(err)
    sys.exit(0)


def _done(made: fix.Correction) -> None:
    what = made.event or fix.to_json(made.changes)
    click.echo(for_terminal(f"correction #{made.id}: {made.kind} {what}"
                            + (f" {fix.to_json(made.changes)}" if made.kind in ("edit", "add") else "")), err=True)


COMMANDS = [correct]
