"""A footer that rebuilds its keys only when the keys it shows change.

Textual's Footer recomposes (unmounts and mounts a widget per key) on every focus change; moving
the focus between the queue table and the detail pane then cost ~30 ms of layout for the same
keys. Comparing what would be shown first makes that free.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def _shown(screen: Screen) -> tuple[tuple[str, str, bool], ...]:
    return tuple(
        (binding.key, binding.description, enabled)
        for _node, binding, enabled, _tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    """The footer of every screen: the keys that apply, redrawn only when they change, set
    close together so that the main ones fit in 80 columns."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    _last_shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = _shown(screen)
        if shown == self._last_shown and self._bindings_ready:
            return
        if screen.app.app_focus:  # without focus the footer does not redraw: compare next time
            self._last_shown = shown
        super().bindings_changed(screen)
