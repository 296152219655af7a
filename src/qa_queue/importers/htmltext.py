"""Readable plain text from an HTML e-mail: paragraphs, "- " list items, a table's rows as
"Name: Amara Mensah" lines; no markup, scripts, styles or the message being replied to.

The HTML is parsed (html.parser, forgiving of the broken markup mail carries) into a small
tree first, so a table is read a row at a time: its cells joined on one line, never run
together ("NameAmara Mensah"). Where a mail client marks the quoted original (Gmail's
gmail_quote, Outlook's divRplyFwdMsg, Thunderbird's moz-cite-prefix, Yahoo's yahoo_quoted,
Apple Mail's <blockquote type="cite">), the text ends: replies are written above the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

BLOCKS = {
    "p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "section",
    "article", "header", "footer", "hr", "address", "dl", "dt", "dd", "center", "form",
    "fieldset", "main", "aside", "nav", "figure", "blockquote", "tbody", "thead", "tfoot",
}  # fmt: skip
HIDDEN = {"script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe"}
VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}
# class or id values that start the quoted original, or hold a signature to leave out
_QUOTE_MARKS = re.compile(
    r"\b(?:gmail_quote|gmail_attr|divRplyFwdMsg|moz-cite-prefix|yahoo_quoted|OutlookMessageHeader"
    r"|appendonsend|reply-intro|protonmail_quote|zmail_extra)\b",
    re.I,
)
_SIGNATURE_MARKS = re.compile(r"\b(?:gmail_signature|moz-signature|signature)\b", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_TAG = re.compile(r"<[^>]*>?")
# Tags an open one is closed by when it is left open (<p>one<p>two, <td>a<td>b, <li>x<li>y).
_CLOSED_BY = {
    "p": BLOCKS | {"li", "tr", "td", "th"},
    "li": {"li"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
    "tr": {"tr"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
}
_CLOSING = set().union(*_CLOSED_BY.values())
_LOOK_UP = 32  # how far up an implied close looks for the element it closes
_MAX_DEPTH = 300  # deeper elements are read as the text of the one at this depth
_SCOPES = {"table", "ul", "ol", "dl"}  # an implied close never reaches past one of these
_BLOCKISH = tuple(BLOCKS | {"li", "tr", "td", "th"})
_LAYOUT = ("table", "p", "div", "ul", "ol", "h1", "h2", "h3")  # in a cell: a layout table


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None
    # what the node holds somewhere inside: block elements, or what makes a cell a layout
    blocky: bool = False
    layout: bool = False


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.current = self.root
        self.depth = 0  # of self.current

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        _mark(node.parent, "blocky", tag in _BLOCKISH)
        _mark(node.parent, "layout", tag in _LAYOUT)
        if tag not in VOID and self.depth < _MAX_DEPTH:
            self.current = node
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            if node.tag in _SCOPES and tag not in _SCOPES:
                return  # a stray end tag: ignored rather than closing the table around it
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent
            self.depth = _depth(self.current)

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag not in _CLOSING:
            return
        node: Node | None = self.current
        for _ in range(_LOOK_UP):
            if node is None or node.parent is None:
                return
            if tag in _CLOSED_BY.get(node.tag, ()):
                self.current = node.parent
                self.depth = _depth(self.current)
                return
            if node.tag in _SCOPES or node.tag in ("td", "th", "li"):
                return
            node = node.parent


class _Line(str):
    """A <div>'s text: the next one follows on the next line, not after a blank one."""


def _join(paragraphs: list[str]) -> str:
    text = ""
    for index, paragraph in enumerate(paragraphs):
        if index:
            close = isinstance(paragraph, _Line) and isinstance(paragraphs[index - 1], _Line)
            text += "\n" if close else "\n\n"
        text += paragraph
    return text


class _Renderer:
    """Text from the tree: blocks as paragraphs, rows as lines; stops at the quoted original."""

    def __init__(self) -> None:
        self.stopped = False

    def blocks(self, node: Node) -> list[str]:
        """The node's content as paragraphs (each may hold line breaks); a <div>'s text is a
        _Line, which the ones around it follow on the next line, as mail clients show it."""
        out: list[str] = []
        inline: list[str] = []
        tight = node.tag == "div"

        def flush() -> None:
            text = _clean_lines("".join(inline))
            if text:
                out.append(_Line(text) if tight else text)
            inline.clear()

        for child in node.children:
            if self.stopped:
                break
            if isinstance(child, str):
                inline.append(_SPACE.sub(" ", child))
                continue
            kind = self._kind(child)
            if kind == "hidden":
                continue
            if kind == "quote":
                self.stopped = True
                break
            if child.tag == "br":
                inline.append("\n")
            elif child.tag == "pre":
                flush()
                out.append(_text_of(child).strip("\n"))
            elif child.tag == "table":
                flush()
                out.extend(self.table(child))
            elif child.tag in ("ul", "ol"):
                flush()
                items = self.items(child)
                if items:
                    out.append("\n".join(items))
            elif child.tag in BLOCKS or child.tag in ("li", "tr", "td", "th") or child.blocky:
                flush()
                out.extend(self.blocks(child))
            else:
                inline.append(self.inline(child))
        flush()
        if tight and not out and not self.stopped:
            out.append(_Line(""))  # Gmail's <div><br></div>: an empty line
        return out

    def inline(self, node: Node) -> str:
        """An inline element's text, spaces at its edges kept ("Hello<b> world</b>")."""
        parts = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(_SPACE.sub(" ", child))
            elif child.tag == "br":
                parts.append("\n")
            elif self._kind(child) == "quote":
                self.stopped = True
                break
            elif not self._kind(child):
                parts.append(self.inline(child))
        return "".join(parts)

    def items(self, node: Node) -> list[str]:
        lines = []
        for child in node.children:
            if self.stopped:
                break
            if isinstance(child, str):
                continue
            if self._kind(child) == "quote":
                self.stopped = True
                break
            if child.tag != "li" and child.tag not in ("ul", "ol"):
                lines.extend(self.items(child))
                continue
            text = "\n".join(self.blocks(child))
            nested = child.tag in ("ul", "ol")
            for number, line in enumerate(text.split("\n")):
                if line.strip():
                    lines.append(("  " + line) if nested or number else "- " + line)
        return lines

    def table(self, node: Node) -> list[str]:
        """The rows as lines, one paragraph for each run of them; a layout table's cells
        (holding paragraphs or tables of their own) as the blocks they are."""
        out: list[str] = []
        lines: list[str] = []
        for row in _rows(node):
            if self.stopped:
                break
            if self._kind(row) == "quote":
                self.stopped = True
                break
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
            if any(c.layout for c in cells):
                out.extend(["\n".join(lines)] if lines else [])
                lines = []
                for cell in cells:
                    out.extend(self.blocks(cell))
                continue
            texts = [t for t in ("\n".join(self.blocks(c)) for c in cells) if t.strip()]
            if len(texts) == 2 and "\n" not in texts[0]:
                label = texts[0].rstrip()
                colon = "" if label.endswith(":") else ":"
                lines.append(f"{label}{colon} {texts[1]}")
            elif texts:
                lines.append(" | ".join(texts))
        out.extend(["\n".join(lines)] if lines else [])
        return out

    @staticmethod
    def _kind(node: Node) -> str:
        if node.tag in HIDDEN:
            return "hidden"
        marks = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}"
        if _QUOTE_MARKS.search(marks) or (
            node.tag == "blockquote" and node.attrs.get("type", "").lower() == "cite"
        ):
            return "quote"
        if _SIGNATURE_MARKS.search(marks) or node.tag == "blockquote":
            return "hidden"  # a signature, or a quoted passage between the listener's words
        return ""


def _rows(table: Node) -> list[Node]:
    rows = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("tbody", "thead", "tfoot"):
                rows.extend(_rows(child))
    return rows


def _depth(node: Node) -> int:
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def _mark(node: Node | None, flag: str, holds: bool) -> None:
    """Note on the node and its ancestors that they hold such an element (each node once)."""
    while holds and node is not None and not getattr(node, flag):
        setattr(node, flag, True)
        node = node.parent


def _text_of(node: Node) -> str:
    return "".join(c if isinstance(c, str) else _text_of(c) for c in node.children)


def _clean_lines(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def html_to_text(html: str) -> str:
    """Paragraphs separated by blank lines, <br> as line breaks, list items as "- " lines,
    table rows as "label: value" lines (cells beyond two joined with " | ")."""
    builder = _TreeBuilder()
    try:
        builder.feed(html)
        builder.close()
    except AssertionError:
        # Python 3.11's parser asserts on some broken declarations ("<![<"); such mail still
        # deserves its words, so drop anything tag-shaped instead.
        return _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()
    try:
        paragraphs = _Renderer().blocks(builder.root)
    except RecursionError:  # nested hundreds deep: only an attack nests like that
        return _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()
    text = _join(paragraphs).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()
