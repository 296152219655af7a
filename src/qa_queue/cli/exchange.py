"""Getting questions in (import) and show notes out (export)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import BadInput, QaQueueError
from ..importers import read_file
from .context import Session, pass_session


def _mapping(pairs: tuple[str, ...]) -> dict[str, str] | None:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise BadInput(f"--map wants FIELD=COLUMN (e.g. body='Your question'), not {pair!r}")
        mapping[field.strip()] = column.strip()
    return mapping or None


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--map", "pairs", multiple=True, help="CSV column for a field: title=Subject.")
@pass_session
def import_files(session: Session, files: tuple[Path, ...], pairs: tuple[str, ...]) -> None:
    """Import questions from forum threads (.txt/.md), CSV form exports, mbox/.eml, JSON/JSONL.

    Importing the same file again adds nothing. Each file is imported whole or not at all.
    """
    mapping = _mapping(pairs)
    failed = 0
    for path in files:
        try:
            names = [h.name for h in session.queue.hosts()]
            batch = read_file(path, mapping=mapping, hosts=names)
            result = session.queue.import_questions(batch.questions)
        except QaQueueError as error:
            click.echo(f"qa-queue: {error}", err=True)
            failed += 1
            continue
        for reason in batch.rejected:
            click.echo(f"qa-queue: rejected: {reason}", err=True)
        added = ", ".join(f"#{i}" for i in result.added)
        click.echo(
            f"{path}: added {len(result.added)}{f' ({added})' if added else ''}, "
            f"skipped {len(result.skipped)} already there, rejected {len(batch.rejected)}"
        )
    if failed:
        raise SystemExit(2)
