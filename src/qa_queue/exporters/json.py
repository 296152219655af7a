"""The show notes as JSON for scripts: podcast, episode and the questions' public fields."""

from __future__ import annotations

import orjson

from ..text import CONTROLS
from .common import ShowNotes, public_dict


def render(notes: ShowNotes) -> str:
    """{"podcast", "episode", "questions"}; the full records only with include_private."""
    questions = [
        question.to_dict() if notes.include_private else public_dict(question)
        for question in notes.questions
    ]
    document = {
        "podcast": notes.podcast,
        "episode": notes.episode.to_dict() if notes.episode else None,
        "questions": questions,
    }
    return escaped(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()) + "\n"


def escaped(text: str) -> str:
    """JSON with the control characters orjson writes as they are (C1, DEL, bidi overrides)
    escaped too: the same strings when read, but nothing a terminal acts on when shown."""
    return CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
