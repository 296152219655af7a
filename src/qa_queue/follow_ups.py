"""Follow-ups: an e-mail that answers an earlier one joins that question as a Reply.

The question is found by the Message-IDs the reply names (In-Reply-To, then References from
the nearest): a question imported from e-mail has "email:<Message-ID>" as its import key, so
one imported in an earlier import is found the same way as one in this file. Failing those,
by subject and sender: a question whose title is the reply's subject without "Re:" and whose
listener has the reply's address. A follow-up is recorded in the question's history (action
"follow-up", undoable) and carries its own import key, so importing it again adds nothing.

Who wrote it: the question's listener (their follow-up), else a host when the message came
from the show's address or from a sender named like one of the hosts, else someone else in
the thread (a listener's partner in Cc). A message that answers no question in the queue is a
question of its own; one from the show that answers none is not (a host's mail, not a
listener's question) and is reported instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import history
from .model.follow_up import MailThread
from .model.question import Question, Reply
from .queue_base import as_question
from .store import Store, Transaction

FOLLOW_UP = "follow-up"
JOINABLE_SOURCES = ("email", "form")


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


@dataclass
class Joining:
    """What one import call knows while it joins follow-ups: the questions by title, and the
    Message-IDs of follow-ups it joined (a reply to a reply finds the question through them)."""

    tx: Transaction
    store: Store
    by: str
    at: str
    joined_refs: dict[str, int] = field(default_factory=dict)
    # the questions by title: built from the stored ones when a reply first needs it
    _titles: dict[str, list[int]] | None = None
    _new: list[tuple[str, int]] = field(default_factory=list)  # (title, id) added meanwhile

    def titles(self) -> dict[str, list[int]]:
        if self._titles is None:
            self._titles = defaultdict(list)
            for summary in self.store.summaries():
                if summary.get("source") in JOINABLE_SOURCES:
                    self._titles[_title_key(summary.get("title", ""))].append(summary["id"])
            for title, question_id in self._new:  # not in the store until the commit
                self._titles[title].append(question_id)
        return self._titles

    def added(self, question: Question) -> None:
        """A question this import added: later follow-ups may answer it."""
        if question.source.kind in JOINABLE_SOURCES:
            if self._titles is None:
                self._new.append((_title_key(question.title), question.id))
            else:
                self._titles[_title_key(question.title)].append(question.id)

    def target(self, question: Question, thread: MailThread) -> int | None:
        """The id of the question the reply answers; None when the queue has none."""
        for ref in thread.refs:
            found = self.joined_refs.get(ref) or self.tx.id_for_import_key(f"email:{ref}")
            if found:
                return found
        sender = question.listener.contact.casefold()
        if not (thread.subject and sender):
            return None
        for candidate in reversed(self.titles().get(_title_key(thread.subject), [])):
            listener = self.tx.get(candidate).get("listener") or {}
            if str(listener.get("contact") or "").casefold() == sender:
                return candidate
        return None

    def join(self, target: int, question: Question, thread: MailThread) -> bool:
        """Add the reply to question `target`; False when it is there already."""
        current = as_question(self.tx.get(target))
        if question.import_key and any(
            reply.import_key == question.import_key for reply in current.replies
        ):
            return False
        reply = reply_from(question, thread, current)
        updated = with_follow_up(current, reply, self.by, self.at)
        self.tx.put_question(updated.to_dict(), current.revision)
        if question.source.ref:
            self.joined_refs[question.source.ref] = target
        return True


def reply_from(message: Question, thread: MailThread, question: Question) -> Reply:
    """The Reply a message read as a question makes on the question it answers."""
    sender, listener = message.listener, question.listener
    same = bool(sender.contact) and sender.contact.casefold() == listener.contact.casefold()
    if same:
        author, is_host = listener.name or sender.name or sender.contact, False
    elif thread.from_show or thread.host:
        author, is_host = thread.host or sender.name, True
    else:
        author, is_host = sender.name or sender.contact, False
    return Reply(
        text=message.body,
        author=author,
        is_host=is_host,
        received_at=message.received_at,
        import_key=message.import_key,
    )


def with_follow_up(question: Question, reply: Reply, by: str, at: str) -> Question:
    """The question with the reply added, the change in its history (no Message-ID in the
    note: one may hold the listener's address, which forgetting them must reach)."""
    note = "a host's reply" if reply.is_host else "a follow-up by e-mail"
    return history.change(
        question, FOLLOW_UP, by, at, note=note, replies=[*question.replies, reply]
    )
