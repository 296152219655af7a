"""Fixtures of the headless tests: a co-host and a host nobody named, on the same store as
`queue` (austin). Two processes on one database are in test_concurrency.py and in the app's
tests (tests/tui/pilot.py: other_host)."""

from __future__ import annotations

from datetime import UTC

import pytest

from qa_queue.queue import QuestionQueue


@pytest.fixture
def jordan(store, clock) -> QuestionQueue:
    return QuestionQueue(store, me="jordan", clock=clock, zone=UTC)


@pytest.fixture
def anonymous(store, clock) -> QuestionQueue:
    return QuestionQueue(store, me=None, clock=clock, zone=UTC)
