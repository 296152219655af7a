"""Fixtures of the app's tests: a queue with a small story in it."""

from __future__ import annotations

import pytest

from qa_queue.model.question import Status
from qa_queue.queue import QuestionQueue
from tests.tui.pilot import question


@pytest.fixture
def filled(queue: QuestionQueue) -> QuestionQueue:
    """Five questions: three new (oldest first), one triaged, one declined; one episode."""
    queue.set_podcast("Barbell Medicine Q&A")
    queue.import_questions(
        [
            question("Does low-dose naltrexone help fibromyalgia?", 9, tags=["pain"]),
            question("Creatine and my kidney labs", 7, tags=["supplements"]),
            question("LDN for fibromyalgia pain, any trials?", 5, priority=1),
            question("Training while fasting", 3, status=Status.TRIAGED, host="jordan"),
            question("Please diagnose my MRI", 2, status=Status.DECLINED),
        ]
    )
    queue.save_episode(212, "Lifting under pressure", "2026-11-24")
    return queue
