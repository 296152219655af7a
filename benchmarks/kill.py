"""kill -9 harness: does every acknowledged change survive a writer killed at a random moment?

    python benchmarks/kill.py --trials 1000 [--migrations 100] [--repairs 100] [--seed 1]

Each trial spawns a fresh ``python -c`` writer on one shared database (it grows from trial to
trial). The writer assigns, tags, drafts and inserts in a loop and prints each change only
after the call returned, flushed: those lines are the acknowledged changes. The parent waits
for the writer to be open, sleeps a random 0–50 ms, SIGKILLs it, then opens the database
in-process and checks that it opens (else "corrupt") and that every acknowledged change is
there (else "lost"). A change is checked through the question's history: the writer prints
the revision the change produced, and history[revision - 1] must be that change, even if a
later change overwrote the field. Small checkpoint and compaction thresholds make kills land
in snapshot writes and compactions too (the writer runs maintenance after each change, as the
command line does); what those leave behind must be removed by a later writer, or be provably
not removable.

Migration trials build a database of the first format, kill a process upgrading it, then open
it (which finishes the upgrade) and check every question and its history. Repair trials damage
one record of a database, kill `doctor --repair` part-way, repair again, and check the result
is what an uninterrupted repair gives, with the damaged bytes in the quarantine file.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from qa_queue.errors import QaQueueError
from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store

HOSTS = ("austin", "jordan")

WRITER = """
import sys
from datetime import UTC

from qa_queue.model.question import Question
from qa_queue.queue import QuestionQueue
from qa_queue.store import Store
from qa_queue.store import maintenance as maintenance_module
from qa_queue.store import store as store_module

path, trial, checkpoint_bytes, compact_min_bytes, seed = sys.argv[1:]
maintenance_module.COMPACT_MIN_BYTES = int(compact_min_bytes)
store = Store(path, checkpoint_bytes=int(checkpoint_bytes))
hosts = ("austin", "jordan")
queues = {host: QuestionQueue(store, me=host, zone=UTC) for host in hosts}
ids = [s["id"] for s in store.summaries()]
print("ready", flush=True)
for i in range(10**9):
    queue = queues[hosts[i % 2]]
    question_id = ids[(int(seed) + i * 7919) % len(ids)]
    label = f"t{trial}-{i}"
    kind = ("assign", "tag", "draft", "add")[i % 4]
    if kind == "assign":
        host = hosts[store.summary(question_id)["host"] == hosts[0]]
        done = queue.assign(question_id, host)
        label = host
    elif kind == "tag":
        done = queue.tag(question_id, [label])
    elif kind == "draft":
        done = queue.save_draft(question_id, label)
    else:
        body = "I was told to ask about this. " * 20
        done = queue.add(Question(title=label, body=body, received_at="2026-11-01T10:00:00Z"))
        ids.append(done.id)
    print(kind, done.id, done.revision, label, queue.me, flush=True)
    if store.maintenance_due():  # after the change is acknowledged, as the CLI does
        store.maintain()
"""


@dataclass
class Tally:
    trials: int = 0
    corrupt: int = 0
    lost: int = 0
    acknowledged: int = 0
    torn_tails: int = 0
    orphans_left: Counter[str] = field(default_factory=Counter)  # by kind
    orphans_seen: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)


def setup(path: Path) -> None:
    with Store(path) as store:
        queue = QuestionQueue(store, me="austin", zone=UTC)
        for host in HOSTS:
            queue.add_host(host)
        queue.import_questions(
            Question(title=f"Seed {n}", body="A listener asks.", received_at="2026-11-01T10:00:00Z")
            for n in range(20)
        )


def orphans(path: Path, generation: int | None) -> set[str]:
    """Files a crash may leave: temp snapshots, journals of another generation."""
    names = set()
    for other in path.parent.glob(f"{path.name}.*"):
        suffix = other.name[len(path.name) + 1 :]
        stale_journal = suffix.startswith("journal.") and suffix != f"journal.{generation}"
        if suffix.startswith("tmp-") or stale_journal:
            names.add(other.name)
    return names


def current_generation(path: Path) -> int | None:
    """The generation the snapshot names, read the way the store reads its header."""
    head = path.read_bytes()[:4096]
    marker = b'"generation":'
    if marker not in head:
        return None
    digits = head.split(marker, 1)[1].split(b",", 1)[0]
    return int(digits) if digits.isdigit() else None


def check(store: Store, line: list[str]) -> str | None:
    """Why an acknowledged change is missing, or None if it is there."""
    kind, question_id, revision, label, host = line
    try:
        doc = store.get(int(question_id))
    except QaQueueError as error:
        return f"{kind} #{question_id}: {error}"
    history = doc.get("history") or []
    if kind == "add":
        return None if doc["title"] == label else f"add #{question_id}: title {doc['title']!r}"
    if len(history) < int(revision):
        return f"{kind} #{question_id}: history ends before revision {revision}"
    entry = history[int(revision) - 1]
    changes = entry.get("changes") or {}
    if kind == "assign":
        found = entry["action"] == "assign" and changes.get("host", [None, None])[1] == label
    elif kind == "tag":
        found = entry["action"] == "tags" and label in changes.get("tags", [[], []])[1]
    else:
        drafts = changes.get("drafts", [{}, {}])[1]
        found = entry["action"] == "draft" and (drafts.get(host) or {}).get("text") == label
    return None if found else f"{kind} #{question_id} revision {revision}: found {entry}"


def trial(number: int, path: Path, args: argparse.Namespace, rng: random.Random, tally: Tally):
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WRITER,
            str(path),
            str(number),
            str(args.checkpoint_bytes),
            str(args.compact_min_bytes),
            str(rng.randrange(1000)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    ready = writer.stdout.readline()
    if ready != "ready\n":
        _, err = writer.communicate()
        raise SystemExit(f"trial {number}: the writer did not start:\n{err}")
    time.sleep(rng.uniform(0, args.max_delay_ms / 1000))
    writer.send_signal(signal.SIGKILL)
    out, err = writer.communicate()
    if writer.returncode != -signal.SIGKILL:
        tally.failures.append(f"trial {number}: the writer stopped on its own:\n{err}")
    # a line cut short by the kill was never acknowledged
    lines = [line.split(" ") for line in out.splitlines(keepends=True) if line.endswith("\n")]
    lines = [[part.strip() for part in line] for line in lines]
    before = orphans(path, current_generation(path))
    tally.trials += 1
    tally.orphans_left.update(
        "snapshot temp"
        if name[len(path.name) + 1 :].startswith("tmp-")
        else "other-generation journal"
        for name in before - tally.orphans_seen
    )
    tally.orphans_seen |= before
    try:
        with Store(path) as store:
            tally.torn_tails += store.journal.size() > store.position.read_to
            missing = [why for line in lines if (why := check(store, line))]
    except Exception as error:  # anything: a database that does not open is the finding
        tally.corrupt += 1
        tally.failures.append(f"trial {number}: corrupt: {type(error).__name__}: {error}")
        return
    tally.acknowledged += len(lines)
    tally.kinds.update(line[0] for line in lines)
    if missing:
        tally.lost += 1
        tally.failures.append(f"trial {number}: lost {len(missing)}: {missing[:3]}")


# -- migration and repair trials ------------------------------------------------------------------

UPGRADER = """
import sys, time
from qa_queue.store import Store
print("ready", flush=True)
started = time.perf_counter()
Store(sys.argv[1]).close()
print("done", time.perf_counter() - started, flush=True)
"""

REPAIRER = """
import sys, time
from qa_queue.store.repair import repair
print("ready", flush=True)
started = time.perf_counter()
repair(sys.argv[1])
print("done", time.perf_counter() - started, flush=True)
"""

# How long an uninterrupted upgrade or repair took, so kills land inside them: a kill at a
# random moment up to that long after the child is ready (updated from runs that finished).
took = {"upgrade": 0.05, "repair": 0.05}


def first_format_questions(count: int, rng: random.Random) -> list[dict]:
    """Questions as the first format stored them: each version with its whole history."""
    docs = []
    for number in range(1, count + 1):
        doc = Question(
            title=f"Old question {number}",
            body="I was told to ask about this. " * rng.randint(5, 40),
            received_at="2026-11-01T10:00:00Z",
            id=number,
        ).to_dict()
        history = [{"at": "2026-11-01T10:00:00Z", "host": "import", "action": "received"}]
        for edit in range(rng.randint(0, 6)):
            history.append(
                {
                    "at": f"2026-11-02T10:{edit:02d}:00Z",
                    "host": HOSTS[edit % 2],
                    "action": "tags",
                    "changes": {"tags": [[], [f"t{edit}"]]},
                }
            )
        doc.update(history=history, revision=len(history))
        docs.append(doc)
    return docs


def _kill_part_way(script: str, path: Path, rng: random.Random, what: str) -> bool:
    """Run `script` on the database and SIGKILL it at a random moment after it is ready;
    whether it finished first."""
    delay = rng.uniform(0, took[what] * 1.2)
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    if child.stdout.readline() != "ready\n":
        raise SystemExit(f"the child did not start:\n{child.communicate()[1]}")
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate()
    last = (out.strip().splitlines() or [""])[-1].split()
    if last[:1] == ["done"]:
        took[what] = max(took[what] * 0.8, float(last[1]))
        return True
    return False


def _state(store: Store) -> dict:
    return {
        "questions": {s["id"]: store.get(s["id"]) for s in store.summaries()},
        "episodes": store.episodes(),
        "settings": store.settings(),
    }


def migration_trial(number: int, folder: Path, rng: random.Random, tally: Tally) -> None:
    from qa_queue.store import legacy

    path = folder / f"migrate-{number}" / "q.json"
    path.parent.mkdir()
    docs = first_format_questions(rng.randint(50, 400), rng)
    legacy.build(path, docs, checkpointed=rng.random() < 0.5)
    finished = _kill_part_way(UPGRADER, path, rng, "upgrade")
    tally.trials += 1
    tally.kinds["migration finished before the kill" if finished else "migration killed"] += 1
    try:
        with Store(path) as store:  # finishes the upgrade if the kill stopped it
            lost = []
            for doc in docs:
                stored = store.get(doc["id"])
                if [e["action"] for e in stored["history"]] != [
                    e["action"] for e in doc["history"]
                ] or stored["title"] != doc["title"]:
                    lost.append(doc["id"])
            store.maintain()
            left = orphans(path, store.position.generation)
    except Exception as error:
        tally.corrupt += 1
        tally.failures.append(f"migration {number}: corrupt: {type(error).__name__}: {error}")
        return
    tally.acknowledged += len(docs)
    if lost:
        tally.lost += 1
        tally.failures.append(f"migration {number}: lost {lost[:5]}")
    tally.orphans_left.update(f"after a migration: {name}" for name in left)
    shutil.rmtree(path.parent)


def repair_trial(number: int, folder: Path, rng: random.Random, tally: Tally) -> None:
    from qa_queue.store import records
    from qa_queue.store.repair import repair

    base = folder / f"repair-{number}"
    reference, killed = base / "reference" / "q.json", base / "killed" / "q.json"
    reference.parent.mkdir(parents=True)
    setup(reference)
    with Store(reference) as store:
        queue = QuestionQueue(store, me="austin", zone=UTC)
        ids = [s["id"] for s in store.summaries()]
        for step in range(rng.randint(20, 120)):
            question_id = rng.choice(ids)
            if step % 3 == 0:
                queue.save_draft(question_id, f"draft {step} " * rng.randint(1, 30))
            else:
                queue.tag(question_id, [f"r{step}"])
    journal = reference.with_name(f"{reference.name}.journal.1")
    data = bytearray(journal.read_bytes())
    chosen = rng.choice([r for tx in records.scan(bytes(data)).transactions for r in tx][1:])
    data[rng.randrange(chosen.offset, chosen.end)] ^= 1 << rng.randrange(8)
    journal.write_bytes(bytes(data))
    killed.parent.mkdir()
    for name in ("q.json", "q.json.journal.1"):
        shutil.copy(reference.with_name(name), killed.with_name(name))
    repair(reference)
    with Store(reference) as store:
        expected = _state(store)
    finished = _kill_part_way(REPAIRER, killed, rng, "repair")
    tally.trials += 1
    tally.kinds["repair finished before the kill" if finished else "repair killed"] += 1
    try:
        repair(killed)  # again, or for the first time if the kill came before it began
        with Store(killed) as store:
            got = _state(store)
            generation = store.position.generation
            store.maintain()
        quarantine = killed.with_name("q.json.quarantine").read_bytes()
    except Exception as error:
        tally.corrupt += 1
        tally.failures.append(f"repair {number}: corrupt: {type(error).__name__}: {error}")
        return
    tally.acknowledged += len(expected["questions"])
    if got != expected or bytes(data[chosen.offset : chosen.end]) not in quarantine:
        tally.lost += 1
        differs = [
            i for i in expected["questions"] if got["questions"].get(i) != expected["questions"][i]
        ]
        tally.failures.append(
            f"repair {number}: differs from an uninterrupted repair: {differs[:5]}"
        )
    tally.orphans_left.update(f"after a repair: {name}" for name in orphans(killed, generation))
    shutil.rmtree(base)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--migrations", type=int, default=0, help="kills during upgrades")
    parser.add_argument("--repairs", type=int, default=0, help="kills during doctor --repair")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay-ms", type=float, default=50.0)
    parser.add_argument("--checkpoint-bytes", type=int, default=64 * 1024)
    parser.add_argument("--compact-min-bytes", type=int, default=512 * 1024)
    parser.add_argument("--keep", type=Path, help="put the database here and keep it")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="qa-queue-kill-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kill.json"
    if not path.exists():
        setup(path)
    rng = random.Random(args.seed)
    tally = Tally()
    started = time.perf_counter()
    try:
        for number in range(args.trials):
            trial(number, path, args, rng, tally)
            if (number + 1) % 100 == 0:
                print(f"  {number + 1} trials, {time.perf_counter() - started:.0f}s", flush=True)
        with Store(path) as store:
            questions, generation = len(store), store.position.generation
            store.maintain()  # what a writer removes of the leftovers seen on the way
        remaining = orphans(path, generation)
        seen = len(tally.orphans_seen)
        for number in range(args.migrations):
            migration_trial(number, folder, rng, tally)
        for number in range(args.repairs):
            repair_trial(number, folder, rng, tally)
        size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"trials                 {tally.trials}")
    print(f"corrupt                {tally.corrupt}")
    print(f"lost                   {tally.lost}")
    print(
        f"acknowledged checked   {tally.acknowledged} "
        f"({', '.join(f'{k} {n}' for k, n in sorted(tally.kinds.items()))})"
    )
    print(f"torn tails ignored     {tally.torn_tails}")
    left = ", ".join(f"{n} {kind}" for kind, n in sorted(tally.orphans_left.items())) or "none"
    print(f"leftover files seen    {seen} in the write trials ({left})")
    print(f"  still there at end   {len(remaining)} {sorted(remaining)[:5]}")
    print(f"database at the end    {questions} questions, generation {generation}, {size:,} bytes")
    per_trial = elapsed / max(tally.trials, 1) * 1000
    print(f"time                   {elapsed:.0f}s ({per_trial:.0f} ms a trial)")
    for failure in tally.failures[:20]:
        print(failure)
    if tally.corrupt or tally.lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
