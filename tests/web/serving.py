"""Serving a database in tests: a show with two hosts who have passwords, the server on a free
loopback port in a thread of its own (the test reads its state), and Chromium when there is one."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from qa_queue.web.auth import Throttle
from qa_queue.web.server import QaQueueServer
from tests.helpers import answered
from tests.tui.pilot import question

PASSWORDS = {"austin": "austin's long secret", "jordan": "jordan's long secret"}
TITLES = ["Creatine and my kidney labs", "Training while fasting", "Deadlift with a cold?"]
ANSWERED = "How much protein after sixty?"


def make_show(db_path: Path) -> None:
    """Two hosts with passwords, three new questions (#1 the oldest) and an answered one."""
    with Store(db_path) as store:
        queue = QuestionQueue(store, me="austin")
        queue.set_podcast("Barbell Medicine Q&A")
        for host, password in PASSWORDS.items():
            queue.add_host(host)
            queue.set_password(host, password)
        queue.import_questions([question(t, 9 - i) for i, t in enumerate(TITLES)])
        queue.import_questions([answered(4, ANSWERED, "00:12:30", id=None, episode=None)])


def fast_throttle() -> Throttle:
    return Throttle(base=0.0, most=0.0, limit=5)


def chromium() -> str | None:
    """Debian's Chromium (or one named in $QA_QUEUE_CHROMIUM); Playwright's own download is
    not used."""
    named = os.environ.get("QA_QUEUE_CHROMIUM")
    if named:
        return named if os.path.exists(named) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Served:
    """A QaQueueServer on 127.0.0.1 at a free port, run by an event loop in a thread."""

    def __init__(self, db_path: Path, **options: object) -> None:
        self.store = Store(db_path)
        self.server = QaQueueServer(QuestionQueue(self.store), throttle=fast_throttle(), **options)  # type: ignore[arg-type]
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qa-queue serve", daemon=True)
        self._thread.start()
        if not self._ready.wait(20):
            raise RuntimeError("the server did not start")
        self.url = f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.runner = web.AppRunner(self.server.make_app(), access_log=None)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self.loop.run_forever()

    def call(self, function: Callable[[], object]) -> object:
        """Run `function` on the server's loop (its state is the loop's) and return its result."""

        async def run() -> object:
            return function()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    def apps(self) -> list[tuple[str, int | None]]:
        """The app processes running: (host, pid)."""
        return self.call(lambda: sorted((s.host, s.pid) for s in self.server.running()))  # type: ignore[return-value]

    def wait_apps(self, count: int, timeout: float = 20) -> list[tuple[str, int | None]]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.apps()
            if len(found) == count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} app processes, not {count}: {found}")
            time.sleep(0.05)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.store.close()
