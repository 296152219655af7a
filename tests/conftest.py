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
