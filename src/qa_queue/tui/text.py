"""Listener text on screen: rich ``Text`` built from plain strings, never parsed as markup.

So ``[bold]`` stays two brackets and a word; escapes are made visible by qa_queue.text.
"""

from __future__ import annotations

from rich.text import Text

from ..text import CONTROL_MARK, ESCAPE_MARK, literal, one_line

__all__ = ["CONTROL_MARK", "ESCAPE_MARK", "literal", "one_line", "plain"]


def plain(text: str | None, style: str = "", *, single: bool = False) -> Text:
    """A rich Text holding exactly these characters (never parsed as markup)."""
    return Text(one_line(text) if single else literal(text), style=style)
