"""The question beside the draft editor: the listener's words, the thread, the co-hosts' takes.

Like the detail pane, every piece of listener text is a rich ``Text`` of literal characters.
The co-hosts' drafts sit in collapsibles, read-only: each host writes only their own take.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Collapsible, Static

from ...model.question import Question
from ..spoken import length_line
from ..text import literal, one_line, plain
from .question_detail import when


class QuestionPane(VerticalScroll, can_focus=True):
    """One question as the host writes about it; `show` again when it changes on disk."""

    def __init__(self, *, host_name: Callable[[str | None], str], id: str | None = None) -> None:
        super().__init__(id=id)
        self._host_name = host_name
        self._takes: dict[str, Collapsible] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="pane-title", classes="pane-section")
        yield Static(id="pane-meta", classes="pane-section")
        yield Static(id="pane-body", classes="pane-section")
        yield Static(id="pane-replies", classes="pane-section")
        yield Vertical(id="pane-takes")
        yield Static(id="pane-answer", classes="pane-section")

    def _put(self, section: str, content: Text | None) -> None:
        static = self.query_one(f"#pane-{section}", Static)
        static.display = content is not None and bool(content.plain.strip())
        static.update(content or "")

    def show(self, question: Question, me: str | None) -> None:
        q = question
        self._put("title", Text.assemble((f"#{q.id} ", "dim"), plain(q.title, "bold", single=True)))
        listener = one_line(q.listener.name) or "a listener"
        host = one_line(self._host_name(q.host)) if q.host else "nobody"
        meta = f"{q.status.value} · host {host} · tags {one_line(' '.join(q.tags)) or '—'}"
        if q.episode is not None:
            meta += f" · episode {q.episode} at {q.timestamp or '?'}"
        self._put("meta", Text(meta, style="dim"))
        heading = Text.assemble((f"{listener} asks", "bold underline"), "\n")
        self._put("body", heading + plain(q.body))
        replies = Text()
        for reply in q.replies:
            author = one_line(reply.author) or "someone"
            replies.append(f"\n{author}{' (host)' if reply.is_host else ''}:\n", "italic")
            replies.append(literal(reply.text) + "\n")
        if q.replies:
            replies = Text.assemble(("Replies in the thread", "bold underline"), replies)
        self._put("replies", replies.rstrip() or None)
        if q.answer is not None:
            by = one_line(self._host_name(q.answer.host))
            heading = Text(f"The answer, by {by}", style="bold underline")
            self._put("answer", Text.assemble(heading, "\n", plain(q.answer.text)))
        else:
            self._put("answer", None)
        self._show_takes(q, me)

    def _show_takes(self, q: Question, me: str | None) -> None:
        """The other hosts' drafts; a fold keeps its open or closed state across updates."""
        others = {host: draft for host, draft in q.drafts.items() if host != me}
        box = self.query_one("#pane-takes", Vertical)
        for host in list(self._takes):
            if host not in others:
                self._takes.pop(host).remove()
        for host, draft in others.items():
            name = one_line(self._host_name(host))
            title = Text(f"{name}'s take · {length_line(draft.text)} · {when(draft.updated_at)}")
            body = plain(draft.text or "(empty)")
            if host in self._takes:
                fold = self._takes[host]
                fold.title = title  # type: ignore[assignment]  # Text: never read as markup
                fold.query_one(Static).update(body)
            else:
                fold = Collapsible(Static(body), title=title, collapsed=True)  # type: ignore[arg-type]
                self._takes[host] = fold
                box.mount(fold)
