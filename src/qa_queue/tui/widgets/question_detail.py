"""The detail pane: one question in full, from the listener's words to its history.

Every piece of text is a rich ``Text`` built from a plain string (see ``tui/text.py``), so a
listener's brackets and escape characters are shown as typed and never interpreted.

It is a TextPane: it draws its own lines, so showing another question costs one wrap and a
repaint of the pane.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text

from ...model.changes import summary, when
from ...model.dates import age
from ...model.question import Question, Status
from ..text import literal, one_line, plain
from .text_pane import TextPane


class QuestionDetail(TextPane):
    """Shows the question it is given, or a hint when there is none."""

    def __init__(
        self,
        *,
        now: Callable[[], datetime],
        host_name: Callable[[str | None], str],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._now = now
        self._host_name = host_name
        self.question: Question | None = None

    def show(self, question: Question | None, *, empty: str = "") -> None:
        """Show a question; with None, the `empty` hint (what to do about an empty list)."""
        before = self.question.id if self.question else None
        self.question = question
        if question is None:
            self.show_text(Text(empty or "No question here."), from_top=True)
            return
        q = question
        title = Text.assemble((f"#{q.id} ", "dim"), plain(q.title, "bold", single=True))
        notes = self._heading("Internal notes", plain(q.notes)) if q.notes else None
        sections = [
            title,
            self._meta(q),
            self._heading("The listener's words", plain(q.body)),
            self._replies(q),
            self._drafts(q),
            self._answer(q),
            self._references(q),
            notes,
            self._history(q),
        ]
        shown = [section for section in sections if section is not None and section.plain.strip()]
        # the same question again (a refresh) keeps its place; another starts at its top
        self.show_text(Text("\n\n").join(shown), from_top=q.id != before)

    @staticmethod
    def _heading(name: str, body: Text) -> Text:
        return Text.assemble((name, "bold underline"), "\n", body)

    def _meta(self, q: Question) -> Text:
        def field(label: str, value: str) -> tuple[tuple[str, str], str]:
            # a no-break space keeps a label on the line of its value when the pane wraps
            return (f"{label}\u00a0", "dim"), value

        host = self._host_name(q.host) if q.host else "nobody"
        parts: list[tuple[tuple[str, str], str]] = [
            field("status", q.status.value),
            field("host", one_line(host)),
            field("priority", str(q.priority)),
            field("tags", one_line(" ".join(q.tags)) or "—"),
        ]
        listener = one_line(q.listener.name) or "(no name)"
        credit = f"{one_line(q.listener.credited_as())} ({q.listener.credit.value})"
        who = [field("listener", listener), field("credited as", credit)]
        if q.listener.contact:
            who.append(field("contact", one_line(q.listener.contact)))
        source = q.source.kind + (f" {one_line(q.source.ref)}" if q.source.ref else "")
        since = age(q.received_at, self._now())
        received = f"{when(q.received_at)} ({'just now' if since == 'now' else since + ' ago'})"
        origin = [field("source", source), field("received", received)]
        if q.boost_sats:  # none, or 0 from an older import: no boost to show
            origin.append(field("boost", f"{q.boost_sats:,} sats"))
        extra = []
        if q.episode is not None:
            extra.append(field("episode", f"{q.episode} at {q.timestamp or '?'}"))
        if q.answered_on:
            # "on air" is where it is to be answered until it is: not "answered" before then
            said = "answered on" if q.status is Status.ANSWERED else "to answer on"
            extra.append(field(said, q.answered_on))
        if q.snoozed_until:
            extra.append(field("snoozed until", when(q.snoozed_until)))
        if q.asked_count > 1:
            extra.append(field("asked", f"{q.asked_count}×"))
        if q.duplicate_of is not None:
            extra.append(field("duplicate of", f"#{q.duplicate_of}"))
        if q.decline_reason and q.status is Status.DECLINED:  # a reopen keeps it in history only
            extra.append(field("declined", one_line(q.decline_reason)))
        extra.append(field("revision", str(q.revision)))
        text = Text()
        for line in (parts, who, origin, extra):
            for index, (label, value) in enumerate(line):
                if index:
                    text.append("  ·  ", "dim")
                text.append(*label)
                text.append(value)
            text.append("\n")
        text.rstrip()
        return text

    def _replies(self, q: Question) -> Text | None:
        if not q.replies:
            return None
        body = Text()
        for reply in q.replies:
            author = one_line(reply.author) or "someone"
            body.append(f"{author}{' (host)' if reply.is_host else ''}:\n", "italic")
            body.append(literal(reply.text) + "\n")
        body.rstrip()
        return self._heading("Replies in the thread", body)

    def _drafts(self, q: Question) -> Text | None:
        if not q.drafts:
            return None
        body = Text()
        for host, draft in q.drafts.items():
            name = one_line(self._host_name(host))
            body.append(f"{name}'s take", "italic")
            body.append(f" ({when(draft.updated_at)})\n", "dim")
            body.append(literal(draft.text) + "\n")
        body.rstrip()
        return self._heading("Drafts", body)

    def _answer(self, q: Question) -> Text | None:
        if q.answer is None:
            return None
        by = one_line(self._host_name(q.answer.host))
        heading = f"Answer by {by}, {when(q.answer.answered_at)}"
        return self._heading(heading, plain(q.answer.text))

    def _references(self, q: Question) -> Text | None:
        if not q.references:
            return None
        body = Text()
        for reference in q.references:
            body.append("• " + one_line(reference.title))
            if reference.url:
                body.append("  " + one_line(reference.url), "dim")
            body.append("\n")
        body.rstrip()
        return self._heading("References", body)

    def _history(self, q: Question) -> Text | None:
        if not q.history:
            return None
        body = Text()
        for entry in reversed(q.history):  # newest first: what just happened is what matters
            style = "dim strike" if entry.undone else ""
            who = one_line(self._host_name(entry.host)) or one_line(entry.host)
            body.append(f"{who} · {when(entry.at)} · ", "dim")
            body.append(summary(entry, self._host_name), style)
            body.append("\n")
        body.rstrip()
        return self._heading("History", body)
