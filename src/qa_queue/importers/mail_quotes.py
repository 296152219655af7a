"""The listener's own words in an e-mail: the quoted original, client header blocks and the
signature left out (mail_markers.py knows the lines clients write around a quote).

Lines starting with ">" are quoted and left out wherever they are; every other line is the
listener's, above the quote (top-posting), between its lines (inline replies) or below it
(bottom-posting). An attribution line ("On … wrote:") is dropped; the text ends there only
when the original below it is not quoted with ">" (Yahoo's) and the listener wrote above it.
In an inline reply (answers and quoted lines taking turns), the quoted lines each answer
follows are kept as "> …" above it, so that "I'm 52." still says what it answers. Sign-offs
("Thanks, Priya") are the listener's words and stay; the block a client adds under them
goes (mail_signatures.py).

A listener's first paragraph that opens with their own words is never cut, whatever it says
("On Monday my coach wrote: …", "From: what I read…"): inside it only an unmistakable
separator line (a "-- " line, "-----Original Message-----", an Outlook header block of three
labelled lines or more) ends the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .mail_markers import attribution, ends_text, quote_follows, quoted, separates
from .mail_signatures import without_signature

__all__ = ["opens_with_a_marker", "question_text", "separates", "without_context"]

_CONTEXT_LINES = 3  # at most this many quoted lines above an inline answer
_QUOTE_MARK = re.compile(r"^\s*>")


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def opens_with_a_marker(text: str) -> bool:
    """Whether the text's first line is itself a cut or an attribution (nothing of the
    listener's before it)."""
    lines = _lines(text)
    return bool(lines) and bool(attribution(lines, 0) or ends_text(lines, 0))


def _depth(line: str) -> int:
    depth = 0
    rest = line
    while _QUOTE_MARK.match(rest):
        rest = _QUOTE_MARK.sub("", rest, count=1)
        depth += 1
    return depth


def _unquoted(line: str) -> str:
    while _QUOTE_MARK.match(line):
        line = _QUOTE_MARK.sub("", line, count=1)
    return line.strip()


@dataclass
class _Context:
    """The quoted lines just above each answer, kept where the quote goes on below it."""

    run: list[str] = field(default_factory=list)  # the quoted paragraph read last
    fresh: bool = False  # a blank quoted line ended that paragraph
    last_quote: int = -1  # the index of the last quoted line read
    # (where the answer is in the kept lines, its index in the text, the lines above it)
    answers: list[tuple[int, int, list[str]]] = field(default_factory=list)

    def quote(self, index: int, line: str) -> None:
        self.last_quote = index
        if _depth(line) != 1:
            self.run, self.fresh = [], False  # a quote's quote: not what the answer answers
            return
        words = _unquoted(line)
        if not words:
            self.fresh = True
        elif self.fresh:
            self.run, self.fresh = [words], False
        else:
            self.run.append(words)

    def answer(self, index: int, position: int) -> None:
        if self.run:
            self.answers.append((position, index, self.run))
        self.run, self.fresh = [], False

    def woven_into(self, kept: list[str]) -> list[str]:
        if not any(index < self.last_quote for _, index, _ in self.answers):
            return kept  # no answer between quoted lines: not an inline reply
        out = list(kept)
        for position, _index, run in reversed(self.answers):
            shown = run[-_CONTEXT_LINES:]
            if len(run) > len(shown):
                shown[0] = f"… {shown[0]}"  # the paragraph began higher up
            lines = [f"> {words}" for words in shown]
            if position and out[position - 1].strip():
                lines.insert(0, "")
            out[position:position] = lines
        return out


def question_text(text: str, sender: str = "") -> str:
    """The listener's own words: quoted text, client header blocks, the signature and a legal
    notice left out (`sender`: their name, as a signature repeats it); inline answers kept
    with the quoted lines they answer."""
    lines = _lines(text)
    kept: list[str] = []
    context = _Context()
    started = in_first = False  # the listener has written a line; inside their first paragraph
    index = 0
    while index < len(lines):
        line = lines[index]
        if in_first and not line.strip():
            in_first = False
        if in_first:
            if separates(lines, index):
                break
        else:
            span = attribution(lines, index)
            if span:
                if started and not quote_follows(lines, index + span):
                    break  # the original below it is not quoted: nothing more is theirs
                index += span
                continue
            if ends_text(lines, index):
                break
        if quoted(line):
            context.quote(index, line)
        else:
            if line.strip():
                context.answer(index, len(kept))
                if not started:
                    started = in_first = True
            kept.append(line.rstrip())
        index += 1
    text = without_signature("\n".join(context.woven_into(kept)).strip(), sender)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def without_context(text: str) -> str:
    """The text without the quoted lines kept above inline answers (for a title)."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("> "))
