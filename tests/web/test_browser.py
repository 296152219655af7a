"""`qa-queue serve` end to end in a real headless Chromium (Debian's), driven by Playwright.

The terminal is drawn on a canvas, so what the page shows is read from what the app sent it
(the websocket's frames, escapes removed), from screenshots (a drawn terminal has many
colours, an empty one a few), and from the server's own state (which app processes run, as
whom) and the database. Behaviour is tested in Pilot (tests/tui); this is the wiring.
Everything waits for a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from tests.tui.pilot import question
from tests.web.serving import ANSWERED, PASSWORDS, TITLES, Served, chromium

CHROMIUM = chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (apt-get install chromium, or set QA_QUEUE_CHROMIUM): "
    "the browser tests did not run",
)
ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
WAIT = 20.0  # seconds any one condition may take


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def served(show_db) -> Iterator[Served]:
    running = Served(show_db)
    yield running
    running.close()


class Tab:
    """A browser tab on the server, with the text the app has drawn in it so far."""

    def __init__(self, browser, served: Served, **context_options: object) -> None:
        self.context = browser.new_context(
            viewport={"width": 1100, "height": 700}, **context_options
        )
        self.page = self.context.new_page()
        self.served = served
        self.frames: list[bytes] = []
        self.page.on("websocket", self._watch)

    @classmethod
    def beside(cls, other: Tab) -> Tab:
        """Another tab in the same browser as `other` (its cookies: the same session)."""
        tab = cls.__new__(cls)
        tab.context, tab.served, tab.frames = other.context, other.served, []
        tab.page = other.context.new_page()
        tab.page.on("websocket", tab._watch)
        return tab

    def _watch(self, socket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes):
            self.frames.append(payload)

    def drawn(self) -> str:
        text = ESCAPES.sub(b"", b"".join(self.frames)).decode("utf-8", "replace")
        return " ".join(text.split())

    def wait_drawn(self, *texts: str) -> None:
        deadline = time.monotonic() + WAIT
        while not all(t in self.drawn() for t in texts):
            if time.monotonic() > deadline:
                missing = [t for t in texts if t not in self.drawn()]
                raise AssertionError(f"never drawn: {missing}")
            self.page.wait_for_timeout(25)  # lets Playwright deliver the frames meanwhile

    def sign_in(self, host: str, password: str | None = None) -> None:
        self.page.goto(self.served.url)
        self.page.fill("#host", host)
        self.page.fill("#password", password or PASSWORDS[host])
        self.page.click("button[type=submit]")

    def keys(self, *keys: str) -> None:
        self.page.focus(".xterm-helper-textarea")  # xterm.js reads keys from its textarea
        for key in keys:
            self.page.keyboard.press(key)

    def colours(self, path: Path) -> int:
        """Distinct colours in a screenshot of the page (saved at `path`), counted in it."""
        png = self.page.screenshot(path=str(path))
        data = "data:image/png;base64," + base64.b64encode(png).decode()
        return int(
            self.page.evaluate(
                """async (data) => {
                  const image = new Image(); image.src = data; await image.decode();
                  const canvas = new OffscreenCanvas(image.width, image.height);
                  const context = canvas.getContext("2d"); context.drawImage(image, 0, 0);
                  const pixels = context.getImageData(0, 0, image.width, image.height).data;
                  const seen = new Set();
                  for (let i = 0; i < pixels.length; i += 4 * 7)
                    seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
                  return seen.size;
                }""",
                data,
            )
        )

    def close(self) -> None:
        self.context.close()


# counts the WebGL contexts a page asks for (textual.js's WebGL renderer is not served)
WEBGL_COUNTED = """
window.webglContexts = 0;
const nativeGetContext = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (kind, ...options) {
  if (String(kind).startsWith("webgl")) window.webglContexts += 1;
  return nativeGetContext.call(this, kind, ...options);
};
"""


def test_signing_in_then_the_queue_is_drawn_as_that_host(browser, served, tmp_path):
    tab = Tab(browser, served)
    tab.page.goto(served.url)
    assert tab.page.title() == "Sign in · qa-queue"
    assert tab.page.url.endswith("/sign-in")
    tab.sign_in("austin", "a wrong password")
    assert tab.page.locator("[role=alert]").inner_text() == "Wrong host or password."
    assert served.apps() == [] and tab.frames == []
    tab.colours(tmp_path / "sign-in.png")

    tab.page.context.add_init_script(WEBGL_COUNTED)
    tab.sign_in("austin")
    tab.page.wait_for_selector("body.-first-byte", timeout=WAIT * 1000)
    assert tab.page.title() == "qa-queue"
    tab.wait_drawn("Barbell Medicine Q&A", "you: austin", TITLES[0], "Inbox")
    assert "⭘" not in tab.drawn()  # the header's icon is one the browser's fonts have
    [(host, pid)] = served.apps()
    assert host == "austin" and pid
    assert tab.colours(tmp_path / "queue.png") > 12  # the queue's colours, not an empty page
    # xterm.js draws with its canvas renderer only (web/assets.py): no WebGL context is made
    assert tab.page.locator("#terminal canvas.xterm-text-layer").count() == 1
    assert tab.page.evaluate("() => window.webglContexts") == 0
    # the whole app fits the window under the sign-out bar: its footer is not cut off
    box = tab.page.evaluate(
        "(() => { const r = document.querySelector('#terminal').getBoundingClientRect();"
        " return [r.top, r.bottom, window.innerHeight]; })()"
    )
    assert box[0] >= 28 and box[1] <= box[2], box
    tab.close()
    served.wait_apps(0)  # the tab's app quits with it


def test_two_hosts_in_browsers_and_one_in_a_terminal_on_one_database(browser, served, show_db):
    austin, jordan = Tab(browser, served), Tab(browser, served)
    austin.sign_in("austin")
    jordan.sign_in("jordan")
    austin.wait_drawn("you: austin", TITLES[0])
    jordan.wait_drawn("you: jordan", TITLES[0])
    apps = served.wait_apps(2)
    assert [host for host, _ in apps] == ["austin", "jordan"]
    assert apps[0][1] != apps[1][1]  # a process each
    # a host at a terminal adds a question: both browsers show it within the live refresh
    with Store(show_db) as store:
        QuestionQueue(store, me="austin").import_questions(
            [question("Sleep after night shifts", 1)]
        )
    austin.wait_drawn("Sleep after night shifts")
    jordan.wait_drawn("Sleep after night shifts")
    austin.close()
    jordan.close()
    served.wait_apps(0)


def test_closing_a_tab_mid_draft_keeps_the_draft(browser, served, show_db):
    tab = Tab(browser, served)
    tab.sign_in("jordan")
    tab.wait_drawn("you: jordan", TITLES[0])
    tab.keys("r")  # my draft of the question under the cursor (the oldest new one, #1)
    tab.wait_drawn("Jordan's draft of #1")
    tab.page.focus(".xterm-helper-textarea")
    tab.page.keyboard.type("Half an answer about creatine")
    tab.wait_drawn("Half an answer about creatine")
    tab.page.close()  # no save key, and sooner than the autosave may come
    served.wait_apps(0)
    with Store(show_db) as store:
        draft = QuestionQueue(store).get(1).drafts["jordan"]
    assert "Half an answer about creatine" in draft.text
    tab.close()


def test_an_export_is_a_download_and_copy_reaches_the_clipboard(browser, served, tmp_path):
    origin = served.url
    tab = Tab(browser, served, accept_downloads=True)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    downloads: list[object] = []

    def arrived(download: object) -> None:
        downloads.append(download)

    popups: list[object] = []
    tab.context.on("page", lambda popup: popups.append(popup))
    tab.page.on("download", arrived)
    tab.sign_in("austin")
    tab.wait_drawn("you: austin")
    tab.keys("5")  # Answered
    tab.wait_drawn(ANSWERED)
    tab.keys("X")
    tab.wait_drawn("Export #4", "Download ctrl+s")
    before = set(Path.cwd().iterdir())
    tab.keys("Control+s")
    tab.wait_drawn("Downloading #4 (markdown")
    deadline = time.monotonic() + WAIT
    while not downloads:
        assert time.monotonic() < deadline, "no download came"
        tab.page.wait_for_timeout(25)
    download = downloads[0]
    assert popups == [] and tab.context.pages == [tab.page]  # no blank tab left behind
    assert download.suggested_filename == "questions-show-notes.md"
    saved = tmp_path / "download.md"
    download.save_as(saved)
    assert ANSWERED in saved.read_text()
    assert set(Path.cwd().iterdir()) == before  # nothing written where the app runs

    tab.keys("Control+y")  # copy: OSC 52 to xterm.js, to the browser's clipboard
    tab.wait_drawn("Copied #4")
    deadline = time.monotonic() + WAIT
    while ANSWERED not in tab.page.evaluate("navigator.clipboard.readText()"):
        assert time.monotonic() < deadline, "the clipboard never got the export"
        tab.page.wait_for_timeout(25)
    tab.close()


def test_keys_reach_the_app_as_soon_as_it_is_drawn(browser, served):
    """No click first: the page gives the terminal the focus when its websocket opens, so the
    app has it (and shows its footer's keys)."""
    tab = Tab(browser, served)
    tab.sign_in("austin")
    tab.wait_drawn("you: austin", TITLES[0])
    tab.page.wait_for_function(
        "() => document.activeElement?.classList.contains('xterm-helper-textarea')",
        timeout=WAIT * 1000,
    )
    tab.wait_drawn("Filter")  # the footer's keys
    tab.page.keyboard.press("?")  # not tab.keys(): that focuses the textarea itself
    tab.wait_drawn("Moving and selecting")
    tab.close()


def test_signing_out_closes_the_app_and_the_page(browser, served):
    tab = Tab(browser, served)
    tab.sign_in("austin")
    tab.wait_drawn("you: austin")
    served.wait_apps(1)
    tab.page.click("text=Sign out")
    tab.page.wait_for_url("**/sign-in")
    served.wait_apps(0)
    tab.page.goto(served.url)
    assert tab.page.url.endswith("/sign-in")
    tab.close()


def test_signing_out_in_one_tab_ends_the_sessions_other_tabs(browser, served):
    first = Tab(browser, served)
    first.sign_in("austin")
    first.wait_drawn("you: austin")
    second = Tab.beside(first)
    second.page.goto(served.url)
    second.wait_drawn("you: austin", TITLES[0])
    served.wait_apps(2)
    first.page.click("text=Sign out")
    first.page.wait_for_url("**/sign-in")
    # the other tab leaves the queue for the sign-in page, which says why
    second.page.wait_for_url("**/sign-in?ended", timeout=WAIT * 1000)
    note = second.page.locator("[role=status]").inner_text()
    assert note == "Signed out: this session has ended."
    assert second.page.locator("#password").is_visible()
    assert first.page.locator("[role=status]").count() == 0  # the tab that signed out: no note
    served.wait_apps(0)
    first.close()
