"""The demo queue a new user meets: the LDN seed thread plus a dozen varied listener questions."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import QaQueueError
from .importers import read_file
from .model.question import Draft, Question
from .queue import QuestionQueue

DEMO_FLAG = "demo_loaded"


def bundled(folder: str) -> Path:
    """A folder shipped with qa-queue: inside the installed wheel, or at the top of a checkout."""
    packaged = resources.files("qa_queue") / "_bundled" / folder
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / folder  # src/qa_queue/demo.py -> repo
    if checkout.is_dir():
        return checkout
    raise QaQueueError(f"the {folder}/ folder shipped with qa-queue is missing; reinstall it")


def is_fresh(queue: QuestionQueue) -> bool:
    return len(queue.store) == 0 and not queue.store.settings()


def fill_if_fresh(queue: QuestionQueue) -> bool:
    """Fill a brand-new database with the demo queue; True when it did."""
    if not is_fresh(queue):
        return False
    load_demo(queue)
    return True


def _seed_question(queue: QuestionQueue, host_names: dict[str, str]) -> Question:
    """The LDN thread: the listener's question, new in the inbox, with the host's forum reply
    kept in the thread and as his draft, ready to be polished into the answer on air."""
    seed = sorted(bundled("seeds").glob("*.txt"))[0]
    question = read_file(seed, hosts=list(host_names.values())).questions[0]
    reply = next((reply for reply in question.replies if reply.is_host), None)
    host = next((i for i, name in host_names.items() if reply and name == reply.author), None)
    if reply is not None and host is not None:
        question.drafts[host] = Draft(host=host, text=reply.text, updated_at=queue._at())
    return question


def load_demo(queue: QuestionQueue) -> int:
    """Load the demo set (hosts, episodes, saved replies, questions); returns questions added.

    Safe to run again: questions already there are skipped by their import keys.
    """
    demo = read_file(bundled("data") / "demo.json")
    meta = demo.meta
    host_names = {host["id"]: host["name"] for host in meta.get("hosts", [])}
    with queue.store.transaction() as tx:
        before = queue.store.settings()
        settings = dict(before)
        settings.setdefault("podcast", meta.get("podcast", ""))
        settings.setdefault("hosts", meta.get("hosts", []))
        settings.setdefault("saved_replies", meta.get("saved_replies", []))
        settings[DEMO_FLAG] = True
        if settings != before:  # loading it again writes nothing
            tx.put_settings(settings)
    for question in demo.questions:
        if question.episode:
            question.answered_on = "air"
    result = queue.import_questions(
        [_seed_question(queue, host_names), *demo.questions], links=demo.duplicates
    )
    with queue.store.transaction() as tx:
        for episode in meta.get("episodes", []):
            if queue.store.episode(episode["number"]) is not None:
                continue
            members = sorted(
                (s["timestamp"] or "99:99:99", s["id"])
                for s in queue.store.summaries()
                if s["episode"] == episode["number"]
            )
            tx.put_episode({**episode, "question_ids": [i for _, i in members]})
    return len(result.added)
