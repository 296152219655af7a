"""Erasing data from every file of a database (a listener who asked to be forgotten).

The journal is append-only: a change never rewrites what was written, so removing data
from it means copying everything into a new generation with the data changed, by the
compaction path (Maintenance.rewrite), under the writers' lock:

1. the new generation is written beside the old one and synced (its header's "from" says
   "erasure" and names the old generation, like a compaction's);
2. the snapshot is replaced by one naming it; the old snapshot's bytes, now without a name,
   are zeroed and synced;
3. the old generation's bytes are zeroed and synced, then it is unlinked;
4. every leftover proved ours and superseded (leftovers.py) is zeroed and removed too.

A kill at any point leaves the old generation in charge (steps 1-2; the new file is then a
leftover made from it and never used) or the new one (the old then a leftover proved
superseded, which the next writer zeroes and removes: leftovers.remove_proved does so while
the current generation is an erasure's). What is erased may still be in files qa-queue does
not remove on its own (the quarantine file, a leftover it cannot prove ours): `mentions`
finds them, so the caller can say so.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import leftovers
from .generation import QuestionCopy

if TYPE_CHECKING:
    from .store import Store

_CHUNK = 16 * 1024 * 1024

Change = Callable[[QuestionCopy], QuestionCopy | None]


@dataclass
class Erased:
    changed: list[int] = field(default_factory=list)  # the questions `change` changed
    done: list[str] = field(default_factory=list)  # what happened to the files


def erase(store: Store, change: Change) -> Erased:
    """Rewrite the database with every question passed through `change` (which returns a
    changed copy, or None to keep it as it is), and remove the old files' bytes. Takes the
    lock like any write (waiting for another writer, or refusing after its timeout) and
    reads other processes' changes first, so `change` sees the latest of every question."""
    result = Erased()

    def each(copy: QuestionCopy) -> QuestionCopy:
        changed = change(copy)
        if changed is None:
            return copy
        result.changed.append(copy.question_id)
        return changed

    with store.locked():
        store.refresh()
        result.done.append(store.maintenance.rewrite("erasure", each, shred_old=True))
        removed = leftovers.remove_proved(store.path, store.position.generation, store.journal)
        store.leftovers_seen = False
        result.done.extend(f"removed {name}" for name in removed)
    return result


def database_files(path: Path) -> list[Path]:
    """Every regular file beside the database that belongs to it by name (``q.json``,
    ``q.json.journal.N``, ``q.json.lock``, ``q.json.tmp-*``, ``q.json.quarantine``…)."""
    found = []
    try:
        names = sorted(os.listdir(path.parent))
    except OSError:
        return []
    for name in names:
        if name == path.name or name.startswith(f"{path.name}."):
            candidate = path.parent / name
            try:
                if stat.S_ISREG(os.lstat(candidate).st_mode):
                    found.append(candidate)
            except OSError:
                continue
    return found


def forms(texts: Iterable[str]) -> list[bytes]:
    """The ways a text may sit in a file: as UTF-8, as JSON with non-ASCII escaped
    (``\\u00e9``, either case of hex digit), in upper, lower and title case."""
    found: set[bytes] = set()
    for text in texts:
        if not text.strip():
            continue
        for variant in {text, text.lower(), text.upper(), text.title(), text.casefold()}:
            found.add(variant.encode("utf-8", "surrogatepass"))
            escaped = json.dumps(variant, ensure_ascii=True)[1:-1]
            found.add(escaped.encode())
            found.add(escaped.replace("\\u", "\\U").upper().replace("\\U", "\\u").encode())
    return sorted(found, key=len, reverse=True)


def mentions(path: Path, texts: Iterable[str]) -> list[Path]:
    """The database's files that hold any of `texts` as a word of its own (in any of their
    `forms`, ASCII case ignored); files that cannot be read are left out."""
    needles = forms(texts)
    if not needles:
        return []
    pattern = re.compile(
        rb"(?<![A-Za-z0-9])(?:%s)(?![A-Za-z0-9])" % b"|".join(re.escape(n) for n in needles),
        re.IGNORECASE,
    )
    overlap = max(len(n) for n in needles) + 1
    found = []
    for candidate in database_files(path):
        try:
            with candidate.open("rb") as file:
                tail = b""
                while chunk := file.read(_CHUNK):
                    data = tail + chunk
                    if pattern.search(data):
                        found.append(candidate)
                        break
                    tail = data[-overlap:]
        except OSError:
            continue
    return found
