"""Pictures of the main screens at 120×40 (pytest-textual-snapshot), where the layout is the point:
the queue, the draft editor, one episode, the export preview. The store is the small one of
test_tui.py with the fixed clock, so every age and time is the same on every run.

Update them after a deliberate change of the look: pytest tests/tui/test_tui_snapshots.py
--snapshot-update, then look at the pictures in tests/tui/__snapshots__/ before committing.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.tui.pilot import make_app

SIZE = (120, 40)


async def settled(pilot) -> None:
    """Workers done (view counts, previews), cursors steady: the same picture every time."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


def with_a_story(queue):
    """#1 drafted by both hosts, answered, with a reference, at 00:41:05 in episode 212."""
    queue.assign(1, "austin")
    queue.save_draft(1, "Small trials, short follow-up.\n\nWorth asking your doctor about.")
    queue.me = "jordan"
    queue.save_draft(1, "I would not lump chronic pain and fibromyalgia together.")
    queue.me = "austin"
    queue.add_reference(1, "Younger 2013, LDN in fibromyalgia", "10.1002/art.37734")
    queue.set_answer(1)
    queue.add_to_episode(1, 212, "00:41:05")
    queue.add_to_episode(3, 212)
    return queue


def test_the_queue(snap_compare, filled):
    assert snap_compare(make_app(filled), terminal_size=SIZE, run_before=settled)


def test_the_draft_editor(snap_compare, filled):
    app = make_app(with_a_story(filled))

    async def open_it(pilot) -> None:
        await pilot.press("6")
        app.queue_screen.table.move_to(1)
        await pilot.press("r")
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)


def test_one_episode(snap_compare, filled):
    app = make_app(with_a_story(filled))

    async def open_it(pilot) -> None:
        await pilot.press("E", "enter")
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)


def test_the_export_preview(snap_compare, filled):
    """#1 aired and answered; #3, new, is left out, and the preview says so."""
    queue = with_a_story(filled)
    for status in ("drafting", "ready", "answered"):
        queue.set_status(1, status)
    app = make_app(queue)

    async def open_it(pilot) -> None:
        await pilot.press("E", "X")
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)
