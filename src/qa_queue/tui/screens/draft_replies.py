"""The draft editor's saved replies and references: a saved reply inserted from a picker, or
the draft saved as one; references added, edited and removed in a small dialog, each change on
the revision the editor last saw."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import OptionList, TextArea

from ...errors import QaQueueError, StaleRevision
from ...model.question import Question, Reference
from ..dialogs.pick import Choice, Pick
from ..dialogs.reference_form import ReferenceForm
from ..dialogs.saved_replies import excerpt, save_as_reply
from ..host_app import HostApp
from ..text import one_line

if TYPE_CHECKING:
    from ...queue import QuestionQueue


class ReplyAndReferenceActions:
    """Mixed into DraftEditor, which provides the queue, the question and its revision."""

    app: HostApp
    queue: QuestionQueue
    question: Question
    question_id: int
    revision: int
    _show: Callable[[Question], None]
    _reload_after_conflict: Callable[[], None]

    if TYPE_CHECKING:  # DraftEditor's properties

        @property
        def editor(self) -> TextArea: ...

        @property
        def references(self) -> OptionList: ...

    def action_saved_reply(self) -> None:
        replies = self.queue.saved_replies()
        if not replies:
            self.app.tell("No saved replies yet: ctrl+n saves this draft as one", "warning")
            return
        choices = [
            Choice(one_line(r.get("name")), r.get("text", ""), hint=excerpt(r)) for r in replies
        ]

        def insert(text: str | None) -> None:
            if text:
                self.editor.insert(self._spaced(text))
                self.editor.focus()

        self.app.push_screen(Pick("Insert which saved reply?", choices), insert)

    def _spaced(self, text: str) -> str:
        """The reply with a space where it would touch a word before or after the cursor."""
        row, column = self.editor.cursor_location
        line = self.editor.document.get_line(row)
        before, after = line[:column], line[column:]
        if before and not before[-1].isspace() and not text[:1].isspace():
            text = " " + text
        if after and not after[0].isspace() and not text[-1:].isspace():
            text += " "
        return text

    def action_save_as_reply(self) -> None:
        save_as_reply(self.app, self.queue, self.editor.text)

    def action_add_reference(self) -> None:
        def add(reference: Reference | None) -> None:
            if reference is not None:
                self._change_references(
                    "Reference added",
                    lambda rev: self.queue.add_reference(
                        self.question_id, reference.title, reference.url, expected_revision=rev
                    ),
                )

        self.app.push_screen(ReferenceForm(f"A reference for #{self.question_id}"), add)

    def edit_reference(self, index: int) -> None:
        old = self.question.references[index]

        def edit(reference: Reference | None) -> None:
            if reference is None or reference == old:
                return
            references = list(self.question.references)
            references[index] = reference
            self._set_references("Reference changed", references)

        self.app.push_screen(ReferenceForm("Edit the reference", old), edit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_reference":
            return self.references.has_focus and bool(self.question.references)
        return True

    def action_remove_reference(self) -> None:
        index = self.references.highlighted
        if index is None or index >= len(self.question.references):
            return
        references = [r for i, r in enumerate(self.question.references) if i != index]
        self._set_references("Reference removed", references)

    def _set_references(self, what: str, references: list[Reference]) -> None:
        self._change_references(
            what,
            lambda rev: self.queue.set_references(
                self.question_id, references, expected_revision=rev
            ),
        )

    def _change_references(self, what: str, change: Callable[[int], Question]) -> Question | None:
        try:
            changed: Question = change(self.revision)
        except StaleRevision:
            self._reload_after_conflict()
            self.app.tell("The references were not changed: try again on this version", "warning")
            return None
        except QaQueueError as error:
            self.app.tell(str(error), "error")
            return None
        self.revision = changed.revision
        self._show(changed)
        self.app.tell(what)
        return changed
