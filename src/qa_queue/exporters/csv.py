"""The questions as a spreadsheet: one row each, safe to open in Excel, Sheets or LibreOffice."""

from __future__ import annotations

import csv
import io

from ..model.question import Question
from .common import ShowNotes, credited_name, reference_url

COLUMNS = [
    "id", "episode", "timestamp", "title", "listener", "status", "host", "tags", "answer",
    "references", "received_at", "asked_count",
]  # fmt: skip
PRIVATE_COLUMNS = ["listener_name", "contact", "notes", "decline_reason"]
# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV without a byte order mark as the system's legacy code page and garbles
# "Álvarez" and "—"; Sheets, LibreOffice and Python's "utf-8-sig" all accept the mark.
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _references(question: Question) -> str:
    parts = []
    for reference in question.references:
        url = reference_url(reference.url) or reference.url.strip()
        parts.append(f"{reference.title} <{url}>" if url else reference.title)
    return "; ".join(parts)


def _row(question: Question, notes: ShowNotes) -> list[object]:
    answer = question.answer
    host = question.host or (answer.host if answer else None)
    row: list[object] = [
        question.id,
        question.episode,
        question.timestamp,
        question.title,
        credited_name(question) or "a listener",
        question.status,
        notes.host_name(host) if host else "",
        "; ".join(question.tags),
        answer.text if answer else "",
        _references(question),
        question.received_at,
        question.asked_count,
    ]
    if notes.include_private:
        listener = question.listener
        row += [listener.name, listener.contact, question.notes, question.decline_reason]
    return row


def render(notes: ShowNotes) -> str:
    """CSV text (RFC 4180, CRLF rows) starting with a BOM; write it with newline=""."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS + (PRIVATE_COLUMNS if notes.include_private else []))
    for question in notes.questions:
        writer.writerow([safe_cell(value) for value in _row(question, notes)])
    return BOM + out.getvalue()
