"""The show itself: its name, its hosts and the saved replies they share (database settings)."""

from __future__ import annotations

from collections.abc import Callable

from .errors import BadInput
from .model.question import Host
from .store import Store


class ShowSettings:
    """Operations on the show's settings; QuestionQueue has them (it provides `store`)."""

    store: Store

    def hosts(self) -> list[Host]:
        return [Host(**h) for h in self.store.settings().get("hosts", [])]

    def host_name(self, host_id: str | None) -> str:
        for host in self.hosts():
            if host.id == host_id:
                return host.name
        return host_id or ""

    def podcast(self) -> str:
        return self.store.settings().get("podcast", "")

    def saved_replies(self) -> list[dict]:
        return list(self.store.settings().get("saved_replies", []))

    def check_host(self, host_id: str) -> str:
        known = [h.id for h in self.hosts()]
        if host_id not in known:
            hint = f"hosts are: {', '.join(known)}" if known else "there are no hosts yet"
            raise BadInput(f"no host {host_id!r}; {hint} (add one with 'qa-queue hosts add')")
        return host_id

    def _settings(self, update: Callable[[dict], None]) -> None:
        with self.store.transaction() as tx:
            settings = self.store.settings()
            update(settings)
            tx.put_settings(settings)

    def add_host(self, host_id: str, name: str | None = None) -> Host:
        host_id = host_id.strip().lower()
        if not host_id.isidentifier():
            raise BadInput(f"a host id is one short word such as 'austin', not {host_id!r}")
        host = Host(id=host_id, name=(name or host_id.title()).strip())

        def update(settings: dict) -> None:
            hosts = [h for h in settings.get("hosts", []) if h["id"] != host_id]
            settings["hosts"] = [*hosts, host.to_dict()]

        self._settings(update)
        return host

    def remove_host(self, host_id: str) -> None:
        self.check_host(host_id)
        self._settings(
            lambda s: s.__setitem__("hosts", [h for h in s["hosts"] if h["id"] != host_id])
        )

    def set_podcast(self, name: str) -> None:
        self._settings(lambda s: s.__setitem__("podcast", name.strip()))

    def set_saved_replies(self, replies: list[dict]) -> None:
        self._settings(lambda s: s.__setitem__("saved_replies", replies))
