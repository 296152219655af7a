"""An app process's service: what of the page's messages reaches the app."""

from __future__ import annotations

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from qa_queue.web.sessions import HostAppService


async def _nothing(*_args: object) -> None:
    return None


async def test_only_a_new_size_reaches_the_app(monkeypatch):
    """The page sends its size as its websocket opens, the size the app started with: passing
    it on would have the app draw its whole screen again for nothing."""
    sent: list[tuple[int, int]] = []

    async def set_terminal_size(_service: AppService, width: int, height: int) -> None:
        sent.append((width, height))

    monkeypatch.setattr(AppService, "set_terminal_size", set_terminal_size)
    service = HostAppService(
        ["true"],
        host="austin",
        session_id="s",
        write_bytes=_nothing,
        write_str=_nothing,
        close=_nothing,
        download_manager=DownloadManager(),
    )
    service.size = (133, 42)  # as _open_app_process sets it
    await service.set_terminal_size(133, 42)
    assert sent == []
    await service.set_terminal_size(100, 30)
    await service.set_terminal_size(100, 30)
    await service.set_terminal_size(5000, 1)  # kept within what an app is started with
    assert sent == [(100, 30), (1000, 5)]
