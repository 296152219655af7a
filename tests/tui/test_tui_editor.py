"""The draft editor driven with Pilot: autosave, word count and spoken length, saved replies,
references, "make this the answer", a co-host's change while typing, untrusted text."""

from __future__ import annotations

from textual.widgets import Label, OptionList

from qa_queue.errors import DatabaseError
from qa_queue.model.question import Listener, Status
from qa_queue.tui.dialogs.pick import Pick
from qa_queue.tui.dialogs.reference_form import ReferenceForm
from qa_queue.tui.screens.draft import AUTOSAVE_AFTER, DraftEditor
from qa_queue.tui.screens.queue import QueueScreen
from qa_queue.tui.widgets.question_pane import QuestionPane
from qa_queue.tui.widgets.text_line import TextLine
from tests.tui.pilot import (
    SIZE,
    area,
    fill,
    lines,
    make_app,
    notices,
    open_editor,
    other_host,
    question,
    type_in,
)

DISCLAIMER = "This is general information, not medical advice."


def stats(editor: DraftEditor) -> str:
    return "".join(lines(editor.query_one("#draft-stats", TextLine)))


def my_draft(queue, question_id: int = 1) -> str | None:
    draft = queue.get(question_id).drafts.get("austin")
    return draft.text if draft else None


async def test_typing_is_saved_once_typing_stops_and_on_leaving(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, on=3)
        await type_in(pilot, editor, "LDN trials are small.")
        assert editor.autosave_pending and editor._timer is not None
        assert AUTOSAVE_AFTER == 1.0
        assert my_draft(filled, 3) is None  # not before typing stops
        assert "unsaved" in stats(editor)
        editor.autosave()  # what the timer runs a second after the last key
        await pilot.pause()
        assert my_draft(filled, 3) == "LDN trials are small."
        assert "saved 12:00:00" in stats(editor)
        await type_in(pilot, editor, " Two of them.")
        await pilot.press("escape")  # leaving saves what is left
        assert my_draft(filled, 3) == "LDN trials are small. Two of them."
        assert isinstance(app.screen, QueueScreen)
        assert app.queue_screen.table.current_id == 3  # back on the same question


async def test_word_count_and_spoken_length(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        assert stats(editor).startswith("0 words · about 0:00 spoken")
        await type_in(pilot, editor, " ".join(["word"] * 312))
        assert stats(editor).startswith("312 words · about 2:05 spoken")


async def test_a_saved_reply_is_inserted_at_the_cursor(filled):
    filled.set_saved_replies([{"name": "Medical disclaimer", "text": DISCLAIMER}])
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "Short answer: maybe.")
        area(editor).move_cursor((0, 0))
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, Pick)
        assert "Medical disclaimer" in str(app.screen.query_one(OptionList)._options[0].prompt)
        await pilot.press("enter")
        assert area(editor).text == DISCLAIMER + " Short answer: maybe."  # not glued on
        area(editor).move_cursor(area(editor).document.end)
        await pilot.press("ctrl+r", "enter")
        # after a finished sentence at the end of a line: a paragraph of its own
        assert area(editor).text.endswith("maybe.\n\n" + DISCLAIMER)
        assert app.focused is area(editor)


async def test_references_are_added_edited_and_removed(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, ReferenceForm)
        await fill(pilot, "Younger 2013, LDN in fibromyalgia")
        await pilot.press("enter")
        await fill(pilot, "10.1002/art.37734")
        preview = "".join(lines(app.screen.query_one("#preview", Label)))
        assert "links to https://doi.org/10.1002/art.37734" in preview
        await pilot.press("enter")
        refs = filled.get(1).references
        assert [(r.title, r.url) for r in refs] == [
            ("Younger 2013, LDN in fibromyalgia", "10.1002/art.37734")
        ]
        listed = editor.query_one("#draft-references", OptionList)
        assert "Younger 2013" in str(listed._options[0].prompt)
        await pilot.press("tab")  # from the draft to the references
        assert app.focused is listed
        await pilot.press("enter")  # edit the highlighted one
        await fill(pilot, "Younger et al. 2013")
        await pilot.press("ctrl+s")
        assert filled.get(1).references[0].title == "Younger et al. 2013"
        await pilot.press("delete")
        assert filled.get(1).references == []


async def test_make_this_the_answer_then_mark_it_ready(filled):
    filled.assign(1, "austin")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # Mine: taken, it is no longer in the Inbox
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "The trials are small and short.\n\nMore later.")
        await pilot.press("ctrl+t")
        answered = filled.get(1)
        assert answered.answer is not None
        assert answered.answer.text == "The trials are small and short.\n\nMore later."
        assert answered.answer.host == "austin"
        assert isinstance(app.screen, Pick)  # mark it ready?
        assert "via drafting" in str(app.screen.query_one(OptionList)._options[0].prompt)
        await pilot.press("enter")
        assert filled.get(1).status is Status.READY
        assert [h.action for h in filled.get(1).history][-2:] == ["status", "status"]
        assert any("#1 is ready" in m for _, m in notices(app))
        await pilot.press("escape")  # back on Mine, which holds ready questions too
        assert 1 in [row["id"] for row in app.queue_screen.table.rows]
        await pilot.press("4")
        assert app.queue_screen.table.current_id == 1


async def test_without_a_host_it_offers_to_take_it_first(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "An answer.")
        await pilot.press("ctrl+t")
        assert filled.get(1).answer is not None
        assert isinstance(app.screen, Pick)  # nobody has it: take it, then ready
        assert "Take it and mark it ready" in str(
            app.screen.query_one(OptionList)._options[0].prompt
        )
        await pilot.press("enter")
        question = filled.get(1)
        assert (question.host, question.status) == ("austin", Status.READY)
        assert not any("Not ready yet" in m for _, m in notices(app))


async def test_a_co_hosts_change_while_typing_keeps_the_text(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "My careful take.")
        jordan = other_host(filled)
        jordan.save_draft(1, "Jordan's view.")
        jordan.tag(1, add=["fibro"])
        assert app.refresh_from_disk() == {1}
        await pilot.pause()
        shown = "\n".join(editor.query_one(QuestionPane).all_lines())
        assert "Jordan's take  2 words" in shown and "Jordan's view." in shown
        await pilot.press("ctrl+s")  # the first try meets the conflict, the second goes through
        assert area(editor).text == "My careful take."
        assert any(s == "warning" and "changed by Jordan" in m for s, m in notices(app))
        saved = filled.get(1)
        assert saved.drafts["austin"].text == "My careful take."
        assert saved.drafts["jordan"].text == "Jordan's view."  # nothing of theirs overwritten
        assert "fibro" in saved.tags


async def test_a_save_refused_once_goes_through_on_the_next_try(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "Kept.")
        other_host(filled).set_priority(1, 2)
        assert editor.save() is False  # stale: the text stays, the question is re-read
        assert area(editor).text == "Kept." and editor.unsaved
        assert editor.autosave_pending  # and the next save is already on its way
        editor.autosave()
        assert my_draft(filled) == "Kept."
        assert filled.get(1).priority == 2


async def test_listener_text_stays_literal_beside_the_draft(queue):
    queue.add(
        question(
            "[bold]x[/] \x1b[31mred",
            1,
            body="[link=http://e.vil]y[/link] \x1b]8;;http://e.vil\x07click",
            listener=Listener(name="[i]Eve[/i]"),
        )
    )
    app = make_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        shown = "\n".join(editor.query_one(QuestionPane).all_lines())
        assert "[bold]x[/] ␛[31mred" in shown
        assert "[link=http://e.vil]y[/link]" in shown  # the pane may wrap between the two
        assert "␛]8;;http://e.vil�click" in shown
        assert "[i]Eve[/i] asks" in shown
        assert "\x1b" not in shown


async def test_the_editor_asks_who_i_am_first(filled):
    filled.me = None
    remembered: list[str] = []
    app = make_app(filled, remembered)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, Pick)
        await pilot.press("down", "enter")  # Jordan
        assert isinstance(app.screen, DraftEditor)
        assert app.screen.sub_title == "Jordan's draft of #1"
        assert remembered == ["jordan"]


async def test_quitting_saves_the_draft(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "Said before quitting.")
        await pilot.press("ctrl+q")
    assert my_draft(filled) == "Said before quitting."


async def test_a_closed_terminal_saves_the_draft_first(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "Typed as the terminal closed.")
        app.hung_up()  # SIGHUP: no one is there to ask
        await pilot.pause()
    assert my_draft(filled) == "Typed as the terminal closed."


async def test_the_editor_is_reused_for_the_next_question(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, on=1)
        await type_in(pilot, editor, "About LDN.")
        await pilot.press("escape", "j", "r")  # the next question, in the same editor
        assert app.screen is editor
        assert editor.sub_title == "Austin's draft of #2"
        assert area(editor).text == ""
        assert "Creatine and my kidney labs" in "\n".join(
            editor.query_one(QuestionPane).all_lines()
        )
        await type_in(pilot, editor, "About creatine.")
        await pilot.press("escape")
        assert (my_draft(filled, 1), my_draft(filled, 2)) == ("About LDN.", "About creatine.")


async def test_the_palette_offers_the_editors_actions(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        filled.assign(1, "austin")
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "The answer.")
        await pilot.press("ctrl+p")
        await pilot.press(*"make this")
        await pilot.pause(0.3)  # the palette searches in a worker of its own
        await pilot.press("enter")
        await pilot.pause()
        assert filled.get(1).answer is not None
        assert isinstance(app.screen, Pick)  # and the offer to mark it ready


async def test_a_draft_that_cannot_be_saved_is_kept_for_the_session(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "Not lost.")

        def full_disk(*_args, **_kwargs):
            raise DatabaseError("the disk is full")

        monkeypatch.setattr(filled, "save_draft", full_disk)
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)
        assert any(s == "error" and "kept while the app runs" in m for s, m in notices(app))
        monkeypatch.undo()
        await pilot.press("r")  # the same question: the text comes back, and is saved soon
        assert area(editor).text == "Not lost."
        assert editor.autosave_pending
        editor.autosave()
        assert my_draft(filled) == "Not lost."


async def test_quitting_with_a_draft_that_cannot_be_saved_asks_first(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "Not lost.")

        def read_only(*_args, **_kwargs):
            raise DatabaseError("the database is read-only")

        monkeypatch.setattr(filled, "save_draft", read_only)
        await pilot.press("escape", "q")
        assert isinstance(app.screen, Pick)
        assert "your draft of #1 (it could not be saved)" in str(
            app.screen.query_one(Label).render()
        )
        await pilot.press("n")
        assert isinstance(app.screen, QueueScreen) and app.return_code is None


async def test_a_slash_typed_in_the_draft_is_a_character_not_the_queues_filter(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        area(editor).clear()
        await pilot.press("a", "slash", "b")  # "/" is the queue's priority key, there only
        assert area(editor).text == "a/b"
        assert isinstance(app.screen, DraftEditor)
        assert not app.queue_screen.query_one("#filter").display


async def test_a_co_hosts_new_answer_shows_as_it_arrives_and_is_replaced_only_after_a_yes(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "My careful take.")
        jordan = other_host(filled)
        jordan.set_answer(1, "Jordan's final word.")
        assert app.refresh_from_disk() == {1}
        await pilot.pause()
        shown = "\n".join(editor.query_one(QuestionPane).all_lines())
        assert "The answer, by Jordan" in shown and "Jordan's final word." in shown
        assert area(editor).text == "My careful take."  # my text untouched
        told = [m for _s, m in notices(app) if "Jordan changed #1" in m]
        assert told and "answer: written, Jordan's (3 words)" in told[-1]

        await pilot.press("ctrl+t")  # make mine the answer: asks first
        assert isinstance(app.screen, Pick)
        assert "already has Jordan's final answer" in str(app.screen._title)
        await pilot.press("enter")  # the first choice keeps theirs
        assert isinstance(app.screen, DraftEditor)
        assert filled.get(1).answer.text == "Jordan's final word."

        await pilot.press("ctrl+t")
        await pilot.press("y")  # replace, on purpose
        await pilot.pause()
        answer = filled.get(1).answer
        assert (answer.host, answer.text) == ("austin", "My careful take.")


async def test_joiners_typed_one_by_one_stay_in_the_draft(filled):
    from textual import events

    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        area(editor).clear()
        for character in "👨\u200d👩\u200d👧 می\u200cخواهم":
            await area(editor)._on_key(events.Key(character, character))
        await pilot.pause()
        assert area(editor).text == "👨\u200d👩\u200d👧 می\u200cخواهم"


async def test_my_draft_saved_in_another_window_is_pointed_out(filled):
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store

    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await type_in(pilot, editor, "Tab one. ")
        editor.autosave()
        other_tab = QuestionQueue(Store(filled.store.path), me="austin", clock=filled.clock)
        other_tab.save_draft(1, "Tab two.")
        assert app.refresh_from_disk() == {1}
        await pilot.pause()
        assert any(
            s == "warning" and "changed in another window of yours" in m for s, m in notices(app)
        )
        assert "Tab one." in area(editor).text  # the text here is as it was
