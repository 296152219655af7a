"""Searching as the host types, at the size of a real queue: the first matches are shown while
the search goes on, typing on narrows only a complete result, and the texts are read once."""

from __future__ import annotations

import threading

from textual import events

from qa_queue.tui.widgets import filter_bar
from qa_queue.tui.widgets.filter_bar import FilterBar
from qa_queue.tui.widgets.title_bar import TitleBar
from tests.tui.pilot import SIZE, make_app, other_host, shown_ids, table


def title(app) -> str:
    return app.queue_screen.query_one(TitleBar).render_text()


async def searched(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_search_shows_its_first_rows_then_all_of_them(filled, monkeypatch):
    monkeypatch.setattr(filter_bar, "FIRST_ROWS", 1)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.queue_screen
        await pilot.press("6", "slash")
        counts: list[int] = []
        set_rows = screen.table.set_rows
        monkeypatch.setattr(
            screen.table,
            "set_rows",
            lambda rows, *a, **kw: (counts.append(len(rows)), set_rows(rows, *a, **kw)),
        )
        monkeypatch.setattr(filled, "find_in_steps", _one_at_a_time(filled.find_in_steps))
        screen.filter_bar.search_as_typed("fibromyalgia")
        await searched(pilot)
        # the first match on the screen (the search waited for it to be painted), then both
        assert counts == [1, 2]
        assert shown_ids(app) == [1, 3]
        assert "2 shown" in title(app) and "searching" not in title(app)


def _one_at_a_time(find_in_steps):
    def steps(text, sort="age", within=None, **options):
        return find_in_steps(text, sort, within, **{**options, "step": 1})

    return steps


async def test_first_rows_say_so_and_typing_on_searches_the_whole_view(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.queue_screen
        await pilot.press("6", "slash")
        generation = screen.filter_bar.generation
        first = [filled.store.summary(1)]
        shown = threading.Event()
        screen.post_message(FilterBar.Searched("fibro", generation, first, shown=shown))
        await pilot.pause()
        assert shown_ids(app) == [1]
        assert "1+ shown, searching…" in title(app)
        await pilot.pause()
        assert shown.is_set()  # the worker goes on once the first rows are on the screen
        pools: list[int] = []
        find_in_steps = filled.find_in_steps

        def spy(text, sort="age", within=None, **options):
            pools.append(len(within))
            return find_in_steps(text, sort, within, **options)

        monkeypatch.setattr(filled, "find_in_steps", spy)
        # narrows "fibro", but its result is not whole
        screen.filter_bar.search_as_typed("fibromyalgia")
        await searched(pilot)
        assert pools == [5]  # the view's five questions, not the one shown
        assert shown_ids(app) == [1, 3]


async def test_a_stale_first_result_is_let_go_and_not_shown(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.queue_screen
        before = shown_ids(app)
        shown = threading.Event()
        old = screen.filter_bar.generation - 1
        screen.post_message(FilterBar.Searched("x", old, [], shown=shown))
        await pilot.pause()
        assert shown.is_set()  # its worker is not left waiting
        assert shown_ids(app) == before
        screen.post_message(
            FilterBar.Searched("tag:", screen.filter_bar.generation - 1, [], "needs a value")
        )
        await pilot.pause()
        assert screen.filter_problem == ""  # what the host typed since is what counts


async def test_the_texts_are_read_once_not_at_every_look_for_changes(filled, monkeypatch):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await searched(pilot)
        assert filled.store.texts_kept
        reads: list[int] = []
        monkeypatch.setattr(filled.store, "keep_texts", lambda: reads.append(1))
        app.refresh_from_disk()
        other_host(filled).tag(1, ["fibro"])
        assert app.refresh_from_disk() == {1}
        await searched(pilot)
        assert reads == []  # the store keeps them up to date itself
        assert table(app).row_of(1)["tags"] == ["pain", "fibro"]


async def test_a_filter_typed_in_one_burst_goes_into_the_filter(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        # the keys arrive together (a paste, a fast typist, tmux), not one per idle loop
        for key, character in [("slash", "/"), ("n", "n"), ("a", "a"), ("l", "l")]:
            event = events.Key(key, character)
            event.set_sender(app)
            app._driver.send_message(event)  # as the terminal driver does; Pilot waits a key
        await pilot.pause()
        assert app.screen is app.queue_screen  # "n" did not open a new question
        assert app.queue_screen.query_one("#filter").value == "nal"
        await pilot.press("slash", "x")  # in the filter, "/" is a character like any other
        assert app.queue_screen.query_one("#filter").value == "nal/x"
