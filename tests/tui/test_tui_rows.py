"""After the host's own change, the queue looks again at the questions that changed, not at
every question: the right rows come and go and move, without a search of the whole queue."""

from __future__ import annotations

from qa_queue.model.question import Status
from qa_queue.views import VIEW_NAMES
from tests.tui.pilot import SIZE, counted, make_app, notices, other_host, question, shown_ids, table


def spy_on_searches(queue, monkeypatch) -> list[int]:
    """How many questions each search of the app looked at."""
    pools: list[int] = []
    find = queue.find

    def spy(text, sort="age", within=None):
        pools.append(len(within) if within is not None else len(queue.store))
        return find(text, sort, within=within)

    monkeypatch.setattr(queue, "find", spy)
    return pools


async def test_a_change_under_a_word_filter_looks_at_that_question_only(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6", "slash", *"fibromyalgia", "enter")
        assert shown_ids(app) == [1, 3]
        pools = spy_on_searches(filled, monkeypatch)
        await pilot.press("p", "3")
        assert filled.get(1).priority == 3
        assert pools == [1]  # not the whole queue again
        assert table(app).row_of(1)["priority"] == 3
        await pilot.press("o")  # sort by priority: #1 first
        assert shown_ids(app) == [1, 3]
        await pilot.press("j", "p", "3")  # #3 up to 3 as well: both 3, the older first
        assert shown_ids(app) == [1, 3]
        await pilot.press("p", "0")  # #3 down again: after #1
        assert shown_ids(app) == [1, 3]
        await pilot.press("k", "p", "0")  # #1 down to 0 too: the older (#1) first again
        assert shown_ids(app) == [1, 3]


async def test_rows_leave_and_move_as_their_questions_change(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")  # sort by priority: #3 (priority 1) first
        assert shown_ids(app) == [3, 1, 2]
        assert table(app).current_id == 1  # the cursor stayed on its question
        await pilot.press("p", "2")  # #1 to priority 2: it moves to the top
        assert shown_ids(app) == [1, 3, 2]
        assert table(app).current_id == 1  # the cursor went with it
        await pilot.press("x")
        await pilot.press(*"not ours", "enter")  # declined: it leaves the inbox
        assert filled.get(1).status is Status.DECLINED
        assert shown_ids(app) == [3, 2]


async def test_a_duplicate_moves_its_original_too(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o", "o")  # sort by asked: all asked once, oldest first
        assert shown_ids(app) == [1, 2, 3]
        await pilot.press("end", "d", "enter")  # #3 is a duplicate of #1 (the most alike)
        assert filled.get(1).asked_count == 2
        assert shown_ids(app) == [1, 2]  # #3 left the inbox, #1 (asked twice) leads
        assert table(app).row_of(1)["asked_count"] == 2


async def test_a_co_hosts_few_changes_are_looked_at_alone(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"fibromyalgia", "enter")
        await pilot.press("j")  # on #3
        pools = spy_on_searches(filled, monkeypatch)
        jordan = other_host(filled)
        jordan.add(question("Fibromyalgia and sleep", 0))
        jordan.tag(1, ["fibro"])
        jordan.set_status(3, Status.DECLINED)  # it leaves the inbox
        assert app.refresh_from_disk() == {1, 3, 6}
        await counted(pilot)
        assert shown_ids(app) == [1, 6]
        # each changed question alone, nothing else (and #3 against each view, to say where)
        assert set(pools) == {1} and len(pools) == 3 + len(VIEW_NAMES)
        assert table(app).row_of(1)["tags"] == ["pain", "fibro"]
        assert table(app).current_id == 6  # #3 left: the cursor stays at its place
        assert notices(app)[-1] == (
            "warning",
            "Jordan changed #3 (status: new -> declined), so it left Inbox: 8 shows Declined",
        )
        assert app.queue_screen.filter_text == "fibromyalgia"


async def test_switching_views_keeps_the_cursor_without_mapping_every_row(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")  # #3 in the inbox, at row 2
        await pilot.press("6")  # All
        assert shown_ids(app) == [1, 2, 3, 4, 5]
        assert table(app).current_id == 3
        # found by its sort key, not through an id -> row map of the whole list (~30 ms at 50k)
        assert table(app)._positions is None
        await pilot.press("o")  # by priority: #3 (priority 1) moves from row 2 to row 0
        assert table(app).current_id == 3 and table(app).cursor == 0
        assert table(app)._positions is None
