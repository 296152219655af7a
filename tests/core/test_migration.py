"""Databases of the first format (one JSON line per version, history inside each) are
upgraded on open: a new generation beside the old files, which go only once it is durable."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from qa_queue.errors import Damaged
from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store, leftovers, legacy
from tests.helpers import cli_read_only, needs_read_only


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file's bytes but the writers' lock file's (empty; taking the lock may make it)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix != ".lock"}


def old_question(question_id: int, edits: int = 2) -> dict:
    doc = Question(
        title=f"Does LDN help #{question_id}?",
        body="I read about low-dose naltrexone for fibromyalgia.",
        received_at="2026-11-01T10:00:00Z",
        id=question_id,
        tags=["pain"],
    ).to_dict()
    history = [{"at": "2026-11-01T10:00:00Z", "host": "import", "action": "received"}]
    for n in range(edits):
        history.append(
            {
                "at": f"2026-11-02T10:0{n}:00Z",
                "host": "austin",
                "action": "priority",
                "changes": {"priority": [n, n + 1]},
                "undone": n == 0 and edits > 1,  # the first format marked undone in place
            }
        )
    doc.update(history=history, revision=len(history), priority=edits)
    return doc


SETTINGS = {"podcast": "The Listener Hour", "hosts": [{"id": "austin", "name": "Austin"}]}
EPISODES = [{"number": 212, "title": "Pain", "air_date": None, "question_ids": [2]}]


@pytest.mark.parametrize("checkpointed", [True, False], ids=["indexed", "in-the-tail"])
def test_a_first_format_database_is_upgraded_with_everything_in_it(db_path, checkpointed, clock):
    docs = [old_question(n, edits=n) for n in range(1, 5)]
    legacy.build(db_path, docs, settings=SETTINGS, episodes=EPISODES, checkpointed=checkpointed)
    with Store(db_path) as store:
        assert store.position.generation == 2
        for doc in docs:
            stored = store.get(doc["id"])
            assert {k: v for k, v in stored.items() if k != "history"} == {
                k: v for k, v in doc.items() if k != "history"
            }
            assert [e["seq"] for e in stored["history"]] == list(range(1, len(doc["history"]) + 1))
            assert [e["action"] for e in stored["history"]] == [e["action"] for e in doc["history"]]
            assert store.summary(doc["id"])["updated_at"] == doc["history"][-1]["at"]
        assert store.settings() == SETTINGS
        assert store.episodes() == EPISODES
        queue = QuestionQueue(store, me="austin", clock=clock)
        assert queue.get(3).history[1].undone  # the first format's undone mark is kept
        assert queue.find("naltrexone", sort="id")[0]["id"] == 1
        queue.tag(2, ["sleep"])
    names = sorted(p.name for p in db_path.parent.iterdir())
    assert names == sorted([db_path.name, f"{db_path.name}.journal.2", f"{db_path.name}.lock"])
    with Store(db_path) as again:
        assert again.position.generation == 2 and again.get(2)["tags"] == ["pain", "sleep"]


def test_bytes_past_the_last_saved_change_are_kept_in_quarantine(db_path):
    legacy.build(db_path, [old_question(1)])
    tail = legacy.encode_line({"tx": 99, "t": "questions", "id": 9, "doc": {"id": 9}})[:-7]
    with db_path.with_name(f"{db_path.name}.journal.1").open("ab") as journal:
        journal.write(tail)
    with Store(db_path) as store:
        assert len(store) == 1
    parts = leftovers.quarantined_parts(db_path)
    assert [(p["file"], p["length"]) for p in parts] == [(f"{db_path.name}.journal.1", len(tail))]
    assert tail in leftovers.quarantine_path(db_path).read_bytes()


def test_a_damaged_first_format_journal_is_not_migrated_and_left_untouched(db_path):
    legacy.build(db_path, [old_question(n) for n in range(1, 4)], checkpointed=False)
    journal = db_path.with_name(f"{db_path.name}.journal.1")
    data = bytearray(journal.read_bytes())
    data[len(data) // 3] ^= 0x04
    journal.write_bytes(bytes(data))
    before = folder_bytes(db_path.parent)
    with pytest.raises(Damaged, match=r"journal\.1 is damaged at byte"):
        Store(db_path)
    assert folder_bytes(db_path.parent) == before


@needs_read_only
def test_upgrading_in_a_read_only_folder_says_so_and_changes_nothing(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    db_path = folder / "q.json"
    legacy.build(db_path, [old_question(1)])
    (folder / "q.json.lock").touch()
    before = folder_bytes(folder)
    done = cli_read_only([folder], "--db", str(db_path), "list")
    assert done.returncode == 4, done.stderr
    assert "needs to have its files upgraded" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert folder_bytes(folder) == before


def test_an_interrupted_upgrade_is_done_again_and_its_leftover_removed(db_path, monkeypatch):
    from qa_queue.store import store as store_module

    docs = [old_question(n) for n in range(1, 4)]
    legacy.build(db_path, docs)
    before = folder_bytes(db_path.parent)

    def crash(*_args):
        raise KeyboardInterrupt  # killed after the new generation, before the snapshot

    with monkeypatch.context() as patch:
        patch.setattr(store_module.snapshot, "write", crash)
        with pytest.raises(KeyboardInterrupt):
            Store(db_path)
    left = folder_bytes(db_path.parent)
    assert {k: v for k, v in left.items() if k in before} == before  # the old files as they were
    with Store(db_path) as store:
        assert store.position.generation == 3 and len(store) == 3
        assert store.maintain() == [f"removed {db_path.name}.journal.2"]
    assert orjson.loads(db_path.read_bytes()[:200].split(b',"tables"')[0] + b"}")["schema"] == 2
