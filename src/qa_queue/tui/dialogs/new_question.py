"""The "new question" form: a question heard on a call, at a meetup, or pasted from anywhere."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, TextArea

from ...model.dates import to_iso
from ...model.question import Credit, Listener, Question, Source
from ..widgets.writing_area import WritingArea
from .pick import close_asking

FIELDS = ("title", "listener-name", "listener-contact")


class NewQuestion(ModalScreen[Question | None]):
    """Asks for a title, the listener's words and who they are; dismisses with a Question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Add the question"),
    ]

    def __init__(self, now: datetime) -> None:
        super().__init__(classes="dialog-screen")
        self._now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide", id="new-question"):
            yield Label(Text("New question"), classes="dialog-title")
            yield Input(placeholder="title (what they ask, in a line)", id="title")
            yield WritingArea(id="body", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="form-row"):
                yield Input(placeholder="listener's name", id="listener-name")
                yield Input(placeholder="e-mail or handle (private)", id="listener-contact")
                yield Select(
                    [(f"credit: {c.value}", c.value) for c in Credit],
                    value=Credit.FIRST.value,
                    allow_blank=False,
                    id="credit",
                )
            yield Label(id="form-error", classes="dialog-preview -error")
            with Horizontal(classes="form-buttons"):
                yield Button("Add (ctrl+s)", variant="primary", id="add")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#body", TextArea).border_title = "the listener's words"
        self.query_one("#title", Input).focus()

    def action_save(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        body = self.query_one("#body", TextArea).text
        if not title:
            self.query_one("#form-error", Label).update(Text("a question needs a title"))
            self.query_one("#title", Input).focus()
            return
        credit = self.query_one("#credit", Select).value
        listener = Listener.typed(
            self.query_one("#listener-name", Input).value,
            self.query_one("#listener-contact", Input).value,
            credit if isinstance(credit, str) else Credit.FIRST,
        )
        self.dismiss(
            Question(
                title=title,
                body=body,
                received_at=to_iso(self._now),
                source=Source(kind="manual"),
                listener=listener,
            )
        )

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#add")
    def add_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    @property
    def typed(self) -> bool:
        """Whether anything was typed (the credit alone is not worth asking about)."""
        fields = [self.query_one(f"#{name}", Input).value for name in FIELDS]
        return any(value.strip() for value in [*fields, self.query_one("#body", TextArea).text])

    def typed_work(self) -> str:
        return "the new question you typed" if self.typed else ""

    def action_cancel(self) -> None:
        """Close; with something typed, only once the host says to throw it away."""
        if self.typed:
            close_asking(self, "Throw away this new question?", "Throw it away", "Keep writing")
        else:
            self.dismiss(None)
