"""How a question version is laid out in its record, and how a text query searches it.

A question record's payload is ``<4-byte length><JSON><text block>``. The text block holds
the question's texts once each, as written (title, listener's words, name, tags, notes,
answer, drafts, reference titles, replies), joined by newlines; the JSON holds everything
else, with those strings left empty and their byte lengths in ``"_texts"``. A text query
reads just the block (its place is in the question's summary), so it never parses a record,
and no lower-cased copy of the texts is stored (it cost 40% of the disk).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

# A text that is not stored in the block but derived (the tags, which stay in the JSON).
_DERIVED = object()
_META_LENGTH = struct.Struct(">I")
# Characters outside ASCII whose lower case is ASCII ("K" KELVIN SIGN -> "k", "İ" -> "i̇"),
# and ASCII separators str.split() splits on but bytes.split() does not: with any of these
# in it, a block is searched the slow, exact way. (`in` on bytes is a memchr: a regex over a
# 3 KB block cost 30 µs, a tenth of a search at 50k.)
_ODD_CASE = (b"\xe2\x84\xaa", b"\xc4\xb0")
_ODD_SPACE = (b"\x1c", b"\x1d", b"\x1e", b"\x1f")


def _slots(doc: dict[str, Any]) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every stored text, in block order; the order depends only on the
    document's shape, so the JSON alone says where each text goes back."""
    yield doc, "title"
    yield doc, "body"
    listener = doc.get("listener")
    if isinstance(listener, dict):
        yield listener, "name"
    yield _DERIVED, "tags"
    yield doc, "notes"
    answer = doc.get("answer")
    if isinstance(answer, dict):
        yield answer, "text"
    for draft in (doc.get("drafts") or {}).values():
        if isinstance(draft, dict):
            yield draft, "text"
    for reference in doc.get("references") or []:
        if isinstance(reference, dict):
            yield reference, "title"
    for reply in doc.get("replies") or []:
        if isinstance(reply, dict):
            yield reply, "text"


def _copy_holders(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document and of the records in it that hold texts (a fifth of the time
    of copying it all through JSON, on every change)."""

    def record(value: Any) -> Any:
        return dict(value) if isinstance(value, dict) else value

    meta = dict(doc)
    for name in ("listener", "answer"):
        if name in meta:
            meta[name] = record(meta[name])
    if isinstance(meta.get("drafts"), dict):
        meta["drafts"] = {host: record(draft) for host, draft in meta["drafts"].items()}
    for name in ("references", "replies"):
        if isinstance(meta.get(name), list):
            meta[name] = [record(item) for item in meta[name]]
    return meta


def encode_question(doc: dict[str, Any], extra: dict[str, Any]) -> tuple[bytes, int, int]:
    """The payload for a question version (`doc` without history; `extra` joins its JSON),
    with the offset and length of its text block inside the payload."""
    meta = _copy_holders(doc)  # a copy whose texts can be emptied
    texts: list[bytes] = []
    lengths: list[int | None] = []
    for container, key in _slots(meta):
        if container is _DERIVED:
            text = " ".join(tag for tag in meta.get("tags") or [] if isinstance(tag, str))
            texts.append(text.encode())
            lengths.append(len(texts[-1]))
            continue
        value = container.get(key)
        if isinstance(value, str):
            encoded = value.encode()
            texts.append(encoded)
            lengths.append(len(encoded))
            container[key] = ""
        else:
            texts.append(b"")
            lengths.append(None)
    meta.update(extra)
    meta["_texts"] = lengths
    head = orjson.dumps(meta)
    block = b"\n".join(texts)
    start = _META_LENGTH.size + len(head)
    return b"%s%s%s" % (_META_LENGTH.pack(len(head)), head, block), start, len(block)


def block_place(payload: bytes) -> tuple[int, int]:
    """Offset and length of the text block inside a question record's payload."""
    (length,) = _META_LENGTH.unpack_from(payload)
    start = _META_LENGTH.size + length
    return start, len(payload) - start


def decode_question(payload: bytes, *, lenient: bool = False) -> dict[str, Any]:
    """The question version the payload holds, with the store's own keys ("_h") as they were
    written. ValueError if it is not one. `lenient` (a damaged record that doctor keeps as
    it reads): a byte that is not UTF-8 in a text becomes U+FFFD instead of an error, and
    lengths that run past the block are cut."""
    if len(payload) < _META_LENGTH.size:
        raise ValueError("a question record too short to hold one")
    (length,) = _META_LENGTH.unpack_from(payload)
    start = _META_LENGTH.size + length
    meta = orjson.loads(payload[_META_LENGTH.size : start])
    if not isinstance(meta, dict):
        raise ValueError("a question record holds no object")
    lengths = meta.pop("_texts", [])
    if not isinstance(lengths, list) or not all(n is None or type(n) is int for n in lengths):
        raise ValueError("a question record's text lengths are not readable")
    position = start
    for (container, key), size in zip(_slots(meta), lengths, strict=False):
        if size is not None:
            if container is not _DERIVED:
                text = payload[position : position + size]
                container[key] = text.decode("utf-8", "replace") if lenient else text.decode()
            position += size
        position += 1  # the newline between texts
    return meta


def searchable(block: bytes) -> bytes:
    """The block as a text query sees it: lower case, single spaces (Unicode-aware)."""
    if block.isascii() and not any(odd in block for odd in _ODD_SPACE):
        return b" ".join(block.lower().split())
    return " ".join(block.decode("utf-8", "replace").lower().split()).encode()


def odd(block: bytes) -> bool:
    """Whether a block holds one of the two characters whose lower case is ASCII: then its
    ASCII-lower-cased bytes miss matches its searchable() text has."""
    return not block.isascii() and any(char in block for char in _ODD_CASE)


# Runs of ASCII that are not spaces: a needle's pieces that any match must show as they are.
_PIECES = re.compile(rb"[!-~]+")


def matcher(needle: bytes) -> Callable[[bytes, bool], bool]:
    """A test of whether `needle` (lower case, single spaces) is in a block as searchable()
    sees it, given the block's bytes lower-cased (bytes.lower(): ASCII only, ~1 µs for 3 KB)
    and whether it is odd(). A plain ASCII word is looked for in those bytes directly (a
    tenth of the time of building the searchable text); anything else is looked for in the
    searchable text only where all its ASCII pieces are in the bytes."""
    plain = (
        needle.isascii()
        and len(needle.split()) == 1
        and needle == needle.strip()
        and not any(char in needle for char in _ODD_SPACE)
    )
    if plain:
        return lambda lowered, is_odd: (
            needle in lowered or (is_odd and needle in searchable(lowered))
        )
    pieces = _PIECES.findall(needle)
    return lambda lowered, is_odd: (
        (is_odd or all(p in lowered for p in pieces)) and (needle in searchable(lowered))
    )


def blocks_containing(blocks: Iterable[tuple[Any, bytes]], needle: bytes) -> list[Any]:
    """The items whose block holds `needle` (lower case, single spaces) as searchable() sees
    it, in one tight loop (a search at 50k looks at thousands of blocks)."""
    matches = matcher(needle)
    return [item for item, block in blocks if matches(block.lower(), odd(block))]
