"""Faults are features: real database files truncated, flipped, swapped, restored, replaced and
made unwritable. In every case nothing acknowledged is lost, no byte of a file that is not
provably the store's own torn tail changes (hashes before and after), and the command line
says so in one line with exit code 4."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import orjson
import pytest

from qa_queue.errors import Damaged, DatabaseError
from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store, records
from qa_queue.store import journal as journal_module
from tests.helpers import NAMESPACES, cli_read_only, needs_read_only, run_cli


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


def journal(db_path: Path, generation: int = 1) -> Path:
    return db_path.with_name(f"{db_path.name}.journal.{generation}")


def hashes(folder: Path) -> dict[str, str]:
    """Every file's content hash (the target's, through a link); the lock file is left out:
    empty, it is the store's own and taking the lock may create it."""
    found = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".lock") or path.is_dir():
            continue
        found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def everything(store: Store) -> dict:
    return {
        "questions": {s["id"]: store.get(s["id"]) for s in store.summaries()},
        "episodes": store.episodes(),
        "settings": store.settings(),
    }


def question(n: int) -> Question:
    return Question(
        title=f"Does LDN help fibromyalgia? ({n})",
        body="I read about low-dose naltrexone for fibromyalgia pain. " * 3,
        received_at="2026-11-01T10:00:00Z",
        import_key=f"forum:{n}",
    )


class History:
    """A database built one acknowledged change at a time, with what it held after each."""

    def __init__(self, db_path: Path, clock, checkpoint_after: int | None = None):
        self.db_path = db_path
        self.states: list[tuple[int, dict]] = []  # (journal size, everything) after each
        with Store(db_path) as store:
            queue = QuestionQueue(store, me="austin", clock=clock)
            steps = [
                lambda: queue.add_host("austin"),
                lambda: queue.add_host("jordan"),
                lambda: queue.import_questions([question(n) for n in range(1, 4)]),
                lambda: queue.tag(1, ["pain", "ldn"]),
                lambda: queue.assign(1, "austin"),
                lambda: queue.save_draft(1, "Austin's careful take on LDN, with references."),
                lambda: queue.set_priority(2, 3),
                lambda: queue.save_episode(212, "Pain and sleep", "2026-12-01"),
                lambda: queue.set_notes(3, "ask Jordan about dosing"),
                lambda: queue.add(question(4)),
                lambda: queue.undo(2),
            ]
            for number, step in enumerate(steps):
                step()
                self.states.append((journal(db_path).stat().st_size, everything(store)))
                if checkpoint_after == number:
                    store.checkpoint()
            self.covered = store.position.covered
        self.data = journal(db_path).read_bytes()

    def expected_at(self, cut: int) -> dict:
        """What a journal cut at `cut` must show: every change that ended before the cut."""
        return [state for size, state in self.states if size <= cut][-1]

    def flipped(self, folder: Path, offset: int) -> tuple[Path, bytes]:
        """A copy of the database in `folder` with one byte of its journal flipped."""
        folder.mkdir()
        db_path = folder / "q.json"
        shutil.copy(self.db_path, db_path)
        data = bytearray(self.data)
        data[offset] ^= 0x10
        journal(db_path).write_bytes(bytes(data))
        return db_path, bytes(data)

    def record_starts(self) -> list[int]:
        scan = records.scan(self.data)
        return [record.offset for tx in scan.transactions for record in tx]


# -- truncation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("checkpoint_after", [None, 5], ids=["tail", "checkpointed"])
def test_truncated_at_every_record_boundary_and_inside_records(tmp_path, clock, checkpoint_after):
    """A journal cut anywhere past what the snapshot indexes opens with exactly the changes
    that ended before the cut, and the next change removes only the cut-off part; cut before
    that, it is refused and left as it is."""
    built = History(tmp_path / "built.json", clock, checkpoint_after)
    cuts = set()
    for start in built.record_starts():
        cuts |= {start, start + 1, start + 9, start + 16, start + 17}
    cuts = sorted(c for c in cuts if built.states[2][0] <= c < len(built.data))
    assert len(cuts) > 40
    for number, cut in enumerate(cuts):
        folder = tmp_path / f"cut-{number}"
        folder.mkdir()
        db_path = folder / "q.json"
        shutil.copy(built.db_path, db_path)
        journal(db_path).write_bytes(built.data[:cut])
        if cut < built.covered:
            before = hashes(folder)
            with pytest.raises(Damaged, match=r"journal\.1 is damaged at byte"):
                Store(db_path)
            assert hashes(folder) == before, cut
            continue
        expected = built.expected_at(cut)
        with Store(db_path) as store:
            assert everything(store) == expected, cut
            assert journal(db_path).read_bytes() == built.data[:cut]  # opening wrote nothing
            QuestionQueue(store, me="jordan", clock=clock).set_priority(3, 1)
        with Store(db_path) as store:
            assert store.summary(3)["priority"] == 1
            assert {k: v for k, v in everything(store)["questions"].items() if k != 3} == {
                k: v for k, v in expected["questions"].items() if k != 3
            }


# -- flipped bytes ------------------------------------------------------------------------------


def _regions(data: bytes) -> list[tuple[str, int, records.Record]]:
    """A byte in each region of each record: header fields and payload."""
    found = []
    for tx in records.scan(data).transactions:
        for record in tx:
            name = f"{record.kind}@{record.offset}"
            for field, at in (("magic", 0), ("length", 5), ("crc", 9), ("hcrc", 13)):
                found.append((f"{name}:{field}", record.offset + at, record))
            found.append((f"{name}:payload", record.offset + 16 + 3, record))
            found.append((f"{name}:end", record.end - 1, record))
    return found


def test_a_flipped_byte_anywhere_in_the_journal_is_reported_never_hidden(tmp_path, clock, capsys):
    built = History(tmp_path / "built.json", clock)
    regions = _regions(built.data)
    assert len(regions) > 100
    for number, (name, offset, _record) in enumerate(regions):
        db_path, _data = built.flipped(tmp_path / f"flip-{number}", offset)
        folder = db_path.parent
        before = hashes(folder)
        code, out, err = run_cli(capsys, "--db", str(db_path), "--as", "austin", "show", "1")
        assert code == 4, (name, out, err)
        assert len(err.strip().splitlines()) == 1 and str(journal(db_path)) in err, name
        code, _out, err = run_cli(
            capsys, "--db", str(db_path), "--as", "austin", "update", "2", "--priority", "1"
        )
        assert code == 4, name
        assert hashes(folder) == before, name  # neither the read nor the refused write cut it


def test_a_flipped_byte_is_set_aside_by_repair_and_everything_else_kept(tmp_path, clock, capsys):
    """doctor --repair after any single flipped byte: the database opens, every question is
    there, every record that was intact is kept, and the damaged bytes are in quarantine."""
    built = History(tmp_path / "built.json", clock)
    final = built.states[-1][1]
    for number, (name, offset, record) in enumerate(_regions(built.data)[::3]):
        db_path, data = built.flipped(tmp_path / f"repair-{number}", offset)
        code, out, err = run_cli(capsys, "--db", str(db_path), "doctor")
        assert code == 4 and "damaged" in out, (name, out, err)
        code, out, err = run_cli(capsys, "--db", str(db_path), "doctor", "--repair")
        assert code == 0, (name, out, err)
        quarantine = db_path.with_name("q.json.quarantine").read_bytes()
        assert bytes(data[record.offset : record.end]) in quarantine, name  # as it is now
        with Store(db_path) as store:
            assert {s["id"] for s in store.summaries()} == set(final["questions"]), name
            kept = everything(store)
            changed = [
                q for q in final["questions"] if kept["questions"][q] != final["questions"][q]
            ]
            assert len(changed) <= 1, name  # only the question whose record was damaged
        assert run_cli(capsys, "--db", str(db_path), "doctor")[0] == 0, name


@pytest.mark.parametrize(
    "where", ["header", "tables", "end"], ids=["in-its-header", "in-its-index", "its-last-byte"]
)
def test_a_flipped_byte_in_the_snapshot_is_reported_and_repair_rebuilds_it(
    tmp_path, clock, capsys, where
):
    built = History(tmp_path / "q.json", clock, checkpoint_after=8)
    db_path = built.db_path
    data = bytearray(db_path.read_bytes())
    offset = {"header": 12, "tables": data.index(b'"tables"') + 40, "end": len(data) - 1}[where]
    data[offset] ^= 0x01
    db_path.write_bytes(bytes(data))
    before = hashes(tmp_path)
    code, _out, err = run_cli(capsys, "--db", str(db_path), "list")
    assert code == 4 and len(err.strip().splitlines()) == 1 and str(db_path) in err
    assert hashes(tmp_path) == before
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        assert everything(store) == built.states[-1][1]


# -- swapped, restored, shortened ---------------------------------------------------------------


def test_an_older_snapshot_restored_beside_a_newer_journal_is_reported_and_rebuilt(
    tmp_path, clock, capsys
):
    """The first bug: a read-only `list` deleted the newer journal."""
    db_path = tmp_path / "q.json"
    with Store(db_path) as store:
        queue = QuestionQueue(store, me="austin", clock=clock)
        queue.add_host("austin")
        queue.add(question(1))
        backup = db_path.read_bytes()
        queue.save_draft(1, "A draft written after the backup.")
        store.compact()  # generation 2; generation 1 is gone
        final = everything(store)
    db_path.write_bytes(backup)
    before = hashes(tmp_path)
    code, _out, err = run_cli(capsys, "--db", str(db_path), "list")
    assert code == 4 and "restored from an older backup" in err
    assert hashes(tmp_path) == before and journal(db_path, 2).exists()
    code, out, _err = run_cli(capsys, "--db", str(db_path), "doctor")
    assert code == 4 and "journal.2" in out
    assert run_cli(capsys, "--db", str(db_path), "doctor", "--repair")[0] == 0
    with Store(db_path) as store:
        assert everything(store) == final


def test_an_older_snapshot_of_the_same_generation_just_replays_more(tmp_path, clock):
    db_path = tmp_path / "q.json"
    with Store(db_path) as store:
        queue = QuestionQueue(store, me="austin", clock=clock)
        queue.add_host("austin")
        queue.add(question(1))
        store.checkpoint()
        backup = db_path.read_bytes()
        queue.tag(1, ["pain"])
        store.checkpoint()
        final = everything(store)
    db_path.write_bytes(backup)
    with Store(db_path) as store:
        assert everything(store) == final


def test_a_journal_shorter_than_the_snapshot_covers_is_refused(tmp_path, clock, capsys):
    """The second bug: it opened without a word, and `add` then reported a question that did
    not exist."""
    built = History(tmp_path / "q.json", clock, checkpoint_after=9)
    db_path = built.db_path
    journal(db_path).write_bytes(built.data[: built.states[5][0]])
    before = hashes(tmp_path)
    for command in (["list"], ["--as", "austin", "add", "A new one", "--body", "words"]):
        code, _out, err = run_cli(capsys, "--db", str(db_path), *command)
        assert code == 4 and "before the end of what q.json indexes" in err, err
    assert hashes(tmp_path) == before


def test_a_journal_of_another_database_is_refused(tmp_path, clock, capsys):
    one, two = tmp_path / "one" / "q.json", tmp_path / "two" / "q.json"
    for path in (one, two):
        History(path, clock)
    shutil.copy(journal(two), journal(one))
    before = hashes(one.parent)
    code, _out, err = run_cli(capsys, "--db", str(one), "list")
    assert code == 4 and "belongs to another qa-queue database" in err
    assert hashes(one.parent) == before


def test_swapped_generation_numbers_are_refused(tmp_path, clock, capsys):
    built = History(tmp_path / "q.json", clock)
    journal(built.db_path).rename(journal(built.db_path, 2))
    before = hashes(tmp_path)
    code, _out, err = run_cli(capsys, "--db", str(built.db_path), "list")
    assert code == 4 and "journal.1 is missing" in err
    assert hashes(tmp_path) == before


# -- replaced by something that is not ours -----------------------------------------------------


def _replace(path: Path, how: str, outside: Path) -> None:
    path.unlink()
    if how == "foreign":
        path.write_bytes(b'{"questions": "not ours"}')
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "directory":
        path.mkdir()
    elif how == "symlink":
        path.symlink_to(outside)
    elif how == "fifo":
        os.mkfifo(path)


@pytest.mark.parametrize("how", ["foreign", "empty", "directory", "symlink", "fifo"])
@pytest.mark.parametrize("which", ["snapshot", "journal"])
def test_a_file_replaced_by_something_not_ours_is_refused_and_untouched(
    tmp_path, clock, capsys, which, how
):
    """The fourth bug: a journal that is a symlink to another file got that file truncated."""
    built = History(tmp_path / "db" / "q.json", clock)
    db_path = built.db_path
    outside = tmp_path / "someone-elses-notes.txt"
    outside.write_bytes(b"my own notes, not qa-queue's\n" * 10)
    target = db_path if which == "snapshot" else journal(db_path)
    _replace(target, how, outside)
    before, outside_before = hashes(db_path.parent) if how != "fifo" else {}, outside.read_bytes()
    for command in (["list"], ["--as", "austin", "update", "1", "--priority", "2"]):
        code, _out, err = run_cli(capsys, "--db", str(db_path), *command)
        assert code == 4, (command, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert outside.read_bytes() == outside_before
    if how != "fifo":
        assert hashes(db_path.parent) == before


@pytest.mark.parametrize("how", ["symlink", "directory", "fifo"])
def test_a_lock_file_replaced_allows_reading_and_refuses_writing(tmp_path, clock, capsys, how):
    built = History(tmp_path / "db" / "q.json", clock)
    db_path = built.db_path
    outside = tmp_path / "precious.txt"
    outside.write_bytes(b"precious")
    lock = db_path.with_name("q.json.lock")
    lock.unlink()
    if how == "fifo":
        os.mkfifo(lock)
    else:
        lock.touch()
        _replace(lock, how, outside)
    before = hashes(db_path.parent)
    assert run_cli(capsys, "--db", str(db_path), "list")[0] == 0
    code, _out, err = run_cli(
        capsys, "--db", str(db_path), "--as", "austin", "update", "1", "--priority", "2"
    )
    assert code == 4 and "q.json.lock" in err
    assert outside.read_bytes() == b"precious" and hashes(db_path.parent) == before


# -- crafted snapshots ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"generation": "1"},
        {"generation": -3},
        {"covered": None},
        {"last": "x"},
        {"database": 7},
        {"schema": True},
        {"tables": []},
        {"tables": {"questions": {"1": {"title": "no place"}}}},
        {"tables": {"questions": {"x": {"_loc": [1, 2, 3, 4], "_h": [None, 0, 0, 0]}}}},
    ],
)
def test_a_crafted_snapshot_is_one_line_and_exit_4(tmp_path, clock, capsys, change):
    built = History(tmp_path / "q.json", clock)
    document = orjson.loads(built.db_path.read_bytes())
    tables = orjson.dumps(change.get("tables", document["tables"]))
    document.update(change)
    document["tables_crc"] = zlib.crc32(tables)  # crafted, not damaged: the checksum fits
    head = {k: v for k, v in document.items() if k != "tables"}
    built.db_path.write_bytes(orjson.dumps(head)[:-1] + b',"tables":' + tables + b"}")
    before = hashes(tmp_path)
    code, _out, err = run_cli(capsys, "--db", str(built.db_path), "list")
    assert code == 4, err
    assert len(err.strip().splitlines()) == 1 and "internal error" not in err
    assert hashes(tmp_path) == before


# -- the disk says no -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT])
@pytest.mark.parametrize("when", ["write", "fdatasync"])
def test_a_failed_write_is_not_made_and_says_so(tmp_path, clock, monkeypatch, code, when):
    """'Failed' means not made: the bytes written are taken back, the change is not in the
    index, and the next write, once the disk has room, works."""
    built = History(tmp_path / "q.json", clock)
    size = journal(built.db_path).stat().st_size
    with Store(built.db_path) as store:
        queue = QuestionQueue(store, me="austin", clock=clock)
        real = getattr(os, when)

        def fail(fd, *args):
            if when == "write":
                real(fd, args[0][: len(args[0]) // 2])  # half of it reached the file
            raise OSError(code, os.strerror(code))

        with monkeypatch.context() as patch:
            patch.setattr(journal_module.os if when == "fdatasync" else os, when, fail)
            with pytest.raises(DatabaseError, match="nothing was changed"):
                queue.tag(2, ["lost-if-the-disk-is-full"])
        assert journal(built.db_path).stat().st_size == size
        assert store.summary(2)["tags"] == []
        queue.tag(2, ["sleep"])
    with Store(built.db_path) as store:
        assert store.summary(2)["tags"] == ["sleep"]


def test_a_compaction_the_snapshot_cannot_switch_to_leaves_no_new_generation(
    tmp_path, clock, monkeypatch
):
    """A full disk as the snapshot is rewritten: the new generation, named by no snapshot,
    goes at once, or every later change would meet the same full disk."""
    from qa_queue.store import snapshot as snapshot_module

    built = History(tmp_path / "q.json", clock)
    with Store(built.db_path) as store:
        queue = QuestionQueue(store, me="austin", clock=clock)

        def full(*_args, **_kwargs):
            raise DatabaseError("cannot write q.json: the disk is full")

        with monkeypatch.context() as patch:
            patch.setattr(snapshot_module, "write", full)
            with pytest.raises(DatabaseError, match="disk is full"):
                store.maintenance.compact()
        assert not journal(built.db_path, 2).exists()
        assert journal(built.db_path).exists()
        queue.tag(2, ["sleep"])  # the next change works
    with Store(built.db_path) as store:
        assert store.summary(2)["tags"] == ["sleep"]


def test_a_file_size_limit_is_exit_4_and_loses_nothing(tmp_path, clock):
    """A real EFBIG: the writer runs with RLIMIT_FSIZE just above the journal's size."""
    built = History(tmp_path / "q.json", clock)
    size = journal(built.db_path).stat().st_size
    script = (
        "import resource, sys; "
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({size + 100}, {size + 100})); "
        "from qa_queue.cli import main; main(sys.argv[1:])"
    )
    body = "word " * 2000
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--db",
            str(built.db_path),
            "--as",
            "austin",
            "add",
            "A long question",
            "--body",
            body,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4, done.stderr
    assert "larger than this system allows" in done.stderr and "nothing was changed" in done.stderr
    assert journal(built.db_path).stat().st_size == size
    with Store(built.db_path) as store:
        assert everything(store) == built.states[-1][1]


def test_a_checkpoint_that_cannot_be_written_leaves_the_change_done(
    tmp_path, clock, capsys, monkeypatch
):
    """The fifth bug: a change that triggered a checkpoint in a read-only folder was reported
    as failed (exit 1) but had been made. Now: exit 0, the change is there, a warning says
    the tidying failed, and no temporary file is left."""
    from qa_queue.store import files
    from qa_queue.store import store as store_module

    monkeypatch.setattr(store_module, "CHECKPOINT_BYTES", 10)
    built = History(tmp_path / "q.json", clock)
    real = files.os.replace

    def read_only(*args):
        raise OSError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(files.os, "replace", read_only)
    code, _out, err = run_cli(
        capsys, "--db", str(built.db_path), "--as", "austin", "update", "3", "--priority", "2"
    )
    monkeypatch.setattr(files.os, "replace", real)
    assert code == 0, err
    assert "warning: your change is saved" in err and "permission denied" in err
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    with Store(built.db_path) as store:
        assert store.summary(3)["priority"] == 2


@needs_read_only
def test_a_read_only_folder_still_takes_changes_and_warns_about_the_checkpoint(tmp_path, clock):
    """The fifth bug: in a read-only folder a change that triggered a checkpoint said 'failed'
    (exit 1) but was made. The journal file itself is writable there: the change is made and
    acknowledged (exit 0); the checkpoint's failure is a warning of its own."""
    folder = tmp_path / "db"
    built = History(folder / "q.json", clock)
    files = [p for p in folder.iterdir() if p.is_file()]
    args = ["--db", str(built.db_path), "--as", "austin", "update", "2", "--priority", "1"]
    done = cli_read_only([folder], *args, writable=files)
    assert done.returncode == 0, done.stderr
    assert "warning: your change is saved" in done.stderr, done.stderr
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name]
    with Store(built.db_path) as store:
        assert store.summary(2)["priority"] == 1


@needs_read_only
def test_read_only_files_refuse_changes_with_exit_4(tmp_path, clock):
    folder = tmp_path / "db"
    built = History(folder / "q.json", clock)
    files = [p for p in folder.iterdir() if p.is_file()]
    before = hashes(folder)
    args = ["--db", str(built.db_path), "--as", "austin"]
    done = cli_read_only(files, *args, "update", "2", "--priority", "1")
    assert done.returncode == 4, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "read-only" in done.stderr or "permission denied" in done.stderr, done.stderr
    assert cli_read_only(files, *args, "list").returncode == 0
    assert hashes(folder) == before


@pytest.mark.skipif(not NAMESPACES, reason="needs root and a mount namespace for a tiny disk")
def test_a_full_disk_loses_nothing_acknowledged(tmp_path):
    """A real ENOSPC: changes on a 320 KB file system until it is full. Each change is either
    acknowledged (and then there) or refused with exit 4 and 'the disk is full'; the database
    opens afterwards, and doctor finds nothing wrong."""
    script = textwrap.dedent(
        """
        import json, sys
        from qa_queue.cli import main
        from qa_queue.store import Store
        db = sys.argv[1] + "/q.json"
        acknowledged, refused = [], []
        def run(*args):
            try:
                main(["--db", db, "--as", "austin", *args])
            except SystemExit as exit:
                return exit.code
        run("hosts", "add", "austin")
        for n in range(400):
            code = run("add", f"Question {n}", "--body", "words " * 150)
            (acknowledged if code == 0 else refused).append((n, code))
        with Store(db) as store:
            titles = {s["title"] for s in store.summaries()}
        missing = [n for n, _ in acknowledged if f"Question {n}" not in titles]
        doctor = run("doctor")
        print(json.dumps({"ack": len(acknowledged), "refused": sorted({c for _, c in refused}),
                          "missing": missing, "doctor": doctor}))
        """
    )
    folder = tmp_path / "tiny"
    folder.mkdir()
    done = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f'mount -t tmpfs -o size=320k none "{folder}" && exec "$@"',
            "sh",
            sys.executable,
            "-c",
            script,
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    result = orjson.loads(done.stdout.strip().splitlines()[-1])
    assert result["ack"] > 10 and result["refused"] == [4], (result, done.stderr[-2000:])
    assert result["missing"] == [] and result["doctor"] in (0, None), result
    assert "the disk is full" in done.stderr and "Traceback" not in done.stderr
