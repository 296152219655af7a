"""The reference dialog: a title and a URL, DOI or PMID, with the link it will become."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...exporters import reference_url
from ...model.question import Reference
from ..text import one_line


def link_preview(value: str) -> str:
    """What the show notes will link to, so a mistyped DOI shows before it is saved."""
    if not value.strip():
        return "no link: the show notes print the title alone"
    url = reference_url(value)
    if url is None:
        return "not a URL, DOI or PMID: printed as typed, without a link"
    return f"links to {url}"


class ReferenceForm(ModalScreen[Reference | None]):
    """Asks for a reference's title and link; dismisses with a Reference, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save the reference"),
    ]

    def __init__(self, heading: str, reference: Reference | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self._heading = heading
        self._reference = reference or Reference(title="")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide", id="reference-form"):
            yield Label(Text(self._heading), classes="dialog-title")
            yield Input(
                self._reference.title,
                placeholder="title, e.g. Younger 2013, LDN in fibromyalgia (crossover trial)",
                id="reference-title",
            )
            yield Input(
                self._reference.url,
                placeholder="URL, DOI (10.1002/art.37734) or PMID (23359310)",
                id="reference-url",
            )
            yield Label(id="preview", classes="dialog-preview")
            yield Label(Text("enter: next field, then save · esc cancels"), classes="dialog-note")

    def on_mount(self) -> None:
        self._show_preview(self._reference.url)
        self.query_one("#reference-title", Input).focus()

    def _show_preview(self, value: str) -> None:
        self.query_one("#preview", Label).update(Text(one_line(link_preview(value))))

    @on(Input.Changed, "#reference-url")
    def typed(self, event: Input.Changed) -> None:
        self._show_preview(event.value)

    @on(Input.Submitted, "#reference-title")
    def title_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#reference-url", Input).focus()

    @on(Input.Submitted, "#reference-url")
    def url_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        title = self.query_one("#reference-title", Input).value.strip()
        url = self.query_one("#reference-url", Input).value.strip()
        if not title:
            preview = self.query_one("#preview", Label)
            preview.update(Text("a reference needs a title"))
            preview.add_class("-error")
            self.query_one("#reference-title", Input).focus()
            return
        self.dismiss(Reference(title=title, url=url))

    def action_cancel(self) -> None:
        self.dismiss(None)
