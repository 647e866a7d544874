"""A kill at any moment of an ingest leaves a store whose every query is consistent (no wire copy
without its story), and the next ingest completes it to what a clean run gives."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parley.output.export import records as export_records
from parley.corpus.store import Store
from test_store import FAKE, SRC, write_jsonl

SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_store import register_fake
register_fake(delay={delay})
from parley.cli import main
main()
"""
WORDS = ("harbour quota ferry levy tariff grain timber cable pension clinic runway canal orchard "
         "bridge tunnel depot market school courier brewery").split()
PARTIES = ["Freedonia", "Sylvania", "Genovia"]


def stories(count: int) -> list[dict]:
    """`count` stories, each followed by a wire copy of itself (another outlet, one word changed)."""
    rng = random.Random(11)
    out = []
    for i in range(count):
        filler = " ".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(30))
        text = (f"{PARTIES[i % 3]} offered {PARTIES[(i + 1) % 3]} ${i + 1} million a year on 2020-03-0{i % 9 + 1}. "
                f"The talks covered {filler}. {PARTIES[(i + 1) % 3]} rejected the offer.")
        out.append({"id": f"s{i:03d}", "source": "Wire", "published": "2020-03-10", "text": text})
        out.append({"id": f"s{i:03d}-copy", "source": "Daily", "published": "2020-03-11",
                    "text": text.replace("The talks covered", "Talks covered")})
    return out


def command(tmp_path: Path, db: Path, corpus: Path, keep_copies: bool, delay: float) -> list[str]:
    script = tmp_path / f"run{delay}.py"
    script.write_text(SCRIPT.format(tests=str(Path(__file__).parent), delay=delay), encoding="utf-8")
    return [sys.executable, str(script), "ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE,
            *(["--keep-copies"] if keep_copies else []), str(corpus)]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}


def stored_count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0  # no file or no schema yet


def kill_after(cmd: list[str], db: Path, stored: int) -> None:
    process = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None and stored_count(db) < stored:
            time.sleep(0.005)
        assert process.poll() is None, "ingest finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)


def consistent(db: Path) -> tuple[list, list]:
    """Checks every query a user can make is consistent; returns what the store says."""
    with Store(db) as store:
        assert store.integrity_ok()
        orphans = store.db.execute("SELECT count(*) FROM articles c WHERE c.copy_of IS NOT NULL AND NOT EXISTS"
                                   " (SELECT 1 FROM articles s WHERE s.id = c.copy_of)").fetchone()[0]
        assert orphans == 0, "a wire copy whose story is not stored"
        articles = sorted(tuple(r) for r in store.db.execute("SELECT id, content_hash, copy_of FROM articles"))
        events = store.event_count()
        stories = sum(1 for a in articles if a[2] is None)
        exported = export_records(store, "events")
        # Every stored story has its two events and every copy lists them: the export agrees.
        assert events == 2 * stories
        assert len(exported) == 2 * len(articles)
        rows = sorted(json.dumps({k: v for k, v in r.items() if k not in ("event_id", "entry")}, sort_keys=True,
                                 default=str) for r in exported)
    return articles, rows


@pytest.mark.parametrize("keep_copies", [False, True], ids=["wire copies", "--keep-copies"])
@pytest.mark.parametrize("stored", [1, 7, 45])
def test_a_kill_at_any_point_leaves_a_consistent_store_the_next_run_completes(
        tmp_path: Path, keep_copies: bool, stored: int) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", stories(40))
    db = tmp_path / "killed.db"
    kill_after(command(tmp_path, db, corpus, keep_copies, delay=0.01), db, stored)
    partial, _ = consistent(db)
    assert stored <= len(partial) < 80
    done = subprocess.run(command(tmp_path, db, corpus, keep_copies, delay=0), env=env(), capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    clean = tmp_path / "clean.db"
    done = subprocess.run(command(tmp_path, clean, corpus, keep_copies, delay=0), env=env(), capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert consistent(db) == consistent(clean)
    articles, _ = consistent(clean)
    assert len(articles) == 80
    assert sum(1 for a in articles if a[2] is not None) == (0 if keep_copies else 40)
