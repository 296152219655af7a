"""What `qa-queue doctor` finds: each problem, and the whole diagnosis a repair works from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import legacy
from .rebuild import Rebuilt
from .snapshot import Snapshot

# What the model cannot take in a stored question: the names of those fields. The store does
# not know the model; the command line hands doctor the model's own check.
Check = Callable[[dict[str, Any]], list[str]]


def no_check(_doc: dict[str, Any]) -> list[str]:
    return []


@dataclass
class Problem:
    file: Path
    offset: int | None
    what: str
    affects: str = ""  # what is lost or falls back because of it
    repair: str = ""  # what --repair does about it

    def line(self) -> str:
        where = f" at byte {self.offset}" if self.offset is not None else ""
        return f"{self.file.name}{where}: {self.what}"


@dataclass
class Diagnosis:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)  # what a repair cannot bring back
    described: set[int] = field(default_factory=set)  # questions a loss already names
    snapshot: Snapshot | None = None
    snapshot_bytes: bytes = b""
    snapshot_state: str = "missing"  # ok, legacy, damaged, foreign, newer, missing
    base: Rebuilt | None = None
    base_data: bytes = b""
    base_generation: int | None = None
    database: str | None = None
    old: legacy.Legacy | None = None
    unreadable: Check = no_check
    blocked: str = ""  # why a repair cannot go on (a file it must not work around)
    drastic: str = ""  # why a repair would lose more than it keeps: done only when asked

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def repairable(self) -> bool:
        return (
            not self.blocked
            and self.snapshot_state not in ("foreign", "newer")
            and (self.base is not None or self.snapshot is not None or self.old is not None)
        )
