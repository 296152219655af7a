"""Which host is at the keyboard: asked once, when an action first needs to know (taking a
question, writing "my draft"), remembered in the user's config. A new show's database with
no hosts yet makes the one at the keyboard its first host, by their name."""

from __future__ import annotations

from collections.abc import Callable

from ...errors import QaQueueError
from ...show import host_id_for
from ..host_app import HostApp
from .ask import Ask
from .pick import Choice, Pick


class WhoAmI:
    """Handed the app, how to remember a host for the next start, and what to redraw."""

    def __init__(
        self, app: HostApp, remember: Callable[[str], object], shown: Callable[[], None]
    ) -> None:
        self.app, self.remember, self.shown = app, remember, shown

    def ask(self, then: Callable[[], object]) -> None:
        app = self.app
        if app.served:
            # the host signed in to the server; a browser session never becomes another one
            app.tell("You are signed in as no current host: sign out and in again", "error")
            return
        hosts = app.queue.hosts()
        if not hosts:
            self._add_first_host(then)
            return
        choices = [Choice(h.name, h.id, hint=h.id) for h in hosts]

        def chosen(host: str | None) -> None:
            if host is not None:
                self._become(host, then)

        note = "Asked once; remembered in your config. --as HOST chooses another."
        app.push_screen(Pick("Which host are you?", choices, note=note), chosen)

    def _become(self, host: str, then: Callable[[], object]) -> None:
        app = self.app
        try:
            app.queue.set_me(host)
        except QaQueueError as error:
            app.tell(str(error), "error")
            return
        remembered = ""
        try:
            self.remember(host)
            remembered = " (remembered for next time)"
        except OSError as error:
            app.tell(f"Could not remember it for next time: {error}", "warning")
        self.shown()
        app.tell(f"You are {app.queue.host_name(host)}{remembered}")
        then()

    def _add_first_host(self, then: Callable[[], object]) -> None:
        def added(typed: str | None) -> None:
            if typed and typed.strip():
                try:
                    host = self.app.queue.add_host(host_id_for(typed), " ".join(typed.split()))
                except QaQueueError as error:
                    self.app.tell(str(error), "error")
                    return
                self._become(host.id, then)

        def preview(typed: str) -> str:
            if not typed.strip():
                return "your name, as the show notes print it"
            return f"adds host '{host_id_for(typed)}', {' '.join(typed.split())}: you"

        ask = Ask(
            "No hosts yet: who are you?",
            placeholder="Austin Baraki",
            note="You become the show's first host; co-hosts: qa-queue hosts add ID NAME",
            preview=preview,
        )
        self.app.push_screen(ask, added)
