"""Wide characters in the queue table: CJK, emoji and combining marks keep the columns where
the header puts them, at every width; each row is exactly as wide as the table."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len, chop_cells

from qa_queue.model.question import Listener
from qa_queue.tui.widgets.queue_rows import fit, steady
from tests.tui.pilot import lines, make_app, question, table

WIDE = [
    ("日本語の質問：筋トレと睡眠の関係について教えてください", "山田太郎"),
    ("Emoji 🎙️ podcast 👍🏽 family 👨‍👩‍👧 heart ❤️‍🔥 flag 🇯🇵 end", "Zoë 🎙️ Ŝ̈tuff"),
    ("Combining marks: e\u0301e\u0301e\u0301 a\u030a o\u0308\u0301 done", "Ame\u0301lie Poulain"),
    ("한국어 질문입니다 운동과 수면", "김민준 🏋️‍♀️"),
]


def cells(text: str) -> list[str]:
    """The line as the terminal's cells: a wide character fills its cell and an empty one."""
    out: list[str] = []
    for piece in chop_cells(text, 1):
        out += [piece] + [""] * (cell_len(piece) - 1)
    return out


def column(line: str, start: int, end: int) -> str:
    return "".join(cells(line)[start:end]).strip()


def test_a_cell_is_cut_and_padded_by_its_width_on_screen():
    assert fit("日本語", 6) == "日本語"
    assert fit("日本語です", 6) == "日本 …"  # 日本語 would be 6 cells and leave no room for …
    assert fit("e\u0301e\u0301", 3) == "e\u0301e\u0301 "  # the marks take no cell
    assert fit("1w", 4, "right") == "  1w"
    for text in ("日本語です", "a日b本c", "👍🏽 x", "e\u0301" * 9):
        for width in range(1, 12):
            assert cell_len(fit(steady(text), width)) == width


def test_emoji_sequences_terminals_disagree_on_are_shown_plainer():
    assert steady("🎙️ x") == "🎙 x"  # one cell in tmux, two in rich and kitty: now one in all
    assert steady("👍🏽") == "👍"
    assert steady("👨‍👩‍👧") == "👨👩👧"
    assert steady("क्\u200dष") == "क्\u200dष"  # a joiner inside a word stays
    assert steady("two\nlines \x1b[1m") == "two lines ␛[1m"


@pytest.mark.parametrize("size", [(120, 30), (80, 24), (60, 20)])
async def test_wide_titles_and_names_keep_the_columns_aligned(filled, size):
    for title, name in WIDE:
        filled.add(question(title, 20, listener=Listener(name=name)))  # the oldest: on top
    filled.assign(1, "austin")
    app = make_app(filled)
    async with app.run_test(size=size) as pilot:
        await pilot.press("6")  # all of them
        drawn = [line for line in lines(table(app)) if line.strip()]
        width = table(app).scrollable_content_region.width  # the scroll bar's column aside
        assert [cell_len(line) for line in drawn] == [width] * len(drawn), drawn
        header = drawn[0]
        host = header.index(" host") + 1
        age_end = header.index(" age") + 4
        shown = table(app).rows[: len(drawn) - 1]
        assert {title for title, _ in WIDE} <= {row["title"] for row in shown}
        for line, row in zip(drawn[1:], shown, strict=True):
            expected = filled.host_name(row["host"]) if row["host"] else "—"
            assert column(line, host, host + 8) == expected
            assert re.fullmatch(r"\d+[dw]", column(line, age_end - 4, age_end))
            if "listener" in header:  # from 70 columns on
                start = header.index(" listener") + 1
                listener = column(line, start, start + 14)
                assert listener.rstrip("…") in steady(row["listener"])
