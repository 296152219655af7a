"""Chat channels saved as JSON: a Slack channel export (a day's file of it), Discord's API
message list, and DiscordChatExporter's JSON. Each listener's message is a question; system
messages, bots, messages without text and the show's hosts are left out and counted.

A reply to a listener's question (a Slack thread reply, a Discord reply) belongs to it: the
same listener's is added to the question's text, anyone else's is kept as a reply on it, a
host's is left out. A reply to anything else (a host's "ask us here" post) is a question."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from ..model.dates import to_iso
from ..model.question import Listener, Question, Reply, Source
from ..text import counted
from .chat_messages import (
    Message,
    Rejected,
    discord_messages,
    discordchatexporter_messages,
    slack_messages,
)
from .common import ImportBatch, may_be_named, place, title_from


@dataclass
class _Asked:
    question: Question
    author: str


def shape_of(data: Any) -> str | None:
    """Which chat export the JSON is, by its shape: "slack", "discord" or
    "discordchatexporter"; None for anything else (our own shapes)."""
    if isinstance(data, dict):
        if isinstance(data.get("messages"), list) and isinstance(data.get("channel"), dict):
            return "discordchatexporter"
        return None
    if not isinstance(data, list):
        return None
    items = [item for item in data if isinstance(item, dict)]
    if any(item.get("type") == "message" and isinstance(item.get("ts"), str) for item in items):
        return "slack"
    if any(
        isinstance(item.get("author"), dict) and "content" in item and "timestamp" in item
        for item in items
    ):
        return "discord"
    return None


WHAT = {
    "slack": "a Slack channel export",
    "discord": "a Discord channel (Discord's API messages)",
    "discordchatexporter": "a Discord channel (DiscordChatExporter)",
}
READERS = {
    "slack": slack_messages,
    "discord": discord_messages,
    "discordchatexporter": discordchatexporter_messages,
}


def read_chat(data: Any, *, name: str, hosts: Collection[str] = ()) -> ImportBatch | None:
    """The questions in a chat export (`data` as JSON read it), or None when it is none;
    `hosts` are the show's hosts' names: their messages are not questions."""
    shape = shape_of(data)
    if shape is None:
        return None
    items: list[Any] = data["messages"] if shape == "discordchatexporter" else data
    rejected: Rejected = []
    batch = _questions(READERS[shape](items, rejected), hosts)
    batch.notes.insert(0, f"read as {WHAT[shape]}: {counted(len(items), 'message')}")
    batch.rejected = [place(name, where, why) for where, why in rejected]
    return batch


# -- messages to questions ----------------------------------------------------------------


def chat_title(body: str) -> str:
    """The title: the first sentence after an opening that only greets or names someone
    (common.title_from skips those for every importer)."""
    return title_from(body)


def _plain(name: str) -> str:
    return " ".join(name.casefold().split())


def _by_host(message: Message, hosts: set[str], replying: bool) -> bool:
    """A host's message: one of the poster's names is a host's whole name; in a reply to a
    listener's question their first name is enough (as in a forum thread)."""
    names = {_plain(name) for name in message.names} - {""}
    if names & hosts:
        return True
    return replying and any(may_be_named(name, host) for name in names for host in hosts)


def _same_person(message: Message, asked: _Asked) -> bool:
    if message.author or asked.author:
        return message.author == asked.author
    return message.names[:1] == [asked.question.listener.name]


@dataclass
class _Tally:
    system: Counter[str] = field(default_factory=Counter)
    hosts: dict[str, None] = field(default_factory=dict)  # their names, in order
    host_messages: int = 0
    empty: int = 0
    follow_ups: int = 0
    replies: int = 0

    def notes(self) -> list[str]:
        notes = []
        if self.system:
            kinds = ", ".join(f"{count} {why}" for why, count in self.system.most_common())
            notes.append(f"skipped {counted(self.system.total(), 'system message')} ({kinds})")
        if self.host_messages:
            noun = counted(self.host_messages, "message")
            notes.append(f"skipped {noun} by the show's hosts ({', '.join(self.hosts)})")
        if self.empty:
            noun = counted(self.empty, "message")
            notes.append(f"skipped {noun} without text (a file, an image or a sticker only)")
        if self.follow_ups:
            noun = counted(self.follow_ups, "follow-up")
            notes.append(f"{noun} by the asker read as part of their question")
        if self.replies == 1:
            notes.append("1 reply by another listener kept with the question it answers")
        elif self.replies:
            notes.append(
                f"{self.replies} replies by other listeners kept with the questions they answer"
            )
        return notes


def _questions(messages: list[Message], hosts: Collection[str]) -> ImportBatch:
    """The questions the messages ask, oldest first (Discord's API lists the newest first)."""
    host_names = {_plain(host) for host in hosts} - {""}
    asked: dict[str, _Asked] = {}  # a message's ref -> the question it belongs to
    tally = _Tally()
    batch = ImportBatch()
    for message in sorted(messages, key=lambda message: message.at):
        if message.system:
            tally.system[message.system] += 1
            continue
        to = asked.get(message.parent) if message.parent else None
        if _by_host(message, host_names, to is not None):
            tally.host_messages += 1
            tally.hosts[message.names[0]] = None  # a host is known by a name
            if to is not None:  # a listener answering the host's reply answers the question
                asked[message.ref] = to
            continue
        if not message.text.strip():
            tally.empty += 1
            continue
        name = message.names[0] if message.names else ""
        if to is not None:
            asked[message.ref] = to
            if _same_person(message, to):
                to.question.body += "\n\n" + message.text.strip()
                tally.follow_ups += 1
            else:
                reply = Reply(
                    text=message.text.strip(), author=name, received_at=to_iso(message.at)
                )
                to.question.replies.append(reply)
                tally.replies += 1
            continue
        body = message.text.strip()
        question = Question(
            title=chat_title(body),
            body=body,
            received_at=to_iso(message.at),
            source=Source(kind="forum", ref=message.ref),
            listener=Listener(name=name),
            import_key=message.key,
        )
        asked[message.ref] = _Asked(question, message.author)
        batch.questions.append(question)
    batch.notes = tally.notes()
    return batch
