"""`qa-queue serve`: the app in a browser, each host signed in with their own password."""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import sys

import click

from ..errors import BadInput, QaQueueError
from .context import Session, pass_session

LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option(
    "--host",
    "bind",
    default=LOOPBACK,
    show_default=True,
    metavar="ADDRESS",
    help="Address to listen on; beyond loopback only behind TLS (see --public-url).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers use, e.g. https://qa.example.com behind a reverse proxy.",
)
@pass_session
def serve(session: Session, bind: str, port: int, public_url: str | None) -> None:
    """Serve the app to browsers: each host signs in with their password
    (`qa-queue hosts password HOST`), and each tab runs its own app as that host."""
    try:
        from ..web.server import QaQueueServer
    except ImportError as error:
        raise BadInput(f"serving needs qa-queue's web dependencies ({error})") from error
    if public_url and not public_url.startswith(("http://", "https://")):
        raise BadInput(f"--public-url is an http:// or https:// address, not {public_url!r}")
    queue = session.queue
    signing_in = queue.password_hosts()
    if not signing_in:
        raise QaQueueError(
            "no host can sign in: give one a password first with `qa-queue hosts password HOST`"
        )
    if not is_loopback(bind) and not (public_url or "").startswith("https://"):
        click.echo(
            f"qa-queue: warning: serving on {bind}, beyond this machine, without TLS: "
            "passwords and listeners' questions cross the network readable. Put it behind "
            "a reverse proxy with TLS and pass --public-url https://…, or use `ssh -L`.",
            err=True,
        )
    logging.basicConfig(level=logging.INFO, format="qa-queue serve: %(message)s", stream=sys.stderr)
    server = QaQueueServer(queue, public_url=public_url)
    import asyncio  # here, not at the top: every other command would load it at start

    asyncio.run(_run(server, bind, port, public_url, signing_in))


async def _run(
    server: object, bind: str, port: int, public_url: str | None, signing_in: list[str]
) -> None:
    from aiohttp import web

    from ..web.server import QaQueueServer

    assert isinstance(server, QaQueueServer)
    runner = web.AppRunner(server.make_app(), access_log=None)
    await runner.setup()
    listener = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((bind, port))
    except OSError as error:
        listener.close()
        await runner.cleanup()
        raise BadInput(f"cannot listen on {bind}:{port} ({error.strerror})") from error
    bound = listener.getsockname()[1]
    site = web.SockSite(runner, listener)
    await site.start()
    import asyncio

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    shown = f"[{bind}]" if ":" in bind else bind
    url = public_url or f"http://{shown}:{bound}"
    click.echo(
        f"serving {server.db_path} on {url} (listening on {shown}:{bound}); "
        f"hosts who can sign in: {', '.join(signing_in)}; ctrl+c stops",
        err=True,
    )
    try:
        await stop.wait()
    finally:
        click.echo("stopping: every open app saves its drafts and quits", err=True)
        await runner.cleanup()
