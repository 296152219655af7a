"""The app as `qa-queue serve` runs it for a signed-in host (`served=True`): it stays that
host, exports are browser downloads (Textual's deliver_binary), nothing is read from or
written to the server's files."""

from __future__ import annotations

from qa_queue.queue import QuestionQueue
from qa_queue.tui.app import QaQueueApp
from qa_queue.tui.commands import ScreenCommands
from qa_queue.tui.dialogs.help import Help
from qa_queue.tui.widgets.title_bar import PaletteIcon
from tests.helpers import answered
from tests.tui.pilot import SIZE, notices


def said(app: QaQueueApp) -> str:
    return " ".join(message for _, message in notices(app))


def served_app(queue: QuestionQueue) -> QaQueueApp:
    return QaQueueApp(queue, refresh_interval=0, remember_host=_never, served=True)


def _never(host: str) -> None:
    raise AssertionError("a served app remembers no host in the server's config")


async def test_write_in_the_export_dialog_is_a_download(queue, tmp_path, monkeypatch):
    here = tmp_path / "where the app runs"
    here.mkdir()
    monkeypatch.chdir(here)
    queue.import_questions([answered(1, "Protein after sixty", "00:01:00", episode=None)])
    app = served_app(queue)
    delivered: list[tuple[bytes, dict]] = []
    monkeypatch.setattr(
        app, "deliver_binary", lambda file, **how: delivered.append((file.read(), how))
    )
    async with app.run_test(size=SIZE) as pilot:
        app.open_export([1])
        await pilot.pause()
        path = app.screen.query_one("#export-path")
        assert path.value == "questions-show-notes.md"  # a name, no folder of the server's
        path.value = "../../etc/notes.md"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [(data, how)] = delivered
        assert "Protein after sixty" in data.decode()
        assert how["save_filename"] == "notes.md"
        assert how["mime_type"] == "text/markdown; charset=utf-8"
        assert "Downloading #1" in said(app)
    assert list(here.iterdir()) == []  # nothing written where the app runs


async def test_a_served_app_never_becomes_another_host(queue):
    queue.me = None  # signed in as a host the show has since removed
    app = served_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        app.open_draft_editor(1)
        await pilot.pause()
        assert "sign out and in again" in said(app)
        assert queue.me is None


async def test_a_served_app_imports_no_file_of_the_servers(queue):
    app = served_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("I")
        await pilot.pause()
        assert "qa-queue import FILE" in said(app)
        assert len(app.screen_stack) == 1


async def test_a_served_app_offers_no_import_in_help_or_the_palette(queue):
    def offered(app: QaQueueApp) -> list[str]:
        return [name for name, _help, _run in ScreenCommands(app.screen)._commands()]

    def in_help(app: QaQueueApp) -> list[str]:
        assert isinstance(app.screen, Help)
        return [text for column in app.screen._columns for _, keys in column for _, text in keys]

    terminal = QaQueueApp(queue, refresh_interval=0, remember_host=_never)
    async with terminal.run_test(size=SIZE) as pilot:
        assert any("Import" in name for name in offered(terminal))
        await pilot.press("question_mark")
        assert any("Import" in text for text in in_help(terminal))
    app = served_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        assert not any("Import" in name for name in offered(app))
        assert "Export" in " ".join(offered(app))  # the others are still there
        await pilot.press("question_mark")
        assert not any("Import" in text for text in in_help(app))
        assert any("Export" in text for text in in_help(app))


async def test_a_served_apps_header_icon_is_one_browser_fonts_draw(queue):
    terminal = QaQueueApp(queue, refresh_interval=0, remember_host=_never)
    async with terminal.run_test(size=SIZE):
        assert str(terminal.screen.query_one(PaletteIcon).render()) == "⭘"
    app = served_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        # ⭘ is in no common monospace font: a browser drew an empty box
        assert str(app.screen.query_one(PaletteIcon).render()) == "○"
        await pilot.press("E")  # the episodes' screen has the same top line
        await pilot.pause()
        assert app.screen.id == "episodes-screen"
        assert str(app.screen.query_one(PaletteIcon).render()) == "○"


def test_an_app_forked_by_serve_starts_with_its_css_parsed_and_draws_the_same(queue, monkeypatch):
    """web/forks.py runs an app once before forking and keeps its parsed CSS (Textual
    internals, tui/parsed_css.py): an app started after it parses none and draws the same."""
    import asyncio
    import threading

    import textual.css.stylesheet

    from qa_queue.tui import parsed_css
    from qa_queue.web import forks
    from tests.tui.pilot import question

    queue.import_questions([question("Creatine and my kidney labs", 2)])
    parses: list[object] = []
    parse = textual.css.stylesheet.parse

    def counted(*args, **kwargs):
        parses.append(args)
        return parse(*args, **kwargs)

    monkeypatch.setattr(textual.css.stylesheet, "parse", counted)

    def screenshot() -> str:
        async def run() -> str:
            app = served_app(queue)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                return app.export_screenshot(title="queue")

        return asyncio.run(run())

    monkeypatch.setattr(parsed_css, "_kept", None)
    drawn_afresh = screenshot()
    assert parses
    threads = set(threading.enumerate())
    forks._warm_up()
    assert parsed_css._kept is not None
    assert set(threading.enumerate()) == threads  # nothing left running to fork with
    parses.clear()
    assert screenshot() == drawn_afresh
    assert not parses
