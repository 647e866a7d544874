"""A web server on 127.0.0.1 for the tests that fetch: never the internet.

    with serving({"/talks.html": ("text/html", PAGE)}) as site:
        fetch(site.url("/talks.html"))
        site.routes["/feed.xml"] = ("application/rss+xml", feed(...))  # pages can change between polls

A route is (content type, body), or a callable returning (status, headers, body) for
redirects, errors and slow answers. `site.hits` counts the requests per path.
"""
from __future__ import annotations

import contextlib
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator, Union

Answer = tuple[int, dict[str, str], bytes]
Route = Union[tuple[str, bytes], Callable[[], Answer]]


class Site:
    def __init__(self, server: ThreadingHTTPServer, routes: dict[str, Route]) -> None:
        self.server, self.routes, self.hits = server, routes, Counter[str]()

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"


@contextlib.contextmanager
def serving(routes: dict[str, Route]) -> Iterator[Site]:
    site: Site

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            site.hits[self.path] += 1
            route = site.routes.get(self.path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not here"
            elif callable(route):
                status, headers, body = route()
            else:
                status, headers, body = 200, {"Content-Type": route[0]}, route[1]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on purpose (a size cap, a timeout)

        def log_message(self, *args: object) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site = Site(server, routes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def page(title: str, *paragraphs: str) -> bytes:
    """A small news page around the tests' own sentences."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title>"
            f'<meta property="article:published_time" content="2020-03-10T08:00:00Z"></head>'
            f"<body><nav>Home | World</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>All rights reserved</footer></body></html>").encode("utf-8")


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (guid, title, text) items."""
    entries = "".join(f"<item><guid>{guid}</guid><title>{head}</title><link>http://example.invalid/{guid}</link>"
                      f"<pubDate>Tue, 10 Mar 2020 08:00:00 GMT</pubDate><description>{text}</description></item>"
                      for guid, head, text in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link>{entries}</channel></rss>").encode("utf-8")
