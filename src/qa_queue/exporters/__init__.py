"""Exporting show notes and question data: markdown, html, json, csv and Podcasting 2.0 chapters."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import BadInput
from . import chapters, csv, html, json, markdown
from .common import ShowNotes, public_dict, reference_url

__all__ = ["EXTENSIONS", "FORMATS", "ShowNotes", "export", "public_dict", "reference_url"]

RENDERERS: dict[str, Callable[[ShowNotes], str]] = {
    "markdown": markdown.render,
    "html": html.render,
    "json": json.render,
    "csv": csv.render,
    "chapters": chapters.render,
}
FORMATS = tuple(RENDERERS)
# the file name ending the CLI may suggest for each format
EXTENSIONS = {
    "markdown": ".md",
    "html": ".html",
    "json": ".json",
    "csv": ".csv",
    "chapters": ".chapters.json",
}
ALIASES = {"md": "markdown", "htm": "html"}


def export(fmt: str, notes: ShowNotes) -> str:
    """The export as text; BadInput for an unknown format or a question that cannot be placed.

    CSV starts with a byte order mark and uses CRLF rows: write it with newline="".
    """
    name = ALIASES.get(fmt.lower(), fmt.lower())
    render = RENDERERS.get(name)
    if render is None:
        raise BadInput(f"unknown export format {fmt!r}; formats are: {', '.join(FORMATS)}")
    return render(notes)
