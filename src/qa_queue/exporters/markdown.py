"""Markdown show notes: per question its time, title, credited listener, answer and references."""

from __future__ import annotations

import re
from urllib.parse import quote

from ..model.dates import format_timestamp
from ..model.question import Question, Reference, Status
from .common import ShowNotes, credited_name, reference_url, seconds_or_none

# Everything that could start emphasis, code, a link, an autolink, raw HTML or a heading.
_INLINE = re.compile(r"([\\`*_\[\]<>#])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" would be decoded: "Q&A" is left alone
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_LIST_LIKE = re.compile(r"^(?:[-+*•]|\d{1,9}[.)])\s")
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"  # what a link destination may keep as it is


def escape_inline(text: str) -> str:
    """Listener (or any) text as literal Markdown on one line: no links, HTML or emphasis."""
    flat = " ".join(text.split())
    return _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", flat))


def _escape_line(line: str) -> str:
    """A line that cannot start a list, heading, quote, rule, fence or setext underline."""
    escaped = escape_inline(line)
    if escaped[:1] in ("-", "+", "=", "~"):
        return "\\" + escaped
    return _ORDERED.sub(r"\1\\\2", escaped)


def escape_block(text: str) -> str:
    """Paragraphs of literal text; a line that looks like a list item keeps its own line."""
    paragraphs = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip().replace("\r\n", "\n")):
        lines: list[str] = []
        for line in (line.strip() for line in paragraph.split("\n")):
            if not line:
                continue
            if lines and _LIST_LIKE.match(line):
                lines[-1] += "\\"  # a hard line break: the item stays on a line of its own
            lines.append(_escape_line(line))
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def link(title: str, url: str) -> str:
    """A Markdown link whose text and destination cannot break out of it."""
    return f"[{escape_inline(title) or escape_inline(url)}]({quote(url, safe=_URL_SAFE)})"


def _reference(reference: Reference) -> str:
    url = reference_url(reference.url)
    if url:
        return f"- {link(reference.title, url)}"
    extra = f" ({escape_inline(reference.url)})" if reference.url.strip() else ""
    return f"- {escape_inline(reference.title)}{extra}"


def first_paragraph(text: str) -> str:
    """The answer in short: its first paragraph, and the next one too while what is taken so
    far is a lead-in that runs on ("As you noted," then the quoted line)."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]
    short = paragraphs[:1]
    for paragraph in paragraphs[1:]:
        if not short[-1].rstrip().endswith((",", ":", "…")):
            break
        short.append(paragraph)
    return "\n\n".join(short)


def heading(notes: ShowNotes) -> str:
    """The page's title as plain text: "<podcast> — Episode 212: <title>"."""
    episode = notes.episode
    if episode is None:
        what = "answered and ready questions" if notes.include_ready else "answered questions"
    else:
        what = f"Episode {episode.number}" + (f": {episode.title}" if episode.title else "")
    return f"{notes.podcast} — {what}" if notes.podcast else what[:1].upper() + what[1:]


def _question_heading(question: Question, notes: ShowNotes) -> str:
    start = seconds_or_none(question)
    when = format_timestamp(start) if start is not None else ""
    if notes.episode is None and question.episode is not None:
        when = f"Episode {question.episode}" + (f", {when}" if when else "")
    prefix = f"[{when}] " if when else ""
    return f"## {prefix}{escape_inline(question.title)}"


def asked_by(question: Question) -> str:
    """ "Asked by Bob", or "Asked by Bob (asked by 3 listeners)" once others asked it too."""
    name = escape_inline(credited_name(question))
    count = question.asked_count
    if count <= 1:
        return f"Asked by {name or 'a listener'}"
    if not name:
        return f"Asked by {count} listeners"
    return f"Asked by {name} (asked by {count} listeners)"


def _private(question: Question) -> list[str]:
    """The parts only include_private asks for: who the listener is and the hosts' notes."""
    listener = question.listener
    blocks = []
    if listener.name.strip() or listener.contact.strip():
        contact = f"({listener.contact})" if listener.contact.strip() else ""
        who = " ".join(part for part in (listener.name, contact) if part.strip())
        blocks.append(f"Listener (private): {escape_inline(who)}")
    if question.notes.strip():
        blocks.append("Notes (private):\n\n" + escape_block(question.notes))
    return blocks


def _question(question: Question, notes: ShowNotes) -> list[str]:
    blocks = [_question_heading(question, notes)]
    if Status(question.status) is not Status.ANSWERED:  # a preview (include_ready)
        blocks.append(f"Not yet answered ({question.status}): a preview")
    blocks.append(asked_by(question))
    if question.answer and question.answer.text.strip():
        text = question.answer.text
        blocks.append(escape_block(text if notes.full_answers else first_paragraph(text)))
        host = notes.host_name(question.answer.host)
        if host:
            blocks.append(f"Answered by {escape_inline(host)}")
    if question.references:
        blocks.append("References:\n\n" + "\n".join(map(_reference, question.references)))
    if notes.include_private:
        blocks.extend(_private(question))
    return blocks


def render(notes: ShowNotes) -> str:
    """The show notes as a Markdown document."""
    blocks = [f"# {escape_inline(heading(notes))}"]
    if notes.episode is not None and notes.episode.air_date:
        # show notes are written before the episode airs and read after: no tense
        blocks.append(f"Air date: {escape_inline(notes.episode.air_date)}")
    for question in notes.questions:
        blocks.extend(_question(question, notes))
    return "\n\n".join(blocks) + "\n"
