"""Driving the app in tests: the app as the CLI builds it (no timers), what a widget shows,
the notices, filling inputs at once, a co-host at another terminal, the draft editor."""

from __future__ import annotations

from datetime import UTC

from textual.widget import Widget
from textual.widgets import Input, TextArea

from qa_queue.model.question import Listener, Question, Source
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from qa_queue.tui.app import QaQueueApp
from qa_queue.tui.screens.draft import DraftEditor
from qa_queue.tui.widgets.question_detail import QuestionDetail
from qa_queue.tui.widgets.queue_table import QueueTable

SIZE = (120, 40)


def question(title: str, days_ago: int, **fields) -> Question:
    received = f"2026-11-{24 - days_ago:02d}T09:00:00Z"
    listener = fields.pop("listener", Listener(name="Pat Listener", contact="pat@example.com"))
    return Question(
        title=title,
        body=fields.pop("body", f"The listener asks: {title}"),
        received_at=received,
        source=Source(kind="forum"),
        listener=listener,
        **fields,
    )


def make_app(queue: QuestionQueue, remembered: list[str] | None = None) -> QaQueueApp:
    """The app as the CLI builds it, except: no timers (tests refresh by hand, no sleeps), and
    the host chosen in the picker is remembered in `remembered`, never in the user's config."""
    keep = remembered if remembered is not None else []
    return QaQueueApp(queue, refresh_interval=0, remember_host=keep.append)


def table(app: QaQueueApp) -> QueueTable:
    return app.screen_stack[0].query_one(QueueTable)


def shown_ids(app: QaQueueApp) -> list[int]:
    return [row["id"] for row in table(app).rows]


def lines(widget: Widget) -> list[str]:
    """The text a widget draws, line by line."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def detail_text(app: QaQueueApp) -> str:
    detail = app.screen_stack[0].query_one(QuestionDetail)
    text = "\n".join(detail.all_lines())
    return text.replace("\u00a0", " ")  # labels are tied to their values by no-break spaces


def notices(app: QaQueueApp) -> list[tuple[str, str]]:
    return [(n.severity, n.message) for n in app._notifications]


async def fill(pilot, text: str) -> None:
    """Put text into the focused input at once (typing it key by key costs ~40 ms a key)."""
    field = pilot.app.focused
    if isinstance(field, Input):
        field.value = text
        field.cursor_position = len(text)
    else:
        field.text = text
    await pilot.pause()


def other_host(queue: QuestionQueue) -> QuestionQueue:
    """A second process's view of the same database (Jordan at another terminal)."""
    return QuestionQueue(Store(queue.store.path), me="jordan", clock=queue.clock, zone=UTC)


async def counted(pilot) -> None:
    """Wait for the views' counts, worked out in a thread."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_editor(pilot, on: int = 1) -> DraftEditor:
    app = pilot.app
    app.queue_screen.table.move_to(on)
    await pilot.press("r")
    assert isinstance(app.screen, DraftEditor)
    return app.screen


def area(editor: DraftEditor) -> TextArea:
    return editor.query_one("#draft-text", TextArea)


async def type_in(pilot, editor: DraftEditor, text: str) -> None:
    """Type at the cursor at once (key by key costs ~40 ms a key in Pilot)."""
    area(editor).insert(text)
    await pilot.pause()
