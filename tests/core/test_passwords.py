"""Hosts' passwords: argon2id hashes in the settings, never the password; set from a prompt or
standard input; a removed host's password goes with them."""

from __future__ import annotations

import pytest

from qa_queue.errors import BadInput
from tests.helpers import run_cli


def test_a_password_is_kept_as_a_salted_argon2id_hash(queue):
    queue.set_password("austin", "correct horse battery")
    stored = queue.store.settings()["passwords"]["austin"]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert queue.check_password("austin", "correct horse battery")
    assert not queue.check_password("austin", "correct horse battery ")
    assert not queue.check_password("jordan", "correct horse battery")  # none set
    assert not queue.check_password("nobody", "correct horse battery")
    queue.set_password("jordan", "correct horse battery")
    assert queue.store.settings()["passwords"]["jordan"] != stored  # its own salt
    assert queue.password_hosts() == ["austin", "jordan"]


def test_passwords_that_will_not_do(queue):
    for bad in ("", "        ", "short", "x" * 1025):
        with pytest.raises(BadInput):
            queue.set_password("austin", bad)
    with pytest.raises(BadInput):
        queue.set_password("nobody", "long enough password")
    assert queue.password_hosts() == []


def test_removing_a_host_or_a_password(queue):
    queue.set_password("jordan", "jordan's password")
    assert queue.remove_password("jordan") and not queue.remove_password("jordan")
    queue.set_password("jordan", "jordan's password")
    queue.remove_host("jordan")
    queue.add_host("jordan")
    assert not queue.check_password("jordan", "jordan's password")
    assert "jordan" not in queue.store.settings().get("passwords", {})


def test_hosts_password_reads_standard_input(capsys, monkeypatch, private_home, db_path):
    import io

    run_cli(capsys, "--db", str(db_path), "hosts", "add", "austin")
    monkeypatch.setattr("sys.stdin", io.StringIO("a good long password\n"))
    code, out, err = run_cli(capsys, "--db", str(db_path), "hosts", "password", "austin")
    assert code == 0 and "set austin's password" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, out, err = run_cli(capsys, "--db", str(db_path), "hosts", "password", "AUSTIN")
    assert code == 2 and "at least 8 characters" in err
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store

    with Store(db_path) as store:
        assert QuestionQueue(store).check_password("austin", "a good long password")
    code, out, _ = run_cli(capsys, "--db", str(db_path), "hosts", "password", "austin", "--remove")
    assert code == 0 and "removed austin's password" in out


def test_serve_refuses_without_a_host_who_can_sign_in(capsys, private_home, db_path):
    run_cli(capsys, "--db", str(db_path), "hosts", "add", "austin")
    code, _, err = run_cli(capsys, "--db", str(db_path), "serve", "--port", "0")
    assert code != 0 and "qa-queue hosts password HOST" in err


def test_the_app_refuses_a_web_driver_without_a_signed_in_host(
    capsys, monkeypatch, private_home, db_path
):
    run_cli(capsys, "--db", str(db_path), "hosts", "add", "austin")
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.setenv("QA_QUEUE_HOST", "mallory")
    code, _, err = run_cli(capsys, "--db", str(db_path), "app")
    assert code == 2 and "signed-in host is not a host" in err
