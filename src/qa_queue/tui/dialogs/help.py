"""The `?` help screen: every key the queue answers to, grouped, with what it does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KeyList = Sequence[tuple[str, str]]
Section = tuple[str, KeyList]


class Help(ModalScreen[None]):
    """Lists keys in sections, in columns side by side; esc, ? or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close help"),
    ]

    def __init__(self, columns: Sequence[Sequence[Section]]) -> None:
        super().__init__(classes="dialog-screen")
        self._columns = columns

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide", id="help"):
            yield Label(Text("Keys"), classes="dialog-title")
            with VerticalScroll(), Horizontal(classes="help-columns"):
                for sections in self._columns:
                    with Vertical(classes="help-column"):
                        for title, keys in sections:
                            yield Static(Text(title, style="underline"), classes="help-heading")
                            yield Static(self._table(keys))
            yield Label(Text("esc closes · ctrl+p finds any action by name"), classes="dialog-note")

    @staticmethod
    def _table(keys: KeyList) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", min_width=10)
        table.add_column()
        for key, description in keys:
            table.add_row(Text(key), Text(description))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
