"""Files that wrap one qa-queue reads: Apple Mail's .emlx (a line with the message's length in
bytes, the message, then a property list of Mail's own), read as the message inside."""

from __future__ import annotations

import re

from ..errors import BadInput

# an .emlx: its length alone on the first line, then a mail header
_EMLX = re.compile(rb"\A[ \t]*(\d{1,12})[ \t]*\r?\n(?=[A-Za-z][A-Za-z0-9-]*:)")


def is_emlx(data: bytes) -> bool:
    return _EMLX.match(data) is not None


def emlx_message(data: bytes, name: str) -> bytes:
    """The message in an .emlx: the bytes its first line counts, without Mail's plist after."""
    found = _EMLX.match(data)
    if found is None:
        raise BadInput(
            f"{name}: line 1: not an Apple Mail message (.emlx): it should start with the "
            "message's length"
        )
    message = data[found.end() :][: int(found.group(1))]
    # a count that runs on into Mail's plist (a file edited by hand) still ends before it
    plist = message.rfind(b"\n<?xml")
    if plist >= 0 and b"<plist" in data[found.end() + plist :]:
        message = message[: plist + 1]
    return message
