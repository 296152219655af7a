"""The app's parts on their own: safe text, tag edits, the 50k-row table, help
and the command palette."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult
from textual.command import CommandPalette

from qa_queue.model.question import Question
from qa_queue.tui.app import QaQueueApp
from qa_queue.tui.screens.ask import Ask
from qa_queue.tui.screens.help import Help
from qa_queue.tui.tags import TagSuggester, edit_many, edit_whole
from qa_queue.tui.text import literal, one_line, plain
from qa_queue.tui.widgets.queue_table import QueueTable

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_control_characters_become_visible_marks():
    assert literal("\x1b[31mred\x07") == "␛[31mred�"
    assert literal("a\r\nb\tc") == "a\nb   c"
    assert literal("evil\u202etxt.exe") == "evil�txt.exe"  # no right-to-left override
    assert one_line(" two\nlines ") == "two lines"
    assert plain("[bold]x[/]").plain == "[bold]x[/]"
    assert plain("[bold]x[/]").spans == []


async def test_tag_completion_and_edits():
    suggester = TagSuggester(["pain", "sleep", "supplements"])
    assert await suggester.get_suggestion("pain su") == "pain supplements"
    assert await suggester.get_suggestion("-sl") == "-sleep"
    assert await suggester.get_suggestion("pain ") is None
    assert edit_whole(["pain", "sleep"], "pain diet") == (["diet"], ["sleep"])
    assert edit_many("diet -pain, +sleep") == (["diet", "sleep"], ["pain"])


class TableApp(App[None]):
    def __init__(self, rows: list[dict]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield QueueTable(now=lambda: NOW)


def many(count: int) -> list[dict]:
    start = NOW - timedelta(days=400)
    return [
        {
            "id": i,
            "title": f"Question number {i} about squats",
            "status": "new",
            "priority": i % 4,
            "listener": "Sam",
            "host": None,
            "tags": ["squat"],
            "received_at": (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "asked_count": 1,
        }
        for i in range(1, count + 1)
    ]


async def test_the_table_draws_only_what_is_on_screen_at_50k_rows():
    rows = many(50_000)
    app = TableApp(rows)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(QueueTable)
        drawn: list[int] = []
        original = table.render_line
        table.render_line = lambda y: drawn.append(y) or original(y)  # type: ignore[method-assign]
        started = time.perf_counter()
        table.set_rows(rows)
        await pilot.pause()
        assert time.perf_counter() - started < 1.0  # a DataTable needs ~4 s (MEASUREMENTS.md)
        assert max(drawn) < 30
        table.focus()
        await pilot.press("end")
        assert table.current_id == 50_000
        assert table.render_line(table.size.height - 1).text.split()[0] == "50000"
        table.set_rows(rows[::-1])  # a refilter keeps the cursor on its question
        assert table.current_id == 50_000 and table.cursor == 0


async def test_help_lists_every_key_and_the_palette_finds_actions(queue):
    queue.add(Question(title="A question", body="", received_at="2026-11-20T00:00:00Z"))
    app = QaQueueApp(queue, refresh_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, Help)
        shown = "\n".join(
            static.render_line(y).text
            for static in app.screen.query("Static")
            for y in range(static.size.height)
        )
        for key, what in [("a", "Assign"), ("z", "Snooze"), ("X", "Export"), ("space", "Select")]:
            assert re.search(rf"(^|\s){key}\s+{what}", shown, re.MULTILINE), (key, what)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"snooze")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Ask)
