"""The episodes screens and the export dialog driven with Pilot: the list with counts and spoken
length, reordering, timestamps, a new episode, the preview, writing and copying the file."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, DataTable, Input, Label, Static

from qa_queue.model.question import Listener
from qa_queue.tui.dialogs.episode_form import EpisodeForm
from qa_queue.tui.dialogs.export import ExportDialog
from qa_queue.tui.dialogs.pick import Pick
from qa_queue.tui.screens.episode import EpisodeScreen
from qa_queue.tui.screens.episodes import EpisodesScreen
from tests.tui.pilot import (
    SIZE,
    counted,
    fill,
    lines,
    make_app,
    notices,
    other_host,
    question,
)

ANSWER = " ".join(["word"] * 300)  # two minutes on air


def answered(queue, question_id: int):
    """Take a question through the workflow to answered (its answer set already)."""
    queue.assign(question_id, "austin")
    for status in ("drafting", "ready", "answered"):
        queue.set_status(question_id, status)


def on_air(queue):
    """Episode 212 holds #1 (answered, at 00:41:05) and, still untimed and new, #2 and #3."""
    queue.set_answer(1, ANSWER + "\n\nThe details, for the full notes.")
    answered(queue, 1)
    queue.add_reference(1, "Younger 2013", "10.1002/art.37734")
    queue.add_to_episode(1, 212, "00:41:05")
    queue.add_to_episode(2, 212)
    queue.add_to_episode(3, 212)
    return queue


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def rendered(pilot) -> str:
    """Wait for the export preview (a worker thread) and return what it shows."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return "\n".join(lines(pilot.app.screen.query_one("#export-text", Static)))


async def test_the_episode_list_counts_questions_and_spoken_time(filled):
    on_air(filled)
    filled.save_episode(213, "Statins and sleep")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        assert isinstance(app.screen, EpisodesScreen)
        table = app.screen.query_one(DataTable)
        assert rows(table) == [
            ["212", "2026-11-24", "3", "2:02", "Lifting under pressure"],
            ["213", "—", "0", "0:00", "Statins and sleep"],
        ]
        await pilot.press("j")  # j/k move as in the queue
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("enter")
        assert isinstance(app.screen, EpisodeScreen)
        heading = "".join(lines(app.screen.query_one("#episode-heading", Label)))
        assert "Episode 212 · Lifting under pressure · airs 2026-11-24 · 3 questions" in heading
        shown = rows(app.screen.query_one(DataTable))
        assert shown[0][:3] == ["1", "00:41:05", "1"]
        assert shown[0][4:] == ["2:02", "Does low-dose naltrexone help fibromyalgia?"]
        assert [row[1] for row in shown[1:]] == ["--:--:--", "--:--:--"]
        await pilot.press("escape", "escape")
        assert app.screen is app.queue_screen


async def test_a_long_title_is_cut_with_an_ellipsis_to_the_screens_width(filled):
    title = "Lifting Under Pressure: Blood Pressure, Breathing, Bracing and the Valsalva"
    filled.save_episode(212, title)
    app = make_app(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await pilot.pause()
        shown = "\n".join(lines(app.screen.query_one(DataTable)))
        assert "Lifting Under Pressure: Blood" in shown and "Valsalva" not in shown
        assert "…" in shown
        assert app.screen.query_one(DataTable).max_scroll_x == 0  # nothing off to the side
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        assert title in "\n".join(lines(app.screen.query_one(DataTable)))


async def test_moving_questions_changes_the_stored_order(filled):
    on_air(filled)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_episode(212)
        await pilot.pause()
        await pilot.press("j")  # on #2
        await pilot.press("shift+down")
        assert filled.episode(212).question_ids == [1, 3, 2]
        assert app.screen.current.id == 2  # the cursor goes with it
        await pilot.press("K", "K")
        assert filled.episode(212).question_ids == [2, 1, 3]
        await pilot.press("J")  # #2 past #1: #1 is timed, #2 is not, so this is allowed
        assert filled.episode(212).question_ids == [1, 2, 3]


async def test_timed_questions_keep_their_timestamp_order(filled):
    on_air(filled)
    filled.add_to_episode(2, 212, "00:50:00")
    filled.remove_from_episode(3)
    assert filled.episode(212).question_ids == [1, 2]
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_episode(212)
        await pilot.pause()
        await pilot.press("shift+down")  # #1 at 00:41:05 below #2 at 00:50:00: refused
        assert filled.episode(212).question_ids == [1, 2]
        assert any("their timestamps set the order" in m for _, m in notices(app))


async def test_g_and_big_g_go_to_the_first_and_last_question(filled):
    on_air(filled)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_episode(212)
        await pilot.pause()
        await pilot.press("G")
        assert app.screen.current.id == 3
        await pilot.press("g")
        assert app.screen.current.id == 1


async def test_timestamp_and_taking_a_question_out(filled):
    on_air(filled)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_episode(212)
        await pilot.pause()
        await pilot.press("ctrl+end", "t")
        await fill(pilot, "12:30")
        assert "at 00:12:30" in "".join(lines(app.screen.query_one("#preview", Label)))
        await pilot.press("enter")
        assert filled.get(3).timestamp == "00:12:30"
        assert filled.episode(212).question_ids == [3, 1, 2]  # placed by its time
        assert app.screen.current.id == 3
        await pilot.press("x")
        assert filled.get(3).episode is None
        assert filled.episode(212).question_ids == [1, 2]


async def test_a_co_hosts_timestamp_set_while_i_type_mine_is_not_overwritten(filled):
    on_air(filled)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_episode(212)
        await pilot.pause()
        await pilot.press("t")  # on #1, at 00:41:05
        other_host(filled).add_to_episode(1, 212, "00:45:00")
        assert app.refresh_from_disk() == {1}  # the live refresh, while the dialog is open
        await pilot.pause()
        await fill(pilot, "42:00")
        await pilot.press("enter")
        await pilot.pause()
        assert filled.get(1).timestamp == "00:45:00"  # Jordan's stays
        assert any(s == "warning" and "changed by Jordan" in m for s, m in notices(app))


async def test_a_new_episode_with_a_spoken_air_date(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E", "n")
        assert isinstance(app.screen, EpisodeForm)
        assert app.screen.query_one("#episode-number", Input).value == "213"
        await pilot.press("enter")
        await fill(pilot, "Statins, shift work and sleep")
        await pilot.press("enter")
        await fill(pilot, "in 2 weeks")
        assert "airs Tue 08 Dec 2026" in "".join(lines(app.screen.query_one("#preview", Label)))
        await pilot.press("enter")
        episode = filled.episode(213)
        assert (episode.title, episode.air_date) == ("Statins, shift work and sleep", "2026-12-08")
        assert isinstance(app.screen, EpisodesScreen)
        assert app.screen.current.number == 213


async def test_export_an_episode_preview_then_write_the_file(filled, tmp_path):
    on_air(filled)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_episode(212)
        await pilot.pause()
        await pilot.press("X")
        assert isinstance(app.screen, ExportDialog)
        preview = await rendered(pilot)
        assert "# Barbell Medicine Q&A — Episode 212: Lifting under pressure" in preview
        assert "## [00:41:05] Does low-dose naltrexone help fibromyalgia?" in preview
        assert "The details, for the full notes." not in preview  # short answers by default
        path = app.screen.query_one("#export-path", Input)
        assert path.value == "./episode-212-show-notes.md"
        path.value = str(tmp_path / "212.md")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = (tmp_path / "212.md").read_text()
        assert written == app.screen.text
        assert "## [00:41:05] Does low-dose naltrexone help fibromyalgia?" in written
        assert "[Younger 2013](https://doi.org/10.1002/art.37734)" in written
        assert "pat@example.com" not in written  # never a listener's contact

        await pilot.press("ctrl+f")  # full answers
        assert "The details, for the full notes." in await rendered(pilot)
        await pilot.press("ctrl+s")  # the file is there: asks first
        assert isinstance(app.screen, Pick)
        await pilot.press("down", "enter")  # keep it
        assert (tmp_path / "212.md").read_text() == written
        await pilot.press("ctrl+s", "enter")  # overwrite it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "The details, for the full notes." in (tmp_path / "212.md").read_text()
        # the next export starts from these choices, and the box says it is ticked
        await pilot.press("escape", "X")
        full = app.screen.query_one("#export-full", Checkbox)
        assert full.value and "✓" in str(full.render())
        assert not app.screen.query_one("#export-ready", Checkbox).value
        assert "▐ ▌" in str(app.screen.query_one("#export-ready", Checkbox).render())


async def test_export_formats_follow_the_choice_and_copy(filled):
    on_air(filled)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_export_episode(212)
        await rendered(pilot)
        await pilot.press("right", "right", "right", "right", "enter")  # chapters
        assert app.screen.fmt == "chapters"
        preview = await rendered(pilot)
        assert '"startTime": 2465' in preview
        path = app.screen.query_one("#export-path", Input).value
        assert path == "./episode-212.chapters.json"
        await pilot.press("ctrl+y")
        assert app.clipboard == app.screen.text
        assert '"version": "1.2.0"' in app.clipboard


def left_out(app) -> str:
    label = app.screen.query_one("#export-left-out", Label)
    return "".join(lines(label)) if label.display else ""


async def test_export_selected_questions_from_the_queue(filled):
    on_air(filled)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")  # All: #1 is answered, out of the inbox
        await counted(pilot)
        await pilot.press("home", "space", "space")  # #1 and #2
        await pilot.press("X")
        assert isinstance(app.screen, ExportDialog)
        heading = "".join(lines(app.screen.query_one(".dialog-title", Label)))
        assert heading.startswith("Export 2 questions")
        preview = await rendered(pilot)
        assert "## [Episode 212, 00:41:05] Does low-dose naltrexone" in preview
        assert "Creatine and my kidney labs" not in preview  # new: not answered
        assert left_out(app) == "left out #2 (new, not answered)"


async def test_the_preview_says_which_questions_of_the_episode_it_leaves_out(filled):
    on_air(filled)
    filled.set_answer(2, "Yes, keep taking it.")
    answered(filled, 2)  # answered, but with no time in the episode
    filled.set_answer(3, "Probably not.")
    filled.assign(3, "austin")
    for status in ("drafting", "ready"):
        filled.set_status(3, status)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        app.open_export_episode(212)
        preview = await rendered(pilot)
        assert left_out(app) == "left out #3 (ready, not answered)"
        # the untimed answer comes after the timed one
        assert preview.index("] Does low-dose") < preview.index("## Creatine and my kidney")
        assert "LDN for fibromyalgia" not in preview

        await pilot.press("ctrl+r")  # ready ones too: a preview
        preview = await rendered(pilot)
        assert left_out(app) == ""
        assert "Not yet answered (ready): a preview" in preview
        assert "LDN for fibromyalgia" in preview

        await pilot.press("ctrl+r", "right", "right", "right", "right", "enter")  # chapters
        assert app.screen.fmt == "chapters"
        await rendered(pilot)
        assert left_out(app) == "left out #2 (no timestamp), #3 (ready, not answered)"


async def test_listener_text_stays_literal_in_the_preview(queue):
    queue.add(
        question(
            "[bold]x[/] \x1b[31mred",
            1,
            listener=Listener(name="[i]Eve[/i]", contact="eve@example.com"),
        )
    )
    queue.set_notes(1, "internal: do not air")
    queue.set_answer(1, "An answer.")
    answered(queue, 1)
    app = make_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6", "X")
        shown = await rendered(pilot)
        assert "## \\[bold\\]x\\[/\\] \\[31mred" in shown  # as the file has it: no ESC
        static = app.screen.query_one("#export-text", Static)
        styled = [
            segment.text
            for y in range(static.size.height)
            for segment in static.render_line(y)
            if segment.style and (segment.style.bold or segment.style.italic or segment.style.link)
        ]
        assert styled == []  # no markup took effect
        for fmt in ("markdown", "html", "json", "csv", "chapters"):  # every format in turn
            assert app.screen.fmt == fmt
            shown = await rendered(pilot)
            assert "\x1b" not in shown, fmt
            assert "eve@example.com" not in app.screen.text, fmt
            assert "do not air" not in app.screen.text, fmt
            await pilot.press("right", "enter")


@pytest.mark.parametrize("width", [80, 100, 104, 120])
async def test_every_export_option_is_on_the_screen_at_any_width(filled, width):
    """The formats and the switches need ~95 columns on one line: the switches go below."""
    from textual.widgets import Checkbox

    app = make_app(filled)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        dialog = app.screen.query_one("#export").region
        for switch in app.screen.query(Checkbox):
            assert switch.region.width > 0 and switch.region.right <= dialog.right - 2, switch
            assert "ready" in str(switch.label) or "full" in str(switch.label)


async def test_a_question_set_for_an_episode_is_not_called_answered_before_it_is(filled):
    """The detail pane says "to answer on air" until the question is answered."""
    from qa_queue.tui.widgets.question_detail import QuestionDetail

    on_air(filled)  # #1 answered in episode 212; #2 new, in it too
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")  # All
        await counted(pilot)
        await pilot.press("home")
        shown = {}
        for _ in range(6):
            detail = app.screen.query_one(QuestionDetail)
            shown[detail.question.id] = " ".join(" ".join(lines(detail)).split())
            await pilot.press("j")
            await pilot.pause()
        assert "answered on air" in shown[1]
        assert "to answer on air" in shown[2] and "answered on air" not in shown[2]
