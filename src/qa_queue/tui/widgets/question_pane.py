"""The question beside the draft editor: the listener's words, the thread, the co-hosts' takes.

Like the detail pane, every piece of listener text is a rich ``Text`` of literal characters,
drawn by a TextPane. The co-hosts' drafts come last, read-only: each host writes only their own
take, and reads the others' here while writing.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from ...model.changes import when
from ...model.question import Question
from ...spoken import length_line
from ..text import literal, one_line, plain
from .text_pane import TextPane


def _heading(name: str, body: Text) -> Text:
    return Text.assemble((name, "bold underline"), "\n", body)


class QuestionPane(TextPane):
    """One question as the host writes about it; `show` again when it changes on disk."""

    def __init__(self, *, host_name: Callable[[str | None], str], id: str | None = None) -> None:
        super().__init__(id=id)
        self._host_name = host_name
        self._question_id: int | None = None

    def show(self, question: Question, me: str | None) -> None:
        q = question
        listener = one_line(q.listener.name) or "a listener"
        host = one_line(self._host_name(q.host)) if q.host else "nobody"
        meta = f"{q.status.value} · host {host} · tags {one_line(' '.join(q.tags)) or '—'}"
        if q.episode is not None:
            meta += f" · episode {q.episode} at {q.timestamp or '?'}"
        sections = [
            Text.assemble((f"#{q.id} ", "dim"), plain(q.title, "bold", single=True)),
            Text(meta, style="dim"),
            _heading(f"{listener} asks", plain(q.body)),
        ]
        if q.replies:
            replies = Text()
            for reply in q.replies:
                author = one_line(reply.author) or "someone"
                replies.append(f"\n{author}{' (host)' if reply.is_host else ''}:\n", "italic")
                replies.append(literal(reply.text))
            sections.append(Text.assemble(("Replies in the thread", "bold underline"), replies))
        if q.answer is not None:
            by = one_line(self._host_name(q.answer.host))
            sections.append(_heading(f"The answer, by {by}", plain(q.answer.text)))
        for other, draft in q.drafts.items():
            if other == me:
                continue
            name = one_line(self._host_name(other))
            heading = Text.assemble(
                (f"{name}'s take", "bold underline"),
                (f"  {length_line(draft.text)} · {when(draft.updated_at)}", "dim"),
            )
            sections.append(Text.assemble(heading, "\n", plain(draft.text or "(empty)")))
        # the same question again (a co-host's change) keeps its place; another starts at its top
        self.show_text(Text("\n\n").join(sections), from_top=q.id != self._question_id)
        self._question_id = q.id
