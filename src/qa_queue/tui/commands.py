"""The command palette (ctrl+p): every action of the queue screen, found by its name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .keys import described


class QueueCommands(Provider):
    """Offers the queue screen's actions (assign, snooze, views…) with their keys as help."""

    def _commands(self) -> list[tuple[str, str, partial[object]]]:
        from .screens.queue import QueueScreen  # the screen imports the app's pieces

        screen = self.screen
        if not isinstance(screen, QueueScreen):
            return []
        return [
            (key.description, f"key: {key.keys}", partial(screen.run_action, key.action))
            for key in described(self.app, screen.BINDINGS)
            if not key.action.startswith("app.")
        ] + [("Help: every key", "key: ?", partial(self.app.run_action, "help"))]

    async def discover(self) -> Hits:
        # cheap: a list built from the bindings, no store access
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
