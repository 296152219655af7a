"""Plain-text rendering of questions for the terminal (listener text made safe to print)."""

from __future__ import annotations

import shutil
import textwrap
from datetime import datetime

from rich.cells import cell_len, set_cell_size

from ..errors import DatabaseError, QaQueueError
from ..model.changes import describe
from ..model.dates import age
from ..model.question import Question, Status
from ..queue import QuestionQueue
from ..store.schema import Summary
from ..text import clip, printable


def _row(s: Summary, now: datetime) -> tuple[str, ...]:
    try:
        return (
            f"#{s['id']}",
            s["status"],
            f"P{s['priority']}",
            printable(s["title"], single_line=True),
            printable(s["listener"], single_line=True) or "—",
            s["host"] or "—",
            ",".join(s["tags"]),
            age(s["received_at"], now),
        )
    except (ValueError, TypeError, AttributeError, OverflowError):  # an old repair kept it
        raise DatabaseError(
            f"question #{s['id']} holds values qa-queue cannot read: run `qa-queue doctor`"
        ) from None


def question_table(summaries: list[Summary], queue: QuestionQueue) -> str:
    """One line per question: id, status, priority, title, listener, host, tags, age."""
    width = shutil.get_terminal_size((120, 24)).columns
    now = queue.now()
    rows = [_row(s, now) for s in summaries]
    if not rows:
        return "  (no questions)"
    widths = [max(cell_len(row[i]) for row in rows) for i in range(8)]
    widths[4] = min(widths[4], 18)
    widths[6] = min(widths[6], 24)
    fixed = sum(w for i, w in enumerate(widths) if i != 3) + 2 * 7
    widths[3] = max(20, min(widths[3], width - fixed))
    return "\n".join(
        "  ".join(fit(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    )


def fit(text: str, width: int) -> str:
    """The text cut (with an ellipsis) or padded to `width` columns of the terminal: CJK and
    emoji take two, combining marks none."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def _block(text: str, indent: str = "  ") -> str:
    width = min(100, shutil.get_terminal_size((100, 24)).columns) - len(indent)
    paragraphs = printable(text).split("\n")
    return "\n".join(
        textwrap.fill(p, width, initial_indent=indent, subsequent_indent=indent) if p else ""
        for p in paragraphs
    )


def _looks_like(other_id: int, score: int, queue: QuestionQueue) -> str:
    """ "#48 (87% alike), answered in episode 198" — a suggestion for the host to confirm."""
    try:
        other = queue.store.summary(other_id)
    except QaQueueError:
        return f"#{other_id} (no longer there)"
    where = f", in episode {other['episode']}" if other["episode"] else ""
    title = clip(printable(other["title"], single_line=True), 50)
    return f"#{other_id} {title} ({score}% alike, {other['status']}{where})"


def question_detail(q: Question, queue: QuestionQueue) -> str:
    """Everything about one question, as a host reads it."""
    lines = [f"#{q.id}  {printable(q.title, single_line=True)}"]
    declined = q.status is Status.DECLINED and q.decline_reason
    facts = [
        ("status", q.status.value + (f" ({printable(q.decline_reason)})" if declined else "")),
        ("host", queue.host_name(q.host) or "—"),
        ("priority", str(q.priority)),
        ("tags", ", ".join(q.tags) or "—"),
        (
            "listener",
            f"{printable(q.listener.name) or '—'} <{printable(q.listener.contact) or 'no contact'}>"
            f" · credited as {q.listener.credited_as()}",
        ),
        ("source", q.source.kind + (f" {printable(q.source.ref)}" if q.source.ref else "")),
        ("received", q.received_at),
    ]
    if q.boost_sats:  # none, or 0 from an older import: no boost to show
        facts.append(("boost", f"{q.boost_sats:,} sats"))
    if q.episode:
        facts.append(("episode", f"{q.episode} at {q.timestamp or '(no time yet)'}"))
    if q.snoozed_until:
        facts.append(("snoozed", f"until {q.snoozed_until}"))
    if q.duplicate_of:
        facts.append(("duplicate", f"of #{q.duplicate_of}"))
    if q.asked_count > 1:
        facts.append(("asked", f"{q.asked_count} times"))
    for suggestion in q.similar_to:
        facts.append(("looks like", _looks_like(suggestion["id"], suggestion["score"], queue)))
    facts.append(("revision", str(q.revision)))
    lines += [f"  {name:<9} {value}" for name, value in facts]
    lines += ["", "Question:", _block(q.body)]
    for reply in q.replies:
        who = printable(reply.author) or "someone"
        lines += ["", f"Reply by {who}{' (host)' if reply.is_host else ''}:", _block(reply.text)]
    for host, d in q.drafts.items():
        lines += ["", f"{queue.host_name(host)}'s draft ({d.updated_at}):", _block(d.text)]
    if q.answer:
        who = queue.host_name(q.answer.host)
        lines += ["", f"Answer by {who} ({q.answer.answered_at}):", _block(q.answer.text)]
    if q.references:
        lines += ["", "References:"]
        lines += [f"  - {printable(r.title)} {printable(r.url)}".rstrip() for r in q.references]
    if q.notes:
        lines += ["", "Internal notes:", _block(q.notes)]
    lines += ["", "History:"]
    lines += [f"  {describe(entry, queue.host_name)}" for entry in q.history]
    return "\n".join(lines)
