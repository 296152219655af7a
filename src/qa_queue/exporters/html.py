"""A standalone HTML page of the show notes, rendered from their Markdown with raw HTML off."""

from __future__ import annotations

from html import escape

from . import markdown
from .common import ShowNotes

STYLE = """
body { margin: 0; background: #fafafa; color: #1d1d1f; }
main { max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem 4rem;
       font: 1.05rem/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin-top: 2.5rem; border-top: 1px solid #ddd; padding-top: 1.5rem; }
a { color: #0b5cad; }
ul { padding-left: 1.25rem; }
"""


def render(notes: ShowNotes) -> str:
    """The page; listener text stays text because the Markdown escapes it and html is off."""
    from markdown_it import MarkdownIt  # here: every command would pay for it at start

    # "html": False makes any tag that slipped into the Markdown come out as visible text.
    parser = MarkdownIt("commonmark", {"html": False})
    body = parser.render(markdown.render(notes))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(markdown.heading(notes))}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
