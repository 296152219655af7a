"""The import dialog (I): a file of listener questions brought in from the app, as `qa-queue
import` does from the command line (issue 4), with a progress bar and the import's report.

Reading and adding run in a thread worker; the app stops looking for other hosts' changes
meanwhile (QaQueueApp.store_busy), since the store is not safe to read on one thread while
another writes it. A file is one transaction, except a large CSV export or mbox, which is read
as it goes and committed a thousand questions at a time, as the command line does: closing the
dialog while it runs cancels the batch under way, and the dialog says what was added before.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from ...errors import BadInput, QaQueueError
from ...importers import EXTENSIONS, ImportBatch, stream_file
from ...importers.columns import MAPPING_KEYS
from ...importers.common import place
from ...importing import FROM_THE_SHOW, id_list, recognised_words
from ...model.dates import host_zone
from ...text import clip
from ..host_app import HostApp
from ..meaning_reader import read_meanings_after_import
from ..text import literal, one_line

if TYPE_CHECKING:
    from ...queue import ImportResult, QuestionQueue

LOOKALIKES_SHOWN = 10  # the report names this many new questions that look like older ones
BATCH = 1000  # questions a transaction when a large file is read as it goes
_MAPPING_FIELD = re.compile(r"(?:^|,)\s*(" + "|".join(MAPPING_KEYS) + r")\s*=")


def parse_mapping(text: str) -> dict[str, str] | None:
    """`body=Your question, name=Your name` as {"body": "Your question", "name": "Your name"}.

    Split only before a known field name, so a column name may itself hold commas.
    """
    text = text.strip()
    if not text:
        return None
    starts = list(_MAPPING_FIELD.finditer(text))
    if not starts or starts[0].start() != 0:
        raise BadInput(
            f"CSV columns: write FIELD=COLUMN, e.g. body=Your question (fields: "
            f"{', '.join(MAPPING_KEYS)}), not {one_line(text)}"
        )
    mapping = {}
    for match, after in zip(starts, [*starts[1:], None], strict=True):
        column = text[match.end() : after.start() if after else len(text)].strip()
        if not column:
            raise BadInput(f"CSV columns: which column is {match.group(1)}?")
        mapping[match.group(1)] = column
    return mapping


class PathSuggester(Suggester):
    """Completes a path with the first entry of its folder that starts with what is typed
    (folders end in a slash); the folder is listed once per look, the suggester caches."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder, _, start = value.rpartition("/")
        where = (
            Path(os.path.expanduser(folder)) if folder else Path("/" if value[0] == "/" else ".")
        )
        try:
            names = sorted(
                entry.name + ("/" if entry.is_dir() else "")
                for entry in os.scandir(where)
                # hidden files only once a dot is typed
                if entry.name.startswith(start) and (start or not entry.name.startswith("."))
            )
        except OSError:
            return None
        if not names or names[0] == start:
            return None
        return value + names[0][len(start) :]


@dataclass
class ImportReport:
    """What one import did, worked out in the worker for the dialog to show."""

    path: str
    added: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    # what the importer guessed: encoding, delimiter, which column is what; repeated rows
    notes: list[str] = field(default_factory=list)
    lookalikes: list[str] = field(default_factory=list)
    error: str = ""
    joined: list[int] = field(default_factory=list)  # questions a follow-up joined
    recognised: Counter[str] = field(default_factory=Counter)
    meanings_unread: int = 0  # too many to read during the import: read after it


class ImportFinished(Message):
    """The import worker is done (or failed, or was cancelled with the dialog)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


class ImportCancelled(Exception):
    """Raised inside a batch's transaction when the dialog closed: that batch is not added."""


def describe(report: ImportReport) -> Text:
    """The report as the dialog shows it: counts, each rejected part, look-alikes."""
    if report.error:
        return Text(one_line(report.error), style="bold red")
    text = Text()
    extra = recognised_words(report.joined, report.recognised)
    text.append(
        f"Added {len(report.added)}{id_list(report.added)}, "
        + "".join(f"{words}, " for words in extra)
        + f"skipped {len(report.skipped)} already there, rejected {len(report.rejected)}.",
        style="bold",
    )
    if report.notes:
        text.append("\n\nRead as:")
        for note in report.notes:
            text.append("\n  " + one_line(note))
    if report.rejected:
        text.append("\n\nRejected (the rest of the file was imported):")
        for reason in report.rejected:
            text.append("\n  " + one_line(reason))  # names the file and the row or message
    if report.lookalikes:
        text.append("\n\nLook-alikes, for you to confirm (d on the question marks it):")
        for line in report.lookalikes:
            text.append("\n  " + line)
    if report.meanings_unread:
        text.append(
            f"\n\nLook-alikes by words for now: the meanings of {report.meanings_unread} new "
            "questions are being read in the background (30-100 a second); their "
            "look-alikes by meaning follow."
        )
    return text


class ImportFile(ModalScreen[int | None]):
    """Asks for a file (and CSV columns), imports it, shows the report; dismisses with the first
    added question's id (or None)."""

    app: HostApp
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, queue: QuestionQueue, hosts: list[str]) -> None:
        """`hosts`: the hosts' names, so a thread's reply by one of them is taken as the answer."""
        super().__init__(classes="dialog-screen")
        self.queue = queue
        self.hosts = hosts
        self.running = False
        self.first_added: int | None = None
        self.added_so_far = 0  # by the worker: batches of a large file committed so far

    def compose(self) -> ComposeResult:
        kinds = " ".join(sorted(EXTENSIONS))
        with Vertical(classes="dialog -wide", id="import"):
            yield Label(Text("Import questions from a file"), classes="dialog-title")
            yield Input(
                placeholder="path of the file (→ completes it)",
                suggester=PathSuggester(),
                id="import-path",
            )
            yield Input(
                placeholder="columns, if not recognised: body=Your question, credit=3",
                id="import-mapping",
            )
            yield ProgressBar(id="import-progress", show_eta=False)
            with VerticalScroll(id="import-result-scroll"):
                yield Static(id="import-result")
            note = f"Reads {kinds}. A file imported twice adds nothing. enter: import, esc: close"
            yield Label(Text(note), classes="dialog-note")

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def start(self) -> None:
        if self.running:
            return
        path = self.query_one("#import-path", Input).value.strip()
        result = self.query_one("#import-result", Static)
        if not path:
            result.update(Text("Which file? Type its path.", style="bold red"))
            return
        try:
            mapping = parse_mapping(self.query_one("#import-mapping", Input).value)
        except BadInput as error:
            result.update(Text(one_line(str(error)), style="bold red"))
            return
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        result.update(Text(f"Reading {literal(path)}…"))
        self.running = True
        self.app.store_busy = True
        self._import(Path(os.path.expanduser(path)), mapping)

    # a description, or Textual writes one with repr() of every argument
    @work(thread=True, exclusive=True, group="import", description="importing a file")
    def _import(self, path: Path, mapping: dict[str, str] | None) -> None:
        worker = get_current_worker()
        report = ImportReport(str(path))
        try:
            for number, batch in enumerate(
                stream_file(
                    path,
                    mapping=mapping,
                    hosts=self.hosts,
                    size=BATCH,
                    now=self.queue.now(),
                    known=self.queue.known(),
                    zone=host_zone(self.queue.zone),
                )
            ):
                report.rejected += batch.rejected
                report.notes += batch.notes
                result = self._import_batch(batch, worker, first=number == 0)
                report.added += result.added
                report.skipped += result.skipped
                report.joined += result.joined
                report.meanings_unread += result.meanings_unread
                report.recognised += batch.recognised
                report.rejected += [place(str(path), w, FROM_THE_SHOW) for w in result.unjoined]
                self.added_so_far = len(report.added)
            report.lookalikes = self._lookalikes(report.added)
        except ImportCancelled:
            if report.added:  # batches before the one cancelled: the queue shows them
                self.app.call_from_thread(self.app.questions_imported, set(report.added), None)
            return
        except (QaQueueError, OSError) as error:
            # a large file that goes bad part-way keeps the batches before (each question
            # whole): say so, as importing it again after fixing it adds only the rest
            done = f" ({len(report.added)} added before that)" if report.added else ""
            report.error = f"{error}{done}"
        finally:
            self.app.store_busy = False
        self.post_message(ImportFinished(report))

    def _import_batch(self, batch: ImportBatch, worker: Worker, first: bool) -> ImportResult:
        """One transaction, with the progress bar following it: a whole file goes from 0 to
        its count; the batches of a large one move it forward a batch at a time."""
        total = len(batch.questions)
        step = max(1, total // 100)  # each call_from_thread waits for the app: ~100 calls
        if first:
            self.app.call_from_thread(self._show_progress, 0, total)
        else:  # a large file: its length is not known ahead, the bar grows with it
            self.app.call_from_thread(self._grow_progress, total)
        handled = shown = 0

        def progress(count: int) -> None:
            nonlocal handled, shown
            if worker.is_cancelled:
                raise ImportCancelled  # inside the transaction: this batch is not committed
            handled += count
            if handled - shown >= step or handled == total:
                self.app.call_from_thread(self._advance_progress, handled - shown)
                shown = handled

        return self.queue.import_questions(
            batch.questions, links=batch.duplicates, progress=progress, follow_ups=batch.follow_ups
        )

    def _show_progress(self, progress: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=progress)

    def _grow_progress(self, more: int) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=(bar.total or 0) + more)

    def _advance_progress(self, count: int) -> None:
        self.query_one("#import-progress", ProgressBar).advance(count)

    def _lookalikes(self, added: list[int]) -> list[str]:
        """'#16 looks like #2 (answered in episode 211)': suggestions, never merged."""
        lines: list[str] = []
        for question_id in added:
            if len(lines) >= LOOKALIKES_SHOWN:
                break
            suggestions = self.queue.get(question_id).similar_to
            if not suggestions:
                continue
            best = suggestions[0]
            other = self.queue.store.summary(best["id"])
            where = f" in episode {other['episode']}" if other.get("episode") else ""
            title = clip(one_line(other.get("title", "")), 40)
            lines.append(
                f"#{question_id} looks like #{best['id']} “{title}” "
                f"({other['status']}{where}; {best['score']}% alike)"
            )
        return lines

    @on(ImportFinished)
    def finished(self, event: ImportFinished) -> None:
        self.running = False
        report = event.report
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = not report.error
        self.query_one("#import-result", Static).update(describe(report))
        if report.added:
            self.first_added = report.added[0]
            self.app.questions_imported(set(report.added), report.added[0])
            if report.meanings_unread:
                read_meanings_after_import(self.app, report.added)

    def action_close(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "import")
            added = self.added_so_far
            if added:
                self.app.tell(
                    f"Import cancelled: the {added} questions added before stay (importing "
                    "the file again adds only the rest)",
                    "warning",
                )
            else:
                self.app.tell("Import cancelled: nothing was added")
        self.dismiss(self.first_added)
