"""The triage keys of the queue screen: assign, status, tags, priority, decline, duplicate,
snooze, episode, undo and new question, on the question under the cursor or on every selected one.

`TriagePanes` is the container of the queue table and the detail pane, and the keys are its own:
they work while the focus is in either pane (typing in the filter never triggers them). It owns
what it needs, the last bulk change included, and is handed the queue and how to show changed
questions (the screen's `update_rows`).

Each change goes through QuestionQueue with the revision the host was looking at when they
pressed the key, so a co-host's change in the meantime is refused (StaleRevision) instead of
overwritten; the screen then shows the fresh version. No error ever escapes as a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widget import Widget

from ...errors import QaQueueError, StaleRevision, WhoAreYou
from ...model import workflow
from ...model.dates import describe
from ...model.question import Question, Status
from ...queue import QuestionQueue
from ...store.schema import Summary
from ..dialogs.ask import Ask
from ..dialogs.duplicate_pick import DuplicatePick
from ..dialogs.episode_pick import EpisodePick, Placement
from ..dialogs.new_question import NewQuestion
from ..dialogs.notes import NotesEditor
from ..dialogs.pick import Choice, Pick
from ..host_app import HostApp
from ..tags import TagSuggester, edit_many, edit_whole
from ..widgets.queue_table import QueueTable
from .undo_notice import undo_notice

Operation = Callable[..., object]  # a QuestionQueue method: (question id, *args, expected_revision)
# Host picker choices that are not host ids (a picker's None means it was cancelled).
TAKE = "\0me"  # take the question as whoever I am
NOBODY = "\0nobody"  # unassign
PRIORITIES = ("0  none", "1  low", "2  high", "3  urgent")


def _ids(targets: list[Summary]) -> str:
    shown = ", ".join(f"#{t['id']}" for t in targets[:5])
    return shown + (f" and {len(targets) - 5} more" if len(targets) > 5 else "")


class TriagePanes(Container):
    """The queue table and the detail pane, and the keys that act on their questions."""

    app: HostApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assign", "Assign"),
        Binding("s", "set_status", "Status"),
        Binding("t", "tags", "Tags"),
        Binding("p", "priority", "Priority", show=False),  # the footer fits 80 columns
        Binding("r", "write_draft", "Write my draft", show=False),
        Binding("n", "new_question", "New question", show=False),
        Binding("N", "notes", "Internal notes", tooltip="Edit the internal notes", show=False),
        Binding("d", "duplicate", "Duplicate of…", show=False),
        Binding("x", "decline", "Decline", show=False),
        Binding("z", "snooze", "Snooze", show=False),
        Binding("e", "add_to_episode", "Add to episode", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("X", "export", "Export", show=False),
        Binding("U", "undo_anyway", "Undo a co-host's last change", show=False),
        Binding("E", "episodes", "Episodes"),
    ]

    def __init__(
        self,
        queue: QuestionQueue,
        update_rows: Callable[..., bool],
        *children: Widget,
        id: str | None = None,
    ) -> None:
        super().__init__(*children, id=id)
        self.queue = queue
        self.update_rows = update_rows  # the screen shows these questions afresh
        # the last change made to several questions at once: what it was, and each
        # question's revision after it (set by `change`)
        self.last_bulk: tuple[str, dict[int, int]] | None = None

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.app.quitting  # keys typed after q must not open dialogs

    # -- running a change on the targets -------------------------------------------------------

    def _targets(self) -> list[Summary]:
        targets = self.table.targets()
        if not targets:
            self.app.tell("No question here to act on", "warning")
        return targets

    def change(self, what: str, targets: list[Summary], operation: Operation, *args: Any) -> None:
        """Run `operation(id, *args)` on each target with the revision shown; report what
        happened, then show the fresh data."""
        done: list[Summary] = []
        revisions: dict[int, int] = {}  # the revision each question has after the change
        with self.queue.store.noting_changes() as changed:  # a duplicate's original, too
            for index, summary in enumerate(targets):
                try:
                    result = operation(summary["id"], *args, expected_revision=summary["revision"])
                except WhoAreYou:
                    # ask once, remember it for the session, then carry on where we stopped
                    retry = partial(self.change, what, targets[index:], operation, *args)
                    self.app.ask_who_i_am(retry)
                    break
                except StaleRevision as error:
                    self.app.tell(f"{error}", "warning")
                    changed.add(summary["id"])  # shown as it is now
                except QaQueueError as error:
                    self.app.tell(f"#{summary['id']}: {error}", "error")
                else:
                    done.append(summary)
                    if isinstance(result, Question):
                        revisions[summary["id"]] = result.revision
        if done and len(done) == len(targets):
            self.table.clear_marks()
        if operation != self.queue.undo:
            # a bulk change is undone as one, while none of its questions changed since
            self.last_bulk = (what, revisions) if len(revisions) > 1 else None
        self.update_rows(changed)
        if operation != self.queue.undo and len(revisions) == 1:
            [question_id] = revisions
            if self.table.position_of(question_id) is None:
                # it left this view (snoozed, declined, taken): u still undoes it, from here
                self.last_bulk = (what, revisions)
        if done:
            self.app.tell(f"{what}: {_ids(done)}")

    # -- the actions -----------------------------------------------------------------------------

    def action_assign(self) -> None:
        targets = self._targets()
        if not targets:
            return
        me = self.queue.me
        hosts = [
            Choice(h.name, h.id, hint="you" if h.id == me else h.id) for h in self.queue.hosts()
        ]
        # Before the app knows who is at the keyboard, "Me" asks (and remembers the answer).
        first = [] if me else [Choice("Me", TAKE, hint="asks which host you are")]
        choices: list[Choice[str]] = [*first, *hosts, Choice("Nobody", NOBODY, hint="unassign")]

        def assign(choice: str) -> None:
            if choice == TAKE:
                self.change("Taken", targets, self.queue.take)
            elif choice == NOBODY:
                self.change("Unassigned", targets, self.queue.assign, None)
            else:
                name = self.queue.host_name(choice)
                self.change(f"Assigned to {name}", targets, self.queue.assign, choice)

        self.app.push_screen(Pick(f"Assign {_ids(targets)} to", choices), self._then(assign))

    def action_set_status(self) -> None:
        targets = self._targets()
        if not targets:
            return
        try:
            questions = [self.queue.get(t["id"]) for t in targets]
        except QaQueueError as error:
            self.app.tell(str(error), "error")
            return
        choices = self._status_choices(questions)
        if not choices:
            self.app.tell("No status change is possible from here", "warning")
            return
        note = "greyed out: not possible yet, and why" if any(c.disabled for c in choices) else ""

        def set_status(status: Status) -> None:
            self.change(f"Now {status}", targets, self.queue.set_status, status)

        picker = Pick(f"Status of {_ids(targets)}", choices, note=note)
        self.app.push_screen(picker, self._then(set_status))

    @staticmethod
    def _status_choices(questions: list[Question]) -> list[Choice[Status]]:
        """Statuses the questions may move to; the blocked ones greyed out with the reason."""
        nexts = {s: 0 for q in questions for s in workflow.ALLOWED[q.status]}
        reasons: dict[Status, str] = {}
        for question in questions:
            for status in workflow.ALLOWED[question.status]:
                reason = workflow.why_not(question, status)
                if reason is None:
                    nexts[status] += 1
                else:
                    # "question #4 cannot go to drafting: assign a host first": the part after
                    # the colon fits beside the greyed-out choice
                    reasons.setdefault(status, reason.partition(": ")[2] or reason)
        choices = []
        for status, count in nexts.items():
            if count:
                hint = f"{count} of {len(questions)}" if count < len(questions) else ""
                choices.append(Choice(status.value, status, hint=hint))
            else:
                hint = (
                    "use d: duplicate of…"
                    if status is Status.DUPLICATE
                    else reasons.get(status, "")
                )
                choices.append(Choice(status.value, status, hint=hint, disabled=True))
        return choices

    def action_tags(self) -> None:
        targets = self._targets()
        if not targets:
            return
        known = self.queue.tags()
        if len(targets) == 1:
            old = list(targets[0]["tags"])
            value = " ".join(old) + (" " if old else "")
            note = "the question's tags, space-separated"

            def edit(typed: str) -> tuple[list[str], list[str]]:
                return edit_whole(old, typed)
        else:
            value, note = "", "words add a tag to each; -word removes it"
            edit = edit_many

        def tag(typed: str) -> None:
            add, remove = edit(typed)
            if not add and not remove:
                return
            self.change("Tags changed", targets, self.queue.tag, add, remove)

        ask = Ask(f"Tags of {_ids(targets)}", value=value, note=note, suggester=TagSuggester(known))
        self.app.push_screen(ask, self._then(tag, allow_empty=True))

    def action_priority(self) -> None:
        targets = self._targets()
        if not targets:
            return
        current = targets[0]["priority"] if len(targets) == 1 else None
        choices = [
            Choice(label[3:], n, key=str(n), hint="current" if n == current else "")
            for n, label in enumerate(PRIORITIES)
        ]

        def prioritise(priority: int) -> None:
            self.change(f"Priority {priority}", targets, self.queue.set_priority, priority)

        self.app.push_screen(Pick(f"Priority of {_ids(targets)}", choices), self._then(prioritise))

    def action_decline(self) -> None:
        targets = self._targets()
        if not targets:
            return

        def decline(reason: str) -> None:
            self.change("Declined", targets, self.queue.decline, reason.strip())

        ask = Ask(f"Decline {_ids(targets)}", placeholder="why (kept in history; may be empty)")
        self.app.push_screen(ask, self._then(decline, allow_empty=True))

    def action_duplicate(self) -> None:
        targets = self._targets()
        if not targets:
            return
        anchor = self.table.current if self.table.current in targets else targets[0]
        try:
            suggested = self.queue.similar(anchor["id"], limit=10)
        except QaQueueError:
            suggested = []  # the picker still lists every question
        picker = DuplicatePick(anchor, list(self.queue.store.summaries()), suggested)

        def mark(original: int) -> None:
            others = [t for t in targets if t["id"] != original]
            self.change(f"Duplicate of #{original}", others, self.queue.mark_duplicate, original)

        self.app.push_screen(picker, self._then(mark))

    def action_snooze(self) -> None:
        targets = self._targets()
        if not targets:
            return

        def until(typed: str) -> str:
            if not typed.strip():
                return "empty: wakes the question (no snooze)"
            moment = self.queue.snooze_until(typed)
            return f"until {describe(moment, self.queue.zone, self.queue.now())}"

        def snooze(typed: str) -> None:
            label = "Woken"
            if typed.strip():
                try:
                    label = f"Snoozed {until(typed)}"  # when it wakes, as the preview said
                except QaQueueError:
                    label = "Snoozed"  # the queue refuses it below, saying why
            self.change(label, targets, self.queue.snooze, typed.strip() or None)

        ask = Ask(
            f"Snooze {_ids(targets)} until",
            placeholder="monday at 9, next friday, in 2 weeks, 2026-12-01…",
            preview=until,
        )
        self.app.push_screen(ask, self._then(snooze, allow_empty=True))

    def action_add_to_episode(self) -> None:
        targets = self._targets()
        if not targets:
            return
        episodes = self.queue.episodes()
        if not episodes:
            self.app.tell("No episodes yet: add one with 'qa-queue episodes add'", "warning")
            return
        first = targets[0]
        picker = EpisodePick(episodes, current=first["episode"], timestamp=first["timestamp"])

        def place(placement: Placement) -> None:
            number, stamp = placement
            self.change(f"In episode {number}", targets, self.queue.add_to_episode, number, stamp)
            if (
                stamp
                and len(targets) == 1
                and (shared := self.queue.sharing_time(targets[0]["id"]))
            ):
                self.app.tell(f"{shared}: is one of them a slip?", "warning")

        self.app.push_screen(picker, self._then(place))

    def _bulk_to_undo(self, targets: list[Summary]) -> tuple[str, list[Summary]] | None:
        """When my last change here was a bulk one (and nothing is selected now): what it was
        and the questions to undo it on, those no one changed since."""
        if self.last_bulk is None or self.table.marked:
            return None
        what, revisions = self.last_bulk
        untouched = []
        for question_id, revision in revisions.items():
            try:
                summary = self.queue.store.summary(question_id)
            except QaQueueError:
                continue
            if summary["revision"] == revision:
                untouched.append(summary)
        return what, untouched

    def action_undo(self) -> None:
        targets = self._targets()
        if not targets:
            return
        bulk = self._bulk_to_undo(targets)
        if bulk is not None:
            what, untouched = bulk
            total = len(self.last_bulk[1]) if self.last_bulk else 0
            self.last_bulk = None
            if len(untouched) < total:
                self.app.tell(
                    f"{total - len(untouched)} of the {total} questions changed since "
                    f"'{what}': those are left as they are",
                    "warning",
                )
            on = f"{len(untouched)} questions" if len(untouched) != 1 else "it"
            self.change(f"Undid '{what}' on {on}", untouched, self.queue.undo)
            return
        self.change(undo_notice(self.queue, targets), targets, self.queue.undo)

    def action_undo_anyway(self) -> None:
        """Undo a co-host's last change (u refuses those), mine after it left as they are."""
        targets = self._targets()
        if targets:
            what = undo_notice(self.queue, targets, theirs=True)
            self.change(what, targets, partial(self.queue.undo, theirs=True))

    def action_new_question(self) -> None:
        def add(question: Question) -> None:
            try:
                added = self.queue.add(question, quick=True)  # no wait for the model
            except QaQueueError as error:
                self.app.tell(str(error), "error")
                return
            self.update_rows({added.id}, keep=added.id)
            where = "" if self.table.move_to(added.id) else " (not in this view: see Inbox)"
            self.app.tell(f"Added #{added.id}{where}")

        self.app.push_screen(NewQuestion(self.queue.now()), self._then(add))

    def action_notes(self) -> None:
        """Edit the internal notes of the question under the cursor (not of a selection)."""
        question_id = self.table.current_id
        if question_id is None:
            self.app.tell("No question here to act on", "warning")
            return
        if not self.queue.me:  # every change is recorded under a host
            self.app.ask_who_i_am(self.action_notes)
            return
        try:
            question = self.queue.get(question_id)
        except QaQueueError as error:
            self.app.tell(str(error), "error")
            return

        def saved(changed: Question) -> None:
            self.update_rows({changed.id}, keep=changed.id)
            self.app.tell(f"Notes on #{changed.id} saved")

        self.app.push_screen(NotesEditor(self.queue, question), self._then(saved))

    # -- the other screens ---------------------------------------------------------------------

    def action_write_draft(self) -> None:
        if self.table.current_id is not None:
            self.app.open_draft_editor(self.table.current_id)

    def action_export(self) -> None:
        self.app.open_export([t["id"] for t in self.table.targets()])

    def action_episodes(self) -> None:
        self.app.open_episodes()

    @staticmethod
    def _then(callback: Callable[[Any], None], allow_empty: bool = False) -> Callable[[Any], None]:
        """A dialog callback that ignores a cancelled dialog (None; and "" unless allowed)."""

        def handle(value: Any) -> None:
            if value is None or (value == "" and not allow_empty):
                return
            callback(value)

        return handle
