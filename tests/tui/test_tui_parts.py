"""The app's parts on their own: safe text, tag edits, the 50k-row table, help and the command
palette, narrowing a filter as the host types, spoken length, and the core calls behind them."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult
from textual.command import CommandPalette

from qa_queue.model.question import Question, Reference
from qa_queue.spoken import clock, length_line, word_count
from qa_queue.tui.app import QaQueueApp
from qa_queue.tui.dialogs.ask import Ask
from qa_queue.tui.dialogs.help import Help
from qa_queue.tui.tags import TagSuggester, edit_many, edit_whole
from qa_queue.tui.text import literal, one_line, plain
from qa_queue.tui.widgets.queue_table import QueueTable
from qa_queue.views import narrows

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
        assert time.perf_counter() - started < 1.0  # a DataTable needs ~4 s (docs/COSTS.md)
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
        for key, what in [
            ("a", "Assign"),
            ("z", "Snooze"),
            ("X", "Export"),
            ("space", "Select"),
            ("E", "Episodes"),
            ("U", "Undo a co-host's last change"),
            ("\\^t", "Make this the answer"),  # the draft editor
            ("\\^r", "Insert a saved reply"),
            ("K/shift\\+↑", "Move up"),  # one episode
            ("\\^s", "Write the file"),  # the export dialog
        ]:
            assert re.search(rf"(^|\s){key}\s+{what}", shown, re.MULTILINE), (key, what)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"snooze")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Ask)


def test_typing_on_narrows_the_last_filter():
    assert narrows("nal", "nalt")
    assert narrows("nal", "nal pain")
    assert narrows("tag:pain", "tag:pain nal")
    assert narrows("tag:pain nal", "tag:pain naltrexone fibro")
    assert not narrows("", "nal")  # the first search looks at everything
    assert not narrows("nalt", "nal")  # deleting widens
    assert not narrows("tag:pai", "tag:pain")  # a field's value is not a word
    assert not narrows("tag", "tag:pain")
    assert not narrows("nal ", "nalx")
    assert not narrows('"low dose', '"low dose n')  # phrases are left to a full search


def test_find_within_searches_only_the_given_summaries(queue):
    for title in ("LDN and pain", "LDN and sleep", "Creatine"):
        queue.add(Question(title=title, body="", received_at="2026-11-20T00:00:00Z"))
    first = queue.find("ldn", sort="id")
    assert [s["id"] for s in first] == [1, 2]
    assert [s["id"] for s in queue.find("ldn pain", sort="id", within=first)] == [1]
    assert queue.find("creatine", within=first) == []


def test_spoken_length_at_150_words_a_minute():
    assert length_line("") == "0 words · about 0:00 spoken"
    assert length_line("one") == "1 word · about 0:00 spoken"
    assert length_line(" ".join(["w"] * 312)) == "312 words · about 2:05 spoken"
    assert clock(3725) == "1:02:05"
    assert word_count("  a\nb\tc  ") == 3


def test_references_are_replaced_as_a_list(queue):
    queue.add(Question(title="LDN", body="", received_at="2026-11-20T00:00:00Z"))
    queue.add_reference(1, "Younger 2013", "10.1002/art.37734")
    queue.add_reference(1, "Another", "")
    changed = queue.set_references(1, [Reference("Younger et al. 2013", " 23359310 ")])
    assert changed.references == [Reference("Younger et al. 2013", "23359310")]
    assert queue.get(1).history[-1].action == "references"
    queue.undo(1)
    assert [r.title for r in queue.get(1).references] == ["Younger 2013", "Another"]


async def test_a_short_terminal_shows_the_latest_notice_only(filled):
    from tests.tui.pilot import make_app, notices

    app = make_app(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        app.tell("first")
        app.tell("second")
        await pilot.pause()
        assert [m for _, m in notices(app)] == ["second"]
