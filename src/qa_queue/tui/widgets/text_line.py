"""One line of text that repaints alone when it changes.

A Label's update lays out the whole screen (its size may change); the draft editor's word count
changes at every keystroke and its size never does (one line, the width of its column).
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widget import Widget


class TextLine(Widget):
    DEFAULT_CSS = """
    TextLine {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text: Text | Content = Text()

    def show(self, text: Text | Content) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text | Content:
        return self._text
