"""`qa-queue forget CONTACT|NAME|#ID [--questions]`: a listener's erasure request."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..erasure import Forgotten, Found, left_behind
from ..errors import BadInput, RuleViolation
from ..store.leftovers import quarantine_path
from ..store.shred import shred
from ..text import printable
from .context import Session, pass_session

OUTSIDE = (
    "Outside the database, qa-queue cannot reach: exports and show notes you wrote to "
    "files, backups and copies of the database, and the mail, form exports and threads "
    "you imported from (importing those again would add their questions back)."
)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ids(ids: list[int]) -> str:
    return ", ".join(f"#{n}" for n in ids)


@click.command()
@click.argument("listener", metavar="CONTACT|NAME|#ID")
@click.option(
    "--questions",
    "words",
    is_flag=True,
    help="Also replace their questions' titles and words, and their replies' text, with "
    "\"removed at the listener's request\" (the hosts' drafts and answers are kept).",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.option(
    "--delete-quarantine",
    is_flag=True,
    help="If the quarantine file (parts a repair set aside) names them, delete it too.",
)
@pass_session
def forget(session: Session, listener: str, words: bool, yes: bool, delete_quarantine: bool):
    """Forget a listener: remove their name and contact from every version of every
    question (and every file of the database), e.g. on a GDPR erasure request.

    CONTACT is their e-mail address (any capitalisation), NAME their name as written
    (spaces and capitals aside), #ID one of their questions. Asks before it changes
    anything, unless --yes; cannot be undone.
    """
    queue = session.queue
    queue.require_me("forgetting a listener")
    found = queue.find_listener(listener)
    if found.empty:
        _nothing_found(session, listener, yes, delete_quarantine)
    if not yes and not _interactive():
        raise BadInput("forget asks before it erases: run it in a terminal, or add --yes")
    _preview(found, words)
    if not yes and not click.confirm("Forget them? This cannot be undone", default=False):
        click.echo("Nothing was changed.")
        raise SystemExit(1)
    done = queue.forget(found, words=words)
    _report(done, words)
    # the store's path, resolved: --db may be relative or reached through a link
    quarantine = quarantine_path(queue.store.path)
    kept = quarantine in done.files and not _quarantine(quarantine, yes, delete_quarantine)
    click.echo(OUTSIDE)
    left = [path for path in done.files if path != quarantine]
    if left or kept:
        raise RuleViolation(
            "their name or contact is out of the questions named above, but still in "
            + _still(left, done.mentioned, quarantine if kept else None)
        )


def _still(files: list[Path], mentioned: list[int], quarantine: Path | None) -> str:
    """Where they still are, each with why: the questions' words for the database's own
    files, a repair's leftovers for the quarantine file."""
    parts = []
    if files:
        why = f" (the words of {_ids(mentioned)})" if mentioned else ""
        parts.append(", ".join(path.name for path in files) + why)
    if quarantine is not None:
        parts.append(f"{quarantine.name} (parts a repair set aside: --delete-quarantine)")
    return "; and in ".join(parts)


def _nothing_found(session: Session, listener: str, yes: bool, delete_quarantine: bool):
    """No question is theirs (forgotten already?): only files a repair set aside may be left."""
    store = session.queue.store
    store.maintain()  # a forget killed before it removed the old files: they go now
    left = left_behind(store, [listener])
    quarantine = quarantine_path(store.path)
    if quarantine in left and _quarantine(quarantine, yes, delete_quarantine):
        left.remove(quarantine)
    where = f", but {', '.join(p.name for p in left)} still hold(s) it" if left else ""
    raise BadInput(
        f"no question's listener or reply author is {printable(listener)!r} (by contact or "
        f"name){where}; no question was changed"
    )


def _preview(found: Found, words: bool) -> None:
    theirs = [n for n, *_ in found.theirs]
    what = "name, contact and words" if words else "name and contact"
    click.echo(f"Forgetting {printable(found.who.said)}:")
    if theirs:
        click.echo(f"  their {what} go from {len(theirs)} question(s): {_ids(theirs)}")
        for number, name, contact, title in found.theirs:
            who = " ".join(printable(t) for t in (name, f"<{contact}>" if contact else "") if t)
            click.echo(f"    #{number}  {who}  {printable(title)[:60]}")
    if found.replies_in:
        click.echo(f"  their replies lose their name in {_ids(found.replies_in)}")
    click.echo(
        "  from the current version and every history entry, in every file of the database; "
        "each question's history notes the change, without naming them"
    )


def _report(done: Forgotten, words: bool) -> None:
    what = "name, contact and words" if words else "name and contact"
    if done.theirs:
        click.echo(f"Forgot their {what} in {_ids(done.theirs)}.")
    if done.replies_in:
        click.echo(f"Took their name off their replies in {_ids(done.replies_in)}.")
    click.echo(
        "The old files were overwritten with zeros and removed (an SSD or a copy-on-write "
        "file system may still keep old blocks)."
    )
    if done.mentioned:
        click.echo(
            f"Still naming them: the words of {_ids(done.mentioned)} (hosts' notes or another "
            "listener's question): edit those if they must go."
        )


def _quarantine(path: Path, yes: bool, delete: bool) -> bool:
    """Whether the quarantine file, which names them, was deleted."""
    click.echo(
        f"{path.name} (damaged parts a repair set aside; qa-queue never reads or changes it "
        "on its own) still holds their name or contact."
    )
    if not delete and not yes and _interactive():
        delete = click.confirm(
            f"Delete {path.name}? It may also hold parts of other questions a repair could "
            "not read (copy it somewhere safe first if you still need them)",
            default=False,
        )
    if delete:
        shred(path)
        click.echo(f"Deleted {path.name}.")
        return True
    click.echo(
        "Delete it once you no longer need it (`forget ... --delete-quarantine`), or remove "
        "the parts that name them."
    )
    return False
