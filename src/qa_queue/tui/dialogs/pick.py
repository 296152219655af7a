"""A picker: a modal list of choices (hosts, statuses, priorities…) that dismisses with one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

T = TypeVar("T")


class Choice(Option, Generic[T]):
    """An option that carries the value it stands for (and, optionally, a key that picks it)."""

    def __init__(
        self,
        label: str | Text,
        value: T,
        *,
        key: str | None = None,
        hint: str = "",
        disabled: bool = False,
    ) -> None:
        prompt = Text(label) if isinstance(label, str) else label.copy()
        if key:
            prompt = Text.assemble((f"{key}  ", "bold"), prompt)
        if hint:
            prompt.append(f"  {hint}", style="dim italic")
        super().__init__(prompt, disabled=disabled)
        self.value = value
        self.key = key


class Pick(ModalScreen[T | None], Generic[T]):
    """Asks to choose one of `choices`; dismisses with its value, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: Sequence[Choice[T]], *, note: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._choices = list(choices)
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title), classes="dialog-title")
            yield OptionList(*self._choices, id="choices")
            if self._note:
                yield Label(Text(self._note), classes="dialog-note")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        enabled = [i for i, c in enumerate(self._choices) if not c.disabled]
        if enabled:
            options.highlighted = enabled[0]
        options.focus()

    @on(OptionList.OptionSelected, "#choices")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option: Any = event.option
        self.dismiss(option.value)

    def on_key(self, event: events.Key) -> None:
        # A choice with a key (priority 0-3) is picked by typing it, without moving to it.
        for choice in self._choices:
            if choice.key and event.character == choice.key and not choice.disabled:
                event.stop()
                self.dismiss(choice.value)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm(title: str, yes: str, no: str, *, note: str = "") -> Pick[bool]:
    """A yes/no question, `no` first so that a hasty enter keeps things as they are; y and n
    answer it at once, esc is no."""
    choices = [Choice(no, False, key="n"), Choice(yes, True, key="y")]
    return Pick(title, choices, note=note)


@runtime_checkable
class HoldsTyping(Protocol):
    """A dialog holding text typed and not yet saved: quitting asks before losing it."""

    def typed_work(self) -> str:
        """What would be lost, in a few words ("the new question you typed"), or ""."""
        ...


def close_asking(screen: ModalScreen[Any], title: str, yes: str, no: str) -> None:
    """Ask before throwing away what was typed in a dialog; closes it (with None) on yes."""

    def answer(discard: bool | None) -> None:
        if discard:
            screen.dismiss(None)

    screen.app.push_screen(confirm(title, yes, no), answer)
