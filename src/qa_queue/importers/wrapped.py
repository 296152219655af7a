"""Files that wrap one qa-queue reads: Apple Mail's .emlx (a line with the message's length in
bytes, the message, then a property list of Mail's own) and a gzipped file (.csv.gz,
.mbox.gz), read as the file inside. What a gzip unpacks to is bounded as a zip's is."""

from __future__ import annotations

import gzip
import io
import re
import zlib

from ..errors import BadInput

GZIP = b"\x1f\x8b"
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


def gunzipped(data: bytes, name: str, limit: int) -> bytes:
    """The file in a gzip, of up to `limit` bytes; BadInput when it is damaged or bigger."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            inner = packed.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise BadInput(f"{name}: cannot unpack the gzip file ({error}); is it damaged?") from None
    if len(inner) > limit:
        raise BadInput(
            f"{name}: it unpacks to over {limit // 2**20:,} MB; qa-queue imports files of up to "
            f"{limit // 2**20:,} MB (split it into smaller ones)"
        )
    return inner
