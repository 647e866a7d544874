"""`parley serve` in a real browser: Debian's headless Chromium driven by Playwright
(pointed at /usr/bin/chromium; no browser download). Skips with the reason when
Chromium or Playwright is missing (`make browser` installs Chromium as root).

The server runs in a thread of this process (uvicorn) on a free loopback port."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.corpus.ingest import ingest
from parley.corpus.store import Store
from parley.results import ExtractOptions
from parley.web.app import create_app
from test_store import FAKE, register_fake, write_jsonl

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install -e '.[dev]')")
uvicorn = pytest.importorskip("uvicorn")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian: apt-get install chromium; "
                                                         "`make browser`)")
TOKEN = "browser-test-token-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture()
def seed_copy(seed_db: Path, tmp_path: Path) -> Path:
    """The seed corpus's store (real extractor), copied: the tests correct it."""
    path = tmp_path / "seed.db"
    shutil.copy(seed_db, path)
    return path


def test_the_seed_thread_an_entry_its_sentence_and_a_correction_that_outlives_ingest(
        browser, seed_copy: Path, shared: Path) -> None:  # type: ignore[no-untyped-def]
    for url in _serve(seed_copy):
        page = browser.new_page()
        page.goto(url + "/")
        # The seed negotiation (the US-South Korea cost-sharing talks) is listed, and its timeline.
        page.click("a[href='/thread/kor-usa']")
        entries = page.locator("tr.entry")
        assert entries.count() >= 5
        # One click from an entry to its sentence, highlighted and in view.
        first = entries.first.locator("a.entry-link")
        key = first.get_attribute("href").split("#ev-")[1]
        first.click()
        page.wait_for_load_state()
        focus = page.locator("mark.evidence.focus").first
        assert focus.is_visible()
        box, height = focus.bounding_box(), page.viewport_size["height"]
        assert box is not None and -1 <= box["y"] < height  # scrolled to the top, up to subpixel rounding
        assert page.locator(f"li.event.focus[data-event='{key}']").count() == 1
        # A correction made in the page...
        page.click(f"li.event.focus a[href='/event/{key}']")
        page.select_option("#edit-event select[name=status]", "denied")
        page.fill("#edit-event input[name=note]", "the ministry denied it")
        page.click("#edit-event button")
        page.wait_for_load_state()
        assert "corrected" in page.inner_text("h1")
        assert "denied" in page.inner_text("#history")
        # ...is still there after `parley ingest` of the same articles again, and after they are
        # extracted again by another extractor.
        for extra in ([], ["--extractor", "rules.v1"]):
            done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(seed_copy), *extra,
                                             str(shared / "corpus" / "sma-2020")])
            assert done.exit_code == 0, done.output
            page.goto(f"{url}/event/{key}")
            assert "corrected" in page.inner_text("h1")
            assert page.locator("#edit-event select[name=status]").input_value() == "denied"
        page.close()


@pytest.fixture()
def hostile_db(tmp_path: Path) -> Path:
    register_fake()
    text = ("Freedonia offered Sylvania $7 million on 2020-03-16. "
            "<script>window.parleyOwned = 1; alert('script ran')</script> "
            "<img src=x onerror=\"window.parleyOwned = 2\"> Sylvania rejected the offer. "
            "Genovia met Sylvania on 2020-03-17 about fishing quotas.")
    path = tmp_path / "h.db"
    with Store(path) as store:
        ingest(store, [write_jsonl(tmp_path / "h.jsonl", [
            {"id": "hostile", "published": "2020-03-18", "title": "<script>alert('title')</script>Talks",
             "text": text}])], ExtractOptions(extractor=FAKE, jobs=1))
    return path


def test_a_script_in_an_article_stays_inert(browser, hostile_db: Path) -> None:  # type: ignore[no-untyped-def]
    for url in _serve(hostile_db):
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("/", "/thread/fre-syl", "/article?id=hostile", "/people", "/parties"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.parleyOwned === undefined"), path
        assert dialogs == []
        page.goto(url + "/article?id=hostile")
        text = page.inner_text("#article-text")
        assert "<script>window.parleyOwned = 1;" in text and "<img src=x" in text  # shown as text
        assert page.locator("#article-text script, #article-text img").count() == 0
        page.close()


def test_selecting_a_sentence_adds_the_missed_event(browser, hostile_db: Path) -> None:  # type: ignore[no-untyped-def]
    for url in _serve(hostile_db):
        page = browser.new_page()
        page.goto(url + "/article?id=hostile")
        sentence = "Genovia met Sylvania on 2020-03-17 about fishing quotas."
        # Select the sentence as a reader would, inside whatever marks split the text.
        page.evaluate("""(sentence) => {
            const box = document.getElementById('article-text');
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(sentence);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + sentence.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error('sentence not found');
        }""", sentence)
        page.wait_for_function("document.getElementById('sel-quote').value.length > 0")
        assert page.input_value("#sel-quote") == sentence
        page.select_option("#add-event select[name=type]", "agree")
        page.fill("#add-event input[name=actor]", "GEN")
        page.fill("#add-event input[name=target]", "SYL")
        page.click("#add-button")
        page.wait_for_load_state()
        added = page.locator("li.event", has_text="added")
        assert added.count() == 1 and "agree" in added.inner_text()
        assert page.locator("mark.evidence.focus").first.inner_text() in sentence
        page.close()
