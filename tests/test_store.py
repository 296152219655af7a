"""The store's contract: private files, durable changes, revision checks, crash and damage rules."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import orjson
import pytest

from qa_queue.errors import DatabaseError, StaleRevision
from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store, schema
from qa_queue.store import store as store_module
from qa_queue.store.journal import encode


def journal(db_path: Path, generation: int = 1) -> Path:
    return db_path.with_name(f"{db_path.name}.journal.{generation}")


def question(title: str = "Does LDN help fibromyalgia?", **fields) -> Question:
    fields.setdefault("body", "I read about low-dose naltrexone for fibromyalgia pain.")
    fields.setdefault("received_at", "2026-11-01T10:00:00Z")
    return Question(title=title, **fields)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def snapshot_of(db_path: Path) -> dict:
    return orjson.loads(db_path.read_bytes())


def compact(queue: QuestionQueue, monkeypatch) -> None:
    """Make most of the journal superseded versions, then checkpoint: a new generation."""
    monkeypatch.setattr(store_module, "COMPACT_MIN_BYTES", 0)
    generation = queue.store._generation
    for priority in [1, 2, 3, 0] * 5:
        queue.set_priority(1, priority)
    queue.store.checkpoint()
    assert queue.store._generation == generation + 1


def everything(store: Store) -> dict:
    """All a store holds, in a form two stores can be compared by."""
    return {
        "questions": {s["id"]: store.get(s["id"]) for s in store.summaries()},
        "summaries": {
            s["id"]: {k: v for k, v in s.items() if k != "_loc"} for s in store.summaries()
        },
        "episodes": store.episodes(),
        "settings": store.settings(),
    }


@pytest.fixture
def filled(queue: QuestionQueue) -> QuestionQueue:
    """A queue with a few questions that went through typical changes."""
    ids = queue.import_questions(
        [question(f"Question {n}", import_key=f"forum:{n}") for n in range(1, 6)]
    ).added
    queue.tag(ids[0], ["pain", "ldn"])
    queue.assign(ids[0], "jordan")
    queue.set_status(ids[1], "triaged")
    queue.save_draft(ids[0], "Austin's take on LDN.")
    queue.set_priority(ids[2], 3)
    queue.save_episode(12, "Pain and sleep", "2026-12-01")
    queue.set_podcast("The Listener Hour")
    return queue


# -- files ----------------------------------------------------------------------------------------


def test_new_database_files_are_private(db_path, clock):
    previous = os.umask(0)  # the code, not the umask, must keep listeners' data private
    try:
        with Store(db_path) as store:
            QuestionQueue(store, me="austin", clock=clock).add(question())
    finally:
        os.umask(previous)
    for path in (db_path, journal(db_path), Path(f"{db_path}.lock")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_snapshot_stays_private_after_checkpoint(filled, db_path):
    previous = os.umask(0)
    try:
        filled.store.checkpoint()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


# -- durability and reopening ---------------------------------------------------------------------


def test_reopen_sees_every_change(filled, db_path):
    before = everything(filled.store)
    filled.store.close()
    with Store(db_path) as reopened:
        assert everything(reopened) == before
    assert before["questions"][1]["tags"] == ["pain", "ldn"]
    assert before["questions"][1]["host"] == "jordan"
    assert before["questions"][1]["drafts"]["austin"]["text"] == "Austin's take on LDN."


def test_change_is_in_the_journal_when_the_call_returns(queue, db_path):
    added = queue.add(question())
    queue.tag(added.id, ["naltrexone-trial"])
    last_line = journal(db_path).read_bytes().splitlines()[-1]
    record = orjson.loads(last_line.split(b"\t", 1)[1])
    assert record["id"] == added.id
    assert record["doc"]["tags"] == ["naltrexone-trial"]
    assert record["end"] == 1


def test_failed_transaction_writes_nothing(store, db_path):
    size = journal(db_path).stat().st_size
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put_question(question().to_dict())
        raise RuntimeError("the operation failed half-way")
    assert journal(db_path).stat().st_size == size
    assert len(store) == 0


# -- revisions, import keys, episodes, settings ---------------------------------------------------


def test_stale_revision_is_refused_and_nothing_overwritten(queue, db_path):
    seen = queue.add(question())
    queue.tag(seen.id, ["pain"])  # a co-host's change since we read it
    size = journal(db_path).stat().st_size
    with pytest.raises(StaleRevision, match="changed by austin"):
        queue.set_priority(seen.id, 2, expected_revision=seen.revision)
    assert journal(db_path).stat().st_size == size
    current = queue.get(seen.id)
    assert (current.priority, current.tags, current.revision) == (0, ["pain"], seen.revision + 1)


def test_stale_revision_in_a_raw_transaction(store):
    with store.transaction() as tx:
        question_id = tx.put_question(question().to_dict())
    doc = store.get(question_id)
    with store.transaction() as tx:
        tx.put_question({**doc, "priority": 1}, expected_revision=doc["revision"])
    with pytest.raises(StaleRevision), store.transaction() as tx:
        tx.put_question({**doc, "priority": 2}, expected_revision=doc["revision"])
    assert store.get(question_id)["priority"] == 1
    assert store.summary(question_id)["revision"] == 2


def test_import_key_finds_the_question_before_and_after_reopen(queue, db_path):
    first = queue.import_questions([question(import_key="forum:4ddffec9")])
    again = queue.import_questions([question(import_key="forum:4ddffec9")])
    assert again.added == [] and again.skipped == first.added
    assert queue.store.id_for_import_key("forum:4ddffec9") == first.added[0]
    assert queue.store.id_for_import_key("forum:unknown") is None
    queue.store.close()
    with Store(db_path) as reopened:
        assert reopened.id_for_import_key("forum:4ddffec9") == first.added[0]


def test_same_import_key_twice_in_one_transaction_is_one_question(queue):
    result = queue.import_questions([question(import_key="mail:1"), question(import_key="mail:1")])
    assert len(result.added) == 1 and result.skipped == result.added


def test_episodes_and_settings_round_trip(filled, db_path):
    filled.store.close()
    with Store(db_path) as reopened:
        assert reopened.episodes() == [
            {"number": 12, "title": "Pain and sleep", "air_date": "2026-12-01", "question_ids": []}
        ]
        settings = reopened.settings()
        assert settings["podcast"] == "The Listener Hour"
        assert [h["id"] for h in settings["hosts"]] == ["austin", "jordan"]
        with reopened.transaction() as tx:
            tx.delete_episode(12)
    with Store(db_path) as reopened:
        assert reopened.episodes() == [] and reopened.episode(12) is None


def test_ids_are_never_reused(queue):
    ids = [queue.add(question(f"Q{n}")).id for n in range(3)]
    assert ids == [1, 2, 3]


# -- other processes' changes ---------------------------------------------------------------------


def test_refresh_picks_up_another_stores_changes(filled, db_path, clock):
    with Store(db_path) as other:
        co_host = QuestionQueue(other, me="jordan", clock=clock)
        co_host.tag(2, ["sleep"])
        added = co_host.add(question("A new one"))
    assert filled.store.refresh() == {2, added.id}
    assert filled.store.summary(2)["tags"] == ["sleep"]
    assert filled.get(added.id).title == "A new one"
    assert filled.store.refresh() == set()


def test_refresh_is_cheap_when_nothing_changed(filled, monkeypatch):
    def no_scan(*_args):
        raise AssertionError("refresh read the journal although nothing changed")

    monkeypatch.setattr(filled.store._journal, "scan", no_scan)
    assert filled.store.refresh() == set()


def test_refresh_follows_another_stores_compaction(filled, db_path, monkeypatch, clock):
    before = everything(filled.store)
    with Store(db_path) as other:
        co_host = QuestionQueue(other, me="jordan", clock=clock)
        co_host.tag(3, ["diet"])
        compact(co_host, monkeypatch)
        expected = everything(other)
    assert {1, 3} <= filled.store.refresh()
    assert filled.store._generation == 2
    after = everything(filled.store)
    assert after == expected
    assert after["questions"][3]["tags"] == ["diet"]
    assert after["questions"][2] == before["questions"][2]


def test_a_change_after_someone_elses_change_catches_up_first(filled, db_path, clock):
    with Store(db_path) as other:
        QuestionQueue(other, me="jordan", clock=clock).tag(1, ["sleep"])
    updated = filled.tag(1, ["diet"])  # no explicit refresh: the transaction catches up
    assert updated.tags == ["pain", "ldn", "sleep", "diet"]


def test_a_held_lock_makes_a_writer_give_up_with_a_clear_message(filled, db_path):
    with Store(db_path, lock_timeout=0) as other, filled.store._locked():
        with pytest.raises(DatabaseError, match="is busy"), other.transaction() as tx:
            tx.put_settings({})
        assert other.summary(1)["tags"] == ["pain", "ldn"]  # reading needs no lock
    with Store(db_path, lock_timeout=0) as other, other.transaction() as tx:
        tx.put_settings({**other.settings(), "podcast": "Renamed"})
    assert filled.podcast() == "The Listener Hour"  # until it refreshes
    filled.store.refresh()
    assert filled.podcast() == "Renamed"


def test_a_lock_file_that_cannot_be_opened_allows_reading_and_refuses_writing(filled, db_path):
    filled.store.close()
    lock = Path(f"{db_path}.lock")
    lock.unlink()
    lock.mkdir()  # stands for a folder this user may read but not write
    with Store(db_path) as reader:
        assert reader.summary(1)["tags"] == ["pain", "ldn"]
        for _attempt in range(2):  # the failed attempt left nothing half-taken
            with pytest.raises(DatabaseError, match="cannot lock"), reader.transaction() as tx:
                tx.put_settings({})


def test_the_writers_lock_keeps_threads_of_one_process_apart(store):
    """flock alone would let two threads sharing the store's descriptor both in."""
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with store._locked():
            holding.set()
            done.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait()
    try:
        assert store._lock.acquire(timeout=0) is False
    finally:
        done.set()
        holder.join()
    assert store._lock.acquire(timeout=0) is True
    store._lock.release()


# -- checkpoint and compaction --------------------------------------------------------------------


def test_checkpoint_then_reopen(filled, db_path):
    before = everything(filled.store)
    filled.store.checkpoint()
    assert snapshot_of(db_path)["covered"] == journal(db_path).stat().st_size
    filled.store.close()
    with Store(db_path) as reopened:
        assert reopened._read_to == reopened._covered  # nothing left to replay
        assert everything(reopened) == before


def test_checkpoint_happens_on_its_own_past_the_threshold(db_path, clock):
    with Store(db_path, checkpoint_bytes=2000) as store:
        queue = QuestionQueue(store, me="austin", clock=clock)
        for n in range(5):
            queue.add(question(f"Q{n}", body="words " * 200))
        assert snapshot_of(db_path)["covered"] > 0


def test_compaction_keeps_all_data_and_removes_the_old_generation(
    filled, db_path, monkeypatch, clock
):
    monkeypatch.setattr(store_module, "COMPACT_MIN_BYTES", 0)
    filled.store.checkpoint_bytes = 3000
    for priority in [1, 2, 3, 0] * 5:
        filled.set_priority(4, priority)  # superseded versions pile up
    assert filled.store._generation > 1
    generation = filled.store._generation
    before = everything(filled.store)
    assert before["questions"][4]["priority"] == 0
    assert not journal(db_path, 1).exists()
    assert sorted(p.name for p in db_path.parent.iterdir()) == sorted(
        [db_path.name, journal(db_path, generation).name, f"{db_path.name}.lock"]
    )
    filled.store.close()
    with Store(db_path) as reopened:
        assert everything(reopened) == before
        assert QuestionQueue(reopened, me="austin", clock=clock).tag(4, ["x"]).tags == ["x"]


# -- torn tails and damage ------------------------------------------------------------------------


def _uncommitted_line() -> bytes:
    """A well-formed line of a transaction whose last line never made it to disk."""
    record = {"tx": 999_999, "t": "questions", "id": 77, "doc": {"id": 77, "title": "torn"}}
    return encode(record, b"torn")


@pytest.mark.parametrize(
    "tail",
    [
        b"3a4b",  # a line cut short
        b'0123abcd 0 \t{"tx": 1, "t": "questions", "id"',
        b"garbage that is not a record\n",
        _uncommitted_line(),
        _uncommitted_line()[:-20],
    ],
    ids=["cut", "half-record", "garbage-line", "uncommitted", "uncommitted-cut"],
)
def test_torn_tail_is_ignored_on_open_and_truncated_on_next_write(filled, db_path, tail, clock):
    before = everything(filled.store)
    filled.store.close()
    good = journal(db_path).read_bytes()
    with journal(db_path).open("ab") as f:
        f.write(tail)
    with Store(db_path) as reopened:
        assert everything(reopened) == before
        assert journal(db_path).read_bytes() == good + tail  # opening never writes
        QuestionQueue(reopened, me="austin", clock=clock).set_priority(5, 2)
        data = journal(db_path).read_bytes()
        assert data.startswith(good) and tail not in data
    with Store(db_path) as reopened:
        assert reopened.summary(5)["priority"] == 2
        assert 77 not in {s["id"] for s in reopened.summaries()}


def test_damaged_line_followed_by_good_lines_is_refused_untouched(filled, db_path):
    filled.store.close()
    data = bytearray(journal(db_path).read_bytes())
    lines = bytes(data).splitlines(keepends=True)
    middle = sum(len(line) for line in lines[: len(lines) // 2]) + 40
    data[middle] ^= 0x20  # one flipped bit in a line that later lines follow
    journal(db_path).write_bytes(bytes(data))
    before = folder_bytes(db_path.parent)
    with pytest.raises(DatabaseError, match="damaged at byte"):
        Store(db_path)
    assert folder_bytes(db_path.parent) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"questions": [1, 2, 3]}', "JSON of another kind"),
        (b'{"_default": {}}', "a plain TinyDB file"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"not json at all", "not readable JSON"),
        (b"\x89PNG\r\n\x1a\n", "not readable JSON"),
    ],
)
def test_foreign_file_is_refused_and_left_unchanged(db_path, content, reason):
    db_path.write_bytes(content)
    with pytest.raises(DatabaseError, match=f"not a qa-queue database \\(it is {reason}\\)"):
        Store(db_path)
    assert db_path.read_bytes() == content
    assert not journal(db_path).exists()


def test_missing_file_is_not_created_when_asked_not_to(db_path):
    with pytest.raises(DatabaseError, match="there is no database"):
        Store(db_path, create=False)
    assert not db_path.exists()


def test_newer_schema_is_refused(filled, db_path):
    filled.store.close()
    snapshot = snapshot_of(db_path)
    snapshot["schema"] = schema.SCHEMA + 1
    db_path.write_bytes(orjson.dumps(snapshot))
    before = folder_bytes(db_path.parent)
    with pytest.raises(DatabaseError, match="newer qa-queue"):
        Store(db_path)
    assert folder_bytes(db_path.parent) == before


def test_older_schema_is_migrated_and_rewritten(filled, db_path, monkeypatch):
    before = everything(filled.store)
    filled.store.close()
    calls = []

    def add_legacy_tag(doc: dict) -> dict:
        calls.append(doc["id"])
        return {**doc, "tags": [*doc["tags"], "from-v1"]}

    monkeypatch.setattr(schema, "SCHEMA", 2)
    monkeypatch.setattr(schema, "MIGRATIONS", {1: add_legacy_tag})
    with Store(db_path) as migrated:
        assert sorted(calls) == sorted(before["questions"])
        for question_id, doc in before["questions"].items():
            assert migrated.get(question_id)["tags"] == [*doc["tags"], "from-v1"]
            assert migrated.summary(question_id)["tags"] == [*doc["tags"], "from-v1"]
            assert migrated.summary(question_id)["revision"] == doc["revision"]
        assert migrated.settings() == before["settings"]
        assert migrated.episodes() == before["episodes"]
    assert snapshot_of(db_path)["schema"] == 2
    assert snapshot_of(db_path)["generation"] == 2
    assert not journal(db_path, 1).exists()
    calls.clear()
    with Store(db_path) as again:
        assert calls == []  # migrated once, for good
        assert again.get(1)["tags"] == ["pain", "ldn", "from-v1"]


def test_journal_without_snapshot_is_refused(filled, db_path):
    filled.store.close()
    db_path.unlink()
    before = folder_bytes(db_path.parent)
    with pytest.raises(DatabaseError, match="refusing to start a new database"):
        Store(db_path)
    assert folder_bytes(db_path.parent) == before


def test_missing_journal_is_refused(filled, db_path):
    filled.store.close()
    journal(db_path).unlink()
    with pytest.raises(DatabaseError, match="is missing"):
        Store(db_path)
    assert not journal(db_path).exists()


# -- what crashes leave behind --------------------------------------------------------------------


def test_orphans_of_crashes_are_cleaned_up_on_open(filled, db_path):
    before = everything(filled.store)
    filled.store.close()
    orphans = [
        db_path.with_name(f"{db_path.name}.tmp-4242"),  # a snapshot write that never finished
        journal(db_path, 2),  # a compaction that crashed before its snapshot was written
        journal(db_path, 9),
    ]
    for orphan in orphans:
        orphan.write_bytes(b"half-written")
    with Store(db_path) as reopened:
        assert everything(reopened) == before
    assert not any(orphan.exists() for orphan in orphans)
    assert journal(db_path).exists()


def test_older_generation_left_by_a_crash_is_cleaned_up(filled, db_path, monkeypatch):
    """A compaction that crashed after switching the snapshot but before removing the old file."""
    old = journal(db_path).read_bytes()
    compact(filled, monkeypatch)
    before = everything(filled.store)
    filled.store.close()
    journal(db_path, 1).write_bytes(old)
    with Store(db_path) as reopened:
        assert everything(reopened) == before
    assert not journal(db_path, 1).exists() and journal(db_path, 2).exists()


def test_nothing_is_cleaned_up_while_another_store_holds_the_lock(filled, db_path):
    orphan = db_path.with_name(f"{db_path.name}.tmp-4242")
    orphan.write_bytes(b"maybe being written right now")
    with filled.store._locked(), Store(db_path) as other:
        assert len(other) == 5
    assert orphan.exists()


def test_open_survives_a_compaction_between_reading_snapshot_and_journal(
    filled, db_path, monkeypatch
):
    """Another process compacts (and removes journal 1) just after we read the old snapshot."""
    stale_snapshot = db_path.read_bytes()
    compact(filled, monkeypatch)
    before = everything(filled.store)
    assert not journal(db_path, 1).exists()
    real_read_bytes = Path.read_bytes
    served = []

    def read_bytes(path: Path) -> bytes:
        if path == db_path and not served:
            served.append(path)
            return stale_snapshot
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with Store(db_path) as opened:
        assert served and everything(opened) == before


def test_texts_kept_in_memory_answer_like_the_journal_and_follow_new_versions(db_path, clock):
    from qa_queue.model.question import Question
    from qa_queue.queue import QuestionQueue

    store = Store(db_path)
    queue = QuestionQueue(store, me="austin", clock=clock)
    queue.add_host("austin")
    for n in range(6):
        queue.add(
            Question(
                title=f"q{n}",
                body="naltrexone" if n % 2 else "creatine",
                received_at="2026-11-01T10:00:00Z",
            )
        )
    before = [e["id"] for e in store.containing(list(store.summaries()), b"naltrexone")]
    store.keep_texts()
    assert [e["id"] for e in store.containing(list(store.summaries()), b"naltrexone")] == before
    assert store.texts_kept
    queue.set_notes(1, "ask about naltrexone dosing")  # a new version: its text is kept too
    hits = [e["id"] for e in store.containing(list(store.summaries()), b"naltrexone")]
    assert sorted(hits) == sorted([*before, 1])
    # one text a question: the old version's went (a long-open app does not grow with edits)
    assert len(store._texts or {}) == len(store)

    other = Store(db_path)  # another host's change, picked up by a refresh
    QuestionQueue(other, me="austin", clock=clock).set_notes(2, "creatine only")
    other.close()
    store.refresh()
    assert store.texts_kept and len(store._texts or {}) == len(store)
    hits = [e["id"] for e in store.containing(list(store.summaries()), b"creatine only")]
    assert hits == [2]
    store.close()


def test_noting_changes_names_the_questions_changed_inside_only(db_path, clock):
    from qa_queue.model.question import Question
    from qa_queue.queue import QuestionQueue

    store = Store(db_path)
    queue = QuestionQueue(store, me="austin", clock=clock)
    queue.add_host("austin")
    for n in range(3):
        queue.add(Question(title=f"q{n}", body="b", received_at="2026-11-01T10:00:00Z"))
    queue.set_priority(1, 2)  # before: not noted
    with store.noting_changes() as ours:
        queue.mark_duplicate(3, 2)  # the original's count changes too
        other = Store(db_path)
        QuestionQueue(other, me="austin", clock=clock).set_priority(1, 3)
        other.close()
    assert ours == {2, 3}  # another process's change is not ours until read
    with store.noting_changes() as read:
        store.refresh()
    assert read == {1}
    store.close()
