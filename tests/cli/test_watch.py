"""`parley watch`: a local server's feed gains items between polls; new moves are told once."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from local_server import page, rss, serving
from parley.cli import main
from parley.corpus.store import Store
from parley.corpus.watch import Watcher, parse_every
from parley.reading.fetch import FetchLimits
from parley.results import ExtractOptions
from test_store import FAKE, SRC, register_fake

OFFER = ("n1", "Freedonia makes an offer",
         "Freedonia offered Sylvania $5 million a year for the fishing rights, the ministry said on Monday "
         "after a long night of talks in the harbour town.")
REJECTION = ("n2", "Sylvania says no", "Sylvania rejected the offer from Freedonia on Tuesday.")
# The same agency story as OFFER, republished by another outlet with a new first word.
COPY = ("n3", "Offer made", "Earlier, " + OFFER[2][0].lower() + OFFER[2][1:])
MEETING = ("n4", "Genovia and Sylvania meet", "Genovia met Sylvania about quotas.")
FAKE_OPTIONS = ExtractOptions(extractor=FAKE)


def test_new_items_are_told_once_copies_not_at_all_and_a_dead_source_is_survived() -> None:
    register_fake()
    routes = {"/feed.xml": ("application/rss+xml", rss("Harbour News", [OFFER]))}
    problems = []
    with serving(routes) as site, Store(":memory:") as store, \
            Watcher(store, [site.url("/feed.xml"), site.url("/down.xml")], FAKE_OPTIONS,
                    limits=FetchLimits(timeout=2), on_problem=problems.append) as watcher:
        first = watcher.poll()
        assert [(a.event.actor, a.event.type) for a in first.alerts] == [("FRE", "offer")]
        assert first.alerts[0].source == "Harbour News" and first.problems == 1  # /down.xml: a 404
        assert watcher.poll().alerts == ()  # nothing new
        site.routes["/feed.xml"] = ("application/rss+xml", rss("Harbour News", [OFFER, REJECTION, COPY, MEETING]))
        third = watcher.poll()
        assert sorted((a.event.actor, a.event.type) for a in third.alerts) == [("SYL", "reject")]  # a meeting is no move
        assert third.copies == 1 and third.added == 3  # the copy is stored, as a source of n1
        del site.routes["/feed.xml"]
        down = watcher.poll()
        assert down.alerts == () and down.problems == 2
    assert all(str(p).startswith("http://127.0.0.1") for p in problems)


def test_a_changed_page_tells_only_its_new_moves() -> None:
    register_fake()
    routes = {"/talks.html": ("text/html", page("Talks", OFFER[2]))}
    with serving(routes) as site, Store(":memory:") as store, \
            Watcher(store, [site.url("/talks.html")], FAKE_OPTIONS) as watcher:
        assert [a.event.type for a in watcher.poll().alerts] == ["offer"]
        site.routes["/talks.html"] = ("text/html", page("Talks", OFFER[2], REJECTION[2]))
        second = watcher.poll()
    assert second.updated == 1 and [a.event.type for a in second.alerts] == ["reject"]


def test_follow_links_reads_the_page_a_new_entry_links_to() -> None:
    register_fake()
    with serving({}) as site:
        entry = f"<item><guid>p1</guid><title>Short</title><link>{site.url('/full.html')}</link>" \
                "<description>Talks went on.</description></item>"
        site.routes["/feed.xml"] = ("application/rss+xml",
                                    f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{entry}'
                                    "</channel></rss>".encode())
        site.routes["/full.html"] = ("text/html", page("Full story", REJECTION[2]))
        with Store(":memory:") as store, Watcher(store, [site.url("/feed.xml")], FAKE_OPTIONS,
                                                  follow_links=True) as watcher:
            alerts = watcher.poll().alerts
            assert [a.event.type for a in alerts] == ["reject"] and alerts[0].event.article == "p1"
            watcher.poll()
        assert site.hits["/full.html"] == 1  # a stored entry's page is not fetched again


def test_the_command_polls_and_writes_json_lines(tmp_path: Path) -> None:
    register_fake()
    feeds = iter([rss("Harbour News", [OFFER]), rss("Harbour News", [OFFER, REJECTION])])
    last: list[bytes] = []

    def feed() -> tuple[int, dict[str, str], bytes]:
        last[:] = [next(feeds, last[0] if last else b"")]
        return 200, {"Content-Type": "application/rss+xml"}, last[0]

    with serving({"/feed.xml": feed}) as site:
        done = CliRunner().invoke(main, ["watch", site.url("/feed.xml"), "--db", str(tmp_path / "w.db"),
                                         "--every", "0.05s", "--polls", "2", "--format", "jsonl",
                                         "--jobs", "1", "--extractor", FAKE])
    assert done.exit_code == 0, done.output
    moves = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(m["actor"], m["type"]) for m in moves] == [("FRE", "offer"), ("SYL", "reject")]
    assert moves[1]["source"] == "Harbour News" and moves[1]["seen"]
    assert "poll 2: 1 new" in done.stderr


def test_every_takes_units() -> None:
    assert parse_every("15m") == 900 and parse_every("90s") == 90 and parse_every("2h") == 7200
    assert parse_every("30") == 30
    for bad in ("soon", "-5m", "0"):
        with pytest.raises(ValueError):
            parse_every(bad)
    done = CliRunner().invoke(main, ["watch", "x.rss", "--every", "soon"])
    assert done.exit_code == 2 and "90s, 15m" in done.output


WATCH_SCRIPT = """
import sys
import time
sys.path.insert(0, {tests!r})
sys.path.insert(0, {corpus_tests!r})
from test_store import register_fake
register_fake()
from parley.cli import main
main()
"""


def _ctrl_c_as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    script = tmp_path / "run.py"
    tests = Path(__file__).resolve().parents[1]
    script.write_text(WATCH_SCRIPT.format(tests=str(tests), corpus_tests=str(tests / "corpus")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    with serving({"/feed.xml": ("application/rss+xml", rss("Harbour News", [OFFER, REJECTION]))}) as site:
        process = subprocess.Popen([sys.executable, str(script), "watch", site.url("/feed.xml"), "--db", str(db),
                                    "--every", "1h", "--jobs", "1", "--extractor", FAKE],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   # As from a terminal: a test run started in the background (`pytest &`)
                                   # ignores SIGINT, and a child would inherit that and never see Ctrl-C.
                                   preexec_fn=_ctrl_c_as_from_a_terminal)
        try:
            # Interrupted while it waits for the next poll: once the first one has told its moves.
            first = [process.stderr.readline()]  # type: ignore[union-attr]
            while first[-1] and "poll 1:" not in first[-1]:
                first.append(process.stderr.readline())  # type: ignore[union-attr]
            time.sleep(0.2)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
            err = "".join(first) + err
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "watch stopped" in err
    assert "FRE offer" in out and "SYL reject" in out
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
