"""`parley serve`: the store in a browser, and corrections made there.

A Starlette app with Jinja2 templates (autoescaped: every article text, title
and quote is escaped) and htmx for the timeline's filters; every asset is in
the package (`web/static/`, plotly's JavaScript from the plotly package), so it
works offline. The pages' data comes from `web/pages.py`; corrections go
through `corpus/corrections.py`, as `parley correct` and the Python API do.

Security:
- it binds to 127.0.0.1 unless told otherwise (cli/serve.py warns for any other host);
- every state-changing request (POST) carries the per-run token, which only the
  app's own pages hold (a form field or the X-Parley-Token header): another site
  cannot forge a correction;
- with `require_token` (any host but loopback) every request needs the token:
  `?token=...` once sets a cookie;
- Host headers other than the bound host and loopback names are refused (DNS
  rebinding), and a Content-Security-Policy allows scripts from the app only,
  so a `<script>` that an article smuggled into the page would not run even if
  escaping failed.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import urllib.parse
from contextlib import asynccontextmanager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from parley.corpus import corrections as fix
from parley.corpus.money import format_money
from parley.corpus.store import Store, open_store
from parley.errors import ParleyError
from parley.output.report import plotly_js
from parley.records import EVENT_TYPES, STATUSES
from parley.web.pages import (TimelineFilter, ViewCache, Views, entry_quotes, event_fields,
                              evidence_marks, filter_entries, first_source, full_text, segments)

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
TOKEN_FIELD = "_token"
TOKEN_HEADER = "x-parley-token"
TOKEN_COOKIE = "parley_token"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


class _Guard:
    """Security headers on every response; with `require_token`, the token on every request."""

    def __init__(self, app: ASGIApp, token: str, require_token: bool) -> None:
        self.app, self.token, self.require_token = app, token, require_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.require_token:
            request = Request(scope)
            given = request.query_params.get("token")
            if given is not None and _same(given, self.token):
                # The token once in the address: a cookie from then on, and the address without it.
                query = urllib.parse.urlencode([(k, v) for k, v in request.query_params.multi_items()
                                                if k != "token"])
                response: Response = RedirectResponse(request.url.path + (f"?{query}" if query else ""), 303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                await self._send_with_headers(response, scope, receive, send)
                return
            if not _same(request.cookies.get(TOKEN_COOKIE, ""), self.token):
                response = PlainTextResponse("parley serve needs its token: open the address it printed "
                                             "(…/?token=…)", 401)
                await self._send_with_headers(response, scope, receive, send)
                return

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                            if k.encode() not in names]
                message = {**message, "headers": headers}
            await send(message)
        await self.app(scope, receive, send_secured)

    async def _send_with_headers(self, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        await response(scope, receive, send)


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


class ParleyApp:
    """The pages and actions over one store file."""

    def __init__(self, db: Path, token: str) -> None:
        self.db = Path(db)
        self.token = token
        self.cache = ViewCache()
        self.env = Environment(loader=PackageLoader("parley.web", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(format_money=format_money, article_url=article_url, token=token,
                                TOKEN_FIELD=TOKEN_FIELD, EVENT_TYPES=EVENT_TYPES, STATUSES=STATUSES,
                                quote=urllib.parse.quote)
        self._plotly: bytes | None = None

    # -- plumbing -------------------------------------------------------------
    @contextmanager
    def store(self) -> Iterator[Store]:
        with open_store(self.db) as store:
            yield store

    def views(self, store: Store) -> Views:
        return self.cache.get(store)

    def warm(self) -> None:
        """Compute the views, the first threads' positions and the discrepancies before a request
        needs them: seconds on a large store. Runs as the server starts, before it answers."""
        try:
            with self.store() as store:
                views = self.views(store)
                for thread in views.threads[:3]:
                    views.positions(thread.id)
                views.discrepancies(store)
        except ParleyError:
            pass  # the page asked for will say what is wrong

    def changed(self) -> None:
        """The store was corrected: its views are computed again now, in a thread, rather than by
        whichever page comes next (which waits for them, not twice). Not the positions and
        discrepancies: computed meanwhile they would slow the pages that follow (one interpreter
        lock), which seldom need them."""
        threading.Thread(target=self._refresh, name="parley-refresh", daemon=True).start()

    def _refresh(self) -> None:
        try:
            with self.store() as store:
                self.views(store)
        except ParleyError:
            pass  # the page asked for will say what is wrong

    def page(self, template: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        body = self.env.get_template(template).render(request=request, **context)
        return HTMLResponse(body, status_code=status)

    async def checked_form(self, request: Request) -> FormData:
        """The form of a state-changing request, once its token is the run's."""
        form = await request.form()
        given = request.headers.get(TOKEN_HEADER) or str(form.get(TOKEN_FIELD) or "")
        if not _same(given, self.token):
            raise HTTPException(403, "this request does not carry parley serve's token: reload the page")
        return form

    def problem(self, request: Request, err: ParleyError, status: int = 400) -> HTMLResponse:
        return self.page("problem.html", request, status=status, message=str(err))

    # -- pages ----------------------------------------------------------------
    def home(self, request: Request) -> Response:
        with self.store() as store:
            views = self.views(store)
            return self.page("threads.html", request, threads=views.threads, parties=views.parties,
                             articles=store.article_count(), events=len(views.events),
                             corrections=sum(len(c) for c in views.corrections.values())
                             + len(views.party_corrections))

    def thread(self, request: Request) -> Response:
        tid = request.path_params["tid"]
        wanted = TimelineFilter.from_params(request.query_params)
        with self.store() as store:
            views = self.views(store)
            try:
                thread = views.thread(tid)
            except ParleyError as err:
                return self.problem(request, err, 404)
            members = views.thread_entries.get(tid, [])
            search_problem = None
            try:
                shown = filter_entries(members, wanted, lambda q: full_text(store, q))
            except ParleyError as err:  # a query FTS5 cannot read: said above the empty table
                shown, search_problem = [], str(err)
        context = dict(thread=thread, entries=shown, total=len(members), wanted=wanted,
                       parties=views.parties, first_source=first_source, corrected=views.corrected_entries,
                       counts=views.source_counts,
                       search_problem=search_problem,
                       thread_parties=sorted({p for e in members for p in e.parties}))
        if request.headers.get("hx-request"):
            return self.page("timeline_rows.html", request, **context)
        return self.page("timeline.html", request, **context)

    def entry(self, request: Request) -> Response:
        tid, eid = request.path_params["tid"], request.path_params["eid"]
        with self.store() as store:
            views = self.views(store)
        entry = next((e for e in views.thread_entries.get(tid, []) if e.id == eid), None)
        if entry is None:
            return PlainTextResponse("this entry is gone: the store changed; reload the page", 404)
        return self.page("entry.html", request, entry=entry, quotes=entry_quotes(entry),
                         parties=views.parties)

    def positions(self, request: Request) -> Response:
        tid = request.path_params["tid"]
        with self.store() as store:
            views = self.views(store)
            try:
                thread = views.thread(tid)
            except ParleyError as err:
                return self.problem(request, err, 404)
            rows, gap, chart = views.positions(tid)
        return self.page("positions.html", request, thread=thread, positions=rows, gap=gap, chart=chart,
                         parties=views.parties)

    def discrepancies(self, request: Request) -> Response:
        tid = request.query_params.get("thread") or None
        with self.store() as store:
            views = self.views(store)
            found = views.discrepancies(store)
        figures = [d for d in found.figures if tid is None or d.thread == tid]
        claims = [c for c in found.claims if tid is None or c.entry.thread == tid]
        return self.page("discrepancies.html", request, figures=figures, claims=claims, thread=tid,
                         threads=views.threads)

    def people(self, request: Request) -> Response:
        with self.store() as store:
            views = self.views(store)
            people = store.people()
        return self.page("people.html", request, people=people, parties=views.parties)

    def parties(self, request: Request) -> Response:
        with self.store() as store:
            views = self.views(store)
        counts: dict[str, int] = {}
        for item in views.by_key.values():
            for code in (item.event.actor, item.event.target):
                if code:
                    counts[code] = counts.get(code, 0) + 1
        return self.page("parties.html", request, parties=views.parties, counts=counts,
                         merges=views.party_corrections)

    def article(self, request: Request) -> Response:
        article_id = request.query_params.get("id", "")
        focus = request.query_params.get("event") or None
        with self.store() as store:
            views = self.views(store)
            try:
                article = store.article(article_id)
            except ParleyError as err:
                return self.problem(request, err, 404)
        events = views.by_article.get(article.id, [])
        marks, missing = evidence_marks(article, events)
        return self.page("article.html", request, article=article, events=events,
                         segments=segments(article.text, marks, focus), missing=missing, focus=focus,
                         entry_of=views.entry_of, parties=views.parties)

    def event(self, request: Request) -> Response:
        key = request.path_params["key"]
        with self.store() as store:
            views = self.views(store)
        item = views.by_key.get(key)
        if item is None:
            return self.page("problem.html", request, status=404,
                             message=f"no event {key}: the store changed, or the id is mistyped")
        return self.page("event.html", request, item=item, fields=event_fields(item),
                         history=views.corrections.get(key, []), entry=views.entry_of.get(key),
                         parties=views.parties)

    # -- actions (POST, token checked) --------------------------------------------
    async def edit(self, request: Request) -> Response:
        key = request.path_params["key"]
        form = await self.checked_form(request)
        with self.store() as store:
            current = self.views(store).by_key.get(key)
            if current is None:
                return self.page("problem.html", request, status=404, message=f"no event {key}")
            before = event_fields(current)
            # Only the fields the form sends: a client may post just the one it changes.
            given = {name: str(form[name]).strip() for name in before if name in form}
            changed = {name: value for name, value in given.items() if value != before[name]}
            unset = [name for name in ("target", "amount", "date") if name in changed and not changed[name]]
            for name in unset:
                del changed[name]
            try:
                fix.edit_event(store, key, unset=unset, note=str(form.get("note") or "") or None,
                               current=current.event, **changed)
            except ParleyError as err:
                return self.problem(request, err)
        self.changed()
        return RedirectResponse(f"/event/{urllib.parse.quote(key)}", 303)

    async def reject(self, request: Request) -> Response:
        key = request.path_params["key"]
        form = await self.checked_form(request)
        with self.store() as store:
            current = self.views(store).by_key.get(key)
            note = str(form.get("note") or "") or None
            try:
                if form.get("restore"):
                    fix.restore_event(store, key, note, current.event if current else None)
                else:
                    fix.reject_event(store, key, note, current.event if current else None)
            except ParleyError as err:
                return self.problem(request, err)
        self.changed()
        return RedirectResponse(f"/event/{urllib.parse.quote(key)}", 303)

    async def add(self, request: Request) -> Response:
        form = await self.checked_form(request)
        article_id = str(form.get("article", ""))
        with self.store() as store:
            try:
                start, end = int(str(form.get("start", ""))), int(str(form.get("end", "")))
                made = fix.add_event(store, article_id, start, end, type=str(form.get("type", "")),
                                     actor=str(form.get("actor", "")), target=str(form.get("target", "")),
                                     amount=str(form.get("amount", "")), date=str(form.get("date", "")),
                                     status=str(form.get("status") or "asserted"),
                                     quote=str(form.get("quote")) if form.get("quote") else None,
                                     note=str(form.get("note") or "") or None)
            except ValueError:
                return self.page("problem.html", request, status=400,
                                 message="select the sentence of the missed event in the article first")
            except ParleyError as err:
                return self.problem(request, err)
        self.changed()
        return RedirectResponse(article_url(article_id, made.event), 303)

    async def party_action(self, request: Request) -> Response:
        action = request.path_params["action"]
        form = await self.checked_form(request)
        note = str(form.get("note") or "") or None
        with self.store() as store:
            try:
                if action == "merge":
                    fix.merge_parties(store, str(form.get("party", "")), str(form.get("into", "")), note)
                elif action == "unmerge":
                    fix.unmerge_party(store, str(form.get("party", "")), note)
                elif action == "split":
                    keys = str(form.get("events", "")).replace(",", " ").split()
                    fix.split_party(store, str(form.get("party", "")), str(form.get("new_party", "")), keys, note)
                else:
                    raise HTTPException(404)
            except ParleyError as err:
                return self.problem(request, err)
        self.changed()
        return RedirectResponse("/parties", 303)

    def plotly(self, request: Request) -> Response:
        if self._plotly is None:
            self._plotly = plotly_js().encode("utf-8")
        return Response(self._plotly, media_type="text/javascript",
                        headers={"cache-control": "max-age=86400"})


def article_url(article_id: str, event: str | None = None) -> str:
    query = urllib.parse.urlencode({"id": article_id, **({"event": event} if event else {})})
    return f"/article?{query}" + (f"#ev-{event}" if event else "")


def create_app(db: str | Path, *, token: str | None = None, host: str = "127.0.0.1",
               require_token: bool | None = None) -> Starlette:
    """The ASGI app over the store `db`. `token` is the per-run secret (random when None);
    `require_token` (default: any host but loopback) makes every request need it."""
    token = token or secrets.token_urlsafe(24)
    app = ParleyApp(Path(db), token)
    static = Path(str(resources.files("parley.web") / "static"))
    routes = [
        Route("/", app.home),
        Route("/thread/{tid}", app.thread),
        Route("/thread/{tid}/entry/{eid}", app.entry),
        Route("/thread/{tid}/positions", app.positions),
        Route("/discrepancies", app.discrepancies),
        Route("/people", app.people),
        Route("/parties", app.parties),
        Route("/parties/{action}", app.party_action, methods=["POST"]),
        Route("/article", app.article),
        Route("/article/add", app.add, methods=["POST"]),
        Route("/event/{key}", app.event),
        Route("/event/{key}/edit", app.edit, methods=["POST"]),
        Route("/event/{key}/reject", app.reject, methods=["POST"]),
        Route("/assets/plotly.min.js", app.plotly),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    if require_token is None:
        require_token = not is_loopback(host)
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"]
    allowed = ["*"] if host in ("0.0.0.0", "::") else [*hosts, host]
    middleware = [Middleware(_Guard, token=token, require_token=require_token),
                  Middleware(TrustedHostMiddleware, allowed_hosts=allowed)]
    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Before the server answers (uvicorn listens once this returns): starting takes seconds
        # longer on a large store, and then no page waits for the views.
        await run_in_threadpool(app.warm)
        yield

    web = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={
        HTTPException: lambda request, exc: PlainTextResponse(str(exc.detail), exc.status_code)})
    web.state.parley = app
    web.state.token = token
    return web
