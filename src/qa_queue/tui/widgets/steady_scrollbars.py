"""Scrolling widgets that repaint once when the focus or the layout changes, not twice.

When a widget gains or loses the focus, Textual re-applies the CSS of the widget and of its
scrollbars, and setting a scrollbar colour marks the scrollbars for a repaint even when the
colour is the same. The same happens after each layout of the screen (another number of rows,
another screen), whose own repaint already draws the scrollbars as they now are. That second
repaint reaches the screen a frame (≈30 ms at 160×50) after the first, so opening a question or
showing a search's result took two frames (benchmarks/tui.py). Textual also creates a
scrollbar only when a text first overflows and styles it at the next focus change, which then
lays out the whole screen again: the first question opened took three.

And a new virtual size (another number of rows, a longer question) asks for a layout of the
whole screen, which reaches it through two more message hops: `set_virtual_size` skips it, as
the widget's own size never depends on what it shows (1fr).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


class SteadyScrollbars(ScrollView):
    """A ScrollView whose scrollbars look the same focused or not (no `:focus` rule of ours
    changes a scrollbar colour or the background under it), so a focus change skips their
    repaint, and so does a layout, which repaints them itself."""

    def on_mount(self) -> None:
        self.app.stylesheet.apply(self.vertical_scrollbar)  # created and styled now, once

    def set_virtual_size(self, size: Size) -> None:
        """Scroll over this much content; repaints the widget and its scrollbars, no layout."""
        if size == self.virtual_size:
            return
        self.set_reactive(ScrollView.virtual_size, size)
        if self.is_mounted and self.container_size:
            steady = self._bars_not_due()
            ScrollView._scroll_update(self, size)  # bars shown or not, sized, scroll kept in range
            self._skip_repaint(steady)  # the refresh below repaints all of our region, bars too
        self.refresh()

    def watch_has_focus(self, has_focus: bool) -> None:
        steady = self._bars_not_due()
        super().watch_has_focus(has_focus)
        self._skip_repaint(steady)

    def _scroll_update(self, virtual_size: Size) -> None:
        # only called while the screen lays itself out, and its repaint follows at once
        steady = self._bars_not_due()
        super()._scroll_update(virtual_size)
        self._skip_repaint(steady)

    def _bars_not_due(self) -> list[Widget]:
        """The scrollbars with no repaint pending: one asked for before (a scroll) happens."""
        bars = (self._vertical_scrollbar, self._horizontal_scrollbar, self._scrollbar_corner)
        return [bar for bar in bars if bar is not None and not bar._repaint_required]

    @staticmethod
    def _skip_repaint(bars: list[Widget]) -> None:
        for bar in bars:
            bar._repaint_required = False
