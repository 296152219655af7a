"""The web server: a sign-in page, then the app in xterm.js, one app process per tab.

Without a live session there is only the sign-in page: `/`, `/static/…` and `/download/…`
answer 303 to /sign-in or 403, `/ws` 403 before any websocket or process exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import WSMsgType, web
from aiohttp.typedefs import Handler
from textual_serve.download_manager import DownloadManager

from ..queue import QuestionQueue
from .assets import PAGE_SCRIPT, STATIC, PageAssets
from .auth import CSRF_COOKIE, SESSION_COOKIE, Sessions, SignedIn, Throttle, fingerprint
from .forks import Forks
from .pages import sign_in_page, terminal_page
from .sessions import HostAppService, app_command, cells, forks_environment
from .warm import WarmApps

log = logging.getLogger("qa_queue.web")

# the websocket's close code when the tab's session has ended (page.js goes to sign-in)
SESSION_ENDED = 4001
SWEEP_SECONDS = 60.0  # how often tabs of expired sessions are looked for
HOST_MAX = 64  # characters of a typed host name worth reading
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class QaQueueServer:
    """Everything one `qa-queue serve` run knows: the database, the sessions, the processes."""

    def __init__(
        self,
        queue: QuestionQueue,
        *,
        public_url: str | None = None,
        sessions: Sessions | None = None,
        throttle: Throttle | None = None,
        tabs_per_session: int = 8,
        processes_most: int = 64,
        fork: bool = True,
    ) -> None:
        """`fork`: start apps as forks of a process that has loaded them (web/forks.py),
        falling back to a fresh `python -m qa_queue app` each when that fails."""
        self.queue = queue
        self.db_path = Path(queue.store.path)
        self.public_url = public_url.rstrip("/") if public_url else None
        self.secure = bool(public_url and public_url.startswith("https://"))
        self.sessions = Sessions() if sessions is None else sessions
        self.throttle = Throttle() if throttle is None else throttle
        self.downloads = DownloadManager()
        self.tabs_per_session = tabs_per_session
        self.processes_most = processes_most
        # the app processes running, by session id
        self.services: dict[str, set[HostAppService]] = {}
        self._sockets: dict[HostAppService, web.WebSocketResponse] = {}
        self._closing: set[asyncio.Future[Any]] = set()
        self._sweeper: asyncio.Future[None] | None = None
        self.forks: Forks | None = Forks(self.db_path, forks_environment()) if fork else None
        self.warm = WarmApps(self.forks)  # apps started with their pages (web/warm.py)
        self.assets = PageAssets()

    # -- the aiohttp application -------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers], client_max_size=64 * 1024)
        app.add_routes(
            [
                web.get("/sign-in", self.sign_in_form),
                web.post("/sign-in", self.sign_in),
                web.post("/sign-out", self.sign_out),
                web.get("/", self.index),
                web.get("/ws", self.websocket),
                web.get("/download/{key}", self.download),
                web.get("/static/{path:.+}", self.static),
                web.get("/page.js", self.page_script),
                web.get("/favicon.ico", self.no_icon),
            ]
        )
        app.on_startup.append(self._start_forks)
        app.on_startup.append(self._start_sweeping)
        app.on_shutdown.append(self._stop_all)
        return app

    async def _start_sweeping(self, _app: web.Application) -> None:
        self._sweeper = asyncio.ensure_future(self._sweep())

    async def _sweep(self) -> None:
        """An expired session's tabs close when it expires, not only when they next send."""
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            self.end_expired()

    def end_expired(self) -> None:
        """Close the tabs of every session that has expired (their apps save drafts as they go)."""
        for session_id, services in list(self.services.items()):
            if services and self.sessions.find_live(session_id) is None:
                self._close_tabs(services)

    async def _start_forks(self, _app: web.Application) -> None:
        if self.forks is None:
            return
        try:
            await self.forks.start()
        except (OSError, TimeoutError) as error:
            log.warning("apps will start afresh, not forked (%s)", error)
            await self.forks.stop()
            self.forks = None

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"  # no-referrer makes Origin null
        if "Cache-Control" not in response.headers:  # only static files say otherwise
            response.headers["Cache-Control"] = "no-store"
        return response

    # -- who is asking ----------------------------------------------------------------------

    def session_of(self, request: web.Request) -> SignedIn | None:
        """The request's live session, if its host still has the password signed in with."""
        session = self.sessions.find(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return None
        if self._hash_print(session.host) != session.password_hash:
            self._end(session)  # the password was changed or removed, or the host removed
            return None
        return session

    def _hash_print(self, host: str) -> str | None:
        try:
            self.queue.store.refresh()  # another process may have set a password since
        except Exception as error:  # the database is damaged: nobody gets in
            log.error("cannot read the database: %s", error)
            return None
        found = self.queue.password_hash(host)
        return fingerprint(found) if found else None

    def origin_ok(self, request: web.Request) -> bool:
        """A browser's Origin, when it sends one, must be this server (the websocket and the
        forms are not for other sites' pages)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        expected = urlsplit(self.public_url).netloc if self.public_url else request.host
        return urlsplit(origin).netloc == expected

    @staticmethod
    def address(request: web.Request) -> str:
        return request.remote or "unknown"

    # -- signing in and out -----------------------------------------------------------------

    async def sign_in_form(self, request: web.Request) -> web.StreamResponse:
        if self.session_of(request) is not None:
            raise web.HTTPSeeOther("/")
        # ?ended: page.js came here as the tab's session ended (signed out in another tab)
        ended = "Signed out: this session has ended." if "ended" in request.query else ""
        return self._sign_in_response(request, note=ended)

    def _sign_in_response(
        self,
        request: web.Request,
        *,
        status: int = 200,
        host: str = "",
        error: str = "",
        note: str = "",
    ) -> web.Response:
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        page = sign_in_page(
            token=self.sessions.form_token(csrf),
            host=host,
            error=error,
            note=note,
            podcast=self._podcast(),
        )
        response = web.Response(text=page, content_type="text/html", status=status)
        response.set_cookie(
            CSRF_COOKIE, csrf, httponly=True, samesite="Strict", secure=self.secure, path="/"
        )
        return response

    def _podcast(self) -> str:
        try:
            return self.queue.podcast()
        except Exception:
            return ""

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        token, host = str(form.get("csrf", "")), str(form.get("host", ""))
        host = host.strip().lower()[:HOST_MAX]
        password = str(form.get("password", ""))
        if not self.origin_ok(request) or not self.sessions.form_token_ok(
            token, request.cookies.get(CSRF_COOKIE)
        ):
            log.warning("refused a sign-in form with no valid token from %s", self.address(request))
            error = "The form had expired: please sign in again."
            return self._sign_in_response(request, status=403, host=host, error=error)
        address = self.address(request)
        if self.throttle.locked(address, host):
            log.warning("refused a sign-in as %r from %s: too many failures", host, address)
            error = "Too many failed sign-ins: try again in a few minutes."
            return self._sign_in_response(request, status=429, host=host, error=error)
        try:
            self.queue.store.refresh()
            stored = self.queue.password_hash(host)
        except Exception as problem:
            log.error("cannot read the database: %s", problem)
            stored = None
        loop = asyncio.get_running_loop()
        from ..passwords import verify_password

        good = await loop.run_in_executor(None, verify_password, stored, password)
        if not good or stored is None:
            await asyncio.sleep(self.throttle.failed(address, host))
            error = "Wrong host or password."
            return self._sign_in_response(request, status=401, host=host, error=error)
        self.throttle.succeeded(address, host)
        _session, cookie = self.sessions.start(host, stored)
        log.info("%s signed in from %s", host, address)
        response = web.HTTPSeeOther("/")
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            httponly=True,
            samesite="Strict",
            secure=self.secure,
            max_age=self.sessions.seconds,
            path="/",
        )
        raise response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        session = self.session_of(request)
        form = await request.post()
        if session is not None:
            token = str(form.get("csrf", ""))
            if not self.origin_ok(request) or not hmac.compare_digest(token, session.csrf):
                raise web.HTTPForbidden(text="not signed out: the form had no valid token")
            self._end(session)
            log.info("%s signed out", session.host)
        response = web.HTTPSeeOther("/sign-in")
        response.del_cookie(SESSION_COOKIE, path="/")
        raise response

    def _end(self, session: SignedIn) -> None:
        """Forget the session and close its tabs (each app saves its drafts as it quits); each
        tab's page then goes to the sign-in page (page.js, told by the close code)."""
        self.sessions.end(session)
        self.warm.drop(session.id)
        self._close_tabs(self.services.get(session.id, set()))

    def _close_tabs(self, services: set[HostAppService]) -> None:
        for service in services:
            socket = self._sockets.get(service)
            if socket is not None:
                task = asyncio.ensure_future(_session_ended(socket))
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)

    # -- the app --------------------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.StreamResponse:
        session = self.session_of(request)
        if session is None:
            raise web.HTTPSeeOther("/sign-in")
        page = terminal_page(
            host_name=self.queue.host_name(session.host),
            websocket_url=self._websocket_url(request),
            csrf=session.csrf,
            version=self.assets.version,
        )
        if len(self.running()) + len(self.warm) < self.processes_most:
            self.warm.start(session.id, session.host)  # drawn while the page loads
        return web.Response(text=page, content_type="text/html")

    def _websocket_url(self, request: web.Request) -> str:
        base = self.public_url or f"{request.scheme}://{request.host}"
        scheme, rest = base.split(":", 1)
        return ("wss:" if scheme == "https" else "ws:") + rest + "/ws"

    def running(self) -> list[HostAppService]:
        return [s for services in self.services.values() for s in services]

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        session = self.session_of(request)
        if session is None or not self.origin_ok(request):
            raise web.HTTPForbidden(text="sign in first")
        if len(self.services.get(session.id, ())) >= self.tabs_per_session:
            raise web.HTTPTooManyRequests(text="too many tabs open in this session")
        if len(self.running()) >= self.processes_most:
            raise web.HTTPServiceUnavailable(text="the server runs as many apps as it may")
        width = _number(request.query.get("width"), 80)
        height = _number(request.query.get("height"), 24)
        size = cells(width, height)
        warm = await self.warm.take(session.id, size)
        self.warm.seen(session.id, size)
        socket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        try:
            await socket.prepare(request)
        except ConnectionResetError:
            if warm is not None:
                warm.kill()
            return socket  # the tab closed while it was opening: no app for it
        service = HostAppService(
            app_command(self.db_path),
            host=session.host,
            session_id=session.id,
            write_bytes=partial(_send, socket),
            write_str=partial(_send, socket),
            close=partial(_close, socket),
            download_manager=self.downloads,
            forks=self.forks,
            warm=warm,
        )
        self.services.setdefault(session.id, set()).add(service)
        self._sockets[service] = socket
        try:
            await service.start(width, height)
            log.info("started an app for %s (pid %s)", session.host, service.pid)
            await self._relay(socket, service, session)
        except Exception as error:
            log.exception("the app for %s failed: %s", session.host, error)
        finally:
            # the tab has gone; aiohttp may cancel this handler as its connection closes, so
            # the app is stopped (its drafts saved) by a task of its own that runs to its end
            ending = asyncio.ensure_future(self._ended(service, session, socket))
            self._closing.add(ending)
            ending.add_done_callback(self._closing.discard)
            await asyncio.shield(ending)
        return socket

    async def _ended(
        self, service: HostAppService, session: SignedIn, socket: web.WebSocketResponse
    ) -> None:
        try:
            await service.stop()
        finally:
            self._sockets.pop(service, None)
            tabs = self.services.get(session.id, set())
            tabs.discard(service)
            if not tabs:
                self.services.pop(session.id, None)
            log.info("the app for %s ended (pid %s)", session.host, service.pid)
        if not socket.closed:
            with contextlib.suppress(Exception):
                await socket.close()

    async def _relay(
        self, socket: web.WebSocketResponse, service: HostAppService, session: SignedIn
    ) -> None:
        """What the page sends, to the app: keys, its size, focus; pings answered here."""
        async for message in socket:
            if self.sessions.find_live(session.id) is None:
                await _session_ended(socket)  # expired, or ended elsewhere: the tab closes
                break
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = _number(data.get("width"), 80), _number(data.get("height"), 24)
                await service.set_terminal_size(width, height)
            elif kind == "ping":
                await socket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def download(self, request: web.Request) -> web.StreamResponse:
        """An export the session's own app delivers (Textual's deliver_binary)."""
        session = self.session_of(request)
        if session is None:
            raise web.HTTPForbidden(text="sign in first")
        key = request.match_info["key"]
        try:
            meta = await self.downloads.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="no such download") from None
        owner = meta.app_service
        if not isinstance(owner, HostAppService) or owner.session_id != session.id:
            raise web.HTTPNotFound(text="no such download")
        response = web.StreamResponse()
        response.headers["Content-Type"] = meta.mime_type
        name = meta.file_name.replace("\r", "").replace("\n", "")
        ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("\\", "_")
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        )
        await response.prepare(request)
        async for chunk in self.downloads.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def no_icon(self, _request: web.Request) -> web.StreamResponse:
        """No icon: an empty answer, so browsers stop asking (and logging a 404)."""
        return web.Response(status=204)

    async def static(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's client (xterm.js, its CSS and fonts), to signed-in browsers only."""
        if self.session_of(request) is None:
            raise web.HTTPForbidden(text="sign in first")
        path = (STATIC / request.match_info["path"]).resolve()
        if not path.is_relative_to(STATIC) or not path.is_file():
            raise web.HTTPNotFound()
        return self.assets.response(request, path)

    async def page_script(self, request: web.Request) -> web.StreamResponse:
        """The page's own script (web/static/page.js), to signed-in browsers, as static."""
        if self.session_of(request) is None:
            raise web.HTTPForbidden(text="sign in first")
        return self.assets.response(request, PAGE_SCRIPT)

    async def _stop_all(self, _app: web.Application) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        self.warm.drop_all()
        for socket in list(self._sockets.values()):
            await socket.close()
        await asyncio.gather(*(s.stop() for s in self.running()), return_exceptions=True)
        await asyncio.gather(*self._closing, return_exceptions=True)
        if self.forks is not None:
            await self.forks.stop()


async def _send(socket: web.WebSocketResponse, data: bytes | str) -> None:
    """To the page, while it is there: once the tab has gone (its socket closing) the app's
    last frames are dropped, so the app's output is read to its end and the app can quit."""
    if socket.closed or socket.close_code is not None:
        return
    with contextlib.suppress(ConnectionError, RuntimeError, TimeoutError):
        if isinstance(data, bytes):
            await asyncio.wait_for(socket.send_bytes(data), 5)
        else:
            await asyncio.wait_for(socket.send_str(data), 5)


async def _session_ended(socket: web.WebSocketResponse) -> None:
    await socket.close(code=SESSION_ENDED, message=b"the session has ended")


async def _close(socket: web.WebSocketResponse) -> None:
    await socket.close()


def _number(value: object, default: int) -> int:
    try:
        return max(1, min(int(str(value)), 1000))
    except ValueError:
        return default
