"""Saved replies in the app, driven with Pilot: a draft saved as one (named in a dialog, a
name in use replaced only after a yes), and the list from the palette to read, rename and
remove them. The store is changed only through QuestionQueue, as `qa-queue replies` does."""

from __future__ import annotations

import re

from textual.widgets import Input, OptionList, Static

from qa_queue.tui.commands import ScreenCommands
from qa_queue.tui.dialogs.ask import Ask
from qa_queue.tui.dialogs.help import Help
from qa_queue.tui.dialogs.pick import Pick
from qa_queue.tui.dialogs.saved_replies import SavedReplies
from tests.tui.pilot import (
    SIZE,
    area,
    fill,
    lines,
    make_app,
    notices,
    open_editor,
    other_host,
    type_in,
)

DISCLAIMER = "This is general information, not medical advice."


def names(queue) -> list[str]:
    return [r["name"] for r in queue.saved_replies()]


async def palette(pilot, name: str) -> None:
    """Run a command of the palette by its name, as choosing it there does."""
    commands = ScreenCommands(pilot.app.screen)._commands()
    chosen = [command for title, _help, command in commands if title.startswith(name)]
    assert chosen, [title for title, _help, _command in commands]
    chosen[0]()
    await pilot.pause()


async def test_the_draft_is_saved_as_a_reply_under_a_name(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, DISCLAIMER)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, Ask)
        await fill(pilot, "  Medical   disclaimer ")
        preview = str(app.screen.query_one("#preview", Static).render())
        assert preview == "a new saved reply: Medical disclaimer"
        await pilot.press("enter")
        assert filled.saved_replies() == [{"name": "Medical disclaimer", "text": DISCLAIMER}]
        assert app.screen is editor and app.focused is area(editor)
        assert ("information", "Saved reply Medical disclaimer saved") in notices(app)
        await pilot.press("ctrl+r")  # and ctrl+r inserts it, as any saved reply
        assert isinstance(app.screen, Pick)
        await pilot.press("enter")
        assert area(editor).text == DISCLAIMER + "\n\n" + DISCLAIMER  # a paragraph of its own


async def test_a_name_in_use_is_replaced_only_after_a_yes(filled):
    filled.add_saved_reply("Medical disclaimer", "the old text")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "the new text")
        await pilot.press("ctrl+n")
        await fill(pilot, "MEDICAL DISCLAIMER")
        preview = str(app.screen.query_one("#preview", Static).render())
        assert preview == "replaces the saved reply Medical disclaimer (asks first)"
        await pilot.press("enter")
        assert isinstance(app.screen, Pick)  # replace it?
        await pilot.press("enter")  # the first choice keeps it
        assert filled.saved_replies() == [{"name": "Medical disclaimer", "text": "the old text"}]
        await pilot.press("ctrl+n")
        await fill(pilot, "MEDICAL DISCLAIMER")
        await pilot.press("enter", "y")
        assert filled.saved_replies() == [{"name": "MEDICAL DISCLAIMER", "text": "the new text"}]
        assert app.screen is editor


async def test_a_name_that_will_not_do_is_refused_in_the_dialog(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("ctrl+n")  # an empty draft is no reply
        assert app.screen is editor
        assert notices(app)[-1][0] == "warning" and "empty" in notices(app)[-1][1]
        await type_in(pilot, editor, "Some text")
        await pilot.press("ctrl+n")
        await fill(pilot, "x" * 61)
        preview = app.screen.query_one("#preview", Static)
        assert "at most 60 characters" in str(preview.render())
        await pilot.press("enter")  # refused: the dialog stays
        assert isinstance(app.screen, Ask)
        await pilot.press("escape")
        assert filled.saved_replies() == []


async def test_the_list_shows_renames_and_removes_after_a_yes(filled):
    filled.add_saved_reply("Medical disclaimer", DISCLAIMER)
    filled.add_saved_reply("See a clinician", "Please see [bold]your[/] doctor.")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await palette(pilot, "Saved replies")
        assert isinstance(app.screen, SavedReplies)
        screen = app.screen
        text = screen.query_one("#reply-text", Static)
        assert lines(text)[0].startswith(DISCLAIMER)
        await pilot.press("down")  # the text is shown as it is: no markup
        assert lines(text)[0].startswith("Please see [bold]your[/] doctor.")
        await pilot.press("r")
        assert isinstance(app.screen, Ask)
        assert app.screen.query_one(Input).value == "See a clinician"
        await fill(pilot, "medical disclaimer")  # the other one's name: refused
        assert "already" in str(app.screen.query_one("#preview", Static).render())
        await pilot.press("enter")
        assert isinstance(app.screen, Ask)
        await fill(pilot, "See your doctor")
        await pilot.press("enter")
        assert names(filled) == ["Medical disclaimer", "See your doctor"]
        assert screen.options.highlighted == 1  # still on it
        await pilot.press("delete")
        assert isinstance(app.screen, Pick)
        await pilot.press("escape")  # no
        assert names(filled) == ["Medical disclaimer", "See your doctor"]
        await pilot.press("delete", "y")
        assert names(filled) == ["Medical disclaimer"]
        assert screen.options.highlighted == 0
        await pilot.press("x", "y")
        assert names(filled) == []
        assert "No saved replies yet" in lines(text)[0]
        await pilot.press("r", "delete")  # nothing to rename or remove
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is app.queue_screen


async def test_a_co_hosts_reply_shows_up_in_the_list(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        other_host(filled).add_saved_reply("Theirs", "from jordan")
        app.refresh_from_disk()  # what the app does every second
        await palette(pilot, "Saved replies")  # from the editor too
        assert isinstance(app.screen, SavedReplies)
        options = app.screen.query_one(OptionList)
        assert "Theirs" in str(options.get_option_at_index(0).prompt)
        await pilot.press("escape")
        assert app.screen is editor


async def test_help_and_the_palette_name_the_new_keys(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        on_queue = [title for title, _help, _run in ScreenCommands(app.screen)._commands()]
        assert "Edit the internal notes" in on_queue
        assert "Saved replies: view, rename, remove" in on_queue
        await pilot.press("question_mark")
        assert isinstance(app.screen, Help)
        shown = "\n".join("\n".join(lines(static)) for static in app.screen.query(Static))
        for key, what in [
            ("N", "Edit the internal notes"),
            ("\\^n", "Save the draft as a saved reply"),
            ("r", "Rename the saved reply"),
            ("del/x", "Remove the saved reply"),
        ]:
            assert re.search(rf"(^|\s){key}\s+{what}", shown, re.MULTILINE), (key, what)
