"""The command palette (ctrl+p): every action of the screen in front, found by its name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget

from .keys import described


class ScreenCommands(Provider):
    """Offers the actions of the screen the palette was opened on (assign, snooze, move up…),
    with their keys as help, plus the ones that work anywhere."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        commands: list[tuple[str, str, Callable[[], object]]] = []
        # the screen's keys, and those of the parts in its focus (the queue's panes)
        nodes = [*reversed(screen.focused.ancestors_with_self), screen] if screen.focused else []
        seen: set[str] = set()
        for node in dict.fromkeys([*nodes, screen]):
            if node is self.app or not isinstance(node, Widget):
                continue
            for key in described(self.app, getattr(node, "BINDINGS", [])):
                if key.action.startswith("app.") or key.action in seen:
                    continue
                if node.check_action(key.action, ()) is not True:
                    continue
                seen.add(key.action)
                commands.append(
                    (key.description, f"key: {key.keys}", partial(node.run_action, key.action))
                )
        app = self.app
        if not getattr(screen, "REACHES_EPISODES", False):  # E there already opens them
            episodes = getattr(app, "open_episodes", None)
            if episodes is not None:
                commands.append(("Episodes: plan and export", "key: E on the queue", episodes))
        replies = getattr(app, "open_saved_replies", None)
        if replies is not None:
            commands.append(
                ("Saved replies: view, rename, remove", "ctrl+n in a draft adds", replies)
            )
        commands.append(("Help: every key", "key: ? or f1", partial(app.run_action, "help")))
        return commands

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
