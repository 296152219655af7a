"""The show itself: its name, its hosts and the saved replies they share (database settings).

A saved reply is a name and a text (`{"name": ..., "text": ...}`), kept in the order added.
Names are matched trimmed, their inner spaces as one, and case-insensitively: "medical
disclaimer" finds "Medical  Disclaimer". The text is kept exactly as given (only CRLF line ends
become LF), and holds no terminal controls.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .errors import BadInput, QaQueueError
from .model.question import Host
from .queue_base import QueueBase
from .text import has_controls

REPLY_NAME_MAX = 60  # characters: a name fits a picker's line beside the reply's first words
REPLY_TEXT_MAX = 20_000  # characters: a paragraph or a page, not a book


class ReplyExists(QaQueueError):
    """A saved reply of that name is there already; replacing it has to be asked for."""


def reply_name(name: str) -> str:
    """The name as stored: trimmed, inner runs of spaces one space; BadInput when it will not do."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadInput("a saved reply needs a name")
    if has_controls(cleaned):
        raise BadInput(f"a saved reply's name cannot hold control characters: {cleaned!r}")
    if len(cleaned) > REPLY_NAME_MAX:
        raise BadInput(
            f"a saved reply's name is at most {REPLY_NAME_MAX} characters, not {len(cleaned)}"
        )
    return cleaned


def reply_text(text: str) -> str:
    """The text as stored (CRLF line ends as LF); BadInput when empty, huge or holding controls."""
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise BadInput("the saved reply's text is empty")
    if len(text) > REPLY_TEXT_MAX:
        raise BadInput(f"a saved reply is at most {REPLY_TEXT_MAX} characters, not {len(text)}")
    if has_controls(text):
        raise BadInput(
            "a saved reply's text cannot hold control characters "
            "(terminal escapes, lone carriage returns…); only tabs and line breaks"
        )
    return text


def _key(name: object) -> str:
    return " ".join(str(name or "").split()).casefold()


def _position(replies: list[dict[str, Any]], name: str) -> int | None:
    key = _key(name)
    return next((i for i, r in enumerate(replies) if _key(r.get("name")) == key), None)


def _unknown_reply(name: str, replies: list[dict[str, Any]]) -> BadInput:
    names = [str(r.get("name", "")) for r in replies]
    if not names:
        hint = "there are no saved replies yet"
    else:
        hint = "saved replies are: " + ", ".join(repr(n) for n in names[:10])
        hint += f" and {len(names) - 10} more" if len(names) > 10 else ""
    return BadInput(f"no saved reply {' '.join(name.split())!r}; {hint}")


def host_id_for(name: str) -> str:
    """The id a host named so gets: their first name in plain letters ("Zoë Marz" -> "zoe");
    BadInput when the name starts with no letter."""
    first = name.split()[0] if name.split() else ""
    plain = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()
    word = re.sub(r"[^a-z0-9_]", "", plain)
    if not word.isidentifier():
        raise BadInput(f"a host's name starts with a letter, such as 'Austin Baraki', not {name!r}")
    return word


class ShowSettings(QueueBase):
    """Operations on the show's settings; a part of QuestionQueue (reading the hosts and
    checking a host id are QueueBase's: the other parts need them too)."""

    def short_host_name(self, host_id: str | None) -> str:
        """A host's first name for a narrow column ("Austin" for Austin Baraki), or their
        whole name when another host has the same first name."""
        hosts = self.hosts()
        name = next((host.name for host in hosts if host.id == host_id), host_id or "")
        first = name.split()[0] if name.split() else name
        same = [host for host in hosts if host.name.split()[:1] == [first]]
        return first if len(same) <= 1 else name

    def host_name(self, host_id: str | None) -> str:
        for host in self.hosts():
            if host.id == host_id:
                return host.name
        return host_id or ""

    def podcast(self) -> str:
        podcast: str = self.store.settings().get("podcast", "")
        return podcast

    def saved_replies(self) -> list[dict[str, Any]]:
        return list(self.store.settings().get("saved_replies", []))

    def saved_reply(self, name: str) -> dict[str, Any]:
        """The saved reply of that name (any case); BadInput naming the others when none."""
        replies = self.saved_replies()
        found = _position(replies, name)
        if found is None:
            raise _unknown_reply(name, replies)
        return replies[found]

    def _settings(self, update: Callable[[dict[str, Any]], None]) -> None:
        with self.store.transaction() as tx:
            settings = self.store.settings()
            update(settings)
            tx.put_settings(settings)

    def add_host(self, host_id: str, name: str | None = None) -> Host:
        host_id = host_id.strip().lower()
        if not host_id.isidentifier():
            raise BadInput(f"a host id is one short word such as 'austin', not {host_id!r}")
        host = Host(id=host_id, name=(name or host_id.title()).strip())

        def update(settings: dict[str, Any]) -> None:
            hosts = [h for h in settings.get("hosts", []) if h["id"] != host_id]
            settings["hosts"] = [*hosts, host.to_dict()]

        self._settings(update)
        return host

    def remove_host(self, host_id: str) -> None:
        self.check_host(host_id)

        def update(settings: dict[str, Any]) -> None:
            settings["hosts"] = [h for h in settings["hosts"] if h["id"] != host_id]
            settings.get("passwords", {}).pop(host_id, None)  # a host added again sets a new one

        self._settings(update)

    # -- passwords (for `qa-queue serve`): argon2id hashes, never the password itself ----------

    def set_password(self, host_id: str, password: str) -> None:
        """Store a salted argon2id hash of the host's new password (BadInput: too short…)."""
        from .passwords import hash_password  # argon2 loads only for the commands that need it

        self.check_host(host_id)
        hashed = hash_password(password)

        def update(settings: dict[str, Any]) -> None:
            settings["passwords"] = {**settings.get("passwords", {}), host_id: hashed}

        self._settings(update)

    def remove_password(self, host_id: str) -> bool:
        """Forget the host's password (they cannot sign in to a server); whether one was set."""
        found = host_id in self.password_hosts()
        if found:
            self._settings(lambda s: s.get("passwords", {}).pop(host_id, None))
        return found

    def password_hosts(self) -> list[str]:
        """The hosts who have a password (and so may sign in to `qa-queue serve`)."""
        known = {h.id for h in self.hosts()}
        stored = self.store.settings().get("passwords", {})
        return [h for h in stored if h in known] if isinstance(stored, dict) else []

    def password_hash(self, host_id: str) -> str | None:
        """The stored hash of a current host's password, if any (the server checks it)."""
        stored = self.store.settings().get("passwords", {})
        found = stored.get(host_id) if isinstance(stored, dict) else None
        known = any(h.id == host_id for h in self.hosts())
        return found if isinstance(found, str) and known else None

    def check_password(self, host_id: str, password: str) -> bool:
        """Whether this is the host's password; as slow for an unknown host as a wrong one."""
        from .passwords import verify_password

        return verify_password(self.password_hash(host_id), password)

    def set_podcast(self, name: str) -> None:
        self._settings(lambda s: s.__setitem__("podcast", name.strip()))

    def set_saved_replies(self, replies: list[dict[str, Any]]) -> None:
        self._settings(lambda s: s.__setitem__("saved_replies", replies))

    def add_saved_reply(self, name: str, text: str, *, replace: bool = False) -> dict[str, Any]:
        """Save a reply; one of the same name (any case) is refused (ReplyExists) unless
        `replace`, which keeps its place in the list and takes the name as given now."""
        reply = {"name": reply_name(name), "text": reply_text(text)}

        def update(settings: dict[str, Any]) -> None:
            replies = list(settings.get("saved_replies", []))
            found = _position(replies, reply["name"])
            if found is None:
                replies.append(reply)
            elif replace:
                replies[found] = reply
            else:
                existing = replies[found].get("name")
                raise ReplyExists(f"there is a saved reply named {existing!r} already")
            settings["saved_replies"] = replies

        self._settings(update)
        return reply

    def rename_saved_reply(self, name: str, new_name: str) -> dict[str, Any]:
        """Give a saved reply another name (or another case of its name)."""
        new = reply_name(new_name)
        renamed: list[dict[str, Any]] = []

        def update(settings: dict[str, Any]) -> None:
            replies = list(settings.get("saved_replies", []))
            found = _position(replies, name)
            if found is None:
                raise _unknown_reply(name, replies)
            clash = _position(replies, new)
            if clash is not None and clash != found:
                existing = replies[clash].get("name")
                raise ReplyExists(f"there is a saved reply named {existing!r} already")
            if replies[found].get("name") == new:
                raise BadInput(f"the saved reply is named {new!r} already")
            replies[found] = {**replies[found], "name": new}
            settings["saved_replies"] = replies
            renamed.append(replies[found])

        self._settings(update)
        return renamed[0]

    def remove_saved_reply(self, name: str) -> dict[str, Any]:
        """Remove a saved reply; returns it (BadInput when there is none of that name)."""
        removed: list[dict[str, Any]] = []

        def update(settings: dict[str, Any]) -> None:
            replies = list(settings.get("saved_replies", []))
            found = _position(replies, name)
            if found is None:
                raise _unknown_reply(name, replies)
            removed.append(replies.pop(found))
            settings["saved_replies"] = replies

        self._settings(update)
        return removed[0]
