"""The queue screen's top line: the app's name, then what the queue shows.

Textual's Header follows the screen's `sub_title`, a reactive that repaints the whole screen
when set, and then lays the screen out again for the new title: two frames and a full repaint
for every new count while a search shows its first rows and then all of them. This line is
drawn by `render` and repaints alone.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class TitleBar(Widget):
    """One line, like Header: `show` a new sub-title (kept as the screen's, quietly)."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(self, sub_title: str) -> None:
        screen = self.screen
        if sub_title != screen.sub_title:
            screen.set_reactive(type(screen).sub_title, sub_title)
            self.refresh()

    def render(self) -> Content:
        sub_title = self.screen.sub_title
        return self.app.format_title(
            self.app.title, self.app.sub_title if sub_title is None else sub_title
        )
