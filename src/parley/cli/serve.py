"""`parley serve`: the store in a browser (web/app.py), on this machine unless told otherwise."""
from __future__ import annotations

import secrets
from pathlib import Path

import click

from parley.cli.corpus import db_option
from parley.cli.support import fail
from parley.corpus.store import open_store
from parley.errors import ParleyError, UsageError
from parley.web.app import create_app, is_loopback


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --token (or PARLEY_TOKEN): "
                   "every request must then carry it.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--token", envvar="PARLEY_TOKEN", default=None,
              help="The secret every change (and, off loopback, every request) must carry; "
                   "default: a new random one each run.")
def serve(db: Path, host: str, port: int, token: str | None) -> None:
    """Explore the store in a browser and correct its events: threads, timelines, articles
    with their evidence marked, positions, discrepancies, people (works offline).

    \b
    Examples:
      parley serve --db parley.db
      parley serve --db parley.db --port 8080
      PARLEY_TOKEN=a-long-shared-secret parley serve --host 0.0.0.0
    """
    try:
        with open_store(db):
            pass  # a missing or unusable store is one line now, not an error page later
        if not is_loopback(host):
            if not token:
                raise UsageError(f"--host {host} lets other machines reach the store: give a secret "
                                 "with --token (or PARLEY_TOKEN), or keep the default 127.0.0.1")
            if len(token) < 16:
                raise UsageError("--token must be at least 16 characters")
            click.echo(f"parley: warning: listening on {host}, not only on this machine: anyone who "
                       "can reach it and knows the token can read the store and change its events", err=True)
    except ParleyError as err:
        fail(err)
    token = token or secrets.token_urlsafe(24)
    app = create_app(db, token=token, host=host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{port}/"
    click.echo(f"parley serve: {db} at {address}" + ("" if is_loopback(host) else f"?token={token}")
               + " once its views are computed (seconds on a large store; Ctrl-C stops)", err=True)
    # uvicorn is loaded here: only `parley serve` needs a server (the app itself does not).
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS = [serve]
