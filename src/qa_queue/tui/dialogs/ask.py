"""A one-line question (tags, a decline reason, a snooze date) with a live preview of the answer.

`preview` turns what is typed into a line shown under the input ("until Fri 27 Nov") or raises
QaQueueError to show why it will not do; enter is refused while it raises, so a date the core
cannot read never leaves the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from ...errors import QaQueueError
from ..text import one_line

Preview = Callable[[str], str]


class Ask(ModalScreen[str | None]):
    """Asks for one line of text; dismisses with it, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        note: str = "",
        preview: Preview | None = None,
        suggester: Suggester | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._note = note
        self._preview = preview
        self._suggester = suggester

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Input(
                self._value,
                placeholder=self._placeholder,
                suggester=self._suggester,
                id="answer",
                select_on_focus=False,
            )
            yield Label(id="preview", classes="dialog-preview")
            if self._note:
                yield Label(Text(self._note), classes="dialog-note")

    def on_mount(self) -> None:
        self._show_preview(self._value)
        self.query_one(Input).focus()

    def _show_preview(self, value: str) -> bool:
        """Update the preview line; False when the value will not do."""
        label = self.query_one("#preview", Label)
        if self._preview is None:
            label.display = False
            return True
        try:
            label.update(Text(one_line(self._preview(value))))
            label.remove_class("-error")
            return True
        except QaQueueError as error:
            label.update(Text(one_line(str(error))))
            label.add_class("-error")
            return False

    @on(Input.Changed, "#answer")
    def typed(self, event: Input.Changed) -> None:
        self._show_preview(event.value)

    @on(Input.Submitted, "#answer")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._show_preview(event.value):
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
