"""`qa-queue doctor [--repair]`: what is wrong with the database, and setting damage aside."""

from __future__ import annotations

import sys

import click

from ..errors import DatabaseError
from ..model.question import unreadable_fields
from ..store.diagnosis import diagnose
from ..store.findings import Diagnosis
from ..store.repair import repair
from ..text import counted
from .context import Session, pass_session


@click.command()
@click.option(
    "--repair",
    "fix",
    is_flag=True,
    help="Set damaged parts aside in a quarantine file (never deleting them) and leave a "
    "database that opens.",
)
@click.option(
    "--yes",
    is_flag=True,
    help="Repair even when it keeps less than it loses (a journal missing): without it, "
    "--repair asks at a terminal and refuses elsewhere.",
)
@pass_session
def doctor(session: Session, fix: bool, yes: bool) -> None:
    """Check the database's files: what is wrong, where, and what a repair would lose.

    Only reads, unless --repair. Exits 0 when the database is sound (or was repaired),
    4 when it has problems.
    """
    path = session.db_path
    if not fix:
        found = diagnose(path, unreadable_fields)
        _report(found)
        if not found.healthy:
            if found.repairable:
                click.echo(
                    "\n`qa-queue doctor --repair` sets the damaged parts aside in "
                    f"{path.name}.quarantine (nothing is deleted) and rebuilds what it can."
                )
            raise SystemExit(DatabaseError.exit_code)
        return
    if not yes and sys.stdin.isatty():
        found = diagnose(path, unreadable_fields)
        if found.drastic:  # the journal may be in a backup: ask before keeping only the index
            _report(found)
            yes = click.confirm(f"\n{found.drastic}. Repair anyway?", default=False)
            if not yes:
                raise SystemExit(DatabaseError.exit_code)
    done = repair(path, unreadable_fields, accept_losses=yes)
    if done.diagnosis.healthy:
        click.echo(f"{path}: nothing to repair")
        for line in done.done:
            click.echo(f"  {line}")
        return
    _report(done.diagnosis)
    click.echo(f"\nRepaired {path}:")
    for line in done.done:
        click.echo(f"  {line}")


def _report(found: Diagnosis) -> None:
    click.echo(f"{found.path}: " + ("sound" if found.healthy else _count(found)))
    for problem in found.problems:
        click.echo(f"  {problem.line()}")
        if problem.affects:
            click.echo(f"    it held: {problem.affects}")
        if problem.repair:
            click.echo(f"    --repair: {problem.repair}")
    if found.losses:
        click.echo("What a repair cannot bring back:")
        for loss in found.losses:
            click.echo(f"  - {loss}")
    if found.notes:
        click.echo("Notes:")
        for note in found.notes:
            click.echo(f"  - {note}")


def _count(found: Diagnosis) -> str:
    number = len(found.problems)
    return counted(number, "problem")
