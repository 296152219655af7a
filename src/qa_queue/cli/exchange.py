"""Getting questions in (import) and show notes out (export)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import click

from ..errors import BadInput, QaQueueError
from ..exporters import FORMATS, ShowNotes, exported
from ..exporters.writing import write_export
from ..importers import ImportBatch, check_importable, stream_file
from ..importers.columns import MAPPING_KEYS
from ..importers.common import place
from ..importing import FROM_THE_SHOW, id_list, recognised_words
from ..model.dates import host_zone, to_iso
from ..queue import ImportResult
from ..text import counted, printable
from .context import Session, pass_session


def _mapping(pairs: tuple[str, ...]) -> dict[str, str] | None:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise BadInput(f"--map wants FIELD=COLUMN (e.g. body='Your question'), not {pair!r}")
        mapping[field.strip()] = column.strip()
    return mapping or None


PROGRESS_FROM = 500  # questions; smaller files import before a bar would be worth drawing


def _import_with_progress(session: Session, path: Path, batch: ImportBatch) -> ImportResult:
    total = len(batch.questions)
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return session.queue.import_questions(
            batch.questions, links=batch.duplicates, follow_ups=batch.follow_ups
        )
    with click.progressbar(length=total, label=f"importing {path.name}", file=sys.stderr) as bar:
        return session.queue.import_questions(
            batch.questions,
            links=batch.duplicates,
            progress=bar.update,
            follow_ups=batch.follow_ups,
        )


def report_future(session: Session, added: list[int]) -> None:
    """The new questions dated after now: a file's clock or time zone is off (they would sort
    as the newest and show as 'now')."""
    soon = to_iso(session.queue.now() + timedelta(minutes=5))
    later = [i for i in added if session.queue.store.summary(i)["received_at"] > soon]
    if later:
        click.echo(
            f"  {counted(len(later), 'new question')} dated after now{id_list(later)}: is the "
            "file's clock or time zone off?"
        )


def report_lookalikes(session: Session, alike: list[int], most: int = 10) -> None:
    """'#16 looks like #2, answered in episode 211': for the host to confirm, never merged;
    the first `most` of the questions `alike`, then how many more."""
    shown = 0
    for question_id in alike[:most]:
        question = session.queue.get(question_id)
        if not question.similar_to:
            continue
        best = question.similar_to[0]
        other = session.queue.store.summary(best["id"])
        where = f", in episode {other['episode']}" if other["episode"] else ""
        click.echo(
            f"  #{question_id} looks like #{best['id']} ({best['score']}% alike, "
            f"{other['status']}{where}): mark it with `update {question_id} --duplicate-of "
            f"{best['id']}`"
        )
        shown += 1
    if len(alike) > most:
        click.echo(
            f"  and {len(alike) - most} more new questions look like others "
            "(`qa-queue show ID` names them)"
        )


def _refuse_before_starting_a_queue(files: tuple[Path, ...]) -> None:
    """A first import whose files cannot be opened or read makes no database: a mistyped
    file name must not leave an empty queue behind."""
    problems: list[QaQueueError] = []
    for path in files:
        try:
            check_importable(path)
        except QaQueueError as error:
            problems.append(error)
    if problems and len(problems) == len(files):
        for each in problems:
            click.echo(f"qa-queue: {each}", err=True)
        raise SystemExit(max(each.exit_code for each in problems))


@click.command("import")
# readable=False: our own open says what is wrong with a file, in our words and exit codes
# (click's "Path ... is not readable" would be a usage error, exit 2, for no permission)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--map",
    "pairs",
    multiple=True,
    help=f"CSV column for a field, by header or number: body='Your question', credit=5. "
    f"Fields: {', '.join(MAPPING_KEYS)}.",
)
@pass_session
def import_files(session: Session, files: tuple[Path, ...], pairs: tuple[str, ...]) -> None:
    """Import questions from forum threads (.txt/.md), CSV/TSV form exports (Google Forms,
    Typeform, Tally, Jotform, Microsoft Forms, SurveyMonkey, Excel; Helipad boosts),
    spreadsheets (.xlsx/.xls/.ods), mbox/.eml, JSON/JSONL, and a .zip of any of these.

    Importing the same file again adds nothing. Each question is imported whole or not at all;
    a large CSV or mbox is read and committed a thousand questions at a time. For a CSV the
    report says what was guessed (encoding, delimiter, which column is what) and where each
    rejected row is. Exit 2 when a file could not be read, or when every question in it was
    rejected.
    """
    mapping = _mapping(pairs)
    if not os.path.lexists(session.db_path):
        _refuse_before_starting_a_queue(files)
    queue = session.queue
    names = [h.name for h in queue.hosts()]
    failed = 0  # the highest exit code of a file that could not be imported
    for path in files:
        added: list[int] = []
        alike: list[int] = []
        unread = 0  # questions whose meanings the import left unread
        joined: list[int] = []
        skipped = rejected = 0
        recognised: Counter[str] = Counter()
        try:
            for batch in stream_file(
                path,
                mapping=mapping,
                hosts=names,
                now=queue.now(),
                known=queue.known(),
                zone=host_zone(queue.zone),
            ):
                for note in batch.notes:
                    click.echo(f"{path}: {printable(note, single_line=True)}")
                result = _import_with_progress(session, path, batch)
                added += result.added
                alike += result.alike
                unread += result.meanings_unread
                joined += result.joined
                skipped += len(result.skipped)
                recognised += batch.recognised
                reasons = batch.rejected + [
                    place(str(path), w, FROM_THE_SHOW) for w in result.unjoined
                ]
                rejected += len(reasons)
                for reason in reasons:
                    click.echo(
                        f"qa-queue: rejected: {printable(reason, single_line=True)}", err=True
                    )
        except QaQueueError as error:
            click.echo(f"qa-queue: {error}", err=True)
            failed = max(failed, error.exit_code)
            if not (added or skipped or joined):
                continue
        extra = recognised_words(joined, recognised)
        click.echo(
            f"{path}: added {len(added)}{id_list(added)}, "
            + "".join(f"{words}, " for words in extra)
            + f"skipped {skipped} already there, rejected {rejected}"
        )
        report_lookalikes(session, alike)
        if unread:
            click.echo(
                f"  look-alikes by words only for {counted(unread, 'new question')}: "
                "`qa-queue lookalikes` reads their meanings (30-100 a second) and notes "
                "look-alikes by meaning"
            )
        report_future(session, added)
        if rejected and not (added or skipped or joined):
            nothing = BadInput(f"{path}: nothing imported: every question in it was rejected")
            click.echo(f"qa-queue: {nothing}", err=True)
            failed = max(failed, nothing.exit_code)
    if failed:
        raise SystemExit(failed)


def show_notes_for(
    queue, episode_number: int | None, *, private: bool, full: bool, ready: bool = False
) -> ShowNotes:
    """What an export covers: one episode's questions, or every answered question (and ready
    one, for a preview); the export keeps the answered ones in air order."""
    if episode_number is not None:
        episode = queue.episode(episode_number)
        questions = [queue.get(i) for i in episode.question_ids]
    else:
        episode = None
        wanted = "status:answered,ready" if ready else "status:answered"
        questions = [queue.get(s["id"]) for s in queue.find(wanted, sort="id")]
    return ShowNotes(
        podcast=queue.podcast(),
        questions=questions,
        episode=episode,
        hosts={h.id: h.name for h in queue.hosts()},
        include_private=private,
        full_answers=full,
        include_ready=ready,
    )


@click.command()
@click.option("--episode", type=int, help="One episode's show notes (default: all answered).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@click.option("--full", is_flag=True, help="Whole answers, not just their first paragraph.")
@click.option(
    "--include-ready",
    is_flag=True,
    help="A preview: ready questions too, marked not yet answered (never for publishing).",
)
@click.option(
    "--include-private",
    is_flag=True,
    help="Also listeners' contacts and internal notes (never for publishing; files are 0600).",
)
@pass_session
def export(session: Session, episode, fmt, output, full, include_ready, include_private) -> None:
    """Export show notes (Markdown, HTML), data (JSON, CSV) or Podcasting 2.0 chapters.

    Exports hold answered questions only, in air order; stderr names the ones left out.
    """
    notes = show_notes_for(
        session.queue, episode, private=include_private, full=full, ready=include_ready
    )
    done = exported(fmt, notes)
    if done.left_out:
        click.echo(done.left_out_line, err=True)
    if done.previews:
        ids = ", ".join(f"#{i}" for i in done.previews)
        click.echo(f"preview: {ids} not answered yet", err=True)
    if output is None:
        click.echo(done.text, nl=not done.text.endswith("\n"))
        return
    write_export(output, done.text, private=include_private)
    if episode is not None:
        what = f"episode {episode}"
    else:
        what = "all answered and ready questions" if include_ready else "all answered questions"
    click.echo(f"wrote {what} ({counted(done.count, 'question')}, {fmt}) to {output}", err=True)
