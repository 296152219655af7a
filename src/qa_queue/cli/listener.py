"""`qa-queue listener show CONTACT|NAME|#ID... [--json]`: what is held about a listener."""

from __future__ import annotations

from typing import Any

import click
import orjson

from ..erasure import who
from ..errors import BadInput
from ..listener_data import held
from ..text import printable
from .context import Session, pass_session
from .groups import HelpGroup


@click.group(cls=HelpGroup)
def listener() -> None:
    """A listener's data: what the database holds about them (a data-access request)."""


@listener.command("show")
@click.argument("listeners", nargs=-1, required=True, metavar="CONTACT|NAME|#ID...")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON (for a reply to them).")
@pass_session
def listener_show(session: Session, listeners: tuple[str, ...], as_json: bool) -> None:
    """Print every question of theirs (their words, the hosts' notes, drafts, answer and
    history), their replies elsewhere, and what else names them: the same listener, found
    the same way, that `qa-queue forget` would take out. Exit 2 if nothing is held."""
    store = session.queue.store
    data = held(store, who(store, *listeners))
    if not (data["questions"] or data["replies"] or any(data["named_in"].values())):
        raise BadInput(f"nothing in the database is {printable(data['asked'])!r}'s or names them")
    if as_json:
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    for question in data["questions"]:
        _question(question)
    for where in data["replies"]:
        click.echo(f"Their replies in #{where['question']} ({printable(where['title'])}):")
        for reply in where["replies"]:
            click.echo(f"  {printable(reply.get('text') or '')}")
    named = data["named_in"]
    if named["questions"] or named["other"]:
        places = [f"#{n}" for n in named["questions"]] + named["other"]
        click.echo(f"Also naming them: {', '.join(places)}")


def _question(q: dict[str, Any]) -> None:
    person = q.get("listener") or {}
    click.echo(f"#{q['id']}  {printable(q.get('title') or '')}")
    click.echo(f"  listener  {printable(person.get('name') or '')} <{person.get('contact') or ''}>")
    click.echo(f"  received  {q.get('received_at')}  status {q.get('status')}")
    texts = [("question", q.get("body")), ("notes", q.get("notes"))]
    texts += [(f"draft ({host})", d.get("text")) for host, d in (q.get("drafts") or {}).items()]
    texts += [("answer", (q.get("answer") or {}).get("text"))]
    texts += [("reply", r.get("text")) for r in q.get("replies") or []]
    for label, text in texts:
        if text:
            click.echo(f"  {label}:\n    " + printable(text).replace("\n", "\n    "))
    click.echo(f"  history: {len(q.get('history') or [])} entries (--json prints them)")
