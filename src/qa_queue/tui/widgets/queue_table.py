"""The queue table: a virtual list of question summaries that draws only the rows on screen.

A DataTable takes seconds to fill with 50k questions (see docs/COSTS.md); this widget keeps
the summaries in a list and builds a strip for each visible line in ``render_line``, so filling,
refiltering and moving cost the same at 50 questions as at 50k.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from .queue_rows import RowPainter, Summary
from .steady_scrollbars import SteadyScrollbars


class QueueTable(SteadyScrollbars, can_focus=True):
    """Question summaries, one a row, keyed by question id, with a cursor and bulk marks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-table--header",
        "queue-table--cursor",
        "queue-table--marked",
        "queue-table--dim",
        "queue-table--status-new",
        "queue-table--status-active",
        "queue-table--status-done",
        "queue-table--priority",
    }

    DEFAULT_CSS = """
    QueueTable {
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .queue-table--header { text-style: bold; color: $text-accent; }
        & > .queue-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .queue-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .queue-table--marked { color: $text-warning; }
        & > .queue-table--dim { color: $text-muted; }
        & > .queue-table--status-new { color: $text-accent; }
        & > .queue-table--status-active { color: $text-success; }
        & > .queue-table--status-done { color: $text-muted; }
        & > .queue-table--priority { color: $text-error; text-style: bold; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Opened(Message):
        """A question was opened (enter or a double click)."""

        def __init__(self, table: QueueTable, question_id: int) -> None:
            super().__init__()
            self.table = table
            self.question_id = question_id

    class MarksChanged(Message):
        """The set of questions selected for a bulk action changed."""

        def __init__(self, table: QueueTable, marked: frozenset[int]) -> None:
            super().__init__()
            self.table = table
            self.marked = marked

    def __init__(
        self,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        host_name: Callable[[str], str] = str,
        on_highlight: Callable[[int | None], None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._painter = RowPainter(
            now=now,
            host_name=host_name,
            base=lambda: self.rich_style,
            style=self.get_component_rich_style,
        )
        self._on_highlight = on_highlight
        self.rows: list[Summary] = []
        self._positions: dict[int, int] | None = {}  # question id -> row; None: not built yet
        self.marked: set[int] = set()
        self._painted: list[Callable[[], object]] = []
        self._highlighted: int | None = None
        # Drawn lines, until the rows or the styles change: when another widget's layout
        # changes, Textual redraws every visible line, and building one costs ~0.2 ms.
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)

    # -- data -------------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[Summary],
        keep: int | None = None,
        order: Callable[[Summary], Any] | None = None,
    ) -> None:
        """Show these summaries; the cursor stays on question `keep` (or the current one).
        `order`: the sort key the rows are in, to find the kept question by bisection."""
        kept_row = self.current if keep is None or keep == self.current_id else None
        keep = self.current_id if keep is None else keep
        old_cursor = self.cursor
        self.rows = list(rows)
        self._lines.clear()
        # Where each question is, built when first needed: at 50k rows that takes ~30 ms, and
        # a search's full result usually keeps the cursor where its first rows had it.
        self._positions = None
        if self.marked:
            self.marked &= self._index.keys()  # a bulk action never reaches questions out of sight
        self.set_virtual_size(Size(self.size.width, len(self.rows) + 1))
        found = self._find(keep, kept_row, order) if keep is not None else None
        if found is not None:
            self.cursor = found
        elif keep in self._index:
            self.cursor = self._index[keep]
        else:
            # the question left the list (filtered out, its status changed): stay at its place
            self.cursor = min(old_cursor, max(0, len(self.rows) - 1))
        self.refresh()

    def _find(
        self, keep: int, row: Summary | None, order: Callable[[Summary], Any] | None
    ) -> int | None:
        """Where question `keep` is without the id -> row map (~30 ms to build at 50k): at the
        cursor, or found by its sort key in rows sorted by `order`."""
        if self.id_at(self.cursor) == keep:
            return self.cursor
        if row is None or order is None:
            return None
        key, rows = order(row), self.rows
        index = bisect.bisect_left(rows, key, key=order)
        while index < len(rows) and order(rows[index]) == key:
            if rows[index]["id"] == keep:
                return index
            index += 1
        return None

    @property
    def _index(self) -> dict[int, int]:
        if self._positions is None:
            self._positions = {row["id"]: index for index, row in enumerate(self.rows)}
        return self._positions

    def position_of(self, question_id: int) -> int | None:
        return self._index.get(question_id)

    def id_at(self, index: int) -> int | None:
        return self.rows[index]["id"] if 0 <= index < len(self.rows) else None

    @property
    def current_id(self) -> int | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]["id"]
        return None

    @property
    def current(self) -> Summary | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def row_of(self, question_id: int) -> Summary | None:
        index = self._index.get(question_id)
        return None if index is None else self.rows[index]

    def move_to(self, question_id: int) -> bool:
        """Put the cursor on a question if it is in the list."""
        if question_id not in self._index:
            return False
        self.cursor = self._index[question_id]
        return True

    def targets(self) -> list[Summary]:
        """The rows a bulk action applies to: the selected ones, else the one under the cursor."""
        if self.marked:
            return [
                self.rows[self._index[i]] for i in sorted(self.marked, key=self._index.__getitem__)
            ]
        return [self.current] if self.current else []

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self.post_message(self.MarksChanged(self, frozenset()))
            self.refresh()

    # -- cursor -----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        if self.current_id != self._highlighted:
            self._highlighted = self.current_id
            if self._on_highlight is not None:
                # at once, not through a message: the question then shows in the same frame
                # as the cursor (a message arrived a frame later, ~35 ms at 160×50)
                self._on_highlight(self._highlighted)

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self._page:
            self.scroll_to(y=self.cursor - self._page + 1, animate=False)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page

    def action_page_down(self) -> None:
        self.cursor += self._page

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_toggle_mark(self) -> None:
        """Select or unselect the question under the cursor (space, bound by the screen)."""
        question_id = self.current_id
        if question_id is None:
            return
        self.marked.symmetric_difference_update({question_id})
        self.post_message(self.MarksChanged(self, frozenset(self.marked)))
        self.refresh_line(self.cursor + 1)
        self.cursor += 1  # like a file manager: select and move on

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self._scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return  # the header row
        row = round(self.scroll_y) + offset.y - 1
        if row < len(self.rows):
            self.cursor = row
            if event.chain >= 2:
                self.post_message(self.Opened(self, self.rows[row]["id"]))

    # -- drawing ----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._lines.clear()  # a new theme, or the focus style
        self._painter.restyled()
        super().notify_style_update()

    def when_painted(self, callback: Callable[[], object]) -> None:
        """Call this once the rows set last are on the screen (drawn and sent)."""
        self._painted.append(callback)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if self._painted:  # drawing now; the screen is written before our next message
            for callback in self._painted:
                self.call_later(callback)
            self._painted.clear()
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y - 1
        if y == 0:
            key: tuple[object, ...] = ("header", width)
        else:
            row_id = self.rows[index]["id"] if index < len(self.rows) else None
            marked = row_id in self.marked
            key = (index, row_id, index == self.cursor, marked, width, self.has_focus)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._draw(y, index, width)
            self._lines[key] = strip
        return strip

    def _draw(self, y: int, index: int, width: int) -> Strip:
        """Line `y` of the table, which shows row `index` below the header."""
        if y == 0:
            return self._painter.header(width)
        if index >= len(self.rows):
            return self._painter.blank(width)
        row = self.rows[index]
        marked = row["id"] in self.marked
        return self._painter.row(row, width, marked=marked, under_cursor=index == self.cursor)
