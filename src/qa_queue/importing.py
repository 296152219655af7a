"""Adding questions: one at a time or a file's worth in one transaction, with e-mailed
follow-ups joined to the questions they answer (follow_ups.py) and look-alikes noted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from .errors import NotFound, RuleViolation
from .follow_ups import Joining
from .gc_pause import gc_paused
from .look_alikes import Found, LookAlikes, MeaningCheck, merged
from .model import history, workflow
from .model.follow_up import MailThread
from .model.question import HistoryEntry, Question
from .queue_base import QueueBase
from .similarity import AHEAD_FROM, SimilarityIndex, similar_in_order
from .store import Store, Transaction

# a new question's id and look-alikes, worked out before it is stored (a large import)
Ahead = tuple[int, list[tuple[int, int]]]


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # already there: the ids they have
    joined: list[int] = field(default_factory=list)  # a follow-up joined each: their ids
    # where each message from the show that answered no question in the queue is
    unjoined: list[str] = field(default_factory=list)
    alike: list[int] = field(default_factory=list)  # added ones that look like another
    # questions whose meanings this import left unread (too many to read now): look-alikes
    # by words only; `qa-queue lookalikes` reads them
    meanings_unread: int = 0


FROM_THE_SHOW = "a message from the show that answers no question in the queue"


def id_list(ids: list[int]) -> str:
    """ " (#1, #2)", " (#1…#9)" for more than five, "" for none: the ids a report names."""
    if not ids:
        return ""
    if len(ids) <= 5:
        return " (" + ", ".join(f"#{i}" for i in ids) + ")"
    return f" (#{ids[0]}…#{ids[-1]})"


def recognised_words(joined: list[int], recognised: Counter[str]) -> list[str]:
    """What an import recognised besides plain questions, for its report: "2 follow-ups
    joined (#1, #4)", "1 contact form (Squarespace)"."""
    count = len(joined)
    words = [f"{count} follow-up{'' if count == 1 else 's'} joined"] if count else []
    words[:1] = [words[0] + id_list(sorted(set(joined)))] if words else []
    for what, number in sorted(recognised.items()):
        plural = "s" if number != 1 and what.startswith("contact form") else ""
        words.append(f"{number} {what.replace('contact form', 'contact form' + plural, 1)}")
    return words


class AskedHere:
    """The questions already here by when they were asked, their title and who asked them:
    the same responses saved another way (a form's CSV, its sheet's CSV without the zone, the
    .xlsx) get other import keys, but the same time, words and listener. Read from the store's
    summaries when an import first needs it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._by: dict[tuple[str, str, str], list[int]] | None = None

    def find(self, tx: Transaction, question: Question) -> int:
        """The id of the question here asked at the same time, in the same words, by the
        same listener (name and address); 0 when there is none."""
        if self._by is None:
            self._by = {}
            for summary in self.store.summaries():
                at = (summary["received_at"], summary["title"], summary["listener"])
                self._by.setdefault(at, []).append(summary["id"])
        listener = question.listener
        for here_id in self._by.get((question.received_at, question.title, listener.name), ()):
            here = tx.get(here_id)
            contact = str((here.get("listener") or {}).get("contact") or "")
            if here.get("body") == question.body and contact.casefold() == (
                listener.contact.casefold()
            ):
                return here_id
        return 0


def _asked(asked: AskedHere | None, tx: Transaction, question: Question) -> int:
    return asked.find(tx, question) if asked is not None else 0


class QuestionImporting(QueueBase):
    """The adding part of QuestionQueue, and the look-alikes it notes (which it owns)."""

    @cached_property
    def _look_alikes(self) -> LookAlikes:
        """This part's own, made when an import or `similar` first needs it."""
        return LookAlikes(self.store)

    def add(self, question: Question, quick: bool = False) -> Question:
        """Add one question; one with an import_key already there is not added again.
        `quick`: its look-alikes by meaning only if that costs no wait (look_alikes.py)."""
        result = self.import_questions([question], quick=quick)
        return self.get((result.added or result.skipped)[0])

    def import_questions(
        self,
        questions: Iterable[Question],
        links: dict[str, str] | None = None,
        progress: Callable[[int], None] | None = None,
        follow_ups: dict[str, MailThread] | None = None,
        quick: bool = False,
    ) -> ImportResult:
        """Add questions in one durable transaction; ones already imported are skipped.

        `links` maps a question's import_key to the import_key of the question it duplicates
        (files of ours carry such links); they become duplicate_of ids once both are stored.
        `follow_ups` maps the import_key of an e-mail that answers an earlier one to what it
        answers: it joins that question as a reply (follow_ups.py) or, when the queue has no
        such question, is added as a question itself (one from the show is not: it is named
        in `unjoined`). `progress` is called with 1 per question handled (for a progress bar).
        """
        result = ImportResult()
        at = self._at()
        threads = follow_ups or {}
        questions = list(questions)
        committed = False
        try:
            with gc_paused(), self.store.transaction() as tx:
                self._import_all(tx, questions, (links, progress, threads, quick), result, at)
            committed = True
        finally:
            self._look_alikes.imported(committed)
        result.meanings_unread = self._look_alikes.unread_skipped
        self._look_alikes.caught_up()
        return result

    def _import_all(
        self,
        tx: Transaction,
        questions: list[Question],
        how: tuple[
            dict[str, str] | None, Callable[[int], None] | None, dict[str, MailThread], bool
        ],
        result: ImportResult,
        at: str,
    ) -> None:
        links, progress, threads, quick = how
        similar = self._look_alikes.index()
        joining = Joining(tx, self.store, self.me or "import", at)
        asked = AskedHere(self.store)
        adding = self._to_add(tx, questions, threads, asked)
        meaning = self._look_alikes.check_import(adding, quick)
        ahead = self._look_alikes_ahead(tx, adding, similar) if meaning is None else {}
        replies = []
        for question in questions:
            if question.import_key in threads:
                replies.append(question)  # after the questions they may answer
                continue
            self._import_one(
                tx,
                question,
                result,
                at,
                similar,
                links,
                joining,
                ahead.get(id(question)),
                asked,
                meaning,
            )
            if progress is not None:
                progress(1)
        for question in sorted(replies, key=lambda q: q.received_at):
            thread = threads[str(question.import_key)]
            self._import_reply(tx, question, thread, result, (at, similar, links, joining))
            if progress is not None:
                progress(1)
        for key, original_key in (links or {}).items():
            duplicate, original = tx.id_for_import_key(key), tx.id_for_import_key(original_key)
            if duplicate in result.added and original:
                tx.put_question({**tx.get(duplicate), "duplicate_of": original})

    def _import_one(
        self,
        tx: Transaction,
        question: Question,
        result: ImportResult,
        at: str,
        similar: SimilarityIndex,
        links: dict[str, str] | None,
        joining: Joining,
        ahead: Ahead | None = None,
        asked: AskedHere | None = None,
        meaning: MeaningCheck | None = None,
    ) -> None:
        """Add one question (`ahead`: its look-alikes and id, worked out before, when it is
        in the index already)."""
        known = question.import_key and tx.id_for_import_key(question.import_key)
        if known or (known := self._same_here(tx, question) or _asked(asked, tx, question)):
            result.skipped.append(known)
            return
        question.id = 0
        linked = question.import_key in (links or {})  # its original comes below
        rules = workflow.broken(replace(question, duplicate_of=0) if linked else question)
        if rules:  # importers reject these with their row; nothing is written
            raise RuleViolation(f"{question.title[:60]!r}: {'; '.join(rules)}")
        if not question.history:
            question.history.append(
                HistoryEntry(
                    at=at,
                    host=self.me or "import",
                    action="received",
                    note=f"via {question.source.kind}",
                )
            )
        found = ahead[1] if ahead else similar.similar(question.title, question.body)
        by_meaning = meaning.found(question) if meaning is not None else None
        if by_meaning is not None:
            found = merged(found, by_meaning, 3)
        question.similar_to = [{"id": other, "score": score} for other, score in found]
        question.id = tx.put_question(question.to_dict())
        if ahead is None:
            similar.add(question.id, question.title, f"{question.title} {question.body}")
        elif question.id != ahead[0]:  # a mistake of _to_add's: nothing is written
            raise RuntimeError(f"look-alikes worked out for #{ahead[0]}, stored as #{question.id}")
        if meaning is not None:
            meaning.stored(question, question.id)
        joining.added(question)
        result.added.append(question.id)
        if found:
            result.alike.append(question.id)

    @staticmethod
    def _look_alikes_ahead(
        tx: Transaction, adding: list[Question], similar: SimilarityIndex
    ) -> dict[int, Ahead]:
        """For a large import, each new question's id and look-alikes, worked out before it is
        stored (two at a time: similarity.similar_in_order), by id() of the question."""
        if len(adding) < AHEAD_FROM:
            return {}
        first = tx.next_id()
        entries = [
            (first + n, q.title, q.body, f"{q.title} {q.body}") for n, q in enumerate(adding)
        ]
        found = similar_in_order(similar, entries)
        return {id(q): (first + n, found[n]) for n, q in enumerate(adding)}

    def _to_add(
        self,
        tx: Transaction,
        questions: list[Question],
        threads: dict[str, MailThread],
        asked: AskedHere,
    ) -> list[Question]:
        """The questions _import_one will store, in order: not a reply, not already here,
        not a second of the same key in this import."""
        keys: set[str] = set()
        adding = []
        for question in questions:
            key = question.import_key
            if key in threads:
                continue
            if key and (key in keys or tx.id_for_import_key(key)):
                continue
            if self._same_here(tx, question) or asked.find(tx, question):
                continue
            if key:
                keys.add(key)
            adding.append(question)
        return adding

    @staticmethod
    def _same_here(tx: Transaction, question: Question) -> int:
        """The id of the question a file names by its id (our JSON export, also the public
        one, which has no import keys) when that question is here with the same words and
        time: importing it back adds nothing. 0 when not."""
        if not question.id:
            return 0
        try:
            here = tx.get(question.id)
        except NotFound:
            return 0
        same = (here["title"], here["body"], here["received_at"]) == (
            question.title,
            question.body,
            question.received_at,
        )
        return question.id if same else 0

    def _import_reply(
        self,
        tx: Transaction,
        question: Question,
        thread: MailThread,
        result: ImportResult,
        rest: tuple[str, SimilarityIndex, dict[str, str] | None, Joining],
    ) -> None:
        """An e-mail that answers an earlier one: joined to its question when the queue has
        it (or has it already), a question of its own when not, unless the show sent it."""
        known = question.import_key and tx.id_for_import_key(question.import_key)
        joining: Joining = rest[3]
        target = None if known else joining.target(question, thread)
        if target is not None:
            if joining.join(target, question, thread):
                result.joined.append(target)
            else:
                result.skipped.append(target)
        elif thread.from_show and not known:
            result.unjoined.append(thread.where)
        else:
            self._import_one(tx, question, result, *rest)

    def read_meanings(self, progress: Callable[[int], None] | None = None) -> int:
        """Read the meaning of every question not read yet (look_alikes.py); how many."""
        return self._look_alikes.read_all(progress)

    def meanings_unsaved(self) -> str:
        """Why the meanings read could not be kept in their file ("" when they were)."""
        meanings = self._look_alikes.meanings()
        return meanings.unsaved if meanings is not None else ""

    def meanings_reread(self) -> None:
        """Another Store of this database read meanings: read the file again when needed."""
        self._look_alikes.drop_meanings()

    def meanings_unread(self) -> int | None:
        """How many questions' meanings are not read yet; None without the model."""
        if self._look_alikes.meanings() is None:
            return None
        return len(self._look_alikes.unread_ids())

    def look_again(self, question_ids: Iterable[int]) -> list[int]:
        """Look for these questions' look-alikes by meaning too (read first: read_meanings)
        and note the ones found among the questions received before each: those that found
        more, by id."""
        meanings = self._look_alikes.meanings()
        if meanings is None:
            return []
        changed = []
        for question_id in question_ids:
            vector = meanings.vector(question_id)
            if vector is None:
                continue
            question = self.get(question_id)
            # ids grow with time: the questions before it have smaller ones
            by_meaning = [
                (i, score)
                for i, score in meanings.nearest(vector, exclude=question_id, limit=10)
                if i < question_id
            ][:3]
            known = [(s["id"], s["score"]) for s in question.similar_to]
            found = merged(known, by_meaning, 3, alone=0)
            if {i for i, _ in found} == {i for i, _ in known}:
                continue

            def apply(q: Question, _tx: Transaction, found: Found = found) -> Question:
                alike = [{"id": i, "score": score} for i, score in found]
                by = self.me or "import"  # as the import it finishes would name it
                return history.change(q, "similar_to", by, self._at(), similar_to=alike)

            self._update(question_id, None, apply, by_import=True)
            changed.append(question_id)
        return changed

    def similar(self, question_id: int, limit: int = 10) -> list[tuple[int, int]]:
        """(id, score) of the questions most like this one, best first: duplicate candidates."""
        question = self.get(question_id)
        return self._look_alikes.similar(
            question.title, question.body, question_id, limit=limit, threshold=30
        )
