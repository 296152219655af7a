"""Every way into the server, over HTTP and websockets: nothing without a session (no page
with queue data, no websocket, no app process, no download, no static file), wrong
passwords, forged, expired and signed-out cookies, CSRF and Origin checks."""

from __future__ import annotations

import asyncio
import gzip
import logging
import os
import re
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar, WSMsgType, WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from qa_queue.web.assets import TEXTUAL_JS, WEBGL_ADDON, without_webgl
from qa_queue.web.auth import CSRF_COOKIE, SESSION_COOKIE, Sessions, Throttle
from qa_queue.web.server import SESSION_ENDED, QaQueueServer
from tests.tui.pilot import question
from tests.web.serving import PASSWORDS, TITLES, fast_throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def fork() -> bool:
    return True


@pytest.fixture
async def served(show_db, clock, fork):
    store = Store(show_db)
    server = QaQueueServer(
        QuestionQueue(store), sessions=Sessions(clock=clock), throttle=fast_throttle(), fork=fork
    )
    client = TestClient(TestServer(server.make_app()), cookie_jar=CookieJar(unsafe=True))
    await client.start_server()
    client.qa = server  # type: ignore[attr-defined]
    yield client
    await client.close()
    store.close()


async def form_token(client) -> str:
    page = await (await client.get("/sign-in")).text()
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


async def sign_in(client, host="austin", password=None, **extra):
    token = await form_token(client)
    data = {"csrf": token, "host": host, "password": password or PASSWORDS[host], **extra}
    return await client.post("/sign-in", data=data, allow_redirects=False)


async def until(condition, timeout: float = 20) -> None:
    """Wait for a condition of the server's state (no fixed sleeps)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def no_queue_data(text: str) -> None:
    for title in TITLES:
        assert title not in text


async def test_without_a_session_there_is_only_the_sign_in_page(served):
    response = await served.get("/", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/sign-in"
    page = await served.get("/sign-in")
    text = await page.text()
    assert page.status == 200 and "<title>Sign in · qa-queue</title>" in text
    no_queue_data(text)
    assert "textual.js" not in text
    for path in ("/static/js/textual.js", "/static/css/xterm.css", "/download/abc"):
        refused = await served.get(path, allow_redirects=False)
        assert refused.status == 403, path
        no_queue_data(await refused.text())
    missing = await served.get("/static/../../etc/passwd", allow_redirects=False)
    assert missing.status in (403, 404)
    icon = await served.get("/favicon.ico", allow_redirects=False)
    assert icon.status == 204 and await icon.read() == b""  # no 404 in the browser's console


async def test_no_websocket_and_no_app_process_without_a_session(served):
    with pytest.raises(WSServerHandshakeError) as refused:
        await served.ws_connect("/ws")
    assert "403" in str(refused.value)
    assert served.qa.running() == []
    # a cookie of the right name with nothing signed in it
    served.session.cookie_jar.update_cookies(
        {SESSION_COOKIE: "austin"}, response_url=served.make_url("/")
    )
    with pytest.raises(WSServerHandshakeError):
        await served.ws_connect("/ws")
    assert served.qa.running() == []


async def test_the_right_password_starts_a_session_with_a_careful_cookie(served):
    response = await sign_in(served)
    assert response.status == 303 and response.headers["Location"] == "/"
    cookie = next(c for c in response.headers.getall("Set-Cookie") if SESSION_COOKIE in c)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    page = await served.get("/")
    text = await page.text()
    assert page.status == 200 and "<title>qa-queue</title>" in text
    assert "signed in as Austin" in text and "textual.js" in text
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    static = await served.get("/static/js/textual.js")
    assert static.status == 200


async def test_wrong_passwords_are_refused_slowed_and_logged(served, caplog):
    caplog.set_level(logging.WARNING, "qa_queue.web")
    for password in ("not the password", PASSWORDS["jordan"], ""):
        response = await sign_in(served, "austin", password or "x")
        assert response.status == 401
        text = await response.text()
        assert "Wrong host or password." in text
        no_queue_data(text)
    unknown = await sign_in(served, "nobody", "whatever at all")
    assert unknown.status == 401
    assert "failed sign-in as 'austin' from 127.0.0.1 (3 in a row)" in caplog.text
    assert (await served.get("/", allow_redirects=False)).status == 303
    # the fifth failure locks the name out: even its password is not tried meanwhile
    for _ in range(2):
        await sign_in(served, "austin", "still not it")
    locked = await sign_in(served, "austin")
    assert locked.status == 429
    assert "Too many failed sign-ins" in await locked.text()


def test_failures_wait_longer_each_time():
    now = [0.0]
    throttle = Throttle(base=0.5, most=8, limit=10, window=900, clock=lambda: now[0])
    waits = [throttle.failed("1.2.3.4", "austin") for _ in range(6)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert not throttle.locked("1.2.3.4", "austin")
    for _ in range(4):
        throttle.failed("5.6.7.8", "austin")
    assert throttle.locked("9.9.9.9", "austin")  # the name, from anywhere
    now[0] += 901
    assert not throttle.locked("1.2.3.4", "austin")


async def test_forms_need_their_token_and_this_origin(served):
    token = await form_token(served)
    good = {"host": "austin", "password": PASSWORDS["austin"]}
    no_token = await served.post("/sign-in", data=good, allow_redirects=False)
    assert no_token.status == 403
    other_origin = await served.post(
        "/sign-in",
        data={**good, "csrf": token},
        headers={"Origin": "https://evil.example"},
        allow_redirects=False,
    )
    assert other_origin.status == 403
    # a token made for another browser's cookie
    served.session.cookie_jar.update_cookies(
        {CSRF_COOKIE: "someone else"}, response_url=served.make_url("/")
    )
    assert (
        await served.post("/sign-in", data={**good, "csrf": token}, allow_redirects=False)
    ).status == 403
    assert served.qa.sessions.find("x") is None and len(served.qa.sessions) == 0


async def test_forged_cookies_are_no_session(served, show_db):
    await sign_in(served)
    real = next(c.value for c in served.session.cookie_jar if c.key == SESSION_COOKIE)
    payload, _, signature = real.rpartition(".")
    forged_signature = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    other_key = Sessions(secret="another server's key")
    _, signed_elsewhere = other_key.start("austin", "hash")
    for forged in (forged_signature, signed_elsewhere, "austin", ""):
        jar = CookieJar(unsafe=True)
        jar.update_cookies({SESSION_COOKIE: forged}, response_url=served.make_url("/"))
        async with ClientSession(cookie_jar=jar) as browser:
            url = served.make_url("/")
            response = await browser.get(url, allow_redirects=False)
            assert response.status == 303, forged
            with pytest.raises(WSServerHandshakeError):
                await browser.ws_connect(served.make_url("/ws"))
    assert served.qa.running() == []


async def test_an_expired_session_is_over(served, clock):
    await sign_in(served)
    assert (await served.get("/", allow_redirects=False)).status == 200
    clock.now += 12 * 3600 + 1
    assert (await served.get("/", allow_redirects=False)).status == 303
    assert (await served.get("/static/css/xterm.css")).status == 403


async def test_signing_out_ends_the_session_and_needs_its_token(served):
    await sign_in(served)
    page = await (await served.get("/")).text()
    token = re.search(r'action="/sign-out"><input type="hidden" name="csrf" value="([^"]+)"', page)
    refused = await served.post("/sign-out", data={"csrf": "wrong"}, allow_redirects=False)
    assert refused.status == 403
    assert (await served.get("/", allow_redirects=False)).status == 200
    cookie = next(c.value for c in served.session.cookie_jar if c.key == SESSION_COOKIE)
    out = await served.post("/sign-out", data={"csrf": token.group(1)}, allow_redirects=False)
    assert out.status == 303 and out.headers["Location"] == "/sign-in"
    # the old cookie, kept by someone, opens nothing any more
    served.session.cookie_jar.update_cookies(
        {SESSION_COOKIE: cookie}, response_url=served.make_url("/")
    )
    assert (await served.get("/", allow_redirects=False)).status == 303


async def test_a_new_password_ends_the_sessions_of_the_old_one(served, show_db):
    await sign_in(served)
    with Store(show_db) as store:
        QuestionQueue(store).set_password("austin", "a brand new secret")
    assert (await served.get("/", allow_redirects=False)).status == 303


async def test_a_session_cookie_is_secure_behind_https(show_db):
    store = Store(show_db)
    server = QaQueueServer(
        QuestionQueue(store), public_url="https://qa.example.com", throttle=fast_throttle()
    )
    async with TestClient(TestServer(server.make_app()), cookie_jar=CookieJar(unsafe=True)) as c:
        page = await c.get("/sign-in")
        assert "Secure" in page.headers["Set-Cookie"]
        token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
        data = {"csrf": token, "host": "austin", "password": PASSWORDS["austin"]}
        csrf = page.cookies[CSRF_COOKIE].value  # a Secure cookie: the proxy's https carries it
        headers = {"Origin": "https://qa.example.com", "Cookie": f"{CSRF_COOKIE}={csrf}"}
        response = await c.post("/sign-in", data=data, headers=headers, allow_redirects=False)
        assert response.status == 303
        assert "Secure" in response.headers["Set-Cookie"]
    store.close()


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "afresh"])
async def test_the_websocket_runs_one_app_as_the_signed_in_host(served, fork):
    await sign_in(served, "jordan")
    with pytest.raises(WSServerHandshakeError):  # another site's page may not open it
        await served.ws_connect("/ws", headers={"Origin": "https://evil.example"})
    socket = await served.ws_connect("/ws?width=100&height=30")
    drawn = b""
    while b"you: jordan" not in drawn:
        message = await socket.receive(timeout=20)
        assert message.type == WSMsgType.BINARY, message
        drawn += message.data
    [service] = served.qa.running()
    assert service.host == "jordan"
    assert service.forked == fork
    proc = Path(f"/proc/{service.pid}")
    assert b"jordan" not in (proc / "cmdline").read_bytes()  # the host is in no command line
    environ = (proc / "environ").read_bytes().split(b"\0")
    assert b"TEXTUAL_DRIVER=textual.drivers.web_driver:WebDriver" in environ
    if not fork:  # a fork sets it in its environment after the exec that environ shows
        assert b"QA_QUEUE_HOST=jordan" in environ
    process = service.process
    await socket.close()
    await process.wait()
    await until(lambda: served.qa.running() == [])
    # and it is reaped: no <defunct> process stays behind (it would keep its /proc entry)
    await until(lambda: not proc.exists() or _state(proc) != "Z")
    await until(lambda: not proc.exists())


def _state(proc: Path) -> str:
    try:
        stat = (proc / "stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2 :].split()[0]


async def test_a_tab_of_a_session_signed_out_elsewhere_is_closed_as_ended(served):
    await sign_in(served)
    page = await (await served.get("/")).text()
    assert '<script src="/page.js?v=' in page  # which goes to sign-in on the close code
    assert (await served.get("/page.js")).status == 200
    token = re.search(r'action="/sign-out"><input type="hidden" name="csrf" value="([^"]+)"', page)
    socket = await served.ws_connect("/ws?width=100&height=30")
    drawn = b""
    while b"you: austin" not in drawn:
        message = await socket.receive(timeout=20)
        drawn += message.data if message.type == WSMsgType.BINARY else b""
    # signed out in another tab of the same browser (the same cookie)
    out = await served.post("/sign-out", data={"csrf": token.group(1)}, allow_redirects=False)
    assert out.status == 303
    while (message := await socket.receive(timeout=20)).type == WSMsgType.BINARY:
        pass
    assert message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED), message
    assert socket.close_code == SESSION_ENDED
    await until(lambda: served.qa.running() == [])
    signed_out = await (await served.get("/sign-in?ended")).text()
    assert "Signed out: this session has ended." in signed_out
    assert "this session has ended" not in await (await served.get("/sign-in")).text()
    assert (await served.get("/page.js")).status == 403


async def test_the_pages_scripts_are_compressed_and_kept_until_they_change(served):
    await sign_in(served)
    page = await (await served.get("/")).text()
    urls = re.findall(r'(?:src|href)="(/[^"]+\?v=[0-9a-f]+)"', page)
    assert len(urls) == 3 and any("textual.js" in url for url in urls)
    script = next(url for url in urls if "textual.js" in url)
    response = await served.get(script, headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    packed = await response.read()
    plain = await (await served.get(script, headers={"Accept-Encoding": "identity"})).read()
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 3
    # asked for without the page's version: revalidated by its ETag
    bare = await served.get("/static/js/textual.js")
    assert bare.headers["Cache-Control"] == "private, no-cache"
    again = await served.get(script, headers={"If-None-Match": bare.headers["ETag"]})
    assert again.status == 304
    assert (await served.get("/")).headers["Cache-Control"] == "no-store"  # pages: never


async def test_the_served_client_does_not_build_the_renderer_it_discards(served):
    """textual.js as served loads xterm.js's canvas renderer only (web/assets.py); the rest of
    it is textual-serve's, byte for byte."""
    await sign_in(served)
    served_script = await (await served.get("/static/js/textual.js")).read()
    original = TEXTUAL_JS.read_bytes()
    assert original.count(WEBGL_ADDON) == 1, (
        "textual-serve's textual.js changed how it loads its renderers: see web/assets.py"
    )
    assert b"loadAddon(this.webglAddon)" not in served_script
    assert b"loadAddon(this.canvasAddon)" in served_script
    assert served_script == original.replace(WEBGL_ADDON, b"")


def test_a_client_that_loads_its_renderers_otherwise_is_served_as_it_is():
    changed = b"const t=new Terminal;t.loadAddon(new WebglAddon);"
    assert without_webgl(changed) == changed
    assert without_webgl(WEBGL_ADDON * 2) == WEBGL_ADDON * 2
    assert without_webgl(b"a" + WEBGL_ADDON + b"b") == b"ab"


async def test_a_forked_app_starts_with_the_questions_added_since_the_server_started(
    served, show_db
):
    """The forking process reads the database once and catches up before each fork."""
    await sign_in(served, "jordan")
    with Store(show_db) as store:
        QuestionQueue(store, me="austin").import_questions(
            [question("Sleep after night shifts", 1)]
        )
    socket = await served.ws_connect("/ws?width=120&height=30")
    drawn = b""
    while b"Sleep after night shifts" not in drawn:
        message = await socket.receive(timeout=20)
        assert message.type == WSMsgType.BINARY, message
        drawn += message.data
    [service] = served.qa.running()
    assert service.forked
    await socket.close()
    await until(lambda: served.qa.running() == [])


async def test_a_download_is_only_for_the_session_whose_app_made_it(served):
    await sign_in(served)

    class Elsewhere:  # an app of another session
        session_id = "someone else's"

    await served.qa.downloads.create_download(
        app_service=Elsewhere(),  # type: ignore[arg-type]
        delivery_key="k1",
        file_name="notes.md",
        open_method="download",
        mime_type="text/markdown",
    )
    assert (await served.get("/download/k1")).status == 404
    assert (await served.get("/download/nothing")).status == 404


def test_served_processes_get_no_host_of_the_servers_own(monkeypatch):
    from qa_queue.web.sessions import app_environment

    monkeypatch.setenv("QA_QUEUE_HOST", "austin")
    monkeypatch.setenv("QA_QUEUE_DB", "/elsewhere.json")
    env = app_environment("jordan", 80, 24)
    assert env["QA_QUEUE_HOST"] == "jordan" and "QA_QUEUE_DB" not in env
    assert os.environ["QA_QUEUE_HOST"] == "austin"


def test_only_loopback_is_served_without_a_warning():
    from qa_queue.cli.serve import is_loopback

    assert all(is_loopback(a) for a in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_loopback(a) for a in ("0.0.0.0", "::", "192.168.1.5", "qa.example.com"))


def test_serving_beyond_loopback_without_tls_is_warned_about(show_db, tmp_path):
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "qa_queue", "--db", str(show_db), "serve"]
    server = subprocess.Popen(
        [*command, "--host", "0.0.0.0", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = []
        for line in server.stderr:
            said.append(line)
            if line.startswith("serving "):
                break
        text = "".join(said)
        assert "warning: serving on 0.0.0.0, beyond this machine, without TLS" in text
        assert "hosts who can sign in: austin, jordan" in text
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(20) == 0


async def test_a_tab_whose_session_expires_is_closed_without_waiting_for_a_key(served, clock):
    await sign_in(served)
    socket = await served.ws_connect("/ws?width=100&height=30")
    drawn = b""
    while b"you: austin" not in drawn:
        message = await socket.receive(timeout=20)
        drawn += message.data if message.type == WSMsgType.BINARY else b""
    served.qa.end_expired()  # the server's sweep, once a minute: nothing has expired yet
    assert served.qa.running() != []
    clock.now += 12 * 3600 + 1
    served.qa.end_expired()
    while (message := await socket.receive(timeout=20)).type == WSMsgType.BINARY:
        pass
    assert socket.close_code == SESSION_ENDED
    await until(lambda: served.qa.running() == [])


# -- an app started with its page ---------------------------------------------------------------


async def _drawn(socket, host: str = "austin") -> None:
    drawn = b""
    while f"you: {host}".encode() not in drawn:
        message = await socket.receive(timeout=20)
        assert message.type == WSMsgType.BINARY, message
        drawn += message.data


async def _visit(served, size: str = "width=100&height=30"):
    """The page, then its websocket drawn, then the tab closed: the server knows its size."""
    page = await (await served.get("/")).text()
    socket = await served.ws_connect(f"/ws?{size}")
    await _drawn(socket)
    [service] = served.qa.running()
    await socket.close()
    await until(lambda: served.qa.running() == [])
    return page, service


def _gone(pid: int) -> bool:
    proc = Path(f"/proc/{pid}")
    return not proc.exists() or _state(proc) == "Z"


async def test_a_page_asked_for_again_has_its_app_started_with_it(served):
    await sign_in(served)
    _, first = await _visit(served)
    assert first.warm is None  # a first visit: no size known, nothing started ahead
    await served.get("/")  # again: an app starts at the size the last websocket asked for
    [ahead] = await served.qa.warm.waiting()
    socket = await served.ws_connect("/ws?width=100&height=30")
    await _drawn(socket)  # its first screen, drawn while the page loaded
    [service] = served.qa.running()
    assert service.warm is not None and service.pid == ahead and service.host == "austin"
    assert await served.qa.warm.waiting() == []
    await socket.close()
    await until(lambda: served.qa.running() == [] and _gone(ahead))


async def test_a_page_of_another_size_ends_the_app_started_for_it(served):
    await sign_in(served)
    await _visit(served)
    await served.get("/")
    [ahead] = await served.qa.warm.waiting()
    socket = await served.ws_connect("/ws?width=140&height=40")
    await _drawn(socket)
    [service] = served.qa.running()
    assert service.warm is None and service.pid != ahead
    await until(lambda: _gone(ahead))
    await socket.close()
    await until(lambda: served.qa.running() == [])


async def test_an_app_no_page_takes_ends_and_so_does_one_of_a_session_signed_out(
    served, monkeypatch
):
    from qa_queue.web import warm

    await sign_in(served)
    page, _ = await _visit(served)
    monkeypatch.setattr(warm, "WAIT", 0.1)
    await served.get("/")
    [ahead] = await served.qa.warm.waiting()
    await until(lambda: _gone(ahead))  # no websocket came for it
    assert await served.qa.warm.waiting() == []
    monkeypatch.setattr(warm, "WAIT", 30.0)
    await served.get("/")
    [ahead] = await served.qa.warm.waiting()
    token = re.search(r'action="/sign-out"><input type="hidden" name="csrf" value="([^"]+)"', page)
    out = await served.post("/sign-out", data={"csrf": token.group(1)}, allow_redirects=False)
    assert out.status == 303
    await until(lambda: _gone(ahead))


@pytest.mark.parametrize("fork", [False], ids=["afresh"])
async def test_without_the_forking_process_nothing_is_started_ahead(served, fork):
    await sign_in(served)
    await _visit(served)
    await served.get("/")
    assert await served.qa.warm.waiting() == []
