"""The top line of the queue and the draft editor: the app's name, then what is shown.

Textual's Header follows the screen's `sub_title`, a reactive that repaints the whole screen
when set, and then lays the screen out again for the new title: two frames and a full repaint
for every new count while a search shows its first rows and then all of them. This line looks
like Header (the icon opens the command palette) but its title is drawn by `render` and
repaints alone.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget

from .text_line import TextLine


class PaletteIcon(Widget):
    """Header's ⭘: a click opens the command palette.

    In a browser (a served app) it is ○: xterm.js draws with the browser's fonts, and the
    usual monospace ones (DejaVu Sans Mono, Menlo, Consolas, Courier New) have no ⭘, which
    came out as an empty box; ○ is in all of them (Windows' WGL4 set)."""

    DEFAULT_CSS = """
    PaletteIcon {
        dock: left;
        width: 8;
        padding: 0 1;
    }
    PaletteIcon:hover {
        background: $foreground 10%;
    }
    """

    def on_mount(self) -> None:
        self.tooltip = "Open the command palette"

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.run_action("app.command_palette")

    def render(self) -> str:
        return "○" if getattr(self.app, "served", False) else "⭘"


class TitleBar(Widget):
    """One line, like Header: `show` a new sub-title (kept as the screen's, quietly)."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar > TextLine {
        width: 1fr;
        margin-right: 10;  /* where Header keeps its clock */
        content-align: center middle;
    }
    """

    def compose(self) -> ComposeResult:
        yield PaletteIcon()
        yield TextLine()

    def show(self, sub_title: str) -> None:
        """A new sub-title, kept as the screen's (quietly: see the module's docstring)."""
        self.screen.set_reactive(type(self.screen).sub_title, sub_title)
        self.query_one(TextLine).show(self.app.format_title(self.app.title, sub_title))

    def render_text(self) -> str:
        """The title line as shown (for tests)."""
        return str(self.query_one(TextLine).render())
