"""The internal-notes editor: the hosts' own notes on a question (never exported unless asked).

Saved with the revision the host opened the question at: when a co-host changed it meanwhile,
the core refuses (StaleRevision) and the dialog stays open with the typed text, says who
changed it, and saves on the new version at the next ctrl+s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from ...errors import QaQueueError, StaleRevision
from ...model.question import Question
from ..text import one_line
from ..widgets.writing_area import WritingArea
from .pick import close_asking

if TYPE_CHECKING:
    from ...queue import QuestionQueue


class NotesEditor(ModalScreen[Question | None]):
    """Edits one question's internal notes; dismisses with the saved question, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save the notes"),
    ]

    def __init__(self, queue: QuestionQueue, question: Question) -> None:
        super().__init__(classes="dialog-screen")
        self.queue = queue
        self.question = question
        self.revision = question.revision  # the version a save is based on

    def compose(self) -> ComposeResult:
        title = f"Internal notes on #{self.question.id}: {one_line(self.question.title)}"
        with Vertical(classes="dialog -wide", id="notes-editor"):
            yield Label(Text(title), classes="dialog-title")
            yield WritingArea(self.question.notes, id="notes", soft_wrap=True, tab_behavior="focus")
            yield Label(id="notes-problem", classes="dialog-preview -error")
            note = "ctrl+s saves · esc cancels · for the hosts only: exports leave them out"
            yield Label(Text(note), classes="dialog-note")

    @property
    def area(self) -> TextArea:
        return self.query_one("#notes", TextArea)

    def on_mount(self) -> None:
        self.query_one("#notes-problem", Label).display = False
        area = self.area
        area.move_cursor(area.document.end)
        area.focus()

    def _problem(self, message: str) -> None:
        label = self.query_one("#notes-problem", Label)
        label.update(Text(one_line(message)))
        label.display = True

    def action_save(self) -> None:
        text = self.area.text
        if text == self.question.notes:
            self.dismiss(None)  # nothing changed: nothing to save
            return
        try:
            saved = self.queue.set_notes(self.question.id, text, expected_revision=self.revision)
        except StaleRevision:
            self._changed_meanwhile()
            return
        except QaQueueError as error:
            self._problem(str(error))
            return
        self.dismiss(saved)

    def _changed_meanwhile(self) -> None:
        """A co-host changed the question: keep the text, save on their version next time."""
        try:
            fresh = self.queue.get(self.question.id)
        except QaQueueError as error:
            self._problem(f"#{self.question.id} cannot be read again: {error}")
            return
        last = fresh.history[-1] if fresh.history else None
        who = self.queue.host_name(last.host) if last else "someone"
        what = "its notes too" if fresh.notes != self.question.notes else "not its notes"
        self.question, self.revision = fresh, fresh.revision
        self._problem(
            f"{who} changed #{fresh.id} meanwhile ({what}); nothing was overwritten: "
            "ctrl+s saves your text on their version, esc leaves theirs"
        )

    def typed_work(self) -> str:
        changed = self.area.text != self.question.notes
        return f"your changes to #{self.question.id}'s notes" if changed else ""

    def action_cancel(self) -> None:
        if self.area.text == self.question.notes:
            self.dismiss(None)
        else:
            close_asking(
                self, "Throw away your changes to the notes?", "Throw them away", "Keep editing"
            )
