"""The draft editor's saved replies and references: a saved reply inserted from a picker, or
the draft saved as one; references added, edited and removed in a small dialog, each change on
the revision the editor last saw.

`RepliesAndReferences` is a part the editor builds with its two widgets and holds; the keys
stay the editor's (the footer, help and the palette list them in one order) and call it.
"""

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


class RepliesAndReferences:
    """Saved replies into the draft, and the question's references.

    Handed the app (to ask and to tell), the queue, the draft's text area, the references list,
    and what stays the editor's: the question it shows and the revision its next change is based
    on (asked at each use: the editor saves and loads other questions in between), what to do
    with a question changed here, and what to do when a co-host changed it first.
    """

    def __init__(
        self,
        app: HostApp,
        queue: QuestionQueue,
        editor: TextArea,
        references: OptionList,
        *,
        question: Callable[[], Question],
        revision: Callable[[], int],
        changed: Callable[[Question], None],
        conflict: Callable[[], None],
    ) -> None:
        self.app = app
        self.queue = queue
        self.editor = editor
        self.references = references
        self._question = question
        self._revision = revision
        self._changed = changed
        self._conflict = conflict

    # -- saved replies ----------------------------------------------------------------------------

    def insert_saved_reply(self) -> None:
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
        """The reply with a space where it would touch a word before or after the cursor; a
        paragraph of its own after a finished sentence at a line's end (a disclaimer, a
        sign-off)."""
        row, column = self.editor.cursor_location
        line = self.editor.document.get_line(row)
        before, after = line[:column], line[column:]
        if not after.strip() and before.rstrip()[-1:] in (".", "!", "?", ":", ")"):
            return "\n\n" + text.lstrip()
        if before and not before[-1].isspace() and not text[:1].isspace():
            text = " " + text
        if after and not after[0].isspace() and not text[-1:].isspace():
            text += " "
        return text

    def save_as_reply(self) -> None:
        save_as_reply(self.app, self.queue, self.editor.text)

    # -- references -------------------------------------------------------------------------------

    def add_reference(self) -> None:
        question_id = self._question().id

        def add(reference: Reference | None) -> None:
            if reference is not None:
                self._change_references(
                    "Reference added",
                    lambda rev: self.queue.add_reference(
                        self._question().id, reference.title, reference.url, expected_revision=rev
                    ),
                )

        self.app.push_screen(ReferenceForm(f"A reference for #{question_id}"), add)

    def edit_reference(self, index: int) -> None:
        old = self._question().references[index]

        def edit(reference: Reference | None) -> None:
            if reference is None or reference == old:
                return
            references = list(self._question().references)
            references[index] = reference
            self._set_references("Reference changed", references)

        self.app.push_screen(ReferenceForm("Edit the reference", old), edit)

    def can_remove_reference(self) -> bool:
        """del removes a reference only while the references list has the focus."""
        return self.references.has_focus and bool(self._question().references)

    def remove_reference(self) -> None:
        index = self.references.highlighted
        shown = self._question().references
        if index is None or index >= len(shown):
            return
        references = [r for i, r in enumerate(shown) if i != index]
        self._set_references("Reference removed", references)

    def _set_references(self, what: str, references: list[Reference]) -> None:
        self._change_references(
            what,
            lambda rev: self.queue.set_references(
                self._question().id, references, expected_revision=rev
            ),
        )

    def _change_references(self, what: str, change: Callable[[int], Question]) -> Question | None:
        try:
            changed: Question = change(self._revision())
        except StaleRevision:
            self._conflict()
            self.app.tell("The references were not changed: try again on this version", "warning")
            return None
        except QaQueueError as error:
            self.app.tell(str(error), "error")
            return None
        self._changed(changed)
        self.app.tell(what)
        return changed
