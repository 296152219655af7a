"""Several processes on one database: nothing lost, no id collisions, stale edits refused, and
every acknowledged change survives kill -9.

Each worker is a fresh interpreter (``sys.executable -c``) with its own Store. Workers print
"ready" once open and wait for "go" on stdin, so two of them really write at the same time;
the parent synchronises only through those pipes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

from qa_queue.errors import StaleRevision
from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store

WORKER = textwrap.dedent(
    """
    import sys
    from datetime import UTC

    from qa_queue.errors import StaleRevision
    from qa_queue.model.question import Question
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store
    from qa_queue.store import maintenance as maintenance_module
    from qa_queue.store import store as store_module

    mode, path, name, checkpoint_bytes, *args = sys.argv[1:]
    if int(checkpoint_bytes):  # checkpoint and compact all the time, under the other's feet
        maintenance_module.COMPACT_MIN_BYTES = 0
    store = Store(path, checkpoint_bytes=int(checkpoint_bytes) or store_module.CHECKPOINT_BYTES)
    queue = QuestionQueue(store, me=name, zone=UTC)

    def new(title):
        return Question(title=title, body="words " * 50, received_at="2026-11-01T10:00:00Z")

    def maintained(done):  # what the CLI and the app do after a change
        if store.maintenance_due():
            store.maintain()
        return done

    print("ready", flush=True)
    if mode != "loop":
        sys.stdin.readline()  # "go"
    if mode == "tags":
        shared, own = args[0].split(","), args[1].split(",")
        for i in range(int(args[2])):
            ids = shared if i % 2 else own
            maintained(queue.tag(int(ids[i // 2 % len(ids)]), [f"{name}-{i}"]))
    elif mode == "adds":
        for i in range(int(args[0])):
            print(queue.add(new(f"{name}-{i}")).id, flush=True)
    elif mode == "stale":
        try:
            queue.set_priority(int(args[0]), int(args[2]), expected_revision=int(args[1]))
            print("changed", flush=True)
        except StaleRevision as error:
            print("stale", error, flush=True)
    elif mode == "loop":  # until killed; each line is printed only once the change is durable
        mine = [int(i) for i in args[0].split(",")]
        for i in range(10**9):
            if i % 3 == 2:
                added = queue.add(new(f"{name}-{i}"))
                mine.append(added.id)
                print("add", added.id, added.title, flush=True)
            else:
                question_id = mine[i % len(mine)]
                maintained(queue.tag(question_id, [f"{name}-{i}"]))
                print("tag", question_id, f"{name}-{i}", flush=True)
    print("done", flush=True)
    """
)


def spawn(mode: str, db_path, name: str, *args: object, checkpoint_bytes: int = 0):
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, mode, str(db_path), name, str(checkpoint_bytes)]
        + [str(a) for a in args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line == "ready\n", worker.communicate()[1]
    return worker


def run_together(*workers: subprocess.Popen) -> list[list[str]]:
    """Let the workers go at once; their output lines, once all have finished."""
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outputs.append(out.splitlines())
    return outputs


def _ids(ids: list[int]) -> str:
    return ",".join(map(str, ids))


def fill(queue: QuestionQueue, count: int) -> list[int]:
    questions = [
        Question(title=f"Q{n}", body="body " * 50, received_at="2026-11-01T10:00:00Z")
        for n in range(count)
    ]
    return queue.import_questions(questions).added


@pytest.mark.parametrize("checkpoint_bytes", [0, 30_000], ids=["append", "compacting"])
def test_two_processes_times_200_changes_lose_nothing(queue, db_path, checkpoint_bytes):
    ids = fill(queue, 12)
    shared, own_a, own_b = ids[:4], ids[4:8], ids[8:]
    count = 200
    run_together(
        *(
            spawn(
                "tags",
                db_path,
                name,
                _ids(shared),
                _ids(own),
                count,
                checkpoint_bytes=checkpoint_bytes,
            )
            for name, own in (("austin", own_a), ("jordan", own_b))
        )
    )

    expected: dict[int, set[str]] = {i: set() for i in ids}
    for name, own in (("austin", own_a), ("jordan", own_b)):
        for i in range(count):
            group = shared if i % 2 else own
            expected[group[i // 2 % len(group)]].add(f"{name}-{i}")
    queue.store.refresh()
    with Store(db_path) as reopened:
        for store in (queue.store, reopened):
            for question_id, tags in expected.items():
                summary = store.summary(question_id)
                assert set(summary["tags"]) == tags
                assert summary["revision"] == 1 + len(tags)  # every change counted once
                assert len(store.get(question_id)["history"]) == 1 + len(tags)
            total = sum(store.summary(i)["revision"] for i in ids)
            assert total == len(ids) + 2 * count
    if checkpoint_bytes:
        assert queue.store.position.generation > 1  # the compactions really happened


def test_concurrent_inserts_never_collide_on_ids(queue, db_path):
    before = fill(queue, 3)
    outputs = run_together(
        spawn("adds", db_path, "austin", 100), spawn("adds", db_path, "jordan", 100)
    )
    ids = [int(line) for out in outputs for line in out if line != "done"]
    assert len(ids) == len(set(ids)) == 200
    with Store(db_path) as reopened:
        assert sorted(s["id"] for s in reopened.summaries()) == list(range(1, 204))
        titles = {s["title"] for s in reopened.summaries()}
        assert {f"{name}-{i}" for name in ("austin", "jordan") for i in range(100)} <= titles
    assert before == [1, 2, 3]


def test_stale_revision_is_refused_across_processes(queue, db_path):
    question_id = fill(queue, 1)[0]
    seen = queue.get(question_id).revision  # what every host is looking at
    (first,) = run_together(spawn("stale", db_path, "jordan", question_id, seen, 2))
    assert first[0] == "changed"
    (second,) = run_together(spawn("stale", db_path, "austin", question_id, seen, 3))
    assert second[0].startswith("stale") and "changed by Jordan" in second[0]
    with pytest.raises(StaleRevision, match="changed by Jordan"):
        queue.set_priority(question_id, 1, expected_revision=seen)
    assert queue.get(question_id).priority == 2
    assert queue.get(question_id).revision == seen + 1


def test_kill_9_never_loses_an_acknowledged_change(queue, db_path):
    rng = random.Random(20261124)
    ids = fill(queue, 4)
    queue.store.close()
    for trial in range(5):
        worker = spawn("loop", db_path, f"k{trial}", _ids(ids))
        assert worker.stdout is not None
        acknowledged = [worker.stdout.readline() for _ in range(rng.randint(1, 40))]
        os.kill(worker.pid, signal.SIGKILL)  # somewhere inside the next change
        rest, _ = worker.communicate()
        assert worker.returncode == -signal.SIGKILL
        acknowledged += rest.splitlines(keepends=True)
        lines = [line.split() for line in acknowledged if line.endswith("\n")]
        assert lines, "the worker acknowledged nothing"
        with Store(db_path) as reopened:
            for kind, question_id, label in lines:
                summary = reopened.summary(int(question_id))
                if kind == "tag":
                    assert label in summary["tags"], (trial, label)
                else:
                    assert summary["title"] == label, (trial, label)
        ids = [int(question_id) for _kind, question_id, _label in lines] or ids
