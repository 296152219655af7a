"""`qa-queue replies`: the show's saved replies (add, list, show, remove), shared by its hosts."""

from __future__ import annotations

import sys

import click
from rich.cells import cell_len, set_cell_size

from ..errors import BadInput, why
from ..show import REPLY_TEXT_MAX, ReplyExists, reply_name
from ..text import counted, has_controls, literal, one_line
from .context import Session, pass_session
from .groups import HelpGroup


def _read(file: str) -> str:
    """The text of a file, or of standard input for '-', as UTF-8."""
    limit = REPLY_TEXT_MAX * 4 + 1  # bytes: no need to read a huge file to refuse it
    try:
        if file == "-":
            data = sys.stdin.buffer.read(limit)
        else:
            with open(file, "rb") as handle:
                data = handle.read(limit)
    except OSError as error:
        raise BadInput(f"cannot read the saved reply from {file}: {why(error)}") from error
    if len(data) >= limit:
        raise BadInput(
            f"{file} is too long for a saved reply (at most {REPLY_TEXT_MAX} characters)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        where = "standard input" if file == "-" else file
        raise BadInput(f"{where} is not UTF-8 text (byte {error.start})") from error


def _cut(text: str, width: int) -> str:
    """Exactly `width` cells on screen, with an ellipsis where it was cut."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


@click.group(cls=HelpGroup)
def replies() -> None:
    """The show's saved replies: texts any host inserts into a draft (ctrl+r in the app).

    Names are matched whatever their case and spacing.
    """


@replies.command("list")
@pass_session
def replies_list(session: Session) -> None:
    """List the saved replies: each name and its first line."""
    found = session.queue.saved_replies()
    if not found:
        click.echo("no saved replies yet: add one with `qa-queue replies add NAME --file FILE`")
        return
    names = [one_line(r.get("name")) for r in found]
    width = min(30, max(cell_len(n) for n in names))  # by cells: wide characters take two
    for name, reply in zip(names, found, strict=True):
        lines = literal(reply.get("text")).splitlines()
        first = one_line(next((line for line in lines if line.strip()), ""))
        click.echo(f"{_cut(name, width)}  {_cut(first, 70)}".rstrip())


@replies.command("show")
@click.argument("name")
@pass_session
def replies_show(session: Session, name: str) -> None:
    """Print a saved reply's text exactly as saved."""
    text = str(session.queue.saved_reply(name).get("text", ""))
    if has_controls(text):  # not saved by qa-queue (an older or imported file): made safe
        text = literal(text)
    # exactly the text: a newline is added only for a person at a terminal
    click.echo(text, nl=sys.stdout.isatty() and not text.endswith("\n"))


@replies.command("add")
@click.argument("name")
@click.option(
    "--file",
    "file",
    required=True,
    metavar="FILE",
    help="Read the text from FILE ('-': standard input).",
)
@click.option("--replace", is_flag=True, help="Replace the saved reply of that name, if any.")
@pass_session
def replies_add(session: Session, name: str, file: str, replace: bool) -> None:
    """Save a reply: `qa-queue replies add "Medical disclaimer" --file disclaimer.md`."""
    reply_name(name)  # a name that will not do is said before reading anything
    text = _read(file)
    try:
        reply = session.queue.add_saved_reply(name, text, replace=replace)
    except ReplyExists as error:
        raise ReplyExists(f"{error}: add --replace to replace it") from None
    words = len(reply["text"].split())
    click.echo(f"saved reply {reply['name']!r} ({counted(words, 'word')})")


@replies.command("remove")
@click.argument("name")
@pass_session
def replies_remove(session: Session, name: str) -> None:
    """Remove a saved reply."""
    removed = session.queue.remove_saved_reply(name)
    click.echo(f"removed saved reply {removed.get('name')!r}")
