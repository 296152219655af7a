"""The app's keys as people read them, for the `?` help screen and the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType

# Actions a served app (a browser's, `qa-queue serve`) does not offer: importing reads a file
# on the server, which the host in the browser does not see (the key still says so).
NOT_SERVED = frozenset({"import_file"})


@dataclass(frozen=True)
class Key:
    keys: str  # as shown: "↑/k"
    description: str
    action: str


def described(app: App[Any], bindings: Iterable[BindingType]) -> list[Key]:
    """One entry per action (its keys joined), in the order they are declared; a binding's
    tooltip, when it has one, is its longer name (the footer shows the short description).
    A served app's list leaves out what it does not offer (NOT_SERVED)."""
    served = getattr(app, "served", False)
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for binding in Binding.make_bindings(bindings):
        if binding.system or (served and binding.action in NOT_SERVED):
            continue
        keys.setdefault(binding.action, []).append(app.get_key_display(binding))
        name = binding.tooltip or binding.description or binding.action
        descriptions.setdefault(binding.action, name)
    return [Key("/".join(keys[a]), descriptions[a], a) for a in keys]
