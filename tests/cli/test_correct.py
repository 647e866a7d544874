"""`parley correct`, `parley export --corrections` and `parley serve`'s checks, in-process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from test_store import FAKE, STORY


@pytest.fixture()
def db(ingested: Path) -> Path:
    return ingested


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def events(db: Path) -> list[dict]:
    done = invoke("export", "--db", str(db))
    assert done.exit_code == 0, done.output
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_correct_by_id_shows_in_the_export_with_corrected(db: Path) -> None:
    meet = next(e for e in events(db) if e["type"] == "meet")
    assert meet["corrected"] is False
    done = invoke("correct", meet["id"], "--db", str(db), "--type", "agree", "--amount", "1.3 billion USD year",
                  "--date", "2020-08-20", "--status", "planned", "--note", "a deal, not talks")
    assert done.exit_code == 0, done.output
    again = next(e for e in events(db) if e["id"] == meet["id"])
    assert again["corrected"] is True and again["type"] == "agree" and again["status"] == "planned"
    assert again["amount"]["value"] == pytest.approx(1.3e9) and again["amount"]["period"] == "year"
    assert again["date"]["start"] == "2020-08-20"
    history = invoke("correct", meet["id"], "--db", str(db), "--history")
    assert '"type": "meet"' in history.output and "a deal, not talks" in history.output


def test_correct_survives_ingesting_the_same_articles_again(db: Path, tmp_path: Path) -> None:
    offer = next(e for e in events(db) if e["type"] == "offer")
    assert invoke("correct", offer["id"], "--db", str(db), "--actor", "GEN").exit_code == 0
    again = invoke("ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE, str(tmp_path / "c.jsonl"))
    assert again.exit_code == 0
    assert next(e for e in events(db) if e["id"] == offer["id"])["actor"] == "GEN"


def test_reject_add_merge_and_split_from_the_command_line(db: Path) -> None:
    before = events(db)
    reject = next(e for e in before if e["type"] == "reject")
    assert invoke("correct", reject["id"], "--db", str(db), "--reject").exit_code == 0
    assert reject["id"] not in {e["id"] for e in events(db)}
    text = STORY[2]["text"]
    added = invoke("correct", "--db", str(db), "--add", "a3", "--span", f"0:{len(text)}", "--type", "agree",
                   "--actor", "GEN", "--target", "SYL")
    assert added.exit_code == 0, added.output
    assert any(e["type"] == "agree" and e["article"] == "a3" for e in events(db))
    assert invoke("correct", "--db", str(db), "--merge", "GEN", "SYL").exit_code == 0
    assert "GEN" not in {e["actor"] for e in events(db)}
    offer = next(e for e in events(db) if e["type"] == "offer")
    split = invoke("correct", offer["id"], "--db", str(db), "--split", "FRE", "fre-navy")
    assert split.exit_code == 0, split.output
    assert next(e for e in events(db) if e["id"] == offer["id"])["actor"] == "fre-navy"


def test_export_corrections_writes_gold_lines(db: Path, tmp_path: Path) -> None:
    offer = next(e for e in events(db) if e["type"] == "offer")
    invoke("correct", offer["id"], "--db", str(db), "--type", "demand")
    out = tmp_path / "corrections.jsonl"
    done = invoke("export", "--db", str(db), "--corrections", "-o", str(out))
    assert done.exit_code == 0 and "1 corrected or added events" in done.output
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["type"] == "demand" and line["id"] == offer["id"] and line["optional"] is False
    assert line["evidence"] == [e["text"] for e in offer["evidence"]]


def test_mistakes_are_one_line_and_exit_2_or_1(db: Path) -> None:
    unknown = invoke("correct", "e000000000000", "--db", str(db), "--type", "offer")
    assert unknown.exit_code == 1 and "no event" in unknown.output and "Traceback" not in unknown.output
    meet = next(e for e in events(db) if e["type"] == "meet")
    bad_type = invoke("correct", meet["id"], "--db", str(db), "--type", "bribe")
    assert bad_type.exit_code == 2 and "unknown type" in bad_type.output
    nothing = invoke("correct", meet["id"], "--db", str(db))
    assert nothing.exit_code == 2 and "nothing to change" in nothing.output
    bad_amount = invoke("correct", meet["id"], "--db", str(db), "--amount", "plenty")
    assert bad_amount.exit_code == 2 and "1.3 billion USD year" in bad_amount.output


def test_serve_off_loopback_needs_a_token_and_warns(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refused = invoke("serve", "--db", str(db), "--host", "0.0.0.0")
    assert refused.exit_code == 2 and "--token" in refused.output
    short = invoke("serve", "--db", str(db), "--host", "0.0.0.0", "--token", "short")
    assert short.exit_code == 2
    started: dict = {}
    import uvicorn  # the server is not started: the test records what it would be given

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: started.update(kwargs, app=app))
    done = invoke("serve", "--db", str(db), "--host", "0.0.0.0", "--token", "a-long-enough-secret", "--port", "8123")
    assert done.exit_code == 0, done.output
    assert "warning" in done.output and "?token=a-long-enough-secret" in done.output
    assert started["host"] == "0.0.0.0" and started["port"] == 8123
    started.clear()
    local = invoke("serve", "--db", str(db))
    assert local.exit_code == 0 and "warning" not in local.output
    assert started["host"] == "127.0.0.1"


def test_serve_without_a_store_says_so(tmp_path: Path) -> None:
    done = invoke("serve", "--db", str(tmp_path / "none.db"))
    assert done.exit_code == 1 and "parley ingest" in done.output
