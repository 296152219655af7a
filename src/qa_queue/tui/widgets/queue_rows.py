"""How the queue table draws a row: its columns, the text of each cell and their styles.

`RowPainter` is a part the queue table holds: the table keeps the rows, the cursor, the marks
and the drawn lines, and hands the painter each line's question, width, and whether it is
selected and under the cursor.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ...model.dates import age
from ...store.schema import Summary
from ..text import one_line


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes the space left (the title)
    min_screen: int = 0  # dropped when the table is narrower than this
    align: str = "left"


COLUMNS: tuple[Column, ...] = (
    Column("id", "#", 5, align="right"),
    Column("status", "status", 9),
    Column("priority", "P", 1),
    Column("title", "title", 0),
    Column("listener", "listener", 14, min_screen=70),
    Column("host", "host", 8),
    Column("tags", "tags", 16, min_screen=100),
    Column("age", "age", 4, align="right"),
)
MARK = "●"

# Emoji sequences whose width terminals disagree on: "🎙️" (a one-cell symbol made emoji by a
# variation selector) is two cells to rich and to kitty, one to tmux 3.3; "👍🏽" two to rich,
# four to tmux. A cell holds their plainer form, "🎙", "👍", "👨👩👧", as wide everywhere.
_UNSTEADY = re.compile(
    "[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]"  # variation selectors, skin tones
    "|(?<=[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff])\u200d"  # a joiner after an emoji
)


def steady(text: str | None) -> str:
    """A cell's text on one line, its width the same to rich as to any terminal."""
    return _UNSTEADY.sub("", one_line(text))


def fit(text: str, width: int, align: str = "left") -> str:
    """The text cut or padded to exactly `width` cells: wide characters count two, marks
    that combine with a letter none; a cut shows an ellipsis."""
    if cell_len(text) > width > 1 and align != "right":
        return set_cell_size(text, width - 1) + "…"
    if align == "right" and cell_len(text) < width:
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)


class RowPainter:
    """Builds the strip of one line of the table: the header, or a question's row.

    Handed the time now (for the age column), how to name a host, and how to look up the
    table's styles: its own (`base`) and those of its component classes (`style`). It keeps
    the styles it looked up until `restyled`.
    """

    def __init__(
        self,
        *,
        now: Callable[[], datetime],
        host_name: Callable[[str], str],
        base: Callable[[], Style],
        style: Callable[[str], Style],
    ) -> None:
        self._now = now
        self._host_name = host_name
        self._base = base
        self._look_up = style
        self._styles: dict[str, Style] = {}

    def restyled(self) -> None:
        """A new theme, or the focus style: look the styles up again."""
        self._styles.clear()

    def _layout(self, width: int) -> list[tuple[Column, int]]:
        columns = [c for c in COLUMNS if width >= c.min_screen]
        # the selection mark, then one space before each column
        fixed = 1 + sum(c.width for c in columns) + len(columns)
        return [(c, c.width or max(8, width - fixed)) for c in columns]

    def _cell(self, row: Summary, key: str) -> str:
        if key == "id":
            return str(row["id"])
        if key == "priority":
            return str(row["priority"]) if row["priority"] else "·"
        if key == "title":
            prefix = "" if row.get("asked_count", 1) <= 1 else f"×{row['asked_count']} "
            return prefix + steady(row["title"])
        if key == "listener":
            return steady(row["listener"])
        if key == "host":
            return steady(self._host_name(row["host"])) if row["host"] else "—"
        if key == "tags":
            return steady(" ".join(row["tags"]))
        if key == "age":
            try:
                return age(row["received_at"], self._now()) if row["received_at"] else ""
            except (ValueError, TypeError, OverflowError):  # damaged: opening it says so
                return "?"
        return steady(str(row.get(key) or ""))

    def _status_style(self, status: str) -> Style:
        kind = {
            "new": "new",
            "triaged": "active",
            "drafting": "active",
            "ready": "active",
        }.get(status, "done")
        return self._style(f"queue-table--status-{kind}")

    def _style(self, component: str) -> Style:
        """A component class's style, looked up once until the styles change: every cell
        asked for it, ~a third of drawing a screenful of new rows."""
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self._look_up(component)
        return style

    def _base_style(self) -> Style:
        base = self._styles.get("")
        if base is None:
            base = self._styles[""] = self._base()  # walks up to the screen each time
        return base

    def header(self, width: int) -> Strip:
        base = self._base_style()
        header = self._style("queue-table--header")
        cells = [(c.label, c, w, header) for c, w in self._layout(width)]
        return self._strip(cells, width, base)

    def blank(self, width: int) -> Strip:
        """A line below the last question."""
        return Strip.blank(width, self._base_style())

    def row(self, row: Summary, width: int, *, marked: bool, under_cursor: bool) -> Strip:
        base = self._base_style()
        cells = []
        for column, cell_width in self._layout(width):
            style = Style()
            if column.key == "status":
                style = self._status_style(row["status"])
            elif column.key == "priority" and row["priority"] >= 2:
                style = self._style("queue-table--priority")
            elif column.key in ("age", "tags", "id"):
                style = self._style("queue-table--dim")
            cells.append((self._cell(row, column.key), column, cell_width, style))
        overlay = Style()
        if marked:
            overlay += self._style("queue-table--marked")
        if under_cursor:
            overlay += self._style("queue-table--cursor")
        return self._strip(cells, width, base, overlay, mark=MARK if marked else " ")

    @staticmethod
    def _strip(
        cells: list[tuple[str, Column, int, Style]],
        width: int,
        base: Style,
        overlay: Style | None = None,
        mark: str = " ",
    ) -> Strip:
        # the overlay (cursor, selection) comes last so the cursor reads as one bar across cells
        overlay = overlay or Style()
        segments = [Segment(mark, base + overlay)]
        for text, column, cell_width, style in cells:
            cell = fit(text, cell_width, column.align)
            segments.append(Segment(" " + cell, base + style + overlay))
        return Strip(segments).adjust_cell_length(width, base + overlay).simplify()
