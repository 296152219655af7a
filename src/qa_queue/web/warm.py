"""Apps started when a signed-in host's page is asked for, ready when its websocket opens.

A tab's first paint waits for two things in turn: the page (loading textual.js, starting
xterm.js: ~0.15 s alone, ~0.9 s with eight tabs on two cores) and then the app (forked, drawing
its first screen: ~0.13 s alone, ~0.45 s with eight). Asked for with the page, the app draws
while the page loads, and the websocket adopts it with its first screen waiting. It is started
at the size the session's last websocket asked for (a host's window keeps its size); a page of
another size gets an app of its own and the one started for it ends. Only after sign-in, only
with the forking process, one per session at a time, and ended when no page takes it within
WAIT seconds, or the session ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from .forks import ForkedApp, Forks

log = logging.getLogger("qa_queue.web")

WAIT = 30.0  # seconds an app started for a page waits for its websocket


class WarmApps:
    """The apps started ahead, by session id, and the sizes the sessions' pages last asked for."""

    def __init__(self, forks: Forks | None) -> None:
        self.forks = forks
        self._sizes: dict[str, tuple[int, int]] = {}
        self._ready: dict[str, asyncio.Task[ForkedApp | None]] = {}

    def __len__(self) -> int:
        return len(self._ready)

    def seen(self, session_id: str, size: tuple[int, int]) -> None:
        """The size (in cells) a session's page asked for as its websocket opened."""
        self._sizes[session_id] = size

    def start(self, session_id: str, host: str) -> None:
        """Start an app for the session's page, at its last size, when it has none waiting."""
        size = self._sizes.get(session_id)
        if self.forks is None or size is None or session_id in self._ready:
            return
        task = asyncio.ensure_future(self._spawn(self.forks, host, size))
        self._ready[session_id] = task
        asyncio.get_running_loop().call_later(WAIT, self._expire, session_id, task)

    @staticmethod
    async def _spawn(forks: Forks, host: str, size: tuple[int, int]) -> ForkedApp | None:
        try:
            return await forks.spawn(host, *size)
        except OSError as error:
            log.info("could not start an app ahead (%s): the page's websocket will", error)
            return None

    async def take(self, session_id: str, size: tuple[int, int]) -> ForkedApp | None:
        """The app started for this session's page, when it has the size the page asks for."""
        task = self._ready.pop(session_id, None)
        if task is None:
            return None
        app = await task  # still starting: sooner than starting another
        if app is not None and app.size != size:
            _end(app)
            return None
        return app

    async def waiting(self) -> list[int]:
        """The process ids of the apps started ahead and not taken yet (once started)."""
        apps = await asyncio.gather(*self._ready.values())
        return [app.pid for app in apps if app is not None]

    def drop(self, session_id: str) -> None:
        """The session ended: so does the app started for it."""
        task = self._ready.pop(session_id, None)
        if task is not None:
            task.add_done_callback(_end_result)
        self._sizes.pop(session_id, None)

    def drop_all(self) -> None:
        for session_id in list(self._ready):
            self.drop(session_id)

    def _expire(self, session_id: str, task: asyncio.Task[ForkedApp | None]) -> None:
        if self._ready.get(session_id) is task:
            del self._ready[session_id]
            task.add_done_callback(_end_result)


def _end_result(task: asyncio.Task[ForkedApp | None]) -> None:
    if not task.cancelled() and task.exception() is None and (app := task.result()) is not None:
        _end(app)


def _end(app: ForkedApp) -> None:
    """An app no page took: it has no drafts and no host at its keys; it ends now."""
    app.kill()
    with contextlib.suppress(Exception):
        app.stdin.close()
