"""Fixtures every test may use: a private home, a fixed clock, a store on a temporary path and
a queue acting as austin, with austin and jordan as the show's hosts."""

from __future__ import annotations

import time
from datetime import UTC

import pytest

from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from tests.helpers import FixedClock


@pytest.fixture(autouse=True)
def words_only(request, monkeypatch):
    """Look-alikes by words only (QA_QUEUE_MEANINGS=off, also in the processes a test starts):
    reading meanings costs ~10 ms a question, which most tests would pay for nothing. The
    tests of meanings are marked `meanings` and read them."""
    if request.node.get_closest_marker("meanings") is None:
        monkeypatch.setenv("QA_QUEUE_MEANINGS", "off")
    else:
        monkeypatch.delenv("QA_QUEUE_MEANINGS", raising=False)


@pytest.fixture(autouse=True)
def utc_computer(monkeypatch):
    """Every test runs on a computer set to UTC, whatever this one is set to: a host's times
    (snoozes, a CSV's times without a zone) are in this computer's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def private_home(tmp_path, monkeypatch):
    """Keep the user's real data and config folders, and their QA_QUEUE_* settings, out."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.delenv("QA_QUEUE_DB", raising=False)
    monkeypatch.delenv("QA_QUEUE_HOST", raising=False)


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


def pytest_report_header(config) -> str:
    """Say at the top whether the browser tests (tests/web/test_browser.py) can run here."""
    from tests.web.serving import chromium

    found = chromium()
    if found:
        return f"browser tests: Chromium at {found}"
    return (
        "browser tests: SKIPPED, no Chromium found "
        "(apt-get install chromium, or set QA_QUEUE_CHROMIUM=/path/to/chromium)"
    )


def pytest_terminal_summary(terminalreporter) -> None:
    """Say at the end, too, whether the browser tests ran (-q hides the header)."""
    from tests.web.serving import chromium

    found = chromium()
    if found is None:
        terminalreporter.write_line(
            "qa-queue: the browser tests did NOT run: no Chromium found "
            "(apt-get install chromium, or set QA_QUEUE_CHROMIUM)",
            yellow=True,
            bold=True,
        )
    elif any(
        "tests/web/test_browser.py" in getattr(report, "nodeid", "")
        for report in terminalreporter.stats.get("passed", [])
    ):
        terminalreporter.write_line(f"qa-queue: the browser tests drove the Chromium at {found}")
