"""Readable plain text from an HTML-only e-mail, with no markup, scripts or quoted replies left."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

BLOCKS = {
    "p", "div", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "section", "article", "header", "footer", "hr", "address", "dl", "dt", "dd",
}  # fmt: skip
HIDDEN = {"script", "style", "head", "title", "template", "noscript", "svg", "object"}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_TAG = re.compile(r"<[^>]*>?")
_BREAK = "\x00"  # a line break the text itself cannot contain once parsed


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.quoted = 0  # inside <blockquote>: the message being replied to

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag == "blockquote":
            self.quoted += 1
        elif tag == "br":
            self.parts.append(_BREAK)
        elif tag == "li":
            self.parts.append(_BREAK + "- ")
        elif tag in BLOCKS:
            self.parts.append(_BREAK * 2)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <hr/>, <script/>: an empty element opens and closes at once.
        if tag in BLOCKS or tag in ("br", "li"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote":
            self.quoted = max(0, self.quoted - 1)
        elif tag in BLOCKS:
            self.parts.append(_BREAK * 2)

    def handle_data(self, data: str) -> None:
        if not self.hidden and not self.quoted:
            self.parts.append(_SPACE.sub(" ", data.replace(_BREAK, "")))


def html_to_text(html: str) -> str:
    """Paragraphs separated by blank lines, <br> as line breaks, list items as "- " lines."""
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
        text = "".join(collector.parts)
    except AssertionError:
        # Python 3.11's parser asserts on some broken declarations ("<![<"); such mail still
        # deserves its words, so drop anything tag-shaped instead.
        text = _SPACE.sub(" ", unescape(_TAG.sub(" ", html.replace(_BREAK, ""))))
    lines = [line.strip() for line in text.split(_BREAK)]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
