"""The import dialog (I) driven with Pilot: a forum thread, a CSV form export with a column
mapping and a rejected row, a broken JSON file; the report, look-alikes and the queue after it."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, ProgressBar, Static

from qa_queue.errors import BadInput
from qa_queue.model.question import Status
from qa_queue.tui.dialogs.import_file import ImportFile, PathSuggester, parse_mapping
from qa_queue.tui.screens.queue import QueueScreen
from tests.helpers import FIXTURES
from tests.tui.pilot import SIZE, detail_text, lines, make_app, shown_ids

THREAD = """\
# Low-dose naltrexone for fibromyalgia: does it help?

From: Sam Listener
Date: 2026-11-21 10:00

Does low-dose naltrexone help fibromyalgia pain? My doctor mentioned LDN for fibromyalgia.
"""

# Headers no form tool writes, so the columns need the mapping; the second row has no question.
FORM = (
    "When,Who,Ask us\r\n"
    '2026-11-22 08:00:00,Robin Park,"Is creatine safe with one kidney?\r\nAsking for me."\r\n'
    "2026-11-22 09:00:00,Lee,\r\n"
)


async def open_import(pilot) -> ImportFile:
    await pilot.press("I")
    assert isinstance(pilot.app.screen, ImportFile)
    return pilot.app.screen


async def run_import(pilot, path, mapping: str = "") -> str:
    """Fill the dialog, press enter, wait for the import's worker; the report as shown."""
    dialog = pilot.app.screen
    dialog.query_one("#import-mapping", Input).value = mapping
    field = dialog.query_one("#import-path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return report(dialog)


def report(dialog: ImportFile) -> str:
    """The report's text, one line per line it has (the screen may wrap them further)."""
    return str(dialog.query_one("#import-result", Static).content)


async def test_a_forum_thread_is_imported_with_its_lookalike_and_the_cursor_on_it(filled, tmp_path):
    # question 1 is answered on air in episode 212: the look-alike says so
    filled.assign(1, "austin")
    filled.set_answer(1, "It might.")
    for status in (Status.TRIAGED, Status.DRAFTING, Status.READY, Status.ANSWERED):
        filled.set_status(1, status)
    filled.add_to_episode(1, 212, "00:41:05")
    thread = tmp_path / "ldn-thread.txt"
    thread.write_text(THREAD, encoding="utf-8")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot)
        shown = await run_import(pilot, thread)
        assert "Added 1 (#6), skipped 0 already there, rejected 0." in shown
        on_screen = "\n".join(lines(dialog.query_one("#import-result", Static)))
        assert "Added 1 (#6)" in on_screen
        assert re.search(r"#6 looks like #1 .*in episode 212", shown), shown
        assert filled.get(6).title == "Low-dose naltrexone for fibromyalgia: does it help?"
        assert filled.get(6).similar_to[0]["id"] == 1  # a suggestion, never merged
        assert filled.get(6).duplicate_of is None
        bar = dialog.query_one(ProgressBar)
        assert (bar.progress, bar.total) == (1, 1)
        # the queue was read again underneath, the cursor on the new question
        queue_screen = app.queue_screen
        assert 6 in shown_ids(app)
        assert queue_screen.table.current_id == 6
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)
        assert "Low-dose naltrexone for fibromyalgia: does it help?" in detail_text(app)


async def test_a_csv_form_with_a_column_mapping_reports_the_rejected_row(filled, tmp_path):
    form = tmp_path / "form.csv"
    form.write_text(FORM, encoding="utf-8")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        shown = await run_import(pilot, form, "body=Ask us, name=Who, received_at=When")
        assert "Added 1 (#6), skipped 0 already there, rejected 1." in shown
        assert re.search(rf"\n  {re.escape(str(form))}: row 3 \(line 4\): \w", shown), shown
        assert (
            "Read as:\n  read as UTF-8, comma-separated\n  columns: 'When' = received at" in shown
        )
        robin = filled.get(6)
        assert robin.listener.name == "Robin Park"
        assert robin.body.startswith("Is creatine safe with one kidney?")
        assert app.queue_screen.table.current_id == 6
        # the same file again adds nothing
        shown = await run_import(pilot, form, "body=Ask us, name=Who, received_at=When")
        assert "Added 0, skipped 1 already there, rejected 1." in shown
        assert len(filled.store) == 6


async def test_a_broken_file_shows_one_line_and_adds_nothing(filled, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"questions": [{"title": "half', encoding="utf-8")
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot)
        shown = await run_import(pilot, broken)
        # one line (wrapped on screen): the file, the place, why
        assert shown.startswith(str(broken) + ":"), shown
        assert "not valid JSON" in shown
        assert "\n" not in shown
        assert len(filled.store) == 5
        assert not app.store_busy  # the app looks for other hosts' changes again
        # a missing file, and a bad mapping, are one line too
        shown = await run_import(pilot, tmp_path / "nowhere.csv")
        assert "cannot read the file" in shown
        shown = await run_import(pilot, broken, "question=Ask us")
        assert shown.startswith("CSV columns:")
        assert app.screen is dialog
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)
        assert shown_ids(app) == [1, 2, 3]


async def test_import_is_in_help_and_the_palette(filled):
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"import")
        await pilot.pause(0.3)  # the palette searches in a worker of its own
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportFile)


def test_mapping_splits_before_known_fields_only():
    assert parse_mapping("") is None
    assert parse_mapping("body=Your question, name=Your name") == {
        "body": "Your question",
        "name": "Your name",
    }
    # a column name may hold commas and equals signs
    assert parse_mapping("body=Sleep, shift work=yes?,tags=Topic") == {
        "body": "Sleep, shift work=yes?",
        "tags": "Topic",
    }
    for bad in ("Your question", "question=Ask", "body="):
        try:
            parse_mapping(bad)
        except BadInput as error:
            assert str(error).startswith("CSV columns:")
        else:
            raise AssertionError(bad)


async def test_path_completion_offers_the_folders_entries(tmp_path):
    (tmp_path / "listener-mail.mbox").write_text("", encoding="utf-8")
    (tmp_path / "forms").mkdir()
    (tmp_path / ".hidden").write_text("", encoding="utf-8")
    suggest = PathSuggester()
    assert await suggest.get_suggestion(f"{tmp_path}/li") == f"{tmp_path}/listener-mail.mbox"
    assert await suggest.get_suggestion(f"{tmp_path}/fo") == f"{tmp_path}/forms/"
    assert await suggest.get_suggestion(f"{tmp_path}/") == f"{tmp_path}/forms/"  # not .hidden
    assert await suggest.get_suggestion(f"{tmp_path}/.h") == f"{tmp_path}/.hidden"
    assert await suggest.get_suggestion(f"{tmp_path}/zz") is None
    assert await suggest.get_suggestion(f"{tmp_path}/nowhere/x") is None


async def test_a_large_export_is_imported_a_batch_at_a_time(filled, monkeypatch):
    import qa_queue.importers as importers
    from qa_queue.tui.dialogs import import_file

    monkeypatch.setattr(importers, "STREAM_FROM", 0)  # read as it goes, whatever its size
    monkeypatch.setattr(import_file, "BATCH", 1)
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_import(pilot)
        shown = await run_import(pilot, FIXTURES / "google_form.csv")
        assert "Added 3 (#6, #7, #8), skipped 0 already there, rejected 1." in shown
        assert "row 4" in shown
        bar = dialog.query_one("#import-progress", ProgressBar)
        assert (bar.total, bar.progress) == (3, 3)  # grown a batch at a time
        assert len(filled.store) == 8


async def test_a_large_export_that_goes_bad_keeps_what_came_before(filled, tmp_path, monkeypatch):
    import qa_queue.importers as importers
    from qa_queue.tui.dialogs import import_file

    monkeypatch.setattr(importers, "STREAM_FROM", 0)
    monkeypatch.setattr(import_file, "BATCH", 1)
    export = tmp_path / "export.csv"
    # 80 KB before the bad byte: past the 64 KB the encoding is guessed from (UTF-8 there)
    pad = " Asking for a friend." * 100
    rows = [
        f"11/{n % 28 + 1:02d}/2026 14:22:05,Ada {n},Is zone {n} special?{pad}\n" for n in range(40)
    ]
    export.write_bytes(
        b"Timestamp,Your name,What would you like to ask?\n"
        + "".join(rows).encode()
        + b"11/05/2026 14:22:05,Cy,Caf\xe9 au lait before squats?\n"
    )
    app = make_app(filled)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        shown = await run_import(pilot, export)
        assert shown.startswith(f"{export}: line 42: not UTF-8 text"), shown
        added = len(filled.store) - 5
        assert added > 0 and f"({added} added before that)" in shown
        await pilot.press("escape")
        await pilot.press("6")
        assert 6 in shown_ids(app)  # the queue shows what was added


@pytest.mark.meanings
async def test_meanings_an_import_leaves_unread_are_read_after_it(tmp_path, monkeypatch):
    """An import of more than meanings.INLINE: look-alikes by words at once, then the app
    reads the meanings on a Store of its own and notes the look-alikes by meaning."""
    from qa_queue import look_alikes
    from qa_queue.model.question import Question
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store

    monkeypatch.setattr(look_alikes, "INLINE", 1)
    queue = QuestionQueue(Store(tmp_path / "q.json"), me="austin")
    queue.add(
        Question(
            title="Is coffee bad for my blood pressure?",
            body="Is it?",
            received_at="2026-11-21T08:00:00Z",
        )
    )
    csv = tmp_path / "form.csv"
    csv.write_text(
        "Timestamp,Name,Question\n"
        "2026-11-22 08:00:00,Robin,Does caffeine raise hypertension risk?\n"
        "2026-11-22 09:00:00,Lee,Which barbell should I buy for a garage gym?\n",
        encoding="utf-8",
    )
    app = make_app(queue)
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        shown = await run_import(pilot, csv)
        assert "the meanings of 2 new questions are being read in the background" in shown
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        notices = [n.message for n in pilot.app._notifications]
        assert any("1 imported question look like others" in n for n in notices), notices
    assert [s["id"] for s in QuestionQueue(Store(tmp_path / "q.json")).get(2).similar_to] == [1]
