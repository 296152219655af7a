"""The app's CSS parsed once for every app forked from one process (`qa-queue serve`).

Textual parses the app's .tcss file and each widget's DEFAULT_CSS per App instance: in a
forked app that was a quarter of its work before its first paint (~25 ms of ~100 ms,
benchmarks/serve.py). The forking process runs one app headless (web/forks.py), keeps what its
stylesheet parsed (`keep`), and each forked app starts with it (`reuse`, from
QaQueueApp.__init__): the same sources are added in the same order, their parsing is found
ready. A terminal app never has any kept, and parses as ever.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.cache import LRUCache

# (the CSS variables it was parsed with, Textual's parse cache) once kept
_kept: tuple[dict[str, str], LRUCache[Any, Any]] | None = None


def keep(app: App[Any]) -> None:
    """Keep what `app`'s stylesheet has parsed, for the apps started (forked) after it."""
    global _kept
    cache = _parse_cache(app)
    if cache is not None:
        _kept = (app.get_css_variables(), cache)


def reuse(app: App[Any]) -> None:
    """Start `app`'s stylesheet with the parsing kept, if any, for the same CSS variables
    (parsed rules depend on them; Textual clears the cache itself when they change)."""
    if _kept is None or _parse_cache(app) is None:
        return
    variables, cache = _kept
    if app.get_css_variables() == variables:
        copy: LRUCache[Any, Any] = LRUCache(cache.maxsize)
        for key in cache.keys():  # noqa: SIM118 (an LRUCache is no iterable)
            copy[key] = cache[key]
        app.stylesheet._parse_cache = copy


def _parse_cache(app: App[Any]) -> LRUCache[Any, Any] | None:
    """Textual's cache of parsed CSS sources, or None.

    Textual internals, checked against Textual 8.2.8: `Stylesheet._parse_cache` is a
    textual.cache.LRUCache keyed by (css, location, is_default, tie_breaker, scope), holding
    the parsed rule sets; `Stylesheet.set_variables` clears it. Without it (another version),
    nothing is kept and each app parses its CSS itself.
    """
    cache = getattr(app.stylesheet, "_parse_cache", None)
    return cache if isinstance(cache, LRUCache) else None
