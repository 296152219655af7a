"""The store's contract: private files, durable changes, revision checks, crash and damage rules."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import orjson
import pytest

from qa_queue.errors import Damaged, DatabaseError, StaleRevision
from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store, records, schema
from qa_queue.store import maintenance as maintenance_module


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


def compact(queue: QuestionQueue) -> None:
    """Supersede some versions, then rewrite the live ones: a new generation."""
    generation = queue.store.position.generation
    for priority in [1, 2, 3, 0] * 5:
        queue.set_priority(1, priority)
    queue.store.compact()
    assert queue.store.position.generation == generation + 1


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
    from qa_queue.store.encoding import read_entry, read_question

    added = queue.add(question())
    queue.tag(added.id, ["naltrexone-trial"])
    scan = records.scan(journal(db_path).read_bytes())
    assert not scan.torn and scan.damage is None
    entry_record, question_record = scan.transactions[-1]  # one transaction: entry, version
    assert question_record.commit and not entry_record.commit
    version = read_question(question_record)
    assert (version.question_id, version.doc["tags"]) == (added.id, ["naltrexone-trial"])
    owner, _before, entry = read_entry(entry_record)
    assert (owner, entry["action"], entry["seq"]) == (added.id, "tags", 2)


def test_an_edit_writes_its_entry_and_the_current_state_only(queue, db_path):
    """History entries are records of their own: the 300th edit costs what the 3rd did."""
    added = queue.add(question())
    sizes = []
    for n in range(300):
        before = journal(db_path).stat().st_size
        queue.set_priority(added.id, n % 4 if n % 4 != queue.get(added.id).priority else 3)
        sizes.append(journal(db_path).stat().st_size - before)
    assert max(sizes) <= min(sizes) * 1.03  # only the digits of revisions and offsets grow
    assert len(queue.get(added.id).history) == 301


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
    with pytest.raises(StaleRevision, match="changed by Austin"):
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
        compact(co_host)
        expected = everything(other)
    assert {1, 3} <= filled.store.refresh()
    assert filled.store.position.generation == 2
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
    with Store(db_path, lock_timeout=0) as other, filled.store.locked():
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
            with pytest.raises(DatabaseError, match="lock is a folder"), reader.transaction() as tx:
                tx.put_settings({})


def test_the_writers_lock_keeps_threads_of_one_process_apart(store):
    """flock alone would let two threads sharing the store's descriptor both in."""
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with store.locked():
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
        assert reopened.position.read_to == reopened.position.covered  # nothing left to replay
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
    monkeypatch.setattr(maintenance_module, "COMPACT_MIN_BYTES", 0)
    filled.store.checkpoint_bytes = 3000
    for priority in [1, 2, 3, 0] * 10:
        filled.set_priority(4, priority)  # superseded versions pile up
        if filled.store.maintenance_due():
            filled.store.maintain()
    assert filled.store.position.generation > 1
    generation = filled.store.position.generation
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


# -- checkpoints are after the change, never inside it ------------------------------------------


def test_a_change_never_checkpoints_inside_itself(db_path, clock, monkeypatch):
    """'Done' means on disk: a change returns once its record is durable; the checkpoint
    waits for maintain(), whose failure is its own."""
    with Store(db_path, checkpoint_bytes=100) as store:
        queue = QuestionQueue(store, me="austin", clock=clock)
        queue.add_host("austin")

        def broken(*_args, **_kwargs):
            raise DatabaseError("the snapshot cannot be written (read-only folder)")

        monkeypatch.setattr(maintenance_module.snapshot, "write", broken)
        added = queue.add(question(body="words " * 100))  # past the threshold: no error
        assert store.maintenance_due()
        with pytest.raises(DatabaseError, match="read-only folder"):
            store.maintain()
    with Store(db_path) as reopened:
        assert reopened.get(added.id)["title"] == added.title


# -- torn tails and damage ------------------------------------------------------------------------


def _uncommitted() -> bytes:
    """Intact records of a transaction whose last record never made it to disk."""
    payload = orjson.dumps({"q": 77, "prev": None, "e": {"action": "torn", "seq": 1}})
    return records.encode("H", payload) + records.encode("H", payload)


@pytest.mark.parametrize(
    "tail",
    [
        b"Q",  # a header cut after its first byte
        b"QQH\x00\x00",  # a header cut short
        records.encode("H", b'{"q": 77}')[:20],  # a record cut inside its payload
        _uncommitted(),  # whole records, no commit
        _uncommitted()[:-5],
    ],
    ids=["one-byte", "header-cut", "payload-cut", "uncommitted", "uncommitted-cut"],
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
        assert data.startswith(good)
        scan = records.scan(data)  # the tail was cut, and the change appended in its place
        assert not scan.torn and scan.damage is None and scan.end == len(data)
    with Store(db_path) as reopened:
        assert reopened.summary(5)["priority"] == 2
        assert 77 not in {s["id"] for s in reopened.summaries()}


@pytest.mark.parametrize(
    "tail",
    [b"garbage that is not a record\n", b"\0" * 64, b"QQZ" + b"\0" * 40],
    ids=["garbage", "zeros", "unknown-kind"],
)
def test_bytes_after_the_last_commit_that_are_not_ours_are_damage(filled, db_path, tail):
    """Only a provable torn tail may be cut: anything else is reported and kept, even when
    a write is attempted."""
    filled.store.close()
    with journal(db_path).open("ab") as f:
        f.write(tail)
    before = folder_bytes(db_path.parent)
    with pytest.raises(Damaged, match=r"damaged at byte \d+"):
        Store(db_path)
    assert folder_bytes(db_path.parent) == before


def test_a_flipped_byte_in_the_last_committed_record_is_damage_not_a_torn_tail(
    filled, db_path, clock
):
    """An acknowledged draft must not vanish, nor be cut off by the next write."""
    filled.save_draft(2, "Acknowledged draft about LDN dosing.")
    filled.store.close()
    data = bytearray(journal(db_path).read_bytes())
    data[-30] ^= 0x01
    journal(db_path).write_bytes(bytes(data))
    before = folder_bytes(db_path.parent)
    with pytest.raises(Damaged, match="checksum does not match"):
        Store(db_path)
    assert folder_bytes(db_path.parent) == before


def test_a_damaged_record_in_the_checkpointed_part_is_reported_when_read(filled, db_path):
    filled.store.checkpoint()
    location = filled.store.summary(3)["_loc"]
    filled.store.close()
    data = bytearray(journal(db_path).read_bytes())
    data[location[0] + 40] ^= 0x40
    journal(db_path).write_bytes(bytes(data))
    before = folder_bytes(db_path.parent)
    with Store(db_path) as reopened:
        assert reopened.summary(3)["title"] == "Question 3"  # the index still lists it
        with pytest.raises(Damaged, match=f"damaged at byte {location[0]}"):
            reopened.get(3)
        assert reopened.get(2)["title"] == "Question 2"
        with pytest.raises(Damaged), reopened.transaction() as tx:  # nor is it edited
            tx.put_question({**reopened.get(3, history=False), "priority": 1})
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


def test_journal_without_snapshot_is_refused(filled, db_path):
    filled.store.close()
    db_path.unlink()
    before = folder_bytes(db_path.parent)
    with pytest.raises(DatabaseError, match=r"index\) is missing, but its journal"):
        Store(db_path)
    assert folder_bytes(db_path.parent) == before


def test_missing_journal_is_refused(filled, db_path):
    filled.store.close()
    journal(db_path).unlink()
    with pytest.raises(DatabaseError, match="is missing"):
        Store(db_path)
    assert not journal(db_path).exists()


# -- what crashes leave behind --------------------------------------------------------------------


def test_opening_never_removes_anything(filled, db_path):
    filled.store.close()
    journal(db_path, 9).write_bytes(b"half-written")
    db_path.with_name(f"{db_path.name}.tmp-4242").write_bytes(b"")
    before = folder_bytes(db_path.parent)
    with Store(db_path) as reopened:
        assert len(reopened) == 5 and reopened.maintenance_due()
    assert folder_bytes(db_path.parent) == before


def test_a_writer_removes_leftovers_it_can_prove_are_its_own(filled, db_path, clock):
    """Temp snapshots of this database and empty ones go; files it cannot prove are ours
    (a journal-named file of garbage, another database's temp file) stay."""
    ours = db_path.with_name(f"{db_path.name}.tmp-4242")
    ours.write_bytes(db_path.read_bytes()[:200])  # a snapshot write cut short
    empty = db_path.with_name(f"{db_path.name}.tmp-4343")
    empty.write_bytes(b"")
    garbage = journal(db_path, 9)
    garbage.write_bytes(b"half-written")
    stranger = db_path.with_name(f"{db_path.name}.tmp-4444")
    stranger.write_bytes(b'{"format":"qa-queue","schema":2,"database":"other","tables":{}}')
    filled.store.close()
    with Store(db_path) as reopened:
        QuestionQueue(reopened, me="austin", clock=clock).set_priority(1, 2)
        assert sorted(reopened.maintain()) == sorted(
            [f"removed {ours.name}", f"removed {empty.name}"]
        )
    assert not ours.exists() and not empty.exists()
    assert garbage.read_bytes() == b"half-written"
    assert stranger.exists()


def test_an_older_generation_left_by_a_crash_is_removed_once_proved_superseded(filled, db_path):
    """A compaction that crashed after switching the snapshot but before removing the old
    journal: every committed byte of it is in the new generation."""
    for priority in [1, 2, 3, 0] * 5:
        filled.set_priority(1, priority)
    old = journal(db_path).read_bytes()
    filled.store.compact()
    before = everything(filled.store)
    journal(db_path, 1).write_bytes(old)
    filled.store.close()
    with Store(db_path) as reopened:
        assert everything(reopened) == before
        assert reopened.maintenance_due()
        assert reopened.maintain() == [f"removed {journal(db_path, 1).name}"]
    assert not journal(db_path, 1).exists() and journal(db_path, 2).exists()


def test_an_older_generation_with_changes_of_its_own_is_kept(filled, db_path, clock):
    """Restored from elsewhere with a change the current generation does not have."""
    old = journal(db_path).read_bytes()
    filled.store.compact()
    filled.store.close()
    # a change appended to generation 1 after the copy was made
    extra = records.encode("S", orjson.dumps({"doc": {"podcast": "Only in 1"}}), commit=True)
    journal(db_path, 1).write_bytes(old + extra)
    with Store(db_path) as reopened:
        QuestionQueue(reopened, me="austin", clock=clock).set_priority(2, 2)
        assert reopened.maintain() == []
    assert journal(db_path, 1).read_bytes() == old + extra


def test_an_unfinished_new_generation_is_removed(filled, db_path, clock, monkeypatch):
    """A compaction that crashed before its snapshot named the new generation: a copy that
    nobody used goes (generation 1 is still in charge and holds everything)."""

    def crash(*_args):
        raise KeyboardInterrupt  # stands for the process being killed here

    with monkeypatch.context() as patch:
        patch.setattr(maintenance_module.snapshot, "write", crash)
        with pytest.raises(KeyboardInterrupt):
            filled.store.compact()
    assert journal(db_path, 2).exists()
    filled.store.close()
    before = journal(db_path, 1).read_bytes()
    with Store(db_path) as reopened:
        assert reopened.position.generation == 1
        QuestionQueue(reopened, me="austin", clock=clock).set_priority(3, 1)
        assert reopened.maintain() == [f"removed {journal(db_path, 2).name}"]
    assert journal(db_path, 1).read_bytes().startswith(before)


def test_nothing_is_cleaned_up_while_another_store_holds_the_lock(filled, db_path):
    orphan = db_path.with_name(f"{db_path.name}.tmp-4242")
    orphan.write_bytes(b"")
    with filled.store.locked(), Store(db_path, lock_timeout=0) as other:
        assert len(other) == 5
        with pytest.raises(DatabaseError, match="busy"):
            other.maintain()
    assert orphan.exists()


def test_open_survives_a_compaction_between_reading_snapshot_and_journal(
    filled, db_path, monkeypatch
):
    """Another process compacts (and removes journal 1) just after we read the old snapshot."""
    from qa_queue.store import snapshot as snapshot_module

    stale = snapshot_module.read(db_path)
    compact(filled)
    before = everything(filled.store)
    assert not journal(db_path, 1).exists()
    real_read = snapshot_module.read
    served = []

    def read(path):
        if path == db_path and not served:
            served.append(path)
            return stale
        return real_read(path)

    monkeypatch.setattr(snapshot_module, "read", read)
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
    assert len(store.texts._kept or {}) == len(store)

    other = Store(db_path)  # another host's change, picked up by a refresh
    QuestionQueue(other, me="austin", clock=clock).set_notes(2, "creatine only")
    other.close()
    store.refresh()
    assert store.texts_kept and len(store.texts._kept or {}) == len(store)
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


def test_a_generation_holding_nothing_but_its_header_is_removed(filled, db_path):
    """A compaction killed right after it wrote its new file's header: there is no data in
    it, whatever generation it names."""
    from qa_queue.store.journal import header_payload

    database = filled.store.database
    filled.store.close()
    header_only = journal(db_path, 7)
    header_only.write_bytes(records.encode("J", header_payload(database, 7, None), commit=True))
    cut_short = journal(db_path, 8)  # and one killed in the middle of its copy
    cut_short.write_bytes(
        records.encode("J", header_payload(database, 8, {"generation": 5, "end": 9}), commit=True)
        + records.encode("Q", b"partial")[:20]
    )
    with Store(db_path) as reopened:
        assert sorted(reopened.maintain()) == [
            f"removed {header_only.name}",
            f"removed {cut_short.name}",
        ]


def test_an_earlier_copy_of_what_the_current_generation_holds_is_removed(filled, db_path):
    """Copies made from a generation the current one descends from, never used: what they
    hold is in the current generation, or older than what it holds."""
    filled.store.compact()  # 2, copied from 1
    stray = journal(db_path, 2).read_bytes()
    filled.set_priority(2, 3)
    filled.store.compact()  # 3, copied from 2 (which goes)
    filled.store.compact()  # 4, copied from 3
    journal(db_path, 2).write_bytes(stray)  # as if a copy of 1 had been left behind
    filled.store.close()
    with Store(db_path) as reopened:
        assert reopened.maintain() == [f"removed {journal(db_path, 2).name}"]
