"""A whole raw e-mail saved as text: Gmail's "Show original" copied or saved as .txt (the
page's summary above it or not) is read as the message it is, not as a forum post."""

from __future__ import annotations

import re

# the headers only a mail server or client writes, never a person pasting a post
_MACHINE_HEADERS = re.compile(
    rb"^(?:received|return-path|delivered-to|message-id|mime-version|dkim-signature|arc-seal"
    rb"|x-received|x-google-smtp-source):",
    re.I,
)
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:")


def raw_mail_start(data: bytes) -> int | None:
    """Where a whole raw message starts in a text file (Gmail's "Show original" copied or
    saved as .txt, the page's summary above it), or None: a block of header lines, some that
    only mail software writes, ended by a blank line."""
    head = data[:65536].replace(b"\r\n", b"\n")
    offset = 0
    lines = head.split(b"\n")
    for index, line in enumerate(lines[:200]):
        if _HEADER_LINE.match(line) and _header_block_ends(lines, index):
            return offset if b"\r\n" not in data[:65536] else _crlf_offset(data, index)
        offset += len(line) + 1
    return None


def _header_block_ends(lines: list[bytes], start: int) -> bool:
    names = machine = 0
    for line in lines[start:]:
        if not line.strip():
            return names >= 4 and machine >= 1
        if line[:1] in (b" ", b"\t"):
            continue  # a folded header's next line
        if not _HEADER_LINE.match(line):
            return False
        names += 1
        machine += bool(_MACHINE_HEADERS.match(line))
    return False


def _crlf_offset(data: bytes, line_index: int) -> int:
    offset = 0
    for _ in range(line_index):
        offset = data.index(b"\n", offset) + 1
    return offset
