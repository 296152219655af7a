"""The queue screen driven with Pilot on a small store: moving, filtering, views, every triage
action's effect on the store, conflicts with a co-host, their changes appearing, untrusted text."""

from __future__ import annotations

import threading

from textual.widgets import Input, OptionList

from qa_queue.model.question import Listener, Status
from qa_queue.tui.dialogs.ask import Ask
from qa_queue.tui.dialogs.pick import Pick
from qa_queue.tui.screens import queue as queue_screen
from qa_queue.tui.widgets.question_detail import QuestionDetail
from qa_queue.tui.widgets.queue_table import QueueTable
from qa_queue.tui.widgets.views_bar import ViewTab
from tests.tui.pilot import (
    SIZE,
    counted,
    detail_text,
    fill,
    lines,
    make_app,
    notices,
    other_host,
    question,
    shown_ids,
    table,
)

# -- opening, moving, filtering, views ------------------------------------------------------


async def test_opens_on_the_inbox_with_counts(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await counted(pilot)
        assert app.title == "Barbell Medicine Q&A"
        assert shown_ids(app) == [1, 2, 3]  # new questions, oldest first
        counts = {tab.view: tab.count for tab in app.screen.query(ViewTab)}
        assert counts == {
            "Inbox": 3,
            "Mine": 0,
            "Drafting": 0,
            "Ready": 0,
            "Answered": 0,
            "All": 5,  # declined ones included (snoozed ones would not be)
            "Snoozed": 0,
            "Declined": 1,
        }
        header, first = lines(table(app))[:2]
        assert header.split()[:4] == ["#", "status", "P", "title"]
        assert "Does low-dose naltrexone help fibromyalgia?" in first
        assert "Pat Listener" in first and "pain" in first and "2w" not in first
        assert first.rstrip().endswith("1w")  # 9 days: the age column, from the queue's clock
        assert "Does low-dose naltrexone help fibromyalgia?" in detail_text(app)


async def test_moving_the_cursor_shows_each_question(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert table(app).current_id == 2
        assert "Creatine and my kidney labs" in detail_text(app)
        await pilot.press("end")
        assert table(app).current_id == 3
        await pilot.press("k", "k", "k")  # stops at the top
        assert table(app).current_id == 1
        await pilot.press("down", "pagedown")
        assert table(app).current_id == 3
        await pilot.click(QueueTable, offset=(10, 2))  # header is line 0: line 2 is row 2
        assert table(app).current_id == 2
        shown = [b.binding.description for b in app.screen.active_bindings.values() if b.enabled]
        assert "Back" not in shown
        await pilot.press("enter")  # the question, whole: its pane fills the screen
        assert app.focused is app.screen.query_one(QuestionDetail)
        assert app.screen.maximized is app.screen.query_one(QuestionDetail)
        await pilot.pause()
        footer = [
            b.binding.description
            for b in app.screen.active_bindings.values()
            if b.enabled and b.binding.show
        ]
        assert footer[0] == "Back"  # the footer says how to go back, first
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is table(app) and app.screen.maximized is None
        shown = [b.binding.description for b in app.screen.active_bindings.values() if b.enabled]
        assert "Back" not in shown


async def test_filtering_for_a_word_and_clearing_it(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await fill(pilot, "fibromyalgia")
        await pilot.press("enter")
        assert shown_ids(app) == [1, 3]
        assert app.focused is table(app)
        await pilot.press("6")  # the filter narrows every view
        assert shown_ids(app) == [1, 3]
        await pilot.press("escape")
        assert shown_ids(app) == [1, 2, 3, 4, 5]
        assert not app.screen.query_one("#filter", Input).display


async def test_a_bad_filter_is_a_notice_not_a_crash(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await fill(pilot, "status:nope")
        await pilot.press("enter")
        assert shown_ids(app) == [1, 2, 3]  # the last good list stays
        assert any(s == "error" and "unknown status 'nope'" in m for s, m in notices(app))


async def test_switching_views_with_keys_and_mouse(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        assert shown_ids(app) == [5]
        await pilot.click("#view-all")
        assert shown_ids(app) == [1, 2, 3, 4, 5]
        assert app.screen.query_one("#view-all").has_class("-active")
        await pilot.press("2")  # Mine: austin has nothing yet
        assert shown_ids(app) == []
        assert "No question in Mine: 6 shows all of them." in detail_text(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.screen_stack[0].view == "Ready"


async def test_sorting_cycles_age_priority_asked(filled):
    filled.set_priority(2, 3)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert shown_ids(app) == [2, 3, 1]
        assert "sort: priority" in app.screen.sub_title
        await pilot.press("o", "o")
        assert shown_ids(app) == [1, 2, 3]


# -- triage actions ----------------------------------------------------------------------------


async def test_assign_a_host_from_the_picker(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, Pick)
        await pilot.press("down", "enter")  # Austin (you), [Jordan], Nobody
        assert filled.get(1).host == "jordan"
        assert 1 not in shown_ids(app)  # taken: it left the Inbox for Jordan's Mine
        await pilot.press("6")
        app.queue_screen.table.move_to(1)
        assert "host Jordan" in detail_text(app)
        await pilot.press("a", "end", "enter")
        assert filled.get(1).host is None


async def test_status_offers_only_allowed_steps(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        options = app.screen.query_one(OptionList)
        offered = {o.value: o.disabled for o in options._options}
        assert offered == {
            Status.TRIAGED: False,
            Status.DRAFTING: True,  # needs a host first
            Status.DECLINED: False,
            Status.DUPLICATE: True,  # that is what d is for
        }
        assert "assign a host first" in str(options._options[1].prompt)
        await pilot.press("enter")
        assert filled.get(1).status is Status.TRIAGED
        # triaged with no host, it waits in the Inbox for someone to take it
        assert shown_ids(app) == [1, 2, 3] and table(app).current_id == 1
        await pilot.press("a", "enter")  # taken: it leaves the Inbox, the cursor moves on
        assert shown_ids(app) == [2, 3] and table(app).current_id == 2


async def test_tags_with_completion(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        field = app.screen.query_one(Input)
        assert field.value == "pain "
        await pilot.press(*"sup")
        await pilot.pause()
        assert field._suggestion == "pain supplements"
        await pilot.press("right", "enter")  # accept the completion
        assert filled.get(1).tags == ["pain", "supplements"]
        await pilot.press("t")
        await fill(pilot, "sleep")
        await pilot.press("enter")
        assert filled.get(1).tags == ["sleep"]


async def test_priority_by_digit(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "3")
        assert filled.get(1).priority == 3
        assert lines(table(app))[1].split()[2] == "3"


async def test_decline_with_a_reason(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await fill(pilot, "not our field")
        await pilot.press("enter")
        declined = filled.get(1)
        assert declined.status is Status.DECLINED
        assert declined.decline_reason == "not our field"


async def test_duplicate_offers_the_most_similar_first(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")  # #3 "LDN for fibromyalgia pain, any trials?"
        await pilot.press("d")
        options = app.screen.query_one(OptionList)
        assert options._options[0].value == 1  # "Does low-dose naltrexone help fibromyalgia?"
        assert "% alike" in str(options._options[0].prompt)
        await fill(pilot, "kidney")  # narrowing by words of the title
        assert [o.value for o in options._options] == [2]
        await fill(pilot, "#1")
        assert [o.value for o in options._options] == [1]
        await pilot.press("enter")
        assert filled.get(3).status is Status.DUPLICATE
        assert filled.get(3).duplicate_of == 1
        assert filled.get(1).asked_count == 2


async def test_snooze_previews_the_date_before_confirming(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
        await fill(pilot, "in 2 weeks")
        assert isinstance(app.screen, Ask)
        preview = app.screen.query_one("#preview")
        assert "until Tue 08 Dec 00:00 (UTC)" in "".join(lines(preview))
        await fill(pilot, "yesterday")
        await pilot.press("enter")  # refused: not a later date
        assert isinstance(app.screen, Ask)
        assert preview.has_class("-error")
        await fill(pilot, "2026-12-01")
        await pilot.press("enter")
        assert filled.get(1).snoozed_until == "2026-12-01T00:00:00Z"
        assert any("Snoozed until Tue 01 Dec 00:00 (UTC)" in m for _, m in notices(app))
        assert 1 not in shown_ids(app)
        await pilot.press("7")
        assert shown_ids(app) == [1]


async def test_u_undoes_a_change_that_took_the_question_out_of_the_view(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
        await fill(pilot, "2026-12-01")
        await pilot.press("enter")
        assert 1 not in shown_ids(app)  # snoozed: it left the Inbox, the cursor is on #2
        await pilot.press("u")
        await pilot.pause()
        assert filled.get(1).snoozed_until is None
        assert 1 in shown_ids(app)
        assert filled.get(2).revision == 1  # the question under the cursor is untouched


async def test_add_to_an_episode_at_a_time(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "enter")
        await fill(pilot, "41:05")
        await pilot.press("enter")
        placed = filled.get(1)
        assert (placed.episode, placed.timestamp) == (212, "00:41:05")
        assert filled.episode(212).question_ids == [1]
        assert "episode 212 at 00:41:05" in detail_text(app)


async def test_undo_reverts_the_last_change(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "2")
        await pilot.press("u")
        assert filled.get(1).priority == 0
        assert any("Undid Austin's last change (priority): #1" in m for _, m in notices(app))


async def test_big_u_undoes_a_co_hosts_last_change_and_leaves_mine(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        other_host(filled).set_priority(1, 3)  # Jordan, then me
        for _ in range(2):  # the first is refused: the app had not seen Jordan's change yet
            await pilot.press("t")
            await fill(pilot, "fibro")
            await pilot.press("enter")
        assert filled.get(1).tags == ["fibro"]
        await pilot.press("U")
        await pilot.pause()
        assert filled.get(1).priority == 0 and filled.get(1).tags == ["fibro"]
        assert any("Undid Jordan's last change (priority): #1" in m for _, m in notices(app))


async def test_bulk_action_on_selected_questions(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "down", "space")  # select #1 and #3, not #2
        assert table(app).marked == {1, 3}
        assert "2 selected" in app.screen.sub_title
        assert lines(table(app))[1].startswith("●")
        await pilot.press("p", "2")
        assert [filled.get(i).priority for i in (1, 2, 3)] == [2, 0, 2]
        assert table(app).marked == set()  # done: the selection is cleared


async def test_a_bulk_change_is_undone_as_one(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")  # All
        await pilot.press("space", "down", "space", "space")  # #1, #3, #4 (space moves on)
        await pilot.press("t")
        await fill(pilot, "sleep")
        await pilot.press("enter")
        tagged = [i for i in (1, 2, 3, 4) if "sleep" in filled.get(i).tags]
        assert tagged == [1, 3, 4], (table(app).marked, notices(app))
        await pilot.press("u")  # on one of them: the whole bulk change goes
        assert [i for i in (1, 2, 3, 4) if "sleep" in filled.get(i).tags] == []
        assert any("Undid 'Tags changed' on 3 questions" in m for _, m in notices(app)), notices(
            app
        )
        table(app).move_to(1)
        await pilot.press("u")  # then undo is one question's again: #1 has nothing left
        assert notices(app)[-1] == ("error", "#1: question #1 has no change to undo")


async def test_a_bulk_undo_leaves_a_question_changed_since(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "down", "space")  # #1 and #3
        await pilot.press("p", "3")
        other_host(filled).set_priority(3, 1)  # Jordan changes #3 since
        app.refresh_from_disk()
        await pilot.pause()
        table(app).move_to(1)
        await pilot.press("u")
        assert (filled.get(1).priority, filled.get(3).priority) == (0, 1)
        assert any("1 of the 2 questions changed since" in m for _, m in notices(app))


async def test_new_question(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await fill(pilot, "Is sauna good after lifting?")
        await pilot.press("enter")  # on to the listener's words
        await fill(pilot, "I read it helps.")
        await pilot.press("tab")
        await fill(pilot, "Kim Lee")
        await pilot.press("ctrl+s")
        added = filled.get(6)
        assert (added.title, added.body, added.listener.name) == (
            "Is sauna good after lifting?",
            "I read it helps.",
            "Kim Lee",
        )
        assert table(app).current_id == 6


async def test_who_are_you_is_asked_once_then_the_action_retried(filled):
    filled.me = None
    remembered: list[str] = []
    app = make_app(filled, remembered)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "enter")  # "Me" (shown while the app does not know): take it
        assert isinstance(app.screen, Pick)  # which host are you?
        await pilot.press("down", "enter")  # Jordan
        assert filled.me == "jordan"
        assert remembered == ["jordan"]  # so the next start knows (the user's config)
        assert filled.get(1).host == "jordan"
        await pilot.press("2")  # Mine works now, without asking again
        assert sorted(shown_ids(app)) == [1, 4]  # Mine holds new questions assigned to me too


# -- several hosts at once ---------------------------------------------------------------------


async def test_a_stale_revision_is_a_notice_and_the_fresh_version_shows(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        jordan = other_host(filled)
        jordan.tag(1, add=["fibro"])  # while austin looks at revision 1
        await pilot.press("p", "3")
        assert filled.get(1).priority == 0  # nothing overwritten
        assert any(s == "warning" and "changed by Jordan" in m for s, m in notices(app))
        assert "tags pain fibro" in detail_text(app)
        await pilot.press("p", "3")  # on the fresh version it works
        assert filled.get(1).priority == 3


async def test_another_hosts_change_appears_after_a_refresh(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")  # on #2
        await pilot.press("slash", "s")  # typing a filter, not yet applied
        jordan = other_host(filled)
        jordan.take(1)  # Jordan takes #1 and triages it: it leaves the Inbox
        jordan.set_status(1, Status.TRIAGED)
        jordan.add(question("Is zone 2 special?", 0))
        assert app.refresh_from_disk() == {1, 6}
        await counted(pilot)
        assert shown_ids(app) == [2, 3, 6]
        assert table(app).current_id == 2  # the cursor stays on its question
        assert app.screen.query_one("#filter", Input).value == "s"
        assert app.screen.query_one("#view-inbox", ViewTab).count == 3
        assert app.refresh_from_disk() == set()  # nothing new: nothing re-read


async def test_a_word_filter_is_searched_again_in_a_worker_after_a_refresh(filled, monkeypatch):
    monkeypatch.setattr(queue_screen, "FEW_CHANGES", 1)  # many changes: the whole view again
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"fibromyalgia", "enter")  # applied: the table has the focus
        assert shown_ids(app) == [1, 3]
        await pilot.press("j")  # on #3
        threads: list[bool] = []
        find_in_steps = filled.find_in_steps

        def spy(text, sort="age", within=None, **options):
            threads.append(threading.current_thread() is threading.main_thread())
            return find_in_steps(text, sort, within, **options)

        monkeypatch.setattr(filled, "find_in_steps", spy)
        jordan = other_host(filled)
        jordan.add(question("Fibromyalgia and sleep", 0))
        jordan.tag(1, ["fibro"])
        assert app.refresh_from_disk() == {1, 6}
        assert shown_ids(app) == [1, 3]  # the keyboard was not held up by the text scan
        await counted(pilot)
        assert shown_ids(app) == [1, 3, 6]
        assert table(app).current_id == 3  # the cursor stays on its question
        assert threads == [False]  # searched once, in the filter's worker
        assert app.queue_screen.filter_text == "fibromyalgia"


# -- untrusted text ------------------------------------------------------------------------------


async def test_listener_text_is_shown_literally(queue):
    queue.add(
        question(
            "[bold]x[/] \x1b[31mred",
            1,
            body="[link=http://e.vil]y[/link] and \x1b]8;;http://e.vil\x07click\x1b]8;;\x07",
            listener=Listener(name="[i]Eve[/i]\x1b[2J"),
        )
    )
    app = make_app(queue)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        row = lines(table(app))[1]
        assert "[bold]x[/] ␛[31mred" in row
        assert "[i]Eve[/i]␛[2J" in row
        text = detail_text(app)
        assert "[bold]x[/] ␛[31mred" in text
        assert "[link=http://e.vil]y[/link] and ␛]8;;http://e.vil�click␛]8;;�" in text
        assert "\x1b" not in row + text


async def test_a_failing_refresh_is_told_once(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:

        def broken() -> set[int]:
            raise OSError("stale file handle")

        monkeypatch.setattr(filled.store, "refresh", broken)
        assert app.refresh_from_disk() == set()
        assert app.refresh_from_disk() == set()
        await pilot.pause()
        assert [s for s, m in notices(app) if "stale file handle" in m] == ["error"]


async def test_typing_a_filter_searches_in_a_worker_and_narrows(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.queue_screen
        await pilot.press("6", "slash")
        pools: list[int] = []
        find_in_steps = filled.find_in_steps

        def spy(text, sort="age", within=None, **options):
            pools.append(len(within) if within is not None else -1)
            return find_in_steps(text, sort, within, **options)

        monkeypatch.setattr(filled, "find_in_steps", spy)
        screen.filter_bar.search_as_typed("fibro")  # what a pause in typing starts
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_ids(app) == [1, 3]
        screen.filter_bar.search_as_typed(
            "fibromyalgia ldn"
        )  # typed on: only the two shown are searched
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_ids(app) == [3]
        assert pools == [5, 2]
        assert screen.filter_text == "fibromyalgia ldn"


async def test_an_empty_queue_says_how_to_bring_questions_in(queue):
    app = make_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        hint = " ".join(detail_text(app).split())
        assert "Press n to add a question, I to import a file of them" in hint
        await pilot.press("I")  # and I opens the import dialog
        from qa_queue.tui.dialogs.import_file import ImportFile

        assert isinstance(app.screen, ImportFile)
