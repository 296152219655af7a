"""A plain-text overview of the queue: what `qa-queue` prints where no terminal app can run."""

from __future__ import annotations

from pathlib import Path

import click

from ..query import VIEWS
from ..queue import QuestionQueue
from .render import question_table


def print_summary(queue: QuestionQueue, db_path: Path) -> None:
    title = queue.podcast() or "qa-queue"
    click.echo(f"{title} — {len(queue.store)} questions in {db_path}")
    counts = []
    for name, text in VIEWS.items():
        if name == "Mine" and not queue.me:
            continue
        counts.append(f"{name} {len(queue.find(text))}")
    click.echo("  " + " · ".join(counts))
    inbox = queue.find(VIEWS["Inbox"], sort="priority")
    if inbox:
        click.echo("\nInbox:")
        click.echo(question_table(inbox[:10], queue))
