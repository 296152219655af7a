"""Listener text made safe to show: literal characters, never terminal escapes.

Everything a listener wrote reaches a terminal (the CLI's output, the app's widgets) through
these helpers, so ``\\x1b[31m`` cannot recolour, or worse reprogram, a host's terminal.
"""

from __future__ import annotations

import re

ESCAPE_MARK = "␛"
CONTROL_MARK = "\ufffd"

# C0 and C1 controls except tab and newline, DEL, and the bidi overrides and isolates that can
# make text read differently from what it is ("Trojan Source", CVE-2021-42574).
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _mark(match: re.Match[str]) -> str:
    return ESCAPE_MARK if match.group() == "\x1b" else CONTROL_MARK


def literal(text: str | None) -> str:
    """The text with line ends normalised, tabs expanded and control characters made visible."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    return CONTROLS.sub(_mark, text)


def without_controls(text: str) -> str:
    """The text with line ends normalised and every control character above taken out (tab
    and newline stay): what files written for other programs, and their readers, get."""
    return CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str | None) -> str:
    """A literal single line: line breaks and runs of spaces become one space."""
    return " ".join(literal(text).split())


def printable(text: str | None, *, single_line: bool = False) -> str:
    return one_line(text) if single_line else literal(text)


def clip(text: str, width: int) -> str:
    """Cut to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def has_controls(text: str) -> bool:
    """Whether the text holds a character `literal` would mark (tab and newline are fine)."""
    return CONTROLS.search(text) is not None


def counted(number: int, what: str) -> str:
    """A count in words, singular or plural: 1 question, 3 questions."""
    return f"{number} {what}{'' if number == 1 else 's'}"


def excerpt(text: str, limit: int = 60) -> str:
    """A quotable, single-line excerpt of untrusted text for an error message."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")
