"""Starting app processes fast: a process that has loaded qa-queue and Textual once, and forks
a copy of itself for each browser tab.

A fresh `python -m qa_queue app` spends ~1 s of CPU on starting Python and importing before it
draws anything; eight tabs opened at once on a two-core server then wait ~5 s each. A fork of
a process that has done the imports starts drawing at once, and shares those pages with its
siblings. The forking process is started by the server with the web driver's environment (Textual
reads it as it is imported); each fork gets its host, its size and three pipes from the server,
which sends them over a socket pair (SCM_RIGHTS), and answers with the new process id.

Run as `python -m qa_queue.web.forks DB_PATH FD`, FD being its end of the control socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store import Store


class ForkedApp:
    """What textual-serve's AppService needs of an asyncio Process, for a forked app process
    (a child of the forking process, not of the server: it is watched with a pidfd)."""

    def __init__(
        self,
        pid: int,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
        size: tuple[int, int] = (0, 0),
    ) -> None:
        self.pid = pid
        self.size = size  # the columns and rows it was started with
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.returncode: int | None = None
        self._exited = asyncio.get_running_loop().create_future()
        self._pidfd = os.pidfd_open(pid)
        asyncio.get_running_loop().add_reader(self._pidfd, self._gone)

    def _gone(self) -> None:
        asyncio.get_running_loop().remove_reader(self._pidfd)
        os.close(self._pidfd)
        if self.returncode is None:
            self.returncode = 0  # its parent reaps it; the code itself is not seen here
        if not self._exited.done():
            self._exited.set_result(self.returncode)

    async def wait(self) -> int:
        result: int = await asyncio.shield(self._exited)
        return result

    def kill(self) -> None:
        if self.returncode is None:
            self.returncode = -signal.SIGKILL
            with contextlib.suppress(OSError, ValueError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)


class Forks:
    """The server's side: starts the forking process, asks it for an app per tab."""

    def __init__(self, db_path: Path, environment: dict[str, str]) -> None:
        self.db_path = db_path
        self.environment = environment
        self._process: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "qa_queue.web.forks",
            str(self.db_path),
            str(theirs.fileno()),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            pass_fds=[theirs.fileno()],
            env=self.environment,
            start_new_session=True,
        )
        theirs.close()
        ours.setblocking(False)
        self._control = ours
        loop = asyncio.get_running_loop()
        ready = await asyncio.wait_for(loop.sock_recv(ours, 64), 30)
        if ready != b"ready\n":
            raise OSError("the forking process did not start")

    async def spawn(self, host: str, width: int, height: int) -> ForkedApp:
        control = self._control
        if control is None:
            raise OSError("the forking process is not running")
        loop = asyncio.get_running_loop()
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        request = json.dumps({"host": host, "columns": width, "rows": height}).encode()
        try:
            async with self._lock:
                await loop.run_in_executor(
                    None, _send_with_fds, control, request, [in_r, out_w, err_w]
                )
                answer = await asyncio.wait_for(loop.sock_recv(control, 64), 10)
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        if not answer.strip().isdigit():
            for fd in (in_w, out_r, err_r):
                os.close(fd)
            raise OSError("the forking process did not start an app")
        pid = int(answer)
        stdout = await _reader(loop, out_r)
        stderr = await _reader(loop, err_r)
        transport, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(in_w, "wb", 0)
        )
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        return ForkedApp(pid, stdin, stdout, stderr, (width, height))

    async def stop(self) -> None:
        if self._control is not None:
            self._control.close()  # the forking process ends when its socket does
            self._control = None
        process = self._process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
                await process.wait()


def _send_with_fds(control: socket.socket, data: bytes, fds: list[int]) -> None:
    control.setblocking(True)
    try:
        socket.send_fds(control, [data], fds)
    finally:
        control.setblocking(False)


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=2**16, loop=loop)
    pipe: IO[Any] = os.fdopen(fd, "rb", 0)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader, loop=loop), pipe)
    return reader


# -- the forking process ----------------------------------------------------------------------


def serve_forks(db_path: str, control_fd: int) -> None:
    """Load everything an app needs, then fork one for each request until the socket closes.

    The database is read here too, once, and caught up before each fork: an app starts with
    every question in memory (pages it shares with its siblings) instead of reading the
    database itself, which was half of its work before its first paint (~0.15 s of CPU for
    1000 questions whose journal had not been checkpointed; benchmarks/serve.py).
    """
    from ..cli import main
    from ..cli.context import adopt_store
    from ..tui.app import QaQueueApp  # noqa: F401  (loaded here once, for every fork)

    store = _open_store(db_path)
    _warm_up()
    control = socket.socket(fileno=control_fd)
    # forks are reaped by the kernel as they end: with SIGCHLD ignored no zombie waits for a
    # wait(). ps may still catch an ending app as <defunct> for the few milliseconds its other
    # threads take to exit (a thread group's leader is released with its last thread); no
    # waitpid could take it sooner. tests/web/test_http.py checks each app goes.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    gc.collect()
    gc.freeze()  # what is loaded stays shared with the forks (no collector writes to it)
    control.sendall(b"ready\n")
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 4096, 3)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)
        store = _caught_up(store)
        gc.freeze()  # what the store read stays shared too
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the app
            try:
                control.close()
                os.setsid()
                for target, fd in enumerate(fds):
                    os.dup2(fd, target)
                    os.close(fd)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.environ["QA_QUEUE_HOST"] = str(request["host"])
                os.environ["COLUMNS"] = str(int(request["columns"]))
                os.environ["ROWS"] = str(int(request["rows"]))
                if store is not None:
                    adopt_store(store)
                main(["--db", db_path, "app"])
            except SystemExit as done:
                os._exit(done.code if isinstance(done.code, int) else 1)
            except BaseException:
                os._exit(70)
            os._exit(0)
        for fd in fds:
            os.close(fd)
        control.sendall(f"{pid}\n".encode())


def _warm_up() -> None:
    """Run an app once, headless, on an empty database of its own, and keep the CSS it parsed
    for the forks (tui/parsed_css.py): each then starts ~25 ms of CPU sooner. Nothing of the
    run is left behind (its event loop is closed, it started no thread); if it fails, each
    fork parses its CSS itself."""
    import tempfile

    from ..queue import QuestionQueue
    from ..store import Store
    from ..tui import parsed_css
    from ..tui.app import QaQueueApp

    try:
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "warm.json") as store:
            queue = QuestionQueue(store, me="warmup")
            queue.add_host("warmup")
            store.keep_texts()  # no worker thread reads them
            app = QaQueueApp(
                queue, refresh_interval=0, remember_host=lambda host: None, served=True
            )

            async def first_frame(pilot: Any) -> None:
                await pilot.pause()
                pilot.app.exit()

            app.run(headless=True, size=(120, 40), auto_pilot=first_frame)
        parsed_css.keep(app)
    except Exception:
        return


def _open_store(db_path: str) -> Store | None:
    """The database, read (and its search texts), or None: each app then opens it itself
    (and says what is wrong with it)."""
    from ..gc_pause import gc_paused
    from ..store import Store

    try:
        with gc_paused():
            store = Store(db_path, create=False)
            store.keep_texts()
    except Exception:
        return None
    return store


def _caught_up(store: Store | None) -> Store | None:
    """The store with every change made so far (two stat calls when there is none)."""
    if store is None:
        return None
    try:
        store.refresh()
        if not store.texts_kept:  # the database was rewritten (a compaction): read them again
            store.keep_texts()
    except Exception:
        with contextlib.suppress(Exception):
            store.close()
        return None
    return store


if __name__ == "__main__":
    serve_forks(sys.argv[1], int(sys.argv[2]))
