"""The row of saved views above the queue (Inbox 12 · Mine 3 · …), clickable, with counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label


class ViewTab(Label):
    """One view's name and count; a click chooses it."""

    def __init__(self, view: str, key: str) -> None:
        super().__init__(id=f"view-{view.lower()}", classes="view-tab")
        self.view = view
        self.key = key
        self.count: int | None = None

    def show(self, count: int | None) -> None:
        self.count = count
        label = Text.assemble((f"{self.key} ", "dim"), self.view)
        label.append(f" {'?' if count is None else count}", style="bold")
        self.update(label)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(ViewsBar.ViewChosen(self.view))


class ViewsBar(Horizontal):
    """The saved views, the one showing highlighted; scrolls sideways when they do not fit."""

    class ViewChosen(Message):
        """A view was chosen with the mouse."""

        def __init__(self, view: str) -> None:
            super().__init__()
            self.view = view

    def __init__(self, views: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._views = list(views)

    def compose(self) -> ComposeResult:
        for number, view in enumerate(self._views, start=1):
            yield ViewTab(view, str(number))

    def on_mount(self) -> None:
        for tab in self.query(ViewTab):
            tab.show(None)

    def show_counts(self, counts: Mapping[str, int | None]) -> None:
        for tab in self.query(ViewTab):
            if tab.count != counts.get(tab.view) or tab.count is None:
                tab.show(counts.get(tab.view))

    def show_active(self, view: str) -> None:
        for tab in self.query(ViewTab):
            tab.set_class(tab.view == view, "-active")
            if tab.view == view:
                self.scroll_to_widget(tab, animate=False)
