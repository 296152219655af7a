"""A scrollable pane that draws one rich Text itself, wrapped to its width.

The detail pane and the question beside the draft editor are long texts that change whenever
the cursor moves or a co-host edits. Drawing their lines (``render_line``) instead of holding a
widget per section makes showing new text one wrap and a repaint of the pane, not a layout pass
over the screen, which took most of a cursor move's time (benchmarks/tui.py).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.strip import Strip

from .steady_scrollbars import SteadyScrollbars


class TextPane(SteadyScrollbars, can_focus=True):
    """Shows a Text; the arrow and page keys scroll it once it has the focus."""

    # Lines are wrapped to the width: nothing to scroll sideways, and the vertical scrollbar's
    # place is kept so that the width does not change when a long question brings it in.
    DEFAULT_CSS = """
    TextPane {
        overflow-x: hidden;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._lines: list[list[Segment]] = []
        self._wrapped_at = 0  # the width the lines were wrapped for
        # drawn lines until the text, width or style changes: a screen switch redraws them all
        self._strips: LRUCache[tuple[int, int, Style], Strip] = LRUCache(256)
        self._base: Style | None = None

    def show_text(self, text: Text, *, from_top: bool = False) -> None:
        """Show this text (never parsed as markup); `from_top`: scroll back to its start."""
        self._text = text
        self._wrap()
        if from_top:
            self.scroll_to(y=0, animate=False)

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return  # not laid out yet: on_resize wraps
        console = self.app.console
        options = console.options.update_width(width)
        self._lines = console.render_lines(self._text, options, pad=False, new_lines=False)
        self._strips.clear()
        self._wrapped_at = width
        self.set_virtual_size(Size(width, len(self._lines)))
        self.refresh()

    def on_resize(self, _event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._wrapped_at:
            self._wrap()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self._base
        if base is None:
            base = self._base = self.rich_style  # walks up to the screen: once, not a line
        if index >= len(self._lines):
            return Strip.blank(width, base)
        key = (index, width, base)
        strip = self._strips.get(key)
        if strip is None:
            strip = Strip(self._lines[index]).apply_style(base).adjust_cell_length(width, base)
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        self._base = None  # a new theme, or the focus style
        super().notify_style_update()

    def all_lines(self) -> list[str]:
        """Every line as drawn, those scrolled out of sight too."""
        return [Strip(line).text for line in self._lines]
