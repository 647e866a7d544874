"""Time of every page of `parley serve` on a store of 5,000 articles, against 300 ms.

The store is the store benchmark's corpus (bench_store.py: the seed articles repeated
under new ids, N=1000 -> 5,000 articles, the repeats kept as wire copies of the seed
stories). `parley serve` runs as its own process on a free loopback port; each page is
fetched over HTTP: once cold (the first request after the server started, or after a
correction, computes the timeline, threads and positions of the whole store), then
--repeat times warm. A static file of the same server is fetched the same way as the
reference: the ratio page / static says what the page itself costs.

    python benchmarks/bench_serve.py [--seed ../shared/corpus/sma-2020] [-n 1000] [--db KEEP.db] [--repeat 20]
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from bench_store import build_corpus  # noqa: E402 - the benchmarks folder is on the path

TARGET_MS = 300.0
TOKEN = "bench-serve-token-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> tuple[float, str]:
    """(milliseconds, body) of one request."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    started = time.perf_counter()
    request = urllib.request.Request(url, data=body, headers=headers or {})
    with urllib.request.urlopen(request, timeout=600) as response:
        text = response.read().decode("utf-8", "replace")
    return (time.perf_counter() - started) * 1000, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=REPO.parent / "shared" / "corpus" / "sma-2020")
    parser.add_argument("-n", "--copies", type=int, default=1000, help="repeats of the seed (1000: 5,000 articles)")
    parser.add_argument("--db", type=Path, default=None, help="keep (or reuse) the store here")
    parser.add_argument("--repeat", type=int, default=20, help="warm requests per page")
    options = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-serve-"))
    db = options.db or tmp / "serve.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    if not db.exists():
        corpus = tmp / "corpus.jsonl"
        count = build_corpus(options.seed, options.copies, corpus)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "parley", "ingest", "--jobs", "1", "--db", str(db), str(corpus)],
                       env=env, check=True, stderr=subprocess.DEVNULL)
        print(f"store: {count} articles ingested in {time.perf_counter() - started:.0f} s ({db})")
    port = _free_port()
    launched = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "parley", "serve", "--db", str(db), "--port", str(port),
                               "--token", TOKEN], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/static/parley.css")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("parley serve did not start")
                time.sleep(0.2)
        listening = time.perf_counter() - launched
        run(base, options.repeat, listening, launched)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(base: str, repeat: int, listening: float, launched: float) -> None:
    # The server computes the views before it answers: the start takes longer, the first page should not.
    cold_home, home = fetch(base + "/")
    first_page = time.perf_counter() - launched
    counts = re.search(r"(\d+) articles, (\d+) per-article events, (\d+) threads", home)
    print(f"store as served: {counts.group(1)} articles, {counts.group(2)} per-article events, "
          f"{counts.group(3)} threads" if counts else "store: ?")
    thread = re.findall(r'href="/thread/([^"/?]+)"', home)[0]
    _, timeline = fetch(f"{base}/thread/{thread}")
    entry = re.findall(r'hx-get="(/thread/[^"]+/entry/T\d+)"', timeline)[0]
    article_link = re.findall(r'class="entry-link" href="([^"]+)"', timeline)[0].replace("&amp;", "&")
    _, article = fetch(base + article_link.split("#")[0])
    key = re.findall(r'href="/event/(e[0-9a-f-]+)"', article)[0]
    pages = {
        "threads (/)": "/",
        "timeline": f"/thread/{thread}",
        "timeline ?type=offer": f"/thread/{thread}?type=offer",
        "timeline ?q= (full text)": f"/thread/{thread}?q=" + urllib.parse.quote('"cost sharing"'),
        "timeline ?party=USA": f"/thread/{thread}?party=USA",
        "timeline rows (htmx filter)": f"/thread/{thread}?type=demand&htmx",
        "entry sources": entry,
        "positions + chart": f"/thread/{thread}/positions",
        "discrepancies": "/discrepancies",
        "people": "/people",
        "parties": "/parties",
        "article (highlighted)": article_link.split("#")[0],
        "event (correct form)": f"/event/{key}",
        "static parley.css (reference)": "/static/parley.css",
    }
    results: dict[str, tuple[float, float, float]] = {}
    firsts: dict[str, float] = {}
    for name, path in pages.items():
        # What htmx sends when a filter changes: the rows only.
        headers = {"HX-Request": "true"} if path.endswith("&htmx") else None
        firsts[name] = fetch(base + path, headers=headers)[0]
        times = [fetch(base + path, headers=headers)[0] for _ in range(repeat)]
        results[name] = (statistics.median(times), max(times), statistics.quantiles(times, n=20)[-1])
    reference = results["static parley.css (reference)"][0]
    results["first page after start (/)"] = (cold_home, cold_home, cold_home)
    firsts["first page after start (/)"] = cold_home
    print(f"\nserver answering {listening:.1f} s after launch (the views of the whole store computed first); "
          f"first page {first_page:.1f} s after launch\n")
    print(f"{'page':<32}{'first':>9}{'median':>9}{'p95':>9}{'max':>9}  {'x static':>9}  under {TARGET_MS:.0f} ms")
    for name, (median, worst, p95) in results.items():
        ok = "yes" if p95 <= TARGET_MS else "NO"
        print(f"{name:<32}{firsts[name]:>8.1f} {median:>8.1f} {p95:>8.1f} {worst:>8.1f}  {median / reference:>8.1f}x  {ok}")
    # A correction, and the first page after it: the views are computed again.
    _, event_page = fetch(f"{base}/event/{key}")
    now = re.search(r'<option selected>(asserted|reported|denied|planned)</option>', event_page)
    status = "reported" if not now or now.group(1) != "reported" else "asserted"
    post_ms, _ = fetch(f"{base}/event/{key}/edit", {"_token": TOKEN, "status": status, "note": "benchmark"})
    after_ms, _ = fetch(f"{base}/thread/{thread}")
    total = post_ms + after_ms
    print(f"\ncorrection (POST and the event page it redirects to, which waits for the views of the "
          f"corrected store): {post_ms:.0f} ms ({post_ms / reference:.0f}x static); then the timeline page: "
          f"{after_ms:.0f} ms ({after_ms / reference:.0f}x static); correction then the thread page: "
          f"{total:.0f} ms ({total / reference:.0f}x static), under {TARGET_MS:.0f} ms: "
          f"{'yes' if total <= TARGET_MS else 'NO'}")
    # Computed when first asked for after a change, not with the views.
    for name, path in (("positions", f"/thread/{thread}/positions"), ("discrepancies", "/discrepancies")):
        ms, _ = fetch(base + path)
        print(f"then the {name} page: {ms:.0f} ms ({ms / reference:.0f}x static), under {TARGET_MS:.0f} ms: "
              f"{'yes' if ms <= TARGET_MS else 'NO'}")


if __name__ == "__main__":
    main()
