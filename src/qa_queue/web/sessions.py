"""The app processes: one `qa-queue app` per browser tab, as the signed-in host.

textual-serve's AppService speaks the protocol between the page's websocket and the app's web
driver (packets on the process's stdin and stdout, downloads in chunks); it starts the app from
a shell command string. Here the process is started from an argument list instead, with the
host in its environment (`QA_QUEUE_HOST`), so nothing a browser sends reaches a shell.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import cast

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from ..config import DB_ENV, HOST_ENV
from .forks import ForkedApp, Forks

log = logging.getLogger("qa_queue.web")

# What textual-serve gives its app processes, so Textual draws for xterm.js over pipes.
DRIVER_ENV = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
}
# Settings of the server's own environment an app process must not inherit: who it is and
# which database come from the server alone.
NOT_INHERITED = (HOST_ENV, DB_ENV, "TEXTUAL", "TEXTUAL_LOG", "QA_QUEUE_DEBUG")


def app_command(db_path: Path) -> list[str]:
    """The app process's argument list: this Python, this qa-queue, this database."""
    return [sys.executable, "-m", "qa_queue", "--db", str(db_path), "app"]


def forks_environment() -> dict[str, str]:
    """The forking process's environment (web/forks.py): an app's, but no host or size yet."""
    env = app_environment("", 80, 24)
    del env[HOST_ENV], env["COLUMNS"], env["ROWS"]
    return env


def app_environment(host: str, width: int, height: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(DRIVER_ENV)
    env["TERM_PROGRAM_VERSION"] = version("textual-serve")
    env["COLUMNS"] = str(_columns(width))
    env["ROWS"] = str(_rows(height))
    env[HOST_ENV] = host
    return env


def cells(width: int, height: int) -> tuple[int, int]:
    """The app's size for the page's asked size: columns and rows, within bounds."""
    return _columns(width), _rows(height)


def _columns(width: int) -> int:
    return max(20, min(width, 1000))


def _rows(height: int) -> int:
    return max(5, min(height, 500))


class HostAppService(AppService):
    """One app process for one tab of a signed-in host's session."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        host: str,
        session_id: str,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
        forks: Forks | None = None,
        warm: ForkedApp | None = None,
    ) -> None:
        """`warm`: an app started for this tab's page already (web/warm.py), adopted."""
        super().__init__(
            "",  # no shell command: _open_app_process runs `argv`
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = list(argv)
        self.host = host
        self.session_id = session_id
        self.forks = forks
        self.warm = warm
        self.forked = False
        self.size: tuple[int, int] | None = None  # the app's, in cells

    async def set_terminal_size(self, width: int, height: int) -> None:
        """A new size for the app; the page's first (the size the app started with, sent as
        its websocket opens) is not passed on: Textual redraws the whole screen on any
        resize, and that first redraw is CPU every tab opening at once shares."""
        size = (_columns(width), _rows(height))
        if size != self.size:
            self.size = size
            await super().set_terminal_size(*size)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def process(self) -> Process | None:
        return self._process

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self.size = (_columns(width), _rows(height))
        if self.warm is not None:  # started with the page, at this size: its screen is drawn
            self.forked = True
            self._process = cast(Process, self.warm)
            self._stdin = self.warm.stdin
            return self._process
        if self.forks is not None:
            try:
                forked = await self.forks.spawn(self.host, _columns(width), _rows(height))
            except OSError as error:
                log.warning("could not fork an app (%s): starting one afresh", error)
            else:
                self.forked = True
                self._process = cast(Process, forked)  # what AppService uses of a Process
                self._stdin = forked.stdin
                return self._process
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=app_environment(self.host, width, height),
            start_new_session=True,  # a ctrl+c at the server's terminal is the server's
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self, timeout: float = 10.0) -> None:
        """Ask the app to quit (it saves drafts on the way), read its output to the end, and
        end it if it has not quit within `timeout` seconds."""
        task, process = self._task, self._process
        if task is None or process is None:
            return
        self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        with contextlib.suppress(Exception):
            quit_packet = self.encode_packet(b"M", json.dumps({"type": "quit"}).encode())
            self.stdin.write(quit_packet)  # not drained: a gone app must not hold this up
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, timeout)  # its last output, to the end
        if self._stdin is not None:
            self._stdin.close()
