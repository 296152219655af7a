"""Saved replies: the show's shared texts, named, kept in its settings; the core's operations
and `qa-queue replies` on top of them."""

from __future__ import annotations

import pytest

from qa_queue.errors import BadInput
from qa_queue.queue import QuestionQueue
from qa_queue.show import REPLY_NAME_MAX, REPLY_TEXT_MAX, ReplyExists
from tests.helpers import run_cli

DISCLAIMER = "This is general information, not medical advice.\n\nTalk to your own clinician.\n"

# -- the core ---------------------------------------------------------------------------------


def test_a_reply_is_added_with_its_name_trimmed_and_its_text_exact(queue: QuestionQueue):
    added = queue.add_saved_reply("  Medical \t disclaimer ", DISCLAIMER)
    assert added == {"name": "Medical disclaimer", "text": DISCLAIMER}
    assert queue.saved_replies() == [added]
    assert queue.saved_reply("MEDICAL   DISCLAIMER") == added  # any case, any spacing


def test_windows_line_ends_are_kept_as_plain_ones(queue):
    assert queue.add_saved_reply("Thanks", "Thanks!\r\nSee you.\r\n")["text"] == (
        "Thanks!\nSee you.\n"
    )


def test_the_same_name_again_is_refused_unless_replacing(queue):
    queue.add_saved_reply("Intro", "first")
    queue.add_saved_reply("Outro", "bye")
    with pytest.raises(ReplyExists, match="'Intro' already"):
        queue.add_saved_reply("intro", "second")
    assert queue.saved_reply("intro")["text"] == "first"
    replaced = queue.add_saved_reply("INTRO", "second", replace=True)
    # it keeps its place in the list and takes the name as given now
    assert queue.saved_replies() == [replaced, {"name": "Outro", "text": "bye"}]
    assert replaced == {"name": "INTRO", "text": "second"}


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * (REPLY_NAME_MAX + 1), f"at most {REPLY_NAME_MAX}"),
        ("bad\x1b[31mname", "control characters"),
        ("tricky\u202ename", "control characters"),
    ],
)
def test_names_that_will_not_do(queue, name, why):
    with pytest.raises(BadInput, match=why):
        queue.add_saved_reply(name, "text")
    assert queue.saved_replies() == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        (" \n\t\n", "empty"),
        ("x" * (REPLY_TEXT_MAX + 1), f"at most {REPLY_TEXT_MAX}"),
        ("red \x1b[31malert", "control characters"),
        ("over\rwritten", "control characters"),
    ],
)
def test_texts_that_will_not_do(queue, text, why):
    with pytest.raises(BadInput, match=why):
        queue.add_saved_reply("Name", text)


def test_wide_names_and_texts_are_fine(queue):
    added = queue.add_saved_reply("返事 ✨", "ありがとう 🙏\ncafé")
    assert queue.saved_reply("返事 ✨") == added


def test_rename_and_remove(queue):
    queue.add_saved_reply("Intro", "hello")
    queue.add_saved_reply("Outro", "bye")
    assert queue.rename_saved_reply("intro", " Welcome ") == {"name": "Welcome", "text": "hello"}
    assert queue.rename_saved_reply("welcome", "WELCOME")["name"] == "WELCOME"  # a new case
    with pytest.raises(ReplyExists, match="'Outro' already"):
        queue.rename_saved_reply("welcome", "outro")
    with pytest.raises(BadInput, match="named 'WELCOME' already"):
        queue.rename_saved_reply("welcome", "WELCOME")
    assert queue.remove_saved_reply("OUTRO") == {"name": "Outro", "text": "bye"}
    assert [r["name"] for r in queue.saved_replies()] == ["WELCOME"]


def test_an_unknown_name_is_bad_input_naming_the_others(queue):
    with pytest.raises(BadInput, match="no saved reply 'Nope'; there are no saved replies yet"):
        queue.remove_saved_reply("Nope")
    queue.add_saved_reply("Intro", "hello")
    for operation in (
        lambda: queue.saved_reply("nope"),
        lambda: queue.remove_saved_reply("nope"),
        lambda: queue.rename_saved_reply("nope", "x"),
    ):
        with pytest.raises(BadInput, match="no saved reply 'nope'; saved replies are: 'Intro'"):
            operation()


def test_a_co_hosts_reply_is_seen_and_kept(queue, db_path, clock):
    from qa_queue.store import Store

    with Store(db_path) as other_store:
        jordan = QuestionQueue(other_store, me="jordan", clock=clock)
        jordan.add_saved_reply("Theirs", "from jordan")
        queue.add_saved_reply("Mine", "from austin")  # on top of theirs, not over it
        assert [r["name"] for r in queue.saved_replies()] == ["Theirs", "Mine"]


# -- the command line -------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path, private_home) -> str:
    return str(tmp_path / "q.json")


def replies(capsys, db, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--db", db, "replies", *args)


def test_add_list_show_remove(capsys, db, tmp_path):
    source = tmp_path / "disclaimer.md"
    source.write_text(DISCLAIMER, encoding="utf-8")
    code, out, _ = replies(capsys, db, "add", "Medical disclaimer", "--file", str(source))
    assert (code, out) == (0, "saved reply 'Medical disclaimer' (12 words)\n")
    code, out, _ = replies(capsys, db, "list")
    assert (code, out) == (
        0,
        "Medical disclaimer  This is general information, not medical advice.\n",
    )
    code, out, _ = replies(capsys, db, "show", "medical DISCLAIMER")
    assert (code, out) == (0, DISCLAIMER)  # exactly: no line added, none taken away
    code, out, _ = replies(capsys, db, "remove", "Medical Disclaimer")
    assert (code, out) == (0, "removed saved reply 'Medical disclaimer'\n")
    code, out, _ = replies(capsys, db, "list")
    assert "no saved replies yet" in out


def test_add_from_standard_input_and_replace(capsys, db, monkeypatch):
    import io
    import sys

    def stdin(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))

    stdin("ありがとう 🙏\nsecond line")
    assert replies(capsys, db, "add", "返事", "--file", "-")[0] == 0
    stdin("again")
    code, _, err = replies(capsys, db, "add", "返事", "--file", "-")
    assert code == 1
    assert err == (
        "qa-queue: there is a saved reply named '返事' already: add --replace to replace it\n"
    )
    stdin("again")
    assert replies(capsys, db, "add", "返事", "--file", "-", "--replace")[0] == 0
    assert replies(capsys, db, "show", "返事")[1] == "again"


def test_names_line_up_by_their_width_on_screen(capsys, db, monkeypatch):
    import io
    import sys

    for name, text in (("返事", "wide"), ("Intro", "narrow")):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        replies(capsys, db, "add", name, "--file", "-")
    assert replies(capsys, db, "list")[1] == "返事   wide\nIntro  narrow\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"long")))
    replies(capsys, db, "add", "A name of forty characters, give or take", "--file", "-")
    assert replies(capsys, db, "list")[1].splitlines() == [
        "返事                            wide",
        "Intro                           narrow",
        "A name of forty characters, g…  long",
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("remove", "nope"), 2, "qa-queue: no saved reply 'nope'; there are no saved replies yet"),
        (("show", "nope"), 4, "qa-queue: there is no database at"),  # reading makes none
        (("add", "x", "--file", "/no/such/file"), 2, "cannot read the saved reply from"),
        (("add", "", "--file", "-"), 2, "qa-queue: a saved reply needs a name"),
        (("add", "x"), 2, "Missing option '--file'"),
    ],
)
def test_bad_input_is_one_line(capsys, db, args, code, message):
    if args[0] == "remove":
        run_cli(capsys, "--db", db, "hosts", "add", "austin")  # a database, no replies
    got, _out, err = replies(capsys, db, *args)
    assert got == code
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_binary_and_escapes_are_refused(capsys, db, tmp_path):
    binary, escapes = tmp_path / "b.bin", tmp_path / "e.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    escapes.write_text("\x1b]0;owned\x07 hi")
    code, _, err = replies(capsys, db, "add", "b", "--file", str(binary))
    assert code == 2 and "is not UTF-8 text" in err
    code, _, err = replies(capsys, db, "add", "e", "--file", str(escapes))
    assert code == 2 and "control characters" in err


@pytest.mark.parametrize("group", ["hosts", "episodes", "replies"])
def test_a_group_alone_prints_its_help(capsys, db, group):
    code, out, err = run_cli(capsys, "--db", db, group)
    assert code == 0 and err == ""
    assert out == run_cli(capsys, "--db", db, group, "--help")[1]
    assert out.startswith(f"Usage: qa-queue {group} [OPTIONS] COMMAND") and "Commands:" in out
