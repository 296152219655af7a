"""Showing untrusted listener text safely: no escape sequences reach a terminal."""

from __future__ import annotations

import re

# C0 and C1 control characters except tab and newline; ESC starts terminal escape sequences.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_VISIBLE = {"\x1b": "␛", "\r": ""}


def printable(text: str, *, single_line: bool = False) -> str:
    """Text with control characters made visible (ESC as ␛) so it prints as itself."""
    cleaned = _CONTROL.sub(lambda m: _VISIBLE.get(m.group(), "\ufffd"), text)
    if single_line:
        cleaned = " ".join(cleaned.split())
    return cleaned


def clip(text: str, width: int) -> str:
    """Cut to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
