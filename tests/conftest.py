"""Shared fixtures: a store on a temporary path, a fixed clock, a queue acting as a host."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qa_queue.queue import QuestionQueue
from qa_queue.store import Store


class FixedClock:
    """A clock the test moves by hand: no real time in tests."""

    def __init__(self, start: datetime = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def private_home(tmp_path, monkeypatch):
    """Keep the user's real data and config folders, and their QA_QUEUE_* settings, out."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.delenv("QA_QUEUE_DB", raising=False)
    monkeypatch.delenv("QA_QUEUE_HOST", raising=False)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command line in-process: (exit code, stdout, stderr)."""
    from qa_queue.cli import main

    try:
        main(list(args))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    else:
        code = 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "q.json"


@pytest.fixture
def store(db_path):
    with Store(db_path) as opened:
        yield opened


@pytest.fixture
def queue(store, clock) -> QuestionQueue:
    q = QuestionQueue(store, me="austin", clock=clock, zone=UTC)
    q.add_host("austin", "Austin")
    q.add_host("jordan", "Jordan")
    return q
