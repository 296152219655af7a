"""What an import will not read: FIFOs, devices, sockets and folders are refused at once (never
waited on, never read without end), and so is a file over the documented size."""

from __future__ import annotations

import os
import socket
import stat
import threading

import pytest

from qa_queue import config, importers
from tests.helpers import FIXTURES, run_cli


@pytest.fixture(autouse=True)
def _private(private_home):
    """Every test here runs with its own data and config folders."""


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "q.json")


def _fifo(tmp_path):
    path = tmp_path / "listeners.csv"
    os.mkfifo(path)
    return path


def _device(tmp_path):
    path = tmp_path / "endless.csv"
    path.symlink_to("/dev/zero")  # a path that never ends
    return path


def _folder(tmp_path):
    path = tmp_path / "exports.mbox"
    path.mkdir()
    return path


def _socket(tmp_path):
    path = tmp_path / "mail.eml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return path


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (_fifo, "a FIFO"),
        (_device, "a device"),
        (_folder, "a folder"),
        (_socket, "a socket"),
    ],
    ids=["fifo", "dev-zero", "folder", "socket"],
)
def test_what_is_not_a_regular_file_is_refused_at_once(capsys, db, tmp_path, make, what):
    path = make(tmp_path)
    result: list = []
    # in a thread with a deadline: a FIFO that is waited on would hang the test forever
    worker = threading.Thread(
        target=lambda: result.append(run_cli(capsys, "--db", db, "import", str(path))),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the import hung"
    code, _out, err = result[0]
    assert code == 2
    assert (
        err.strip()
        == f"qa-queue: {path}: it is {what}"
        + (" (named pipe)" if what == "a FIFO" else "")
        + "; qa-queue imports regular files only"
    )
    assert not stat.S_ISREG(os.lstat(path).st_mode) or path.is_symlink()


def test_a_file_over_the_limit_is_refused_before_it_is_read(capsys, db, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "MAX_IMPORT_BYTES", 1024)
    big = tmp_path / "form.csv"
    big.write_bytes(b"Timestamp,Question\n" + b"2026-11-01,Why?\n" * 200)
    reads = []
    real = os.read

    def counting(fd, size):
        reads.append(size)
        return real(fd, size)

    monkeypatch.setattr(os, "read", counting)
    code, _out, err = run_cli(capsys, "--db", db, "import", str(big))
    assert code == 2
    assert "qa-queue imports files of up to" in err and str(big) in err
    assert len(err.strip().splitlines()) == 1


def test_an_unreadable_import_is_a_file_problem_exit_4(capsys, db, tmp_path, monkeypatch):
    path = tmp_path / "form.csv"
    path.write_text("Question\nWhy?\n")
    real = os.open

    def denied(name, flags, *args):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real(name, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    code, _out, err = run_cli(capsys, "--db", db, "import", str(path))
    assert code == 4
    assert err.strip() == f"qa-queue: {path}: cannot read the file (permission denied)"


def test_the_config_folder_and_file_are_private_and_leave_no_temp(tmp_path):
    previous = os.umask(0)
    try:
        written = config.remember_host("austin")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    assert [p.name for p in written.parent.iterdir()] == [written.name]
    assert config.resolve_host(None) == "austin"


def test_a_remembered_host_that_is_not_a_name_is_not_remembered(monkeypatch):
    monkeypatch.delenv(config.HOST_ENV, raising=False)
    written = config.remember_host("austin")
    written.write_bytes(b'{"host": 5}')  # edited by hand
    assert config.resolve_host(None) is None
    assert config.resolve_host("Casey") == "casey"


def test_the_default_database_folder_is_private(capsys, tmp_path):
    previous = os.umask(0)
    try:
        assert run_cli(capsys)[0] == 0  # the app creates the default database with the demo
    finally:
        os.umask(previous)
    folder = config.default_db_path().parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_first_import_of_files_that_cannot_be_read_makes_no_database(capsys, tmp_path):
    db = tmp_path / "new" / "q.json"
    db.parent.mkdir()
    code, _, err = run_cli(
        capsys, "--db", str(db), "--as", "austin", "import", str(tmp_path / "typo.eml"),
        str(tmp_path / "photo.png"),
    )  # fmt: skip
    assert code == 2 and "there is no such file" in err
    assert list(db.parent.iterdir()) == []  # no empty queue left behind
    (tmp_path / "form.csv").write_text("Question\nSauna or cold plunge first?\n")
    code, out, _ = run_cli(
        capsys, "--db", str(db), "--as", "austin", "import", str(tmp_path / "typo.eml"),
        str(tmp_path / "form.csv"),
    )  # fmt: skip
    assert code == 2 and "added 1" in out and db.exists()


def test_a_host_remembered_from_another_show_is_not_who_acts_in_one_with_no_hosts(capsys, tmp_path):
    config.remember_host("austin")  # chosen in the demo's database
    db = str(tmp_path / "new.json")
    (tmp_path / "form.csv").write_text("Question\nSauna or cold plunge first?\n")
    code, _, _ = run_cli(capsys, "--db", db, "import", str(tmp_path / "form.csv"))
    assert code == 0
    code, out, _ = run_cli(capsys, "--db", db, "show", "1")
    assert "import · " in out and "austin" not in out.lower()
    # named on the command line, it is who acts
    (tmp_path / "more.csv").write_text("Question\nIs creatine safe?\n")
    run_cli(capsys, "--db", db, "--as", "austin", "import", str(tmp_path / "more.csv"))
    code, out, _ = run_cli(capsys, "--db", db, "show", "2")
    assert "austin · " in out


def test_a_symbolic_link_that_loops_is_bad_input_saying_so(capsys, db, tmp_path):
    (tmp_path / "loop.csv").symlink_to("loopb")
    (tmp_path / "loopb").symlink_to("loop.csv")
    code, out, err = run_cli(capsys, "--db", db, "import", str(tmp_path / "loopb"))
    assert (code, out) == (2, "")
    assert err == (
        f"qa-queue: {tmp_path / 'loopb'}: the symbolic link loops (it leads back to itself); "
        "give the file it was meant to point to\n"
    )


OUTLOOK_MSG = FIXTURES / "mail" / "knee_pain_outlook.msg"  # classic Outlook's drag to desktop


@pytest.mark.parametrize("name", ["Knee pain.msg", "renamed.txt", "renamed.eml", "no extension"])
def test_an_outlook_message_is_named_and_saving_it_as_eml_suggested(capsys, db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(OUTLOOK_MSG.read_bytes())
    code, out, err = run_cli(capsys, "--db", db, "import", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"qa-queue: {path}: an Outlook message (.msg), which qa-queue cannot read; save the "
        "message as .eml and import that ("
    )
    assert len(err.splitlines()) == 1
    assert not os.path.exists(db)  # refused before a queue is made


def test_a_file_without_read_permission_is_a_file_problem_in_our_words(
    capsys, db, tmp_path, monkeypatch
):
    path = tmp_path / "responses.csv"
    path.write_text("Timestamp,Question\n2026-11-01,Why?\n")
    # what a host who may not read the file meets (the tests run as root, who reads anything)
    real_open = os.open

    def denied(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: False)
    monkeypatch.setattr(os, "open", denied)
    code, out, err = run_cli(capsys, "--db", db, "import", str(path))
    assert (code, out) == (4, "")
    assert err == f"qa-queue: {path}: cannot read the file (permission denied)\n"
    assert not os.path.exists(db)


def test_a_dash_says_standard_input_is_not_read_and_a_file_named_dash_is(
    capsys, db, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "--db", db, "import", "-")
    assert (code, out) == (2, "")
    assert err == (
        "qa-queue: -: reading from standard input is not supported; save it to a file and "
        "give that file\n"
    )
    (tmp_path / "-").write_text('[{"question": "Is rucking good cardio?"}]')
    code, out, err = run_cli(capsys, "--db", db, "import", "-")
    assert (code, err) == (0, "") and "added 1 (#1)" in out
