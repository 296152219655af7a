"""`qa-queue doctor` only reads and says what is wrong, where, and what a repair would lose;
`doctor --repair` sets damaged parts aside (never deleting them) and leaves a database that
opens."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest

from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store, leftovers, legacy, records
from tests.helpers import run_cli


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture
def db_path(tmp_path, clock) -> Path:
    path = tmp_path / "q.json"
    with Store(path) as store:
        queue = QuestionQueue(store, me="austin", clock=clock)
        queue.add_host("austin")
        for n in range(1, 4):
            queue.add(
                Question(
                    title=f"Does LDN help ({n})?",
                    body="Low-dose naltrexone for fibromyalgia?",
                    received_at="2026-11-01T10:00:00Z",
                )
            )
        queue.tag(2, ["pain"])
        queue.save_draft(2, "Austin's careful answer with references.")
    return path


def journal(db_path: Path, generation: int = 1) -> Path:
    return db_path.with_name(f"{db_path.name}.journal.{generation}")


def test_a_sound_database_is_said_to_be_sound(capsys, db_path):
    code, out, err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"{db_path}: sound"
    assert "3 questions" in out


def test_doctor_only_reads(capsys, db_path):
    data = bytearray(journal(db_path).read_bytes())
    data[-5] ^= 0x08
    journal(db_path).write_bytes(bytes(data))
    db_path.with_name("q.json.tmp-999").write_bytes(b"")
    before = hashes(db_path.parent)
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4
    assert hashes(db_path.parent) == before
    assert "doctor --repair" in out


def test_the_damaged_draft_is_named_with_its_place_and_what_it_costs(capsys, db_path):
    """The third bug: one flipped byte in the last committed record made an acknowledged
    draft vanish without a word."""
    last = records.scan(journal(db_path).read_bytes()).transactions[-1][-1]
    data = bytearray(journal(db_path).read_bytes())
    data[last.end - 10] ^= 0x01
    journal(db_path).write_bytes(bytes(data))
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4
    assert f"q.json.journal.1 at byte {last.offset}: is damaged" in out
    assert "a version of question #2" in out
    assert "#2: falls back to revision 2" in out
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor", "--repair")
    assert code == 0
    assert "set aside 1 part(s)" in out and "the database opens" in out
    parts = leftovers.quarantined_parts(db_path)
    assert [(p["file"], p["offset"]) for p in parts] == [("q.json.journal.1", last.offset)]
    with Store(db_path) as store:
        doc = store.get(2)
        assert doc["tags"] == ["pain"] and doc["drafts"] == {}
        assert [e["action"] for e in doc["history"]] == ["received", "tags", "draft"]
    assert run_cli(capsys, "--db", str(db_path), "doctor")[0] == 0


def test_a_question_whose_only_copy_is_damaged_is_kept_as_it_reads(capsys, db_path, clock):
    with Store(db_path) as store:
        QuestionQueue(store, me="austin", clock=clock).add(
            Question(title="Only once", body="A body", received_at="2026-11-01T10:00:00Z")
        )
    _flip(db_path, journal(db_path).read_bytes().rindex(b"A body"), 0x20)  # "a body": reads
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "#4: only a damaged copy is left" in out
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        doc = store.get(4)
        assert doc["body"] == "a body" and "doctor --repair" in doc["notes"]
        assert doc["history"][-1]["action"] == "repair"


def test_a_torn_tail_is_not_a_problem(capsys, db_path):
    with journal(db_path).open("ab") as file:
        file.write(records.encode("H", b'{"q": 1}')[:10])
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 0 and "never acknowledged" in out


def test_a_missing_snapshot_is_rebuilt_from_the_journal(capsys, db_path):
    with Store(db_path) as store:
        before = {s["id"]: store.get(s["id"]) for s in store.summaries()}
    db_path.unlink()
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "q.json: is missing" in out
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        assert {s["id"]: store.get(s["id"]) for s in store.summaries()} == before


def test_a_journal_lost_entirely_keeps_questions_from_the_index(capsys, db_path):
    with Store(db_path) as store:
        store.checkpoint()
    journal(db_path).unlink()
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "only the index is left" in out
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair", "--yes")[0] == 0
    with Store(db_path) as store:
        doc = store.get(2)
        assert (doc["title"], doc["tags"], doc["body"]) == ("Does LDN help (2)?", ["pain"], "")
        assert "was lost" in doc["notes"]


def test_a_foreign_file_is_left_alone_even_by_repair(capsys, tmp_path):
    path = tmp_path / "q.json"
    path.write_bytes(b'{"listeners": ["not ours"]}')
    before = hashes(tmp_path)
    code, out, _err = run_cli(capsys, "--db", str(path), "doctor")
    assert code == 4 and "not a qa-queue database" in out
    code, _out, err = run_cli(capsys, "--db", str(path), "doctor", "--repair")
    assert code == 4 and "only repairs qa-queue's own files" in err
    assert hashes(tmp_path) == before


def test_a_first_format_database_is_diagnosed_and_repaired(capsys, tmp_path):
    path = tmp_path / "q.json"
    docs = [
        Question(title=f"Old {n}", body="words", received_at="2026-11-01T10:00:00Z", id=n).to_dict()
        for n in range(1, 4)
    ]
    for doc in docs:
        doc["history"] = [{"at": "2026-11-01T10:00:00Z", "host": "import", "action": "received"}]
    legacy.build(path, docs, checkpointed=False)
    data = bytearray(journal(path).read_bytes())
    middle = data.index(b"Old 2")
    data[middle] ^= 0x01
    journal(path).write_bytes(bytes(data))
    code, out, _err = run_cli(capsys, "--db", str(path), "doctor")
    assert code == 4 and "first format" in out
    assert run_cli(capsys, "--db", str(path), "doctor", "--repair")[0] == 0
    with Store(path) as store:
        assert sorted(s["id"] for s in store.summaries()) == [1, 3]
    assert leftovers.quarantined_parts(path)[0]["file"] == "q.json.journal.1"


def test_repair_of_a_sound_database_changes_nothing_but_proved_leftovers(capsys, db_path):
    tmp = db_path.with_name("q.json.tmp-31337")
    tmp.write_bytes(db_path.read_bytes()[:100])
    before = hashes(db_path.parent)
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor", "--repair")
    assert code == 0 and "nothing to repair" in out and "removed q.json.tmp-31337" in out
    del before["q.json.tmp-31337"]
    assert hashes(db_path.parent) == before
    assert orjson.loads(db_path.read_bytes())["generation"] == 1


def _only_version(db_path: Path, question_id: int) -> records.Record:
    """The one Q record of a question added once and never changed."""
    from qa_queue.store.encoding import read_question

    found = [
        r
        for tx in records.scan(journal(db_path).read_bytes()).transactions
        for r in tx
        if r.kind == "Q" and read_question(r).question_id == question_id
    ]
    assert len(found) == 1
    return found[0]


def _flip(db_path: Path, offset: int, bit: int = 0x01) -> None:
    data = bytearray(journal(db_path).read_bytes())
    data[offset] ^= bit
    journal(db_path).write_bytes(bytes(data))


def test_a_journal_cut_short_is_damage_not_a_torn_tail(capsys, db_path):
    """The lock file notes where the last saved change ends: a journal cut before it (or
    restored from an older copy) is reported, and the next change does not cut the rest."""
    data = journal(db_path).read_bytes()
    journal(db_path).write_bytes(data[: len(data) // 2])
    before = hashes(db_path.parent)
    for command in (["list"], ["--as", "austin", "update", "1", "--priority", "3"]):
        code, _out, err = run_cli(capsys, "--db", str(db_path), *command)
        assert code == 4 and "before the last change saved in it" in err, err
    assert hashes(db_path.parent) == before
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "ends before the last change saved in it" in out
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    assert run_cli(capsys, "--db", str(db_path), "doctor")[0] == 0


def test_a_byte_that_is_not_utf8_in_the_only_copy_is_kept_as_it_reads(capsys, db_path):
    record = _only_version(db_path, 1)
    text = journal(db_path).read_bytes()
    _flip(db_path, text.index(b"Low-dose", record.offset), 0x80)  # "L" is no longer UTF-8
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        assert store.get(1)["body"] == "\ufffdow-dose naltrexone for fibromyalgia?"


def test_a_flipped_bit_in_a_record_length_loses_nothing(capsys, db_path):
    with Store(db_path) as store:
        before = store.get(3)
    _flip(db_path, _only_version(db_path, 3).offset + 6, 0x04)
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "the record itself is intact" in out
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        assert store.get(3) == before


def test_a_question_whose_record_does_not_read_keeps_its_history(capsys, db_path):
    _flip(db_path, _only_version(db_path, 3).offset + 16 + 4)  # the "{" of its JSON
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "#3: its record cannot be read" in out
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        doc = store.get(3)
        assert doc["title"] == "Question #3" and "record was lost" in doc["notes"]
        assert [e["action"] for e in doc["history"]] == ["received", "repair"]


def test_a_symbolic_link_where_the_journal_was_stops_the_repair(capsys, db_path, tmp_path):
    """A repair that went on without it would lose the database (it may be behind it)."""
    elsewhere = tmp_path / "moved-away.journal"
    journal(db_path).rename(elsewhere)
    journal(db_path).symlink_to(elsewhere)
    before = hashes(db_path.parent)
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "is a symbolic link" in out
    code, _out, err = run_cli(capsys, "--db", str(db_path), "doctor", "--repair")
    assert code == 4 and "does not work around it" in err
    assert hashes(db_path.parent) == before


def test_an_empty_snapshot_beside_its_journal_is_rebuilt(capsys, db_path):
    with Store(db_path) as store:
        before = {s["id"]: store.get(s["id"]) for s in store.summaries()}
    db_path.write_bytes(b"")
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        assert {s["id"]: store.get(s["id"]) for s in store.summaries()} == before


def test_reading_commands_do_not_make_a_database_where_there_is_none(capsys, tmp_path):
    missing = tmp_path / "typo" / "q.json"
    for command in (["list"], ["show", "1"], ["export"], ["hosts", "list"]):
        code, _out, err = run_cli(capsys, "--db", str(missing), *command)
        assert code == 4 and "there is no database at" in err
    assert not missing.parent.exists()


def test_a_missing_journal_is_not_repaired_into_an_empty_database_without_a_yes(
    capsys, db_path, tmp_path
):
    """The tester's find: with the journal gone, doctor said "questions are kept from their
    index entries", and --repair made an empty database (the index had none yet), hosts
    lost, exit 0, then "sound"."""
    with Store(db_path) as store:
        before = {s["id"]: store.get(s["id"]) for s in store.summaries()}
    backup = tmp_path / "backup.journal"
    journal(db_path).rename(backup)
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4
    assert "a repair keeps 0 questions and 0 hosts" in out
    assert "put q.json.journal.1 back from a backup first" in out
    assert "the lock file notes changes up to byte" in out
    unchanged = hashes(db_path.parent)
    code, _out, err = run_cli(capsys, "--db", str(db_path), "doctor", "--repair")
    assert code == 4 and "nothing was changed" in err and "--yes" in err
    assert len(err.splitlines()) == 1
    assert hashes(db_path.parent) == unchanged
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair", "--yes")[0] == 0
    # the journal put back afterwards: doctor says how to go back to it, and that works
    backup.rename(journal(db_path))
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 0 and "To go back to it, move q.json and q.json.journal.2" in out
    aside = tmp_path / "aside"
    aside.mkdir()
    for name in ("q.json", "q.json.journal.2"):
        db_path.with_name(name).rename(aside / name)
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        assert {s["id"]: store.get(s["id"]) for s in store.summaries()} == before
        assert [h["id"] for h in store.settings()["hosts"]] == ["austin"]


def test_the_command_line_and_doctor_name_the_same_byte_for_a_zeroed_tail(capsys, db_path):
    """The command line named the last record (which the lock file's note points at), doctor
    the first damaged one: both now say where the damage starts."""
    data = bytearray(journal(db_path).read_bytes())
    first = records.scan(bytes(data)).transactions[1][0].offset
    data[first + 20 :] = bytes(len(data) - first - 20)
    journal(db_path).write_bytes(bytes(data))
    code, _out, err = run_cli(capsys, "--db", str(db_path), "list")
    assert code == 4 and f"damaged at byte {first} " in err
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and f"q.json.journal.1 at byte {first}: is damaged" in out


def test_a_missing_snapshot_beside_its_journal_is_named_not_called_no_database(capsys, db_path):
    db_path.unlink()
    before = hashes(db_path.parent)
    for command in (["list"], ["show", "1"], ["--as", "austin", "update", "1", "--priority", "2"]):
        code, _out, err = run_cli(capsys, "--db", str(db_path), *command)
        assert code == 4 and "index) is missing, but its journal q.json.journal.1" in err, err
        assert "qa-queue doctor" in err and "no database" not in err
    assert hashes(db_path.parent) == before


def test_a_journal_from_a_newer_qa_queue_is_never_rewritten(capsys, db_path):
    from qa_queue.store.journal import FORMAT, VERSION

    path = journal(db_path)
    data = path.read_bytes()
    first = records.read_one(data, 0, 0)
    assert isinstance(first, records.Record)
    header = orjson.loads(first.payload)
    header["version"] = VERSION + 1
    path.write_bytes(records.encode("J", orjson.dumps(header)) + data[first.end :])
    assert header["format"] == FORMAT
    before = hashes(db_path.parent)
    code, _out, err = run_cli(capsys, "--db", str(db_path), "list")
    assert code == 4 and "newer qa-queue (journal version 3" in err and "upgrade" in err
    for command in (["doctor"], ["doctor", "--repair", "--yes"]):
        code, out, _err = run_cli(capsys, "--db", str(db_path), *command)
        assert code != 0 and "written by a newer qa-queue" in out + _err
        assert "upgrade qa-queue" in out + _err
    assert hashes(db_path.parent) == before  # nothing rewritten in the old format
