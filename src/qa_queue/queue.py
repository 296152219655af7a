"""The queue's operations, as a host performs them: the layer both the CLI and the app call.

Each operation reads the question under the writers' lock, applies the model's rules, records
the change in history and commits it durably. Passing `expected_revision` (the revision the
host was looking at) makes a change on a stale copy fail instead of overwriting a co-host.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from . import erasure
from .episodes import EpisodePlanning
from .errors import AnswerTaken, BadInput, RuleViolation, StaleRevision
from .finding import QuestionFinding
from .follow_ups import with_follow_up
from .importing import ImportResult, QuestionImporting
from .model import history, workflow
from .model.dates import describe, parse_when, to_iso
from .model.question import (
    Answer,
    Credit,
    Draft,
    HistoryEntry,
    Question,
    Reference,
    Reply,
    Status,
)
from .queue_base import as_question
from .show import ShowSettings
from .store import Transaction


def _clean_tags(tags: Iterable[str]) -> list[str]:
    return [t for t in dict.fromkeys("-".join(t.lower().split()) for t in tags) if t]


class QuestionQueue(QuestionImporting, QuestionFinding, ShowSettings, EpisodePlanning):
    """Every operation a host performs: the parts' (each a QueueBase, queue_base.py, which owns
    the store, `me`, the clock and the zone) and, here, the changes to one question.
    Built as QuestionQueue(store, me=..., clock=..., zone=...)."""

    def together(self) -> AbstractContextManager[object]:
        """Several changes as one: all committed at the end of the block, or none when one
        of them is refused (the command line's `update` with several options)."""
        return self.store.transaction()

    # -- changing one question (through QueueBase._update) --------------------------------------

    def _set(
        self,
        question_id: int,
        action: str,
        expected_revision: int | None,
        note: str = "",
        **fields: Any,
    ) -> Question:
        return self._update(
            question_id,
            expected_revision,
            lambda q, _tx: history.change(q, action, self._by(), self._at(), note=note, **fields),
        )

    def assign(
        self, question_id: int, host: str | None, expected_revision: int | None = None
    ) -> Question:
        if host is not None:
            self.check_host(host)

        def apply(q: Question, _tx: Transaction) -> Question:
            if host is None and workflow.NEEDS[q.status].host:
                raise RuleViolation(
                    f"question #{q.id} is {q.status} and {q.status} keeps a host: assign it to "
                    "another host, or move it back to triaged first"
                )
            return history.change(q, "assign", self._by(), self._at(), host=host)

        return self._update(question_id, expected_revision, apply)

    def take(self, question_id: int, expected_revision: int | None = None) -> Question:
        return self.assign(question_id, self.require_me("taking a question"), expected_revision)

    def set_status(
        self, question_id: int, status: Status | str, expected_revision: int | None = None
    ) -> Question:
        try:
            status = Status(status)
        except ValueError:
            raise BadInput(
                f"unknown status {status!r}; statuses are: {', '.join(s.value for s in Status)}"
            ) from None

        def apply(q: Question, tx: Transaction) -> Question:
            workflow.check_transition(q, status)
            action = "reopen" if workflow.is_reopen(q.status, status) else "status"
            fields: dict[str, Any] = {"status": status}
            if q.decline_reason and status is not Status.DECLINED:
                fields["decline_reason"] = None  # reopened: history keeps the reason
            if q.duplicate_of is not None:
                # reopening a duplicate unlinks it: the original was asked once less
                self._recount(tx, q.duplicate_of, -q.asked_count, f"reopen #{q.id}")
                fields["duplicate_of"] = None
            return history.change(q, action, self._by(), self._at(), **fields)

        return self._update(question_id, expected_revision, apply)

    def set_priority(
        self, question_id: int, priority: int, expected_revision: int | None = None
    ) -> Question:
        if not 0 <= priority <= 3:
            raise BadInput(f"priority is 0 to 3, not {priority}")
        return self._set(question_id, "priority", expected_revision, priority=priority)

    def tag(
        self,
        question_id: int,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        expected_revision: int | None = None,
    ) -> Question:
        adding, removing = _clean_tags(add), set(_clean_tags(remove))

        def apply(q: Question, _tx: Transaction) -> Question:
            tags = [t for t in dict.fromkeys([*q.tags, *adding]) if t not in removing]
            return history.change(q, "tags", self._by(), self._at(), tags=tags)

        return self._update(question_id, expected_revision, apply)

    def set_notes(
        self, question_id: int, notes: str, expected_revision: int | None = None
    ) -> Question:
        return self._set(question_id, "notes", expected_revision, notes=notes)

    def set_credit(
        self, question_id: int, credit: str, expected_revision: int | None = None
    ) -> Question:
        try:
            level = Credit(credit)
        except ValueError:
            raise BadInput(f"credit is full, first or anonymous, not {credit!r}") from None

        def apply(q: Question, _tx: Transaction) -> Question:
            listener = {**q.to_dict()["listener"], "credit": level.value}
            return history.change(q, "credit", self._by(), self._at(), listener=listener)

        return self._update(question_id, expected_revision, apply)

    def save_draft(
        self, question_id: int, text: str, expected_revision: int | None = None
    ) -> Question:
        """Save *my* draft (each host has their own)."""
        me = self.require_me("writing a draft")

        def apply(q: Question, _tx: Transaction) -> Question:
            drafts = dict(q.drafts)
            drafts[me] = Draft(host=me, text=text, updated_at=self._at())
            return history.change(q, "draft", me, self._at(), drafts=drafts)

        return self._update(question_id, expected_revision, apply)

    def set_answer(
        self,
        question_id: int,
        text: str | None = None,
        references: list[Reference] | None = None,
        expected_revision: int | None = None,
        *,
        replace: bool = False,
    ) -> Question:
        """Set the final answer; without text, my draft becomes the answer.

        A co-host's final answer is theirs: replacing it needs `replace` (the app asks first,
        the command line wants --replace), so it is never overwritten without a word.
        """
        me = self.require_me("answering")

        def apply(q: Question, _tx: Transaction) -> Question:
            if q.answer is not None and q.answer.host != me and not replace:
                owner = self.host_name(q.answer.host)
                raise AnswerTaken(
                    f"question #{q.id} already has {owner}'s final answer (written "
                    f"{q.answer.answered_at[:16].replace('T', ' ')}); replace it on purpose "
                    "with --replace",
                    q.answer.host,
                )
            final = text
            if final is None:
                if me not in q.drafts:
                    raise RuleViolation(f"question #{q.id} has no draft by {me} to make the answer")
                final = q.drafts[me].text
            if not final.strip():
                raise BadInput("the answer is empty")
            fields: dict[str, Any] = {"answer": Answer(text=final, host=me, answered_at=self._at())}
            if references is not None:
                fields["references"] = references
            return history.change(q, "answer", me, self._at(), **fields)

        return self._update(question_id, expected_revision, apply)

    def add_reference(
        self, question_id: int, title: str, url: str = "", expected_revision: int | None = None
    ) -> Question:
        if not title.strip():
            raise BadInput("a reference needs a title")

        def apply(q: Question, _tx: Transaction) -> Question:
            refs = [*q.references, Reference(title=title.strip(), url=url.strip())]
            return history.change(q, "reference", self._by(), self._at(), references=refs)

        return self._update(question_id, expected_revision, apply)

    def set_references(
        self,
        question_id: int,
        references: Iterable[Reference],
        expected_revision: int | None = None,
    ) -> Question:
        """Replace the question's references: how one is edited, removed or reordered."""
        refs = [Reference(title=r.title.strip(), url=r.url.strip()) for r in references]
        if any(not r.title for r in refs):
            raise BadInput("a reference needs a title")
        return self._set(question_id, "references", expected_revision, references=refs)

    def add_follow_up(
        self, question_id: int, reply: Reply, expected_revision: int | None = None
    ) -> Question:
        """Add a reply to the question's thread (a listener's follow-up, a host's reply),
        recorded in its history; imports join e-mailed follow-ups this way (follow_ups.py)."""
        return self._update(
            question_id,
            expected_revision,
            lambda q, _tx: with_follow_up(q, reply, self._by(), self._at()),
        )

    def decline(
        self, question_id: int, reason: str, expected_revision: int | None = None
    ) -> Question:
        def apply(q: Question, _tx: Transaction) -> Question:
            workflow.check_transition(q, Status.DECLINED)
            return history.change(
                q,
                "decline",
                self._by(),
                self._at(),
                note=reason,
                status=Status.DECLINED,
                decline_reason=reason or None,
            )

        return self._update(question_id, expected_revision, apply)

    def mark_duplicate(
        self, question_id: int, original_id: int, expected_revision: int | None = None
    ) -> Question:
        """Link a question to the one it repeats; the original's asked_count goes up."""
        if question_id == original_id:
            raise RuleViolation("a question cannot be a duplicate of itself")

        def apply(q: Question, tx: Transaction) -> Question:
            original = as_question(tx.get(original_id))
            if original.duplicate_of is not None:
                original_id_ = original.duplicate_of
                raise RuleViolation(
                    f"#{original_id} is itself a duplicate of #{original_id_}; "
                    f"mark #{question_id} as a duplicate of #{original_id_}"
                )
            q.duplicate_of = original_id
            workflow.check_transition(q, Status.DUPLICATE)
            q.duplicate_of = None
            self._recount(tx, original_id, q.asked_count, f"#{question_id}")
            return history.change(
                q,
                "duplicate",
                self._by(),
                self._at(),
                note=f"#{original_id}",
                status=Status.DUPLICATE,
                duplicate_of=original_id,
            )

        return self._update(question_id, expected_revision, apply)

    def snooze(
        self, question_id: int, until: str | None, expected_revision: int | None = None
    ) -> Question:
        """Hide a question until a date a person types ("next friday"); None wakes it."""
        moment = to_iso(self.snooze_until(until)) if until else None
        return self._set(question_id, "snooze", expected_revision, snoozed_until=moment)

    def snooze_until(self, typed: str) -> datetime:
        """When a snooze typed as `typed` ends, in the host's zone: what the app previews and
        snooze() stores. A weekday or a time alone means its next one ("monday at 9" on a
        monday afternoon is a week on); a date in the past is refused (BadInput)."""
        moment = parse_when(typed, self.now(), self.zone, future=True)
        if to_iso(moment) <= self._at():
            raise BadInput(
                f"{typed.strip()!r} is {describe(moment, self.zone, self.now())}, in the past; "
                "snooze until a later date"
            )
        return moment

    def _recount(self, tx: Transaction, original_id: int, delta: int, note: str) -> None:
        """Change how many listeners asked `original_id` when another question (un)links."""
        original = as_question(tx.get(original_id))
        recount = history.change(
            original,
            history.ASKED_AGAIN,
            self._by(),
            self._at(),
            note=note,
            asked_count=max(1, original.asked_count + delta),
        )
        tx.put_question(recount.to_dict(), original.revision)

    def undo(
        self,
        question_id: int,
        expected_revision: int | None = None,
        *,
        anyone: bool = False,
        theirs: bool = False,
    ) -> Question:
        """Revert the question's last change, and what that change did elsewhere.

        Only your own change, unless `anyone`: undoing a co-host's work should be deliberate.
        `theirs`: the last change a co-host made (or an import), even with yours after it, as
        long as none of yours changed the same thing since.
        """

        def apply(q: Question, tx: Transaction) -> Question:
            last = self._theirs_to_undo(q) if theirs else history.last_undoable(q)
            if last is not None and not (anyone or theirs) and last.host != self._by():
                raise RuleViolation(
                    f"the last change to #{q.id} was {self.host_name(last.host)}'s "
                    f"({last.action}); "
                    "undo it anyway with --anyone (in the app: U)"
                )
            reverted, entry = history.undo(q, self._by(), self._at(), last)
            if "duplicate_of" in entry.changes:
                linked_before, linked_after = entry.changes["duplicate_of"]
                if linked_after is not None:
                    self._recount(tx, linked_after, -q.asked_count, f"undo #{q.id}")
                if linked_before is not None:
                    self._recount(tx, linked_before, q.asked_count, f"undo #{q.id}")
            if entry.action == "episode":
                before, after = entry.changes.get("episode", [q.episode, q.episode])
                self._place(tx, q.id, after, None, None)
                self._place(tx, q.id, before, reverted.timestamp, q.id)
            return reverted

        return self._update(question_id, expected_revision, apply, with_history=True)

    def _theirs_to_undo(self, q: Question) -> HistoryEntry:
        """The co-host's change U undoes; RuleViolation saying why there is none to undo."""
        me = self._by()
        entry = history.last_undoable_by_other(q, me)
        if entry is None:
            raise RuleViolation("there is no co-host's change to undo (u undoes yours)")
        later = history.changed_since(q, entry)
        if later:
            who = "you" if later[-1].host == me else self.host_name(later[-1].host)
            raise RuleViolation(
                f"its {', '.join(sorted(entry.changes))} changed again since "
                f"{self.host_name(entry.host)}'s {entry.action} (by {who}, {later[-1].action}): "
                "undo that first"
            )
        return entry

    # -- forgetting a listener (erasure.py) -----------------------------------------------------

    def find_listener(self, *said: str) -> erasure.Found:
        """What forgetting the listener `said` names (contacts, names or #IDs) would change."""
        return erasure.find(self.store, erasure.who(self.store, *said))

    def forget(self, found: erasure.Found, *, words: bool = False) -> erasure.Forgotten:
        """Take the listener out of every file of the database (their words too if `words`)."""
        by = self.require_me("forgetting a listener")
        self._look_alikes.forget()  # the index holds words the erasure takes out
        return erasure.forget(self.store, found, words=words, by=by, at=self._at())


__all__ = ["ImportResult", "QuestionQueue", "StaleRevision"]
