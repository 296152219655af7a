"""Commands on questions: add, list, show, update, draft, answer, undo."""

from __future__ import annotations

import hashlib
import sys

import click
import orjson

from ..errors import BadInput
from ..model.dates import describe, from_iso, parse_when, to_iso
from ..model.question import SOURCE_KINDS, Credit, Listener, Question, Reference, Source, Status
from ..query import SORTS, VIEWS
from ..text import printable
from .context import Session, pass_session
from .exchange import report_lookalikes
from .render import question_detail, question_table

STATUSES = [s.value for s in Status]
CREDITS = [c.value for c in Credit]


def _text_arg(text: str | None, file: str | None, what: str) -> str | None:
    """Text given inline, from a file, or from standard input ('-')."""
    if text == "-" or file == "-":
        return sys.stdin.read()
    if file:
        try:
            with open(file, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise BadInput(f"cannot read the {what} from {file}: {error}") from error
    return text


def _dump(data: object) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())


@click.command()
@click.argument("title")
@click.option("--body", help="The listener's words ('-' reads standard input).")
@click.option("--body-file", type=click.Path(dir_okay=False), help="Read the body from a file.")
@click.option("--listener", "name", default="", help="The listener's name.")
@click.option("--contact", default="", help="E-mail or handle (private, never exported).")
@click.option("--credit", type=click.Choice(CREDITS), default="first", show_default=True)
@click.option("--source", type=click.Choice(SOURCE_KINDS), default="manual", show_default=True)
@click.option("--ref", help="Where it came from: URL, Message-ID…")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--priority", type=click.IntRange(0, 3), default=0, show_default=True)
@click.option("--received", help="When it was asked (default: now), e.g. '2026-11-20 9am'.")
@click.option("--json", "as_json", is_flag=True, help="Print the new question as JSON.")
@pass_session
def add(session: Session, title: str, body, body_file, name, contact, credit, source, ref, tags,
        priority, received, as_json) -> None:  # fmt: skip
    """Add a question by hand."""
    queue = session.queue
    text = _text_arg(body, body_file, "body") or ""
    if not title.strip():
        raise BadInput("a question needs a title")
    moment = parse_when(received, queue.now(), queue.zone) if received else queue.now()
    key = ref or hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:32]
    question = Question(
        title=title.strip(),
        body=text.strip(),
        received_at=to_iso(moment),
        source=Source(kind=source, ref=ref),
        listener=Listener.typed(name, contact, credit),
        tags=[t.strip().lower() for t in tags if t.strip()],
        priority=priority,
        import_key=f"manual:{key}",
    )
    result = queue.import_questions([question])
    if result.skipped:
        raise BadInput(f"this question is already in the queue as #{result.skipped[0]}")
    added = queue.get(result.added[0])
    if as_json:
        _dump(added.to_dict())
    else:
        click.echo(f"added #{added.id}: {printable(added.title, single_line=True)}")
        report_lookalikes(session, [added.id])


@click.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES))
@click.option("--host", help="Assigned host ('me', 'none').")
@click.option("--tag", "tags", multiple=True, help="Has this tag (repeat for all of them).")
@click.option(
    "--query", "-q", "text", default="", help="Filter language, e.g. 'priority:>=2 knee'."
)
@click.option("--view", type=click.Choice(list(VIEWS), case_sensitive=False))
@click.option("--sort", type=click.Choice(list(SORTS)), default="age", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="JSON summaries, for scripts.")
@pass_session
def list_questions(session: Session, statuses, host, tags, text, view, sort, limit, as_json):
    """List questions (snoozed ones are hidden unless the query says is:snoozed)."""
    parts = [text]
    if view:
        parts.append(VIEWS[next(v for v in VIEWS if v.lower() == view.lower())])
    if statuses:
        parts.append("status:" + ",".join(statuses))
    if host:
        parts.append(f"host:{host}")
    parts += [f"tag:{t}" for t in tags]
    queue = session.queue
    hits = queue.find(" ".join(p for p in parts if p), sort=sort)[:limit]
    if as_json:
        _dump([{k: v for k, v in s.items() if not k.startswith("_")} for s in hits])
    else:
        click.echo(question_table(hits, queue))


@click.command()
@click.argument("question_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The whole question as JSON.")
@pass_session
def show(session: Session, question_id: int, as_json: bool) -> None:
    """Show one question: the listener's words, drafts, answer, references, history."""
    question = session.queue.get(question_id)
    if as_json:
        _dump(question.to_dict())
    else:
        click.echo(question_detail(question, session.queue))


@click.command()
@click.argument("question_id", type=int)
@click.option("--status", type=click.Choice(STATUSES), help="Move along the workflow.")
@click.option("--host", help="Assign to a host ('none' unassigns).")
@click.option("--take", is_flag=True, help="Assign to yourself.")
@click.option("--priority", type=click.IntRange(0, 3))
@click.option("--tag", "add_tags", multiple=True, help="Add a tag (repeatable).")
@click.option("--untag", "remove_tags", multiple=True, help="Remove a tag (repeatable).")
@click.option("--snooze", help="Hide until a date: 'next friday', 'in 2 weeks'; 'off' wakes it.")
@click.option("--episode", type=int, help="Put into this episode (see --at).")
@click.option("--at", "timestamp", help="Time in the episode, HH:MM:SS.")
@click.option("--credit", type=click.Choice(CREDITS), help="How the show notes name the listener.")
@click.option("--notes", help="Internal notes (never exported).")
@click.option("--decline", "decline_reason", help="Decline, with a reason.")
@click.option("--duplicate-of", type=int, help="Mark as a duplicate of another question.")
@click.option("--revision", type=int, help="Refuse if the question changed since this revision.")
@pass_session
def update(session: Session, question_id: int, status, host, take, priority, add_tags,
           remove_tags, snooze, episode, timestamp, credit, notes, decline_reason, duplicate_of,
           revision) -> None:  # fmt: skip
    """Change a question: status, host, priority, tags, snooze, episode, credit, notes."""
    queue = session.queue
    steps = []
    if take:
        steps.append(lambda rev: queue.take(question_id, rev))
    if host is not None:
        target = None if host.lower() in ("none", "nobody", "") else host.lower()
        steps.append(lambda rev: queue.assign(question_id, target, rev))
    if priority is not None:
        steps.append(lambda rev: queue.set_priority(question_id, priority, rev))
    if add_tags or remove_tags:
        steps.append(lambda rev: queue.tag(question_id, add_tags, remove_tags, rev))
    if credit:
        steps.append(lambda rev: queue.set_credit(question_id, credit, rev))
    if notes is not None:
        steps.append(lambda rev: queue.set_notes(question_id, notes, rev))
    if episode is None and timestamp:
        episode = queue.get(question_id).episode  # a new time in the episode it is in
        if episode is None:
            raise BadInput(f"#{question_id} is in no episode: give --episode with --at")
    if episode is not None and not (
        timestamp is None and queue.get(question_id).episode == episode
    ):
        steps.append(lambda rev: queue.add_to_episode(question_id, episode, timestamp, rev))
    if snooze is not None:
        until = None if snooze.lower() in ("off", "none", "never", "") else snooze
        steps.append(lambda rev: queue.snooze(question_id, until, rev))
    if duplicate_of is not None:
        steps.append(lambda rev: queue.mark_duplicate(question_id, duplicate_of, rev))
    if decline_reason is not None:
        steps.append(lambda rev: queue.decline(question_id, decline_reason, rev))
    if status:
        steps.append(lambda rev: queue.set_status(question_id, status, rev))
    if not steps:
        raise click.UsageError("nothing to change: give at least one option (see --help)")
    current = revision
    with queue.together():  # every step, or none when one is refused
        for step in steps:
            current = step(current).revision
    question = queue.get(question_id)
    snoozed = ""
    if snooze is not None and question.snoozed_until:
        until = describe(from_iso(question.snoozed_until), queue.zone, queue.now())
        snoozed = f" · snoozed until {until}"
    click.echo(f"#{question.id} {question.status} · revision {question.revision}{snoozed}")
    if episode is not None and (shared := queue.sharing_time(question_id)):
        click.echo(f"note: {shared}")


@click.command()
@click.argument("question_id", type=int)
@click.argument("text", required=False)
@click.option("--file", type=click.Path(dir_okay=False), help="Read the draft from a file.")
@pass_session
def draft(session: Session, question_id: int, text: str | None, file: str | None) -> None:
    """Write or replace your draft of an answer ('-' reads standard input)."""
    body = _text_arg(text, file, "draft")
    if not body or not body.strip():
        raise BadInput("the draft is empty: give the text, --file, or '-' for standard input")
    question = session.queue.save_draft(question_id, body.strip())
    click.echo(f"saved {session.queue.me}'s draft of #{question.id} ({len(body.split())} words)")


def _reference(spec: str) -> Reference:
    title, _, url = spec.partition("|")
    if not title.strip():
        raise BadInput(f"a reference is 'Title|URL or DOI or PMID', not {spec!r}")
    return Reference(title=title.strip(), url=url.strip())


@click.command()
@click.argument("question_id", type=int)
@click.argument("text", required=False)
@click.option("--file", type=click.Path(dir_okay=False), help="Read the answer from a file.")
@click.option("--from-draft", is_flag=True, help="Make your draft the answer.")
@click.option("--ref", "refs", multiple=True, help="A reference 'Title|URL' (repeatable).")
@click.option("--replace", is_flag=True, help="Replace a co-host's final answer.")
@pass_session
def answer(session: Session, question_id, text, file, from_draft, refs, replace) -> None:
    """Set the final answer (your draft with --from-draft) and its references.

    A final answer a co-host wrote is theirs: replacing it needs --replace.
    """
    body = None if from_draft else _text_arg(text, file, "answer")
    if body is None and not from_draft:
        raise BadInput("give the answer text, --file, '-' or --from-draft")
    references = None
    if refs:
        current = session.queue.get(question_id)
        references = [*current.references, *map(_reference, refs)]
    before = session.queue.get(question_id).answer
    question = session.queue.set_answer(question_id, body, references, replace=replace)
    after = question.answer
    assert after is not None  # set_answer either sets the answer or raises
    replaced = ""
    if before is not None and before.host != after.host:
        replaced = f" · replaced {session.queue.host_name(before.host)}'s answer"
    click.echo(f"#{question.id} answered by {after.host}{replaced} · status {question.status}")


@click.command()
@click.argument("question_id", type=int)
@click.option("--anyone", is_flag=True, help="Also when the last change was another host's.")
@pass_session
def undo(session: Session, question_id: int, anyone: bool) -> None:
    """Undo your last change to a question."""
    question = session.queue.undo(question_id, anyone=anyone)
    click.echo(f"#{question.id}: {question.history[-1].note} · status {question.status}")
