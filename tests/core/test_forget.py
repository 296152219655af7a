"""`qa-queue forget`: a listener's name, contact (and with --questions their words) go from
every version of every question and from every file of the database; nothing else changes,
and a crash part-way loses no question."""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qa_queue.erasure import REMOVED
from qa_queue.model.question import unreadable_fields
from qa_queue.store import Store
from qa_queue.store import maintenance as maintenance_module
from qa_queue.store import shred as shred_module
from qa_queue.store.diagnosis import diagnose
from qa_queue.store.erase import forms
from tests.helpers import run_cli

forget_module = importlib.import_module("qa_queue.cli.forget")  # the module, not the command

NAME = "Priya Ramé"
CONTACT = "priya.raman@example.com"
MESSAGE_ID = "<ab12.priya.raman@example.com>"
# distinctive phrases of her words: her questions' titles and bodies, her reply
PHRASES = ["zebra-striped migraine", "quokka-shaped thyroid", "périwinkle rash", "Lantern Fish"]

EML = f"""\
From: =?utf-8?q?Priya_Ram=C3=A9?= <PRIYA.RAMAN@Example.COM>
To: show@example.org
Subject: Lantern Fish diet and naltrexone?
Date: Fri, 20 Nov 2026 09:30:00 +0000
Message-ID: {MESSAGE_ID}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hello hosts, my quokka-shaped thyroid nodule worries me. Does LDN interact with levothyroxine?
"""


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


class Built:
    """A database built through the command line: two questions of hers (different
    capitalisations of her address, one from an e-mail), her reply in another listener's
    thread, and other listeners' questions; a file outside the database."""

    def __init__(self, tmp_path: Path, capsys):
        self.capsys = capsys
        self.folder = tmp_path / "db"
        self.db = str(self.folder / "q.json")
        self.outside = tmp_path / "outside"
        self.outside.mkdir()
        self.cli("hosts", "add", "austin")
        self.cli("hosts", "add", "jordan")
        self.cli(
            "add",
            "Migraine and LDN",
            "--body",
            "My zebra-striped migraine aura lasts an hour. Is LDN worth trying?",
            "--listener",
            "Priya  Ramé",
            "--contact",
            CONTACT,
            "--credit",
            "full",
        )  # 1
        mail = self.outside / "mail.eml"
        mail.write_text(EML, encoding="utf-8")
        self.cli("import", str(mail))  # 2
        self.cli(
            "add",
            "Creatine for fatigue?",
            "--body",
            "Does creatine help long covid fatigue?",
            "--listener",
            "Bob Stone",
            "--contact",
            "bob@example.org",
        )  # 3
        thread = self.outside / "thread.json"
        thread.write_text(
            json.dumps(
                {
                    "questions": [
                        {
                            "title": "Magnesium before bed?",
                            "body": "Does magnesium glycinate help sleep?",
                            "received_at": "2026-11-19T08:00:00Z",
                            "listener": {"name": "Chen Wei", "contact": "chen@example.net"},
                            "replies": [
                                {"text": "Me too, and a périwinkle rash.", "author": NAME},
                                {"text": "We will cover it.", "author": "Austin", "is_host": True},
                            ],
                        }
                    ]
                },
                ensure_ascii=True,
            ),
            encoding="utf-8",
        )
        self.cli("import", str(thread))  # 4
        self.cli("update", "1", "--credit", "anonymous")  # a credit change: her whole record
        self.cli("update", "1", "--tag", "migraine", "--take")
        self.cli("update", "1", "--notes", f"call {NAME} back at {CONTACT.upper()}")
        self.cli("draft", "1", "LDN is tried for migraine; evidence is thin.")
        self.cli("undo", "1")  # the draft
        self.cli("update", "3", "--notes", "ask Jordan", "--take")
        self.cli("--as", "jordan", "draft", "3", "Creatine: some evidence.")
        self.cli("update", "2", "--take")
        self.cli("answer", "2", "Ask your endocrinologist first.")
        self.cli("episodes", "add", "212", "--title", "Pain and sleep")
        self.cli("update", "1", "--episode", "212", "--at", "00:10:00")
        with Store(self.db) as store:
            store.compact()  # an earlier generation went; lineage to prove leftovers by
        self.cli("update", "4", "--priority", "2")
        export = str(self.outside / "x.json")
        self.cli("export", "--format", "json", "--include-private", "-o", export)
        # a snapshot write a crash left (a leftover proved ours: it names her too)
        snapshot = (self.folder / "q.json").read_bytes()
        (self.folder / "q.json.tmp-4242").write_bytes(snapshot)

    def cli(self, *args: str, ok: bool = True) -> tuple[int, str, str]:
        done = run_cli(self.capsys, "--db", self.db, "--as", "austin", *args)
        if ok:
            assert done[0] == 0, done
        return done

    def questions(self) -> dict[int, dict]:
        with Store(self.db) as store:
            return {s["id"]: store.get(s["id"]) for s in store.summaries()}

    def files(self) -> dict[str, bytes]:
        found = {}
        for root, _dirs, names in os.walk(self.folder):
            for name in names:
                found[os.path.join(root, name)] = Path(root, name).read_bytes()
        return found

    def outside_hashes(self) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in self.outside.iterdir()}


def holding(files: dict[str, bytes], texts: list[str]) -> list[tuple[str, str]]:
    """(file, text) for every text found in a file: raw, JSON-escaped, any ASCII case."""
    found = []
    for path, data in files.items():
        lowered = data.lower()
        for text in texts:
            for form in forms([text]):
                if form in data or form.lower() in lowered:
                    found.append((os.path.basename(path), text))
                    break
    return found


# what of her identity could be anywhere: her name (also its parts), her address, its local
# part (also in the Message-ID and the import key derived from it)
IDENTITY = [NAME, "Ramé", "Priya", CONTACT, "priya.raman", MESSAGE_ID]


@pytest.fixture
def built(tmp_path, capsys) -> Built:
    return Built(tmp_path, capsys)


def test_built_database_holds_her_everywhere(built):
    """The premise: before forget, her name, address and words are in the files."""
    found = holding(built.files(), [NAME, CONTACT, *PHRASES])
    assert {text for _file, text in found} == {NAME, CONTACT, *PHRASES}
    assert any(name.endswith("q.json.tmp-4242") for name, _ in found)


@pytest.mark.parametrize("words", [False, True], ids=["identity", "with-questions"])
def test_forget_removes_her_from_every_file_and_keeps_everyone_else(built, words):
    before = built.questions()
    outside = built.outside_hashes()
    args = ["forget", CONTACT.upper(), "--yes"] + (["--questions"] if words else [])
    _code, out, err = built.cli(*args)
    assert "Forgot their" in out and "#1, #2" in out and "#4" in out, out
    assert "Outside the database" in out and err == ""

    files = built.files()
    assert holding(files, IDENTITY) == []
    leftover_phrases = holding(files, PHRASES)
    if words:
        assert leftover_phrases == []
    else:  # her words stay without --questions (her reply's too: only its author goes)
        assert {text for _file, text in leftover_phrases} == set(PHRASES)
    assert not (built.folder / "q.json.tmp-4242").exists()
    assert sorted(os.listdir(built.folder)) == ["q.json", "q.json.journal.3", "q.json.lock"]

    after = built.questions()
    assert set(after) == set(before) == {1, 2, 3, 4}
    assert after[3] == before[3]  # Bob's question: every field and history entry
    assert outside == built.outside_hashes()
    for number in (1, 2):
        mine = after[number]
        assert mine["listener"]["name"] == mine["listener"]["contact"] == ""
        assert mine["source"]["ref"] is None and mine["import_key"] is None
        assert mine["revision"] == before[number]["revision"] + 1
        assert len(mine["history"]) == len(before[number]["history"]) + 1
        last = mine["history"][-1]
        assert (last["action"], last["host"], last["changes"]) == ("forget", "austin", {})
        assert "removed at their request" in last["note"]
        assert (mine["title"] == REMOVED) is words
        assert (mine["body"] == REMOVED) is words
        # everything else is as it was, history entries in number and kind
        same = {"status", "host", "tags", "episode", "timestamp", "priority", "drafts"}
        assert {k: mine[k] for k in same} == {k: before[number][k] for k in same}
        assert [e["action"] for e in mine["history"][:-1]] == [
            e["action"] for e in before[number]["history"]
        ]
    assert after[1]["listener"]["credit"] == "anonymous"
    assert after[1]["notes"] == "call [removed] back at [removed]"
    assert after[2]["answer"]["text"] == "Ask your endocrinologist first."  # the hosts' words
    credit = next(e for e in after[1]["history"] if e["action"] == "credit")
    assert credit["changes"]["listener"] == [
        {"name": "", "contact": "", "credit": "full"},
        {"name": "", "contact": "", "credit": "anonymous"},
    ]
    # Chen's question: only her reply's author (and text with --questions) changed
    chen, chen_before = after[4], before[4]
    assert chen["listener"] == chen_before["listener"] and chen["body"] == chen_before["body"]
    assert chen["replies"][1] == chen_before["replies"][1]  # the host's reply
    assert chen["replies"][0]["author"] == ""
    assert (chen["replies"][0]["text"] == REMOVED) is words
    assert chen["history"][-1]["action"] == "forget"

    # the database opens, doctor finds it sound, and the search texts hold nothing of hers
    assert run_cli(built.capsys, "--db", built.db, "doctor")[0] == 0
    with Store(built.db) as store:
        store.keep_texts()
        entries = list(store.summaries())
        for text in ["priya", "ramé", *(PHRASES if words else [])]:
            assert store.containing(entries, text.lower().encode()) == [], text
        assert all(b"priya" not in block for block in (store.texts._kept or {}).values())
    _code, out, _ = built.cli("show", "1")
    assert (
        "removed at their request" in out and "Priya" not in out and "credited as a listener" in out
    )
    _code, out, _ = built.cli("export", "--episode", "212", "--format", "markdown")
    assert "Priya" not in out


def test_by_question_id_forgets_all_of_her_questions(built):
    _code, out, _ = built.cli("forget", "#2", "--yes")
    assert "#1, #2" in out and "#4" in out
    assert holding(built.files(), IDENTITY) == []


def test_by_name_any_case_and_spacing(built):
    _code, out, _ = built.cli("forget", "  priya   RAMÉ ", "--yes")
    assert "#1, #2" in out
    assert holding(built.files(), IDENTITY) == []


def test_running_twice_says_there_is_nothing_left(built):
    built.cli("forget", CONTACT, "--yes")
    files = built.files()
    code, _out, err = built.cli("forget", CONTACT, "--yes", ok=False)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "no question's listener or reply author is" in err and "no question was changed" in err
    assert built.files() == files


def test_an_unknown_listener_is_one_line_and_exit_2(built):
    (built.folder / "q.json.tmp-4242").unlink()  # a writer would remove it: not a change
    files = built.files()
    code, _out, err = built.cli("forget", "nobody@example.com", "--yes", ok=False)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "nobody@example.com" in err
    code, _out, err = built.cli("forget", "#99", "--yes", ok=False)
    assert code != 0 and len(err.strip().splitlines()) == 1 and "99" in err
    assert built.files() == files


def test_without_a_terminal_or_yes_it_refuses(built):
    files = built.files()
    code, out, err = built.cli("forget", CONTACT, ok=False)
    assert code == 2 and "--yes" in err and len(err.strip().splitlines()) == 1
    assert CONTACT not in out  # nothing of hers printed into a script's log either
    assert built.files() == files


@pytest.mark.parametrize("answer", ["n", "y"])
def test_it_asks_before_it_erases(built, monkeypatch, answer):
    files = built.files()
    monkeypatch.setattr(forget_module, "_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer + "\n"))
    code, out, _ = built.cli("forget", CONTACT, ok=False)
    assert "#1" in out and "#2" in out and "Forget them?" in out
    if answer == "n":
        assert code == 1 and "Nothing was changed." in out
        assert built.files() == files
    else:
        assert code == 0 and holding(built.files(), IDENTITY) == []


def test_a_quarantine_file_naming_her_is_reported_then_deleted_on_request(built):
    quarantine = built.folder / "q.json.quarantine"
    head = {"at": "2026-11-20T00:00:00Z", "file": "q.json.journal.1", "offset": 9, "why": "x"}
    part = f"garbled {NAME} bytes".encode()
    line = json.dumps({**head, "length": len(part)}).encode()
    quarantine.write_bytes(line + b"\n" + part + b"\n")
    code, out, err = built.cli("forget", CONTACT, "--yes", ok=False)
    assert code == 1 and "q.json.quarantine" in err and "q.json.quarantine" in out
    assert quarantine.exists()
    rest = {k: v for k, v in built.files().items() if "quarantine" not in k}
    assert holding(rest, IDENTITY) == []
    # the second run finds no question, and deletes the quarantine file when told to
    code, out, err = built.cli("forget", NAME, "--yes", "--delete-quarantine", ok=False)
    assert code == 2 and "Deleted q.json.quarantine" in out and "still hold" not in err
    assert not quarantine.exists()
    assert holding(built.files(), IDENTITY) == []


def test_other_questions_naming_her_are_reported_not_changed(built):
    built.cli("update", "3", "--notes", f"Bob knows {NAME}")
    before = built.questions()[3]
    code, out, err = built.cli("forget", CONTACT, "--yes", ok=False)
    assert code == 1 and "#3" in out and "#3" in err
    assert built.questions()[3] == before


def test_it_waits_for_another_writer(built):
    """Another process holding the writers' lock: forget waits for it, like any change."""
    holder = Store(built.db)
    taken, release = threading.Event(), threading.Event()

    def hold():
        with holder.locked():
            taken.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    taken.wait(5)
    threading.Timer(0.5, release.set).start()
    start = time.monotonic()
    built.cli("forget", CONTACT, "--yes")
    assert time.monotonic() - start >= 0.4
    worker.join()
    holder.close()
    assert holding(built.files(), IDENTITY) == []


def _crash(*_args, **_kwargs):
    raise KeyboardInterrupt  # stands for the process being killed here


@pytest.mark.parametrize("where", ["copying", "switching", "removing"])
def test_a_forget_killed_part_way_loses_no_question(built, monkeypatch, where):
    """Killed while the new generation is written, before the snapshot names it, or before
    the old files' bytes are removed: the database opens with every question, in the old
    state or the new, and forgetting again (or the next writer) finishes the work."""
    before = built.questions()
    with monkeypatch.context() as patch:
        if where == "copying":
            real = maintenance_module.Maintenance._copies

            def copies(self):
                for n, copy in enumerate(real(self)):
                    if n == 2:
                        raise KeyboardInterrupt
                    yield copy

            patch.setattr(maintenance_module.Maintenance, "_copies", copies)
        elif where == "switching":
            patch.setattr(maintenance_module.snapshot, "write", _crash)
        else:
            patch.setattr(shred_module, "shred", _crash)
        code, _out, _err = built.cli("forget", CONTACT, "--yes", ok=False)
        assert code == 130
    after = built.questions()
    assert set(after) == set(before)
    if where == "removing":  # the new generation is in charge; the old one is a leftover
        assert after[1]["listener"]["name"] == "" and after[3] == before[3]
        assert holding(built.files(), [CONTACT]) != []
        code, _out, err = built.cli("forget", CONTACT, "--yes", ok=False)
        assert code == 2 and "still hold" not in err
    else:
        assert after == before
        built.cli("forget", CONTACT, "--yes")
    assert holding(built.files(), IDENTITY) == []
    assert run_cli(built.capsys, "--db", built.db, "doctor")[0] == 0
    assert set(built.questions()) == set(before)


def test_kill_9_during_forget_leaves_the_old_state_or_the_new(tmp_path, clock):
    """A real forget in a child killed at moments spread over its run: the database opens
    with every question each time, hers whole or forgotten, and a forget run again
    finishes the job (no file names her)."""
    from qa_queue.model.question import Listener, Question
    from qa_queue.queue import QuestionQueue

    source = tmp_path / "source"
    with Store(source / "q.json") as store:
        queue = QuestionQueue(store, me="austin", clock=clock)
        queue.add_host("austin")
        queue.import_questions(
            Question(
                title=f"Question {n}",
                body="words of a listener about naltrexone and sleep " * 40,
                received_at="2026-11-01T10:00:00Z",
                listener=Listener(
                    name=NAME if n % 7 == 0 else f"Listener {n}",
                    contact=CONTACT if n % 7 == 0 else f"l{n}@example.org",
                ),
            )
            for n in range(1, 601)
        )
        for n in range(1, 601, 20):
            queue.set_priority(n, 2)
        ids = {s["id"] for s in store.summaries()}
    argv = [sys.executable, "-c", "from qa_queue.cli import main; main()"]
    args = ["--as", "austin", "forget", CONTACT, "--yes"]
    timing = tmp_path / "timing"
    shutil.copytree(source, timing)
    start = time.monotonic()
    subprocess.run([*argv, "--db", str(timing / "q.json"), *args], check=True, capture_output=True)
    took = time.monotonic() - start
    outcomes = set()
    for trial in range(4):
        folder = tmp_path / f"trial{trial}"
        shutil.copytree(source, folder)
        db = str(folder / "q.json")
        child = subprocess.Popen([*argv, "--db", db, *args], stdout=subprocess.DEVNULL)
        time.sleep(took * (0.45 + trial * 0.15))
        child.kill()
        child.wait()
        with Store(db) as store:
            assert {s["id"] for s in store.summaries()} == ids, trial
            hers = store.get(7, history=False)["listener"]
            outcomes.add(hers["contact"] == "")
            assert hers["contact"] in ("", CONTACT), trial
        done = subprocess.run([*argv, "--db", db, *args], capture_output=True, text=True)
        assert done.returncode in (0, 2), done.stderr
        files = {str(path): path.read_bytes() for path in folder.iterdir() if path.is_file()}
        assert holding(files, [NAME, CONTACT]) == [], trial
        assert diagnose(Path(db), unreadable_fields).healthy, trial
    assert outcomes  # which moments the kills hit depends on the machine
