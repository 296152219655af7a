"""The "add to episode" picker: which episode, and where in it (a timestamp such as 00:41:05)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from ...errors import QaQueueError
from ...model.dates import format_timestamp, parse_timestamp
from ...model.question import Episode
from ..text import one_line
from .pick import Choice

Placement = tuple[int, str | None]


class EpisodePick(ModalScreen[Placement | None]):
    """Asks for an episode and a timestamp; dismisses with (number, timestamp or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, episodes: Sequence[Episode], *, current: int | None, timestamp: str | None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._episodes = list(episodes)
        self._current = current
        self._timestamp = timestamp or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Add to which episode?"), classes="dialog-title")
            yield OptionList(*self._choices(), id="choices")
            yield Input(self._timestamp, placeholder="timestamp in it, e.g. 00:41:05", id="at")
            yield Label(id="preview", classes="dialog-preview")
            yield Label(
                Text("enter: choose the episode, then type the time and enter · esc cancels"),
                classes="dialog-note",
            )

    def _choices(self) -> list[Choice[int]]:
        choices = []
        for episode in reversed(self._episodes):  # the newest episode is the likeliest
            label = Text.assemble((f"{episode.number:>4}  ", "bold"), one_line(episode.title))
            hint = episode.air_date or "no air date"
            if episode.number == self._current:
                hint += " · this question is in it"
            choices.append(Choice(label, episode.number, hint=hint))
        return choices

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        numbers = [e.number for e in reversed(self._episodes)]
        options.highlighted = numbers.index(self._current) if self._current in numbers else 0
        options.focus()
        self._check(self._timestamp)

    def _check(self, value: str) -> bool:
        label = self.query_one("#preview", Label)
        try:
            stamp = format_timestamp(parse_timestamp(value)) if value.strip() else None
        except QaQueueError as error:
            label.update(Text(one_line(str(error))))
            label.add_class("-error")
            return False
        label.remove_class("-error")
        label.update(Text(f"at {stamp}" if stamp else "no timestamp yet (add it after the edit)"))
        return True

    @on(Input.Changed, "#at")
    def typed(self, event: Input.Changed) -> None:
        self._check(event.value)

    def _finish(self) -> None:
        options = self.query_one(OptionList)
        at = self.query_one("#at", Input).value
        if options.highlighted is None or not self._check(at):
            return
        option: Any = options.get_option_at_index(options.highlighted)
        self.dismiss((option.value, at.strip() or None))

    @on(OptionList.OptionSelected, "#choices")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#at", Input).focus()  # then the time; enter there adds it

    @on(Input.Submitted, "#at")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._finish()

    def action_cancel(self) -> None:
        self.dismiss(None)
