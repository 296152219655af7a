"""Dialogs that hold typed text, driven with Pilot: the internal-notes editor (N), with a
co-host's change meanwhile refused and the text kept; esc in "New question" asking before
throwing typed text away; and the footer keeping "Help" whole at 80 columns."""

from __future__ import annotations

import pytest
from textual.widgets import Label, TextArea
from textual.widgets._footer import FooterKey

from qa_queue.tui.dialogs.new_question import NewQuestion
from qa_queue.tui.dialogs.notes import NotesEditor
from qa_queue.tui.dialogs.pick import Pick
from qa_queue.tui.screens.queue import QueueScreen
from qa_queue.tui.widgets.footer import KeysFooter
from tests.tui.pilot import SIZE, detail_text, fill, lines, make_app, notices, other_host


def notes_area(app) -> TextArea:
    return app.screen.query_one("#notes", TextArea)


def problem(app) -> str:
    label = app.screen.query_one("#notes-problem", Label)
    return str(label.render()) if label.display else ""


# -- internal notes ----------------------------------------------------------------------------


async def test_notes_are_written_saved_and_shown_in_the_detail_pane(filled):
    filled.set_notes(1, "Ask Jordan: she saw the trial.")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        assert isinstance(app.screen, NotesEditor)
        assert notes_area(app).text == "Ask Jordan: she saw the trial."
        notes_area(app).insert("\nCheck the [bold]dose[/].")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, QueueScreen)
        assert filled.get(1).notes == "Ask Jordan: she saw the trial.\nCheck the [bold]dose[/]."
        assert filled.get(1).history[-1].action == "notes"
        assert "Internal notes\nAsk Jordan: she saw the trial.\nCheck the [bold]dose[/]." in (
            detail_text(app)
        )
        assert ("information", "Notes on #1 saved") in notices(app)
        await pilot.press("N", "ctrl+s")  # nothing changed: nothing saved, nothing said
        assert isinstance(app.screen, QueueScreen)
        assert len(filled.get(1).history) == 3


async def test_a_co_hosts_change_meanwhile_keeps_my_text_and_saves_on_theirs(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        notes_area(app).insert("Mine.")
        other_host(filled).set_notes(1, "Theirs.")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NotesEditor)  # refused: the dialog and my text stay
        assert filled.get(1).notes == "Theirs."
        assert notes_area(app).text == "Mine."
        assert problem(app).startswith("Jordan changed #1 meanwhile (its notes too)")
        await pilot.press("ctrl+s")  # on their version now, knowingly
        assert isinstance(app.screen, QueueScreen)
        assert filled.get(1).notes == "Mine."


async def test_esc_with_changed_notes_asks_first(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N", "escape")  # nothing typed: just closes
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("N")
        notes_area(app).insert("Half a thought")
        await pilot.press("escape")
        assert isinstance(app.screen, Pick)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, NotesEditor)
        assert notes_area(app).text == "Half a thought"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, QueueScreen)
        assert filled.get(1).notes == ""


async def test_notes_ask_who_i_am_first(filled):
    filled.me = None
    app = make_app(filled, [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        assert isinstance(app.screen, Pick)  # which host are you?
        await pilot.press("enter")
        assert isinstance(app.screen, NotesEditor)


# -- a new question ----------------------------------------------------------------------------


async def test_esc_in_a_new_question_asks_before_throwing_typed_text_away(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "escape")  # nothing typed: closes at once
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("n")
        await fill(pilot, "Is sauna good after lifting?")
        await pilot.press("escape")
        assert isinstance(app.screen, Pick)
        await pilot.press("escape")  # esc again is "no": back to the form, text and all
        assert isinstance(app.screen, NewQuestion)
        await pilot.press("escape", "enter")  # enter takes the first choice: keep writing
        assert isinstance(app.screen, NewQuestion)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, QueueScreen)
        assert len(filled.store) == 5  # nothing added


async def test_quitting_with_a_new_question_or_notes_typed_asks_first(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await fill(pilot, "Is sauna good after lifting?")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, Pick)
        assert "lose the new question you typed" in str(app.screen.query_one(Label).render())
        await pilot.press("n")  # keep working: the form is there with its text
        assert isinstance(app.screen, NewQuestion)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert app.return_code == 0 and len(filled.store) == 5


async def test_quitting_with_notes_typed_asks_first(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        assert isinstance(app.screen, NotesEditor)
        await pilot.press(*"check the trial")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, Pick)
        assert "your changes to #1's notes" in str(app.screen.query_one(Label).render())
        await pilot.press("escape")
        assert isinstance(app.screen, NotesEditor)


async def test_the_cancel_button_asks_too(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "tab")
        await fill(pilot, "Only the listener's words")
        await pilot.click("#cancel")
        assert isinstance(app.screen, Pick)
        await pilot.press("y")
        assert isinstance(app.screen, QueueScreen)


# -- the footer --------------------------------------------------------------------------------


def footer_fits(app) -> None:
    footer = app.screen.query_one(KeysFooter)
    keys = list(footer.query(FooterKey))
    palette = next(k for k in keys if k.has_class("-command-palette"))
    help_key = next(k for k in keys if k.action.endswith("help"))
    assert help_key.region.right <= palette.region.x, (help_key.region, palette.region)


@pytest.mark.parametrize("size", [(80, 24), SIZE])
async def test_help_shows_whole_in_the_footer(filled, size):
    app = make_app(filled)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        footer_fits(app)
        await pilot.press("enter")  # the focus on the detail pane
        footer_fits(app)
        await pilot.press("r")  # the draft editor
        await pilot.pause()
        footer_fits(app)
        await pilot.press("escape", "E")  # episodes
        await pilot.pause()
        footer_fits(app)
        await pilot.press("enter")  # one episode
        await pilot.pause()
        footer_fits(app)


async def test_a_new_shows_first_host_is_added_from_the_app(store, clock):
    from datetime import UTC

    from qa_queue.model.question import Question
    from qa_queue.queue import QuestionQueue
    from qa_queue.tui.dialogs.ask import Ask

    queue = QuestionQueue(store, me=None, clock=clock, zone=UTC)
    queue.add(
        Question(title="Creatine?", body="Is creatine safe?", received_at="2026-11-01T09:00:00Z")
    )
    remembered: list[str] = []
    app = make_app(queue, remembered)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "enter")  # "Me": who is that, in a database with no hosts?
        assert isinstance(app.screen, Ask)
        await fill(pilot, "Zoë Marz")
        preview = app.screen.query_one("#preview")
        assert "adds host 'zoe', Zoë Marz: you" in "".join(lines(preview))
        await pilot.press("enter")
        await pilot.pause()
        assert [(h.id, h.name) for h in queue.hosts()] == [("zoe", "Zoë Marz")]
        assert queue.me == "zoe" and remembered == ["zoe"]
        assert queue.get(1).host == "zoe"  # and the action it was asked for went on
