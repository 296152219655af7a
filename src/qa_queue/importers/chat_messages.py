"""Chat messages as each export writes them, read into one shape (Message) for chat.py:
Slack's channel export, Discord's API message list and DiscordChatExporter's JSON, their
markup (mentions, links, custom emoji) made readable text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..model.question import name_without_contacts
from .common import fingerprint

Rejected = list[tuple[str, str]]  # (place, why) of each message that could not be read


@dataclass
class Message:
    """One chat message, whatever the export wrote it as."""

    where: str  # its place in the file ("message 3"), for a rejected line
    ref: str  # Slack's ts, Discord's message id: what replies point at
    key: str  # the import key of the question it may become
    author: str  # the poster's id in the chat
    names: list[str]  # the poster's names, the one to credit first
    text: str
    at: datetime
    parent: str | None = None  # the ref of the message it replies to
    system: str = ""  # why it is nobody's words ("joined the channel", "from a bot")


# Slack subtypes that are a person's own words; every other one is Slack's or an app's
SLACK_WORDS = {None, "thread_broadcast", "file_share", "me_message"}
_SLACK_SYSTEM = {
    "channel_join": "joined the channel",
    "channel_leave": "left the channel",
    "bot_message": "from a bot",
    "channel_topic": "changed the topic",
    "channel_purpose": "changed the description",
    "channel_name": "renamed the channel",
    "tombstone": "deleted",
}
# Discord's message types (API numbers, DiscordChatExporter's names) that people write
DISCORD_WORDS = {0, 19, "Default", "Reply"}
_DISCORD_SYSTEM = {
    6: "pinned a message",
    "ChannelPinnedMessage": "pinned a message",
    7: "joined the server",
    "GuildMemberJoin": "joined the server",
    18: "started a thread",
    "ThreadCreated": "started a thread",
}
_BOT = "from a bot"
_SLACK_TS = re.compile(r"(\d{1,12})(?:\.(\d{1,9}))?")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _kind(value: Any) -> str | int | None:
    """A message's type or subtype as a set can look it up ([] and {} are no kind)."""
    return value if value is None or isinstance(value, (str, int)) else "unknown"


def _names(*values: Any) -> list[str]:
    """The names given, in order, without empty ones, addresses or repeats."""
    names = [name_without_contacts(value) for value in values if isinstance(value, str)]
    return list(dict.fromkeys(name for name in names if name))


# -- Slack --------------------------------------------------------------------------------


def _slack_time(ts: str) -> datetime:
    """Slack's "1764170000.123456": epoch seconds and a fraction; ValueError if not one."""
    match = _SLACK_TS.fullmatch(ts)
    if match is None:
        raise ValueError(f"its time (ts) {ts[:30]!r} is not Slack's epoch seconds")
    fraction = int((match[2] or "0")[:6].ljust(6, "0"))
    try:
        return datetime.fromtimestamp(int(match[1]), UTC) + timedelta(microseconds=fraction)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"its time (ts) {ts[:30]!r} is not a date") from None


def _slack_people(items: list[Any]) -> dict[str, dict[str, Any]]:
    """Each poster's profile by user id, from any of their messages (some carry none)."""
    people: dict[str, dict[str, Any]] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("user_profile"), dict):
            people.setdefault(_text(item.get("user")), item["user_profile"])
    return people


def slack_messages(items: list[Any], rejected: Rejected) -> list[Message]:
    people = _slack_people(items)
    # how Slack shows a mention: the display name, else the full name
    shown = {
        user: (_names(p.get("display_name"), p.get("real_name"), p.get("name")) or [user])[0]
        for user, p in people.items()
    }
    messages = []
    for number, item in enumerate(items, 1):
        where = f"message {number}"
        if not isinstance(item, dict):
            rejected.append((where, "not a Slack message (an object)"))
            continue
        ts = _text(item.get("ts"))
        try:
            at = _slack_time(ts)
        except ValueError as error:
            rejected.append((where, str(error) if ts else "no time (ts)"))
            continue
        user = _text(item.get("user"))
        profile = people.get(user, {})
        subtype = _kind(item.get("subtype"))
        system = ""
        if item.get("type") != "message":
            system = "not a message"
        elif subtype not in SLACK_WORDS:
            system = _SLACK_SYSTEM.get(str(subtype), str(subtype).replace("_", " "))
        elif item.get("bot_id") or item.get("bot_profile"):
            system = _BOT
        thread = item.get("thread_ts")
        messages.append(
            Message(
                where=where,
                ref=ts,
                key="slack:" + fingerprint(user, ts),
                author=user,
                names=_names(
                    profile.get("real_name"), profile.get("display_name"), profile.get("name")
                ),
                text=slack_text(_text(item.get("text")), shown),
                at=at,
                parent=thread if isinstance(thread, str) and thread != ts else None,
                system=system,
            )
        )
    return messages


_SLACK_MARKUP = re.compile(r"<([^<>\n]+)>")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)


def slack_text(text: str, shown: dict[str, str]) -> str:
    """Slack's mrkdwn as people read it: <@U123> is @name (`shown`: user id -> name),
    <https://x|label> is "label (https://x)", <!here> is @here; &lt; &gt; &amp; are < > &.
    Emoji shortcodes (:thinking_face:) and *bold* stay as written."""

    def readable(match: re.Match[str]) -> str:
        target, _, label = match[1].partition("|")
        if target.startswith("@"):
            return "@" + (label or shown.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            # <!here>, <!subteam^S01|@hosts>, <!date^1392734382^{date}|Feb 18th>
            if label:
                return label
            return "@" + target[1:].split("^")[0]
        if _SCHEME.match(target):
            url = target.removeprefix("mailto:")
            if not label or label in (url, url.split("://", 1)[-1]):
                return url
            return f"{label} ({url})"
        return match[0]

    text = _SLACK_MARKUP.sub(readable, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# -- Discord ------------------------------------------------------------------------------


def _discord_time(value: Any) -> datetime:
    """Discord's ISO time ("2026-11-26T18:01:00.123000+00:00"); ValueError if not one."""
    try:
        moment = datetime.fromisoformat(value if isinstance(value, str) else "")
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"its time {str(value)[:40]!r} is not a date") from None


def _discord_id(value: Any) -> str:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _discord_messages(
    items: list[Any],
    rejected: Rejected,
    read: Callable[[dict[str, Any]], tuple[list[str], str, str | None, bool]],
) -> list[Message]:
    """Messages from either Discord shape; `read` gives a message's author names, its type's
    system reason ("" for words), the id it replies to, and whether a bot wrote it."""
    shown: dict[str, str] = {}
    for item in items:  # everyone named in the file, for its mentions
        if isinstance(item, dict):
            for person in [item.get("author"), *_list(item.get("mentions"))]:
                if isinstance(person, dict) and _discord_id(person.get("id")):
                    names = _names(
                        person.get("nickname"),
                        person.get("global_name"),
                        person.get("name"),
                        person.get("username"),
                    )
                    shown.setdefault(_discord_id(person["id"]), (names or ["someone"])[0])
    messages = []
    for number, item in enumerate(items, 1):
        where = f"message {number}"
        if not isinstance(item, dict):
            rejected.append((where, "not a Discord message (an object)"))
            continue
        ref = _discord_id(item.get("id"))
        if not ref:
            rejected.append((where, "no message id"))
            continue
        try:
            at = _discord_time(item.get("timestamp"))
        except ValueError as error:
            rejected.append((where, str(error) if item.get("timestamp") else "no time"))
            continue
        names, system, parent, bot = read(item)
        author = item.get("author")
        messages.append(
            Message(
                where=where,
                ref=ref,
                key="discord:" + ref,
                author=_discord_id(author.get("id")) if isinstance(author, dict) else "",
                names=names,
                text=discord_text(_text(item.get("content")), shown),
                at=at,
                parent=parent,
                system=system or (_BOT if bot else ""),
            )
        )
    return messages


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def discord_messages(items: list[Any], rejected: Rejected) -> list[Message]:
    """GET /channels/{id}/messages: "type" a number, the author a user object."""

    def read(item: dict[str, Any]) -> tuple[list[str], str, str | None, bool]:
        author, member = _dict(item.get("author")), _dict(item.get("member"))
        names = _names(member.get("nick"), author.get("global_name"), author.get("username"))
        kind = _kind(item.get("type", 0))
        system = "" if kind in DISCORD_WORDS else _DISCORD_SYSTEM.get(kind, f"Discord type {kind}")
        reference = _dict(item.get("message_reference"))
        forward = reference.get("type") == 1  # a forward is someone else's message
        parent = None if forward else _discord_id(reference.get("message_id")) or None
        return names, system, parent, bool(author.get("bot") or item.get("webhook_id"))

    return _discord_messages(items, rejected, read)


def discordchatexporter_messages(items: list[Any], rejected: Rejected) -> list[Message]:
    """DiscordChatExporter's JSON: "type" a name, the author's "nickname" (their name in the
    server, or their display name) and "name", replies' "reference"."""

    def read(item: dict[str, Any]) -> tuple[list[str], str, str | None, bool]:
        author = _dict(item.get("author"))
        names = _names(author.get("nickname"), author.get("name"))
        kind = _kind(item.get("type", "Default"))
        system = "" if kind in DISCORD_WORDS else _DISCORD_SYSTEM.get(kind, f"Discord type {kind}")
        reference = _dict(item.get("reference"))
        forward = reference.get("type") == "Forward"
        parent = None if forward else _discord_id(reference.get("messageId")) or None
        return names, system, parent, author.get("isBot") is True

    return _discord_messages(items, rejected, read)


_DISCORD_MARKUP = re.compile(
    r"<(?:@!?(?P<user>\d+)|@&(?P<role>\d+)|#(?P<channel>\d+)|a?:(?P<emoji>\w+):\d+"
    r"|t:(?P<time>-?\d{1,12})(?::[tTdDfFR])?|/(?P<command>[\w -]+):\d+)>"
)


def discord_text(text: str, shown: dict[str, str]) -> str:
    """Discord's markup as people read it: <@123> is @name (`shown`: user id -> name), a
    custom emoji <:wave:123> is :wave:, <t:1764170000:R> is the date; the rest as written."""

    def readable(match: re.Match[str]) -> str:
        if match["user"]:
            return "@" + shown.get(match["user"], match["user"])
        if match["role"]:
            return "@role"
        if match["channel"]:
            return "#" + match["channel"]
        if match["emoji"]:
            return f":{match['emoji']}:"
        if match["command"]:
            return "/" + match["command"]
        try:
            moment = datetime.fromtimestamp(int(match["time"]), UTC)
        except (OverflowError, OSError, ValueError):
            return match[0]
        return moment.strftime("%Y-%m-%d %H:%M UTC")

    return _DISCORD_MARKUP.sub(readable, text)
