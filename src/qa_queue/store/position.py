"""Where a store stands in its journal (the store and its maintenance both read it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Position:
    """Where a store stands in its journal."""

    generation: int
    covered: int  # how far the snapshot indexes
    read_to: int  # how far this store has read (the end of the last commit it saw)
    last: list[int] | None  # [offset, header CRC] of that last committed record
    torn: bool = False  # bytes follow read_to that the last scan proved a torn tail
