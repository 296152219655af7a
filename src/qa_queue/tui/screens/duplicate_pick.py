"""The "duplicate of…" picker: the most similar questions first, narrowed by what is typed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from ..similar import most_similar, overlap, words
from ..text import one_line
from .pick import Choice

SHOWN = 30


def _choice(summary: dict[str, Any], score: float) -> Choice[int]:
    label = Text.assemble(
        (f"#{summary['id']:<5} ", "dim"),
        (f"{summary['status']:<9} ", "dim"),
        one_line(summary["title"]),
    )
    return Choice(label, summary["id"], hint=f"{score:.0%} alike" if score else "")


class DuplicatePick(ModalScreen[int | None]):
    """Asks which question this one repeats; dismisses with its id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "to_list", "To the list", show=False),
    ]

    def __init__(self, question: dict[str, Any], candidates: Iterable[dict[str, Any]]) -> None:
        super().__init__(classes="dialog-screen")
        self._question = question
        # a copy: the list is narrowed while the store may refresh underneath
        self._candidates = [c for c in candidates if c["id"] != question["id"]]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            title = f"#{self._question['id']} repeats which question?"
            yield Label(Text(title), classes="dialog-title")
            yield Input(placeholder="words of its title, or #id", id="search")
            yield OptionList(id="choices")
            yield Label(
                Text("Most alike by title first · enter picks · esc cancels"), classes="dialog-note"
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#search", Input).focus()

    def _fill(self, typed: str) -> None:
        typed = typed.strip()
        if typed.lstrip("#").isdigit():
            wanted = int(typed.lstrip("#"))
            ranked = [(1.0, c) for c in self._candidates if c["id"] == wanted]
        elif typed:
            needle = words(typed)
            scored = [(overlap(needle, words(c["title"])), c) for c in self._candidates]
            lowered = typed.lower()
            ranked = sorted(
                ((s, c) for s, c in scored if s or lowered in c["title"].lower()),
                key=lambda pair: -pair[0],
            )[:SHOWN]
        else:
            ranked = most_similar(self._question, self._candidates, SHOWN)
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        options.add_options([_choice(c, score) for score, c in ranked])
        if ranked:
            options.highlighted = 0

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#choices", OptionList)
        if options.highlighted is not None:
            option: Any = options.get_option_at_index(options.highlighted)
            self.dismiss(option.value)

    @on(OptionList.OptionSelected, "#choices")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option: Any = event.option
        self.dismiss(option.value)

    def action_to_list(self) -> None:
        self.query_one("#choices", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
