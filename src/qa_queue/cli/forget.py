"""`qa-queue forget CONTACT|NAME|#ID... [--questions]`: a listener's erasure request.

Exit 0: done, nothing of theirs left in the database's files (their words may stay without
--questions: the report says where, and the command that takes them out); 1: declined at
the question, or something still names them (another question's words, a saved reply, the
quarantine file: named); 2: nothing found to forget, or not asked in a terminal without
--yes."""

from __future__ import annotations

import shlex
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


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _ids(ids: list[int]) -> str:
    return ", ".join(f"#{n}" for n in ids)


@click.command()
@click.argument("listeners", nargs=-1, required=True, metavar="CONTACT|NAME|#ID...")
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
def forget(
    session: Session, listeners: tuple[str, ...], words: bool, yes: bool, delete_quarantine: bool
):
    """Forget a listener: remove their name and contact from every version of every
    question (and every file of the database), e.g. on a GDPR erasure request.

    CONTACT is their e-mail address (any capitalisation), NAME their name as written
    (spaces, capitals and accents' encoding aside), #ID one of their questions, or one an
    earlier forget left their words in (with --questions). Asks before it changes anything,
    unless --yes; cannot be undone. Exit 0 done, 1 something still names them (named), 2
    nothing to forget.
    """
    queue = session.queue
    queue.require_me("forgetting a listener")
    found = queue.find_listener(*listeners)
    # the store's path, resolved: --db may be relative or reached through a link
    quarantine = quarantine_path(queue.store.path)
    if found.empty:
        queue.store.maintain()  # a forget killed before it removed the old files: they go now
        files = left_behind(queue.store, found.texts())
        if files in ([], [quarantine]):  # nothing to rewrite: only the quarantine may be left
            _nothing_found(found, quarantine in files, quarantine, yes, delete_quarantine)
    earlier = [n for n, name, contact, _title in found.theirs if not (name or contact)]
    if earlier and not words and len(earlier) == len(found.theirs):
        raise BadInput(
            f"the listener of {_ids(earlier)} was forgotten already: add --questions to "
            "remove their words too"
        )
    if not yes and not _interactive():
        raise BadInput("forget asks before it erases: run it in a terminal, or add --yes")
    _preview(found, words)
    if not yes and not click.confirm("Forget them? This cannot be undone", default=False):
        click.echo("Nothing was changed.")
        raise SystemExit(1)
    done = queue.forget(found, words=words)
    _report(done, words)
    kept = quarantine in done.files and not _quarantine(quarantine, yes, delete_quarantine)
    click.echo(OUTSIDE)
    left = [path for path in done.files if path != quarantine]
    named = bool(left or kept or done.places)
    finish = _finish(session, listeners, found, done, named=named, quarantine=kept)
    if finish:
        click.echo(f"To take out what is left of theirs (after any edits above): {finish}")
    if left or kept or done.places:
        raise RuleViolation(
            "their name or contact is out of the questions named above, but still in "
            + _still(left, done, quarantine if kept else None)
        )


def _finish(
    session: Session,
    listeners: tuple[str, ...],
    found: Found,
    done: Forgotten,
    *,
    named: bool,
    quarantine: bool,
) -> str:
    """The command that removes what this forget left: their words (by number: nothing
    else says whose they are now) and, when something still names them, their names and
    contacts as written (a later forget cannot read them from their questions any more)."""
    if not (done.kept_words or named):
        return ""
    args = ["qa-queue"]
    if not session.is_default_db:
        args += ["--db", str(session.db_path)]
    args.append("forget")
    if named:
        texts = [t for _n, name, contact, _t in found.theirs for t in (contact, name)]
        texts += [t for t in listeners if not t.strip().startswith("#")]
        args += list({_key(t): t.strip() for t in reversed(texts) if t.strip()}.values())[::-1]
    args += [f"#{n}" for n in done.kept_words]
    args += ["--questions"] if done.kept_words else []
    args += ["--delete-quarantine"] if quarantine else []
    return " ".join(shlex.quote(arg) for arg in args)


def _still(files: list[Path], done: Forgotten, quarantine: Path | None) -> str:
    """Where they still are, each with why: the questions' words and the hosts' saved
    replies for the database's own files, a repair's leftovers for the quarantine file."""
    parts = []
    whose = ([f"the words of {_ids(done.mentioned)}"] if done.mentioned else []) + done.places
    if files or whose:
        why = f" ({', '.join(whose)})" if whose else ""
        parts.append((", ".join(path.name for path in files) or "the database") + why)
    if quarantine is not None:
        parts.append(f"{quarantine.name} (parts a repair set aside: --delete-quarantine)")
    return "; and in ".join(parts)


def _nothing_found(found: Found, left: bool, quarantine: Path, yes: bool, delete: bool):
    """No question is theirs (forgotten already?) and no file of the database but the
    quarantine names them: it alone may go; where their words may be is said."""
    if left and _quarantine(quarantine, yes, delete):
        left = False
    where = f", but {quarantine.name} still holds it" if left else ""
    earlier = ""
    if found.earlier:
        command = " ".join(shlex.quote(f"#{n}") for n in found.earlier)
        earlier = (
            f"; questions an earlier forget took a listener out of keep their words: "
            f"{_ids(found.earlier)} (if theirs: qa-queue forget {command} --questions)"
        )
    raise BadInput(
        f"no question's listener or reply author is {printable(found.who.said)!r} (by contact "
        f"or name){where}; no question was changed{earlier}"
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
    if found.empty:
        click.echo(
            "  no question is theirs now, but the database's files still name them (old "
            "values in questions' histories, versions replaced since): they are rewritten"
        )
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
    if done.history:
        click.echo(f"Took their name out of the old values in the history of {_ids(done.history)}.")
    if done.kept_words:
        click.echo(
            f"Their words stay in {_ids(done.kept_words)} (titles and questions: without "
            "--questions only their name and contact go)."
        )
    click.echo(
        "The old files were overwritten with zeros and removed (an SSD or a copy-on-write "
        "file system may still keep old blocks)."
    )
    if done.mentioned:
        click.echo(
            f"Still naming them: the words of {_ids(done.mentioned)} (hosts' notes or another "
            "listener's question): edit those if they must go, then run the command below (it "
            "takes the old words out of their history)."
        )
    for place in done.places:
        how = (
            "`qa-queue replies add NAME --file FILE --replace` or `qa-queue replies remove NAME`"
            if place.startswith("saved reply")
            else "`qa-queue episodes`"
        )
        click.echo(
            f"Still naming them: the {place} (the hosts' words): edit or remove it if it "
            f"must go ({how}), then run the command below."
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
