"""The episode dialog: number, title and air date (typed as people say it, shown resolved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...errors import QaQueueError
from ...model.dates import parse_when
from ...model.question import Episode
from ..text import one_line


@dataclass(frozen=True)
class EpisodeFields:
    number: int
    title: str
    air_date: str | None  # as typed ("next tuesday"); the core resolves it


class EpisodeForm(ModalScreen[EpisodeFields | None]):
    """Asks for an episode's fields; dismisses with them, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save the episode"),
    ]

    def __init__(
        self,
        now: datetime,
        zone: tzinfo | None,
        episode: Episode | None = None,
        suggested_number: int | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._now = now
        self._zone = zone
        self._episode = episode
        self._number = episode.number if episode else suggested_number

    def compose(self) -> ComposeResult:
        heading = f"Episode {self._episode.number}" if self._episode else "New episode"
        with Vertical(classes="dialog", id="episode-form"):
            yield Label(Text(heading), classes="dialog-title")
            yield Input(
                str(self._number or ""),
                placeholder="number, e.g. 214",
                id="episode-number",
                type="integer",
                disabled=self._episode is not None,  # the number names the episode
            )
            yield Input(
                self._episode.title if self._episode else "",
                placeholder="title",
                id="episode-title",
            )
            yield Input(
                (self._episode.air_date or "") if self._episode else "",
                placeholder="air date: 2026-12-08, next tuesday, in 2 weeks…",
                id="episode-date",
            )
            yield Label(id="preview", classes="dialog-preview")
            yield Label(Text("enter: next field, then save · esc cancels"), classes="dialog-note")

    def on_mount(self) -> None:
        self._check_date(self.query_one("#episode-date", Input).value)
        first = "#episode-title" if self._episode else "#episode-number"
        self.query_one(first, Input).focus()

    def _check_date(self, typed: str) -> bool:
        label = self.query_one("#preview", Label)
        if not typed.strip():
            label.update(Text("no air date yet"))
            label.remove_class("-error")
            return True
        try:
            moment = parse_when(typed, self._now, self._zone)
        except QaQueueError as error:
            label.update(Text(one_line(str(error))))
            label.add_class("-error")
            return False
        label.update(Text(f"airs {moment:%a %d %b %Y}"))
        label.remove_class("-error")
        return True

    @on(Input.Changed, "#episode-date")
    def date_typed(self, event: Input.Changed) -> None:
        self._check_date(event.value)

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "episode-date":
            self.action_save()
        else:
            self.focus_next()

    def _refuse(self, message: str, field: str) -> None:
        label = self.query_one("#preview", Label)
        label.update(Text(message))
        label.add_class("-error")
        self.query_one(field, Input).focus()

    def action_save(self) -> None:
        number_text = self.query_one("#episode-number", Input).value.strip()
        if not number_text.isdigit() or int(number_text) <= 0:
            self._refuse("an episode needs a number (a positive whole number)", "#episode-number")
            return
        date = self.query_one("#episode-date", Input).value.strip()
        if not self._check_date(date):
            self.query_one("#episode-date", Input).focus()
            return
        title = self.query_one("#episode-title", Input).value.strip()
        self.dismiss(EpisodeFields(int(number_text), title, date or None))

    def action_cancel(self) -> None:
        self.dismiss(None)
