"""The "duplicate of…" picker: the most alike questions first (QuestionQueue.similar), then
the newest; typing narrows by words of the title or an #id."""

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

from ...store.schema import Summary
from ..text import one_line
from .pick import Choice

SHOWN = 30


def _choice(summary: Summary, score: int) -> Choice[int]:
    label = Text.assemble(
        (f"#{summary['id']:<5} ", "dim"),
        (f"{summary['status']:<9} ", "dim"),
        one_line(summary["title"]),
    )
    return Choice(label, summary["id"], hint=f"{score}% alike" if score else "")


class DuplicatePick(ModalScreen[int | None]):
    """Asks which question this one repeats; dismisses with its id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "to_list", "To the list", show=False),
    ]

    def __init__(
        self,
        question: Summary,
        candidates: Iterable[Summary],
        suggested: Iterable[tuple[int, int]] = (),
    ) -> None:
        """`suggested`: (id, score 0-100) from QuestionQueue.similar, best first."""
        super().__init__(classes="dialog-screen")
        self._question = question
        # A copy: the store may refresh underneath. A question that is itself a duplicate
        # cannot be the original (the core would refuse it).
        self._candidates = [
            c for c in candidates if c["id"] != question["id"] and c.get("duplicate_of") is None
        ]
        self._scores = dict(suggested)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            title = f"#{self._question['id']} repeats which question?"
            yield Label(Text(title), classes="dialog-title")
            yield Input(placeholder="words of its title, or #id", id="search")
            yield OptionList(id="choices")
            yield Label(
                Text("Most alike first, then the newest · enter picks · esc cancels"),
                classes="dialog-note",
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#search", Input).focus()

    def _fill(self, typed: str) -> None:
        typed = typed.strip().lower()
        if typed.lstrip("#").isdigit():
            wanted = int(typed.lstrip("#"))
            ranked = [c for c in self._candidates if c["id"] == wanted]
        elif typed:
            needles = typed.split()
            ranked = [c for c in self._candidates if all(n in c["title"].lower() for n in needles)]
            ranked.sort(key=lambda c: -self._scores.get(c["id"], 0))
        else:
            # the most alike first, then the newest: a repeat usually follows its original soon
            alike = sorted(
                (c for c in self._candidates if c["id"] in self._scores),
                key=lambda c: -self._scores[c["id"]],
            )
            rest = sorted(
                (c for c in self._candidates if c["id"] not in self._scores),
                key=lambda c: c["received_at"],
                reverse=True,
            )
            ranked = alike + rest[: SHOWN - len(alike)]
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        options.add_options([_choice(c, self._scores.get(c["id"], 0)) for c in ranked[:SHOWN]])
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
