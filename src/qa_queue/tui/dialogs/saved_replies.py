"""Saved replies in the app: a draft saved as one (its name asked in a small dialog), and the
list of them with the highlighted one's text, to rename or remove (after a yes).

Everything goes through ShowSettings (QuestionQueue), as `qa-queue replies` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static

from ...errors import BadInput, QaQueueError
from ...show import ReplyExists, reply_name, reply_text
from ..host_app import HostApp
from ..text import literal, one_line
from .ask import Ask
from .pick import Choice, confirm

if TYPE_CHECKING:
    from ...queue import QuestionQueue

HOW_TO_ADD = "ctrl+n in the draft editor saves a draft as one; so does 'qa-queue replies add'"


def excerpt(reply: dict, words: int = 5) -> str:
    """The start of a saved reply, to tell it from the others in a list."""
    start = one_line(reply.get("text")).split()
    return " ".join(start[:words]) + ("…" if len(start) > words else "")


def _other_reply(queue: QuestionQueue, name: str, but: str = "") -> dict | None:
    """The saved reply already named `name` (any case), unless it is the one named `but`."""
    try:
        found = queue.saved_reply(name)
    except BadInput:
        return None
    same = " ".join(str(found.get("name", "")).split()).casefold() == but.casefold()
    return None if but and same else found


def save_as_reply(app: HostApp, queue: QuestionQueue, text: str) -> None:
    """Ask for a name, then save `text` as a saved reply; a name in use asks before replacing."""
    try:
        reply_text(text)
    except BadInput as error:
        app.tell(f"The draft cannot be a saved reply: {error}", "warning")
        return

    def preview(typed: str) -> str:
        if not typed.strip():
            return ""
        name = reply_name(typed)
        existing = _other_reply(queue, name)
        if existing is None:
            return f"a new saved reply: {name}"
        return f"replaces the saved reply {one_line(existing.get('name'))} (asks first)"

    def save(name: str, replace: bool = False) -> None:
        try:
            reply = queue.add_saved_reply(name, text, replace=replace)
        except ReplyExists:
            ask = confirm(f"Replace the saved reply {one_line(name)}?", "Replace it", "Keep it")
            app.push_screen(ask, lambda yes: save(name, replace=True) if yes else None)
            return
        except QaQueueError as error:
            app.tell(str(error), "error")
            return
        app.tell(f"Saved reply {reply['name']} {'replaced' if replace else 'saved'}")

    def named(name: str | None) -> None:
        if name and name.strip():
            save(name)

    ask = Ask(
        "Save the draft as a saved reply named",
        placeholder="e.g. Medical disclaimer",
        preview=preview,
        note="Any host can insert it into a draft with ctrl+r.",
    )
    app.push_screen(ask, named)


class SavedReplies(ModalScreen[None]):
    """The show's saved replies: the highlighted one's text beside the list; r renames it,
    del removes it (after a yes), esc closes."""

    app: HostApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("r", "rename", "Rename the saved reply"),
        Binding("delete,x", "remove", "Remove the saved reply"),
    ]

    def __init__(self, queue: QuestionQueue) -> None:
        super().__init__(classes="dialog-screen")
        self.queue = queue
        self.replies: list[dict] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide", id="saved-replies"):
            yield Label(Text("Saved replies"), classes="dialog-title", id="replies-title")
            yield OptionList(id="replies")
            with VerticalScroll(id="reply-text-scroll"):
                yield Static(id="reply-text")
            note = "r renames · del removes · esc closes · ctrl+n in a draft adds one"
            yield Label(Text(note), classes="dialog-note")

    @property
    def options(self) -> OptionList:
        return self.query_one("#replies", OptionList)

    def on_mount(self) -> None:
        self.reload()
        self.options.focus()

    def reload(self, keep: str | None = None) -> None:
        """Read the replies again; the highlight stays on `keep` (a name), or where it was."""
        options = self.options
        at = options.highlighted or 0
        self.replies = self.queue.saved_replies()
        options.clear_options()
        for reply in self.replies:
            options.add_option(Choice(one_line(reply.get("name")), reply, hint=excerpt(reply)))
        names = [r.get("name") for r in self.replies]
        if keep in names:
            at = names.index(keep)
        self.query_one("#replies-title", Label).update(Text(f"Saved replies ({len(self.replies)})"))
        options.display = bool(self.replies)
        if self.replies:
            options.highlighted = min(at, len(self.replies) - 1)
        self._show(self.current)

    @property
    def current(self) -> dict | None:
        index = self.options.highlighted
        if index is None or not 0 <= index < len(self.replies):
            return None
        return self.replies[index]

    def _show(self, reply: dict | None) -> None:
        shown = self.query_one("#reply-text", Static)
        if reply is None:
            shown.update(Text(f"No saved replies yet: {HOW_TO_ADD}."))
        else:
            shown.update(Text(literal(reply.get("text"))))
        self.query_one("#reply-text-scroll", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionHighlighted, "#replies")
    def highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._show(self.current)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rename", "remove"):
            return self.current is not None
        return True

    def action_rename(self) -> None:
        reply = self.current
        if reply is None:
            return
        old = str(reply.get("name", ""))

        def preview(typed: str) -> str:
            name = reply_name(typed)
            if name == old:
                return ""
            clash = _other_reply(self.queue, name, but=" ".join(old.split()))
            if clash is not None:
                raise ReplyExists(f"there is a saved reply named {clash.get('name')!r} already")
            return f"renamed to {name}"

        def rename(typed: str | None) -> None:
            if typed is None or " ".join(typed.split()) == old:
                return
            try:
                renamed = self.queue.rename_saved_reply(old, typed)
            except QaQueueError as error:
                self.app.tell(str(error), "error")
                return
            self.reload(keep=renamed["name"])
            self.app.tell(f"Saved reply {one_line(old)} is now {renamed['name']}")

        ask = Ask(f"Rename the saved reply {one_line(old)}", value=old, preview=preview)
        self.app.push_screen(ask, rename)

    def action_remove(self) -> None:
        reply = self.current
        if reply is None:
            return
        name = str(reply.get("name", ""))

        def remove(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.queue.remove_saved_reply(name)
            except QaQueueError as error:
                self.app.tell(str(error), "error")
            else:
                self.app.tell(f"Saved reply {one_line(name)} removed")
            self.reload()

        ask = confirm(f"Remove the saved reply {one_line(name)}?", "Remove it", "Keep it")
        self.app.push_screen(ask, remove)

    def action_close(self) -> None:
        self.dismiss(None)
