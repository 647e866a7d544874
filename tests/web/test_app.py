"""The web app in-process (Starlette's TestClient): pages, escaping, the token, corrections.

The store holds the store tests' invented articles and one hostile article of ours whose
title and text carry markup."""
from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from parley.corpus.ingest import ingest
from parley.corpus.store import Store
from parley.results import ExtractOptions
from parley.web.app import SECURITY_HEADERS, create_app
from test_store import FAKE, STORY, register_fake, write_jsonl

TOKEN = "a-token-for-the-tests-only"
HOSTILE = {"id": "hostile", "published": "2020-03-16", "title": "<script>alert('title')</script> Talks",
           "text": "Freedonia offered Sylvania <img src=x onerror=alert(1)> $7 million on 2020-03-16. "
                   "<script>document.title='owned'</script> Sylvania rejected the offer."}


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    register_fake()
    path = tmp_path / "p.db"
    with Store(path) as store:
        ingest(store, [write_jsonl(tmp_path / "story.jsonl", [*STORY, HOSTILE])],
               ExtractOptions(extractor=FAKE, jobs=1))
    return path


@pytest.fixture()
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, token=TOKEN), base_url="http://127.0.0.1")


def _links(page: str, pattern: str) -> list[str]:
    return [html.unescape(x) for x in re.findall(pattern, page)]


def test_every_page_answers_with_the_security_headers(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    threads = _links(home.text, r'href="/thread/([^"/?]+)"')
    assert "fre-syl" in threads and "gen-syl" in threads
    pages = ["/", "/people", "/parties", "/discrepancies", "/discrepancies?thread=fre-syl",
             *(f"/thread/{t}" for t in threads), *(f"/thread/{t}/positions" for t in threads),
             "/article?id=a1", "/static/htmx.min.js", "/static/parley.js", "/assets/plotly.min.js"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]
    assert "script-src 'self'" in SECURITY_HEADERS["content-security-policy"]


def test_no_page_refers_to_anything_outside_the_app(client: TestClient) -> None:
    for url in ("/", "/thread/fre-syl", "/thread/fre-syl/positions", "/article?id=a1"):
        page = client.get(url).text
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page), url


def test_article_text_and_titles_are_escaped_everywhere(client: TestClient) -> None:
    pages = [client.get("/article?id=hostile").text, client.get("/thread/fre-syl").text]
    key = _links(pages[0], r'href="/event/(e[0-9a-f-]+)"')[0]
    pages.append(client.get(f"/event/{key}").text)
    entry = re.search(r'hx-get="(/thread/fre-syl/entry/T\d+)"', pages[1])
    pages += [client.get(entry.group(1)).text, client.get("/thread/fre-syl/positions").text]
    for page in pages:
        assert "<script>alert" not in page and "<script>document" not in page
        assert "<img src=x" not in page
    assert "&lt;script&gt;document." in pages[0] and "&lt;img src=x onerror" in pages[0]


def test_the_timeline_filters_by_party_type_status_date_and_words(client: TestClient) -> None:
    def rows(query: str) -> int:
        page = client.get(f"/thread/fre-syl?{query}", headers={"HX-Request": "true"}).text
        assert "<nav" not in page  # htmx asks for the rows only
        return page.count('<tr class="entry"')
    everything = rows("")
    assert everything >= 3
    assert 0 < rows("type=reject") < everything
    assert 0 < rows("q=rejected") < everything  # the entries of the articles that say it
    assert rows('q="fishing quotas"') == 0  # words of another negotiation's article
    assert rows("status=reported") >= 1 and rows("status=denied") == 0
    assert rows("party=GEN") == 0 < rows("party=SYL")
    assert rows("from=2030-01-01") == 0
    assert rows("q=nothingmatcheshere") == 0
    assert "cannot search" in client.get('/thread/fre-syl?q="unbalanced').text


def test_a_timeline_entry_opens_the_article_with_its_sentence_highlighted(client: TestClient) -> None:
    page = client.get("/thread/gen-syl").text
    (link,) = _links(page, r'class="entry-link" href="([^"]+)"')
    article = client.get(link).text
    key = link.split("#ev-")[1]
    assert f'id="ev-{key}"' in article
    focused = re.findall(r'<mark class="evidence focus"[^>]*>([^<]*)</mark>', article)
    assert "".join(focused) == STORY[2]["text"]


def test_a_change_without_the_token_is_refused(client: TestClient, db: Path) -> None:
    key = _links(client.get("/article?id=a3").text, r'href="/event/(e[0-9a-f-]+)"')[0]
    form = {"type": "agree", "actor": "GEN", "target": "SYL", "amount": "", "date": "", "status": "asserted"}
    assert client.post(f"/event/{key}/edit", data=form).status_code == 403
    assert client.post(f"/event/{key}/edit", data={**form, "_token": "guessed"}).status_code == 403
    assert client.post(f"/event/{key}/reject", data={}).status_code == 403
    assert client.post("/parties/merge", data={"party": "GEN", "into": "SYL"}).status_code == 403
    with Store(db) as store:
        assert store.corrections() == []


def test_requests_naming_another_host_are_refused(client: TestClient) -> None:
    # A page of another site whose name points at 127.0.0.1 (DNS rebinding) names its own host.
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_a_correction_made_in_the_page_is_shown_and_kept(client: TestClient, db: Path) -> None:
    article = client.get("/article?id=a3").text
    key = _links(article, r'href="/event/(e[0-9a-f-]+)"')[0]
    form = {"_token": TOKEN, "type": "agree", "actor": "GEN", "target": "SYL",
            "amount": "2 million EUR once", "date": "2020-03-13", "status": "asserted", "note": "a deal"}
    response = client.post(f"/event/{key}/edit", data=form)
    assert response.status_code == 200 and response.url.path == f"/event/{key}"
    assert "corrected" in response.text and "meet" in response.text  # the previous type, in the history
    timeline = client.get("/thread/gen-syl").text
    assert "GEN agree" in html.unescape(timeline) and "corrected" in timeline
    with Store(db) as store:
        (correction,) = store.corrections()
    assert correction.previous["type"] == "meet" and correction.changes["type"] == "agree"


def test_reject_then_restore_from_the_page(client: TestClient) -> None:
    key = _links(client.get("/article?id=a3").text, r'href="/event/(e[0-9a-f-]+)"')[0]
    client.post(f"/event/{key}/reject", data={"_token": TOKEN})
    assert "No entry passes" in client.get("/thread/gen-syl").text or \
        client.get("/thread/gen-syl").status_code == 404
    page = client.post(f"/event/{key}/reject", data={"_token": TOKEN, "restore": "1"}).text
    assert "Reject" in page
    assert client.get("/thread/gen-syl").status_code == 200


def test_adding_a_missed_event_from_a_selection(client: TestClient) -> None:
    text = STORY[1]["text"]
    quote = text[text.index("Freedonia reportedly"):]
    start = text.index(quote)
    response = client.post("/article/add", data={
        "_token": TOKEN, "article": "a2", "start": str(start), "end": str(start + len(quote)), "quote": quote,
        "type": "demand", "actor": "FRE", "target": "SYL", "amount": "", "date": "", "status": "reported"})
    assert response.status_code == 200 and "added" in response.text
    assert quote in "".join(re.findall(r'<mark class="evidence focus"[^>]*>([^<]*)</mark>', response.text))
    bad = client.post("/article/add", data={"_token": TOKEN, "article": "a2", "start": "", "end": "",
                                            "type": "demand"})
    assert bad.status_code == 400 and "select the sentence" in bad.text


def test_merging_parties_from_the_page(client: TestClient) -> None:
    response = client.post("/parties/merge", data={"_token": TOKEN, "party": "GEN", "into": "SYL"})
    assert response.status_code == 200 and "GEN → SYL" in response.text
    home = client.get("/").text
    assert "gen-syl" not in home
    bad = client.post("/parties/merge", data={"_token": TOKEN, "party": "GEN", "into": "GEN"})
    assert bad.status_code == 400


def test_off_loopback_every_request_needs_the_token(db: Path) -> None:
    app = create_app(db, token=TOKEN, host="192.0.2.10")
    client = TestClient(app, base_url="http://192.0.2.10", follow_redirects=False)
    assert client.get("/").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    entry = client.get(f"/thread/fre-syl?token={TOKEN}&type=offer")
    assert entry.status_code == 303 and entry.headers["location"] == "/thread/fre-syl?type=offer"
    assert "httponly" in entry.headers["set-cookie"].lower()
    assert client.get("/thread/fre-syl?type=offer").status_code == 200  # the cookie now


def test_pages_follow_a_store_that_changes_under_them(client: TestClient, db: Path, tmp_path: Path) -> None:
    assert "gen-syl" in client.get("/").text
    extra = {"id": "a9", "published": "2020-04-01", "text": "Genovia demanded Freedonia $3 million."}
    with Store(db) as store:
        ingest(store, [write_jsonl(tmp_path / "more.jsonl", [extra])], ExtractOptions(extractor=FAKE, jobs=1))
    assert "fre-gen" in client.get("/").text


def test_missing_things_are_pages_not_tracebacks(client: TestClient) -> None:
    assert client.get("/thread/no-such").status_code == 404
    assert client.get("/article?id=no-such").status_code == 404
    assert client.get("/event/e000000000000").status_code == 404
    assert client.get("/thread/fre-syl/entry/T9999").status_code == 404


def test_the_views_are_computed_before_the_server_answers(db: Path) -> None:
    app = create_app(db, token=TOKEN)
    cache = app.state.parley.cache
    with Store(db) as store:
        assert not cache.fresh(store)
        with TestClient(app, base_url="http://127.0.0.1"):  # runs the start, as uvicorn does
            assert cache.fresh(store)


def test_a_correction_has_the_views_computed_again_without_waiting_for_a_page(client: TestClient, db: Path) -> None:
    key = _links(client.get("/article?id=a3").text, r'href="/event/(e[0-9a-f-]+)"')[0]
    cache = client.app.state.parley.cache  # type: ignore[attr-defined]
    response = client.post(f"/event/{key}/edit", data={"_token": TOKEN, "status": "reported"},
                           follow_redirects=False)
    assert response.status_code == 303
    with Store(db) as store:
        deadline = time.monotonic() + 60
        while not cache.fresh(store) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.fresh(store)
