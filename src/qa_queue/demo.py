"""The demo queue a new user meets: the LDN seed thread plus a dozen varied listener questions."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from .errors import QaQueueError
from .importers import read_file
from .model.question import Draft, HistoryEntry, Question
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


def _seed_question(queue: QuestionQueue) -> Question:
    """The LDN thread: the listener's question, new in the inbox, with Austin's forum reply
    kept in the thread and as his draft, ready to be polished into the answer on air."""
    seeds = sorted(bundled("seeds").glob("*.txt"))
    question = read_file(seeds[0]).questions[0]
    host_reply = next((reply for reply in question.replies if reply.is_host), None)
    if host_reply is not None:
        host = (host_reply.author or "austin").split()[0].lower()
        question.drafts[host] = Draft(host=host, text=host_reply.text, updated_at=queue._at())
    return question


def _demo_question(raw: dict[str, Any], at: str) -> Question:
    data = {key: value for key, value in raw.items() if key not in ("key", "duplicate_of")}
    data["import_key"] = f"demo:{raw['key']}"
    if data.get("episode"):
        data["answered_on"] = "air"
    question = Question.from_dict(data)
    question.history.append(
        HistoryEntry(at=at, host="demo", action="received", note=f"via {question.source.kind}")
    )
    return question


def load_demo(queue: QuestionQueue) -> int:
    """Load the demo set (hosts, episodes, saved replies, questions); returns questions added."""
    demo = orjson.loads((bundled("data") / "demo.json").read_bytes())
    at = queue._at()
    with queue.store.transaction() as tx:
        settings = {
            "podcast": demo.get("podcast", ""),
            "hosts": demo.get("hosts", []),
            "saved_replies": demo.get("saved_replies", []),
            DEMO_FLAG: True,
        }
        tx.put_settings(settings)
        ids: dict[str, int] = {}
        seed = _seed_question(queue)
        added = (
            [tx.put_question(seed.to_dict())] if not tx.id_for_import_key(seed.import_key) else []
        )
        for raw in demo["questions"]:
            key = f"demo:{raw['key']}"
            if tx.id_for_import_key(key):
                continue
            ids[raw["key"]] = tx.put_question(_demo_question(raw, at).to_dict())
            added.append(ids[raw["key"]])
        for raw in demo["questions"]:
            if raw.get("duplicate_of") and raw["key"] in ids:
                doc = tx.get(ids[raw["key"]])
                doc["duplicate_of"] = ids.get(raw["duplicate_of"])
                tx.put_question(doc)
        for episode in demo.get("episodes", []):
            members = [
                (raw.get("timestamp") or "99:99:99", ids[raw["key"]])
                for raw in demo["questions"]
                if raw.get("episode") == episode["number"] and raw["key"] in ids
            ]
            tx.put_episode({**episode, "question_ids": [i for _, i in sorted(members)]})
    return len(added)
