"""A checkbox and a radio button that say their state by their mark, not by its colour.

Textual draws the same "X" (or "●") whether ticked or not, only brighter when ticked: on many
terminal themes, and to anyone who does not tell those colours apart, "full answers" ticked
and not looked the same. These draw the mark only when ticked.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class Tick(Checkbox):
    def on_mount(self) -> None:
        self.watch(self, "value", self._mark, init=True)

    def _mark(self, value: bool) -> None:
        self.BUTTON_INNER = "✓" if value else " "
        self.refresh()


class Dot(RadioButton):
    def on_mount(self) -> None:
        self.watch(self, "value", self._mark, init=True)

    def _mark(self, value: bool) -> None:
        self.BUTTON_INNER = "●" if value else " "
        self.refresh()
