"""Benchmark of our store against TinyDB's default JSONStorage on the same synthetic questions.

    python benchmarks/store.py [--sizes 1000,10000,50000,100000] [--changes 200] [--keep DIR]

For each size N it builds N questions (≈2 KB body of varied words, two drafts, a few history
entries, tags from a small set, statuses spread), writes them into both stores, and measures
in fresh processes, so no figure carries another's warm caches or memory:

- file size on disk (ours: snapshot + journal);
- open time: the first usable state after imports (median of 3 processes);
- one durable change, p50/p95 (ours: QuestionQueue.tag / set_priority on random questions,
  timed from the call to its return, as a host waits for it; the maintenance the command line
  and the app run after a change (checkpoints, compactions) is timed apart; TinyDB:
  ``table.update`` of one document, which rewrites and fsyncs the whole file);
- the cost of an edit after 1, 100 and 1,000 edits of one question (bytes appended, time):
  flat, since history entries are records of their own;
- a tag+status+text query (median of the runs in each process, then of the processes);
- peak memory (ru_maxrss) of the process that opened and queried.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

OPEN_PROCESSES = 3
QUERY = "status:new tag:pain naltrexone"
TAGS = ["pain", "sleep", "diet", "training", "finance", "tech", "supplements", "injury"]
STATUS_WEIGHTS = {
    "new": 30,
    "triaged": 20,
    "drafting": 15,
    "ready": 10,
    "answered": 20,
    "declined": 5,
}
HOSTS = ["austin", "jordan"]
_COMMON_WORDS = (
    "the a and of to in is it that for on with as was my have this be at but not you are "
    "about what how when does should can would could after before since every week month "
    "dose doses taking started stopped doctor study studies trial evidence effect effects "
    "pain sleep training muscle recovery budget index fund retirement laptop linux router "
    "protein fasting coffee magnesium vitamin knee shoulder back running lifting cycling"
)
COMMON = _COMMON_WORDS.split()
TARGETS = {
    "change_p50": 1.0,
    "change_p95": 1.0,
    "open": 300.0,
    "query": 30.0,
    "rss": 400.0,
    "disk_ratio": 1.3,
}
EDITS = 1000


# -- synthetic questions ----------------------------------------------------------------------


def _vocabulary(rng: random.Random) -> list[str]:
    """Common words plus made-up ones, so bodies vary the way real prose does."""
    syllables = ["ka", "lo", "mi", "ne", "ra", "to", "su", "vi", "de", "an", "or", "el", "ix"]
    invented = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)}
    return COMMON * 20 + sorted(invented)


def _prose(rng: random.Random, words: list[str], size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choices(words, k=rng.randint(6, 18)))
        out.append(sentence.capitalize() + ".")
        length += len(sentence) + 2
    return " ".join(out)


def synthetic_questions(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Question documents in our model's shape; the same list feeds both stores."""
    rng = random.Random(seed)
    words = _vocabulary(rng)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    docs = []
    for number in range(1, count + 1):
        received = start + timedelta(minutes=rng.randint(0, 8 * 365 * 24 * 60))
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        body = _prose(rng, words, 2000)
        if rng.random() < 0.25:
            cut = rng.randrange(len(body))
            body = f"{body[:cut]} naltrexone {body[cut:]}"
        docs.append(_question(rng, words, number, received, status, body))
    return docs


def _question(
    rng: random.Random, words: list[str], number: int, received: datetime, status: str, body: str
) -> dict[str, Any]:
    at = received.strftime("%Y-%m-%dT%H:%M:%SZ")
    later = (received + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    host = rng.choice(HOSTS) if status != "new" else None
    drafts = {h: {"host": h, "text": _prose(rng, words, 350), "updated_at": later} for h in HOSTS}
    answered = status in ("ready", "answered")
    history = [
        {"at": at, "host": "unknown", "action": "received", "changes": {}, "note": "via forum"},
        {"at": later, "host": "austin", "action": "tags", "changes": {"tags": [[], ["x"]]}},
        {"at": later, "host": "jordan", "action": "draft", "changes": {}, "note": ""},
    ]
    return {
        "id": 0,
        "title": " ".join(rng.choices(words, k=rng.randint(4, 9))).capitalize() + "?",
        "body": body,
        "received_at": at,
        "source": {"kind": "forum", "ref": f"https://forum.example/t/{number}"},
        "listener": {"name": f"Listener {number}", "contact": f"l{number}@example.org"},
        "status": status,
        "host": host,
        "priority": rng.randint(0, 3),
        "tags": rng.sample(TAGS, 2),
        "drafts": drafts,
        "answer": {"text": drafts["austin"]["text"], "host": "austin", "answered_at": later}
        if answered
        else None,
        "history": history,
        "import_key": f"bench:{number}",
    }


# -- building the two databases -----------------------------------------------------------------


def build_ours(path: Path, docs: list[dict[str, Any]]) -> None:
    """One store transaction per 1000 questions, as a bulk import commits them. Not through
    QuestionQueue.import_questions: that also looks for near-duplicates of every question
    (similarity.py), which is most of an import's time at 50k and not the store's."""
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store

    with Store(path) as store:
        queue = QuestionQueue(store, me="austin", zone=UTC)
        queue.add_host("austin")
        queue.add_host("jordan")
        for start in range(0, len(docs), 1000):
            with store.transaction() as tx:
                for doc in docs[start : start + 1000]:
                    tx.put_question(doc)
        store.maintain()  # as the command line does once an import is done


def build_tinydb(path: Path, docs: list[dict[str, Any]]) -> None:
    """The file TinyDB would write after inserting the documents (inserting 50k one by one
    through TinyDB is quadratic, and we want to measure reading and changing, not building)."""
    table = {str(i): {**doc, "id": i, "revision": 1} for i, doc in enumerate(docs, 1)}
    path.write_text(json.dumps({"_default": table}))


def _size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.exists())


def ours_files(path: Path) -> list[Path]:
    return [path, *path.parent.glob(f"{path.name}.journal.*")]


# -- what each child process measures -----------------------------------------------------------


def peak_memory_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries that over from the
    parent through fork and exec, so every child would report the builder's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: best effort


def child_open(kind: str, path: str, runs: int) -> dict[str, Any]:
    """Open, query `runs` times, report the times and this process's peak memory."""
    if kind == "ours":
        before_imports = time.perf_counter()
        from qa_queue.gc_pause import gc_paused
        from qa_queue.queue import QuestionQueue
        from qa_queue.store import Store

        started = time.perf_counter()
        imports = started - before_imports
        with gc_paused():  # as the command line opens it (cli/context.py)
            store = Store(path)
            gc.freeze()
        opened = time.perf_counter()
        queue = QuestionQueue(store, me="austin", zone=UTC)

        def query() -> int:
            return len(queue.find(QUERY))
    else:
        before_imports = time.perf_counter()
        from tinydb import Query, TinyDB

        started = time.perf_counter()
        imports = started - before_imports
        db = TinyDB(path)
        # cache_size=0: TinyDB's query cache goes stale when another process writes the file
        table = db.table("_default", cache_size=0)
        len(table)  # TinyDB reads lazily: this is the first usable moment
        opened = time.perf_counter()
        q = Query()
        condition = (
            q.tags.any(["pain"])
            & (q.status == "new")
            & q.body.search("naltrexone", flags=re.IGNORECASE)
        )

        def query() -> int:
            return len(table.search(condition))

    times, hits = [], 0
    for _ in range(runs):
        before = time.perf_counter()
        hits = query()
        times.append(time.perf_counter() - before)
    return {
        "open_ms": (opened - started) * 1000,
        "import_ms": imports * 1000,
        "query_ms": statistics.median(times) * 1000,
        "hits": hits,
        "rss_mb": peak_memory_mb(),
    }


def child_change(kind: str, path: str, count: int, seed: int) -> dict[str, Any]:
    """`count` durable changes to random questions, each timed on its own."""
    rng = random.Random(seed)
    times: list[float] = []
    upkeep: list[float] = []
    if kind == "ours":
        from qa_queue.gc_pause import gc_paused
        from qa_queue.queue import QuestionQueue
        from qa_queue.store import Store

        with gc_paused():  # as the command line opens it (cli/context.py)
            store = Store(path)
            gc.freeze()
        queue = QuestionQueue(store, me="austin", zone=UTC)
        ids = [s["id"] for s in store.summaries()]
        for number in range(count):
            question_id = rng.choice(ids)
            before = time.perf_counter()
            if number % 2:
                priority = (store.summary(question_id)["priority"] + 1) % 4
                queue.set_priority(question_id, priority)
            else:
                queue.tag(question_id, [f"bench-{number}"])
            times.append(time.perf_counter() - before)
            if store.maintenance_due():  # as the command line does after the change
                before = time.perf_counter()
                store.maintain()
                upkeep.append(time.perf_counter() - before)
    else:
        from tinydb import TinyDB

        table = TinyDB(path).table("_default", cache_size=0)
        ids = [doc.doc_id for doc in table.all()]
        for number in range(count):
            question_id = rng.choice(ids)
            before = time.perf_counter()
            table.update({"priority": number % 4}, doc_ids=[question_id])
            times.append(time.perf_counter() - before)
    times.sort()
    return {
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": times[min(len(times) - 1, round(0.95 * len(times)))] * 1000,
        "count": count,
        "upkeep": len(upkeep),
        "upkeep_max_ms": max(upkeep, default=0) * 1000,
    }


def child_edits(path: str, edits: int) -> dict[str, Any]:
    """`edits` changes to one question (its priority, a tag on and off, its draft rewritten,
    in turn): the bytes each one appends and its time, at the 1st, 100th and 1,000th."""
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store

    store = Store(path)
    queue = QuestionQueue(store, me="austin", zone=UTC)
    question_id = max(s["id"] for s in store.summaries())
    journal = store.journal
    sizes, times = [], []
    tags = store.summary(question_id)["tags"]
    for number in range(edits):
        start, before = journal.size(), time.perf_counter()
        # edits that change the question without making it bigger: only its history grows
        if number % 3 == 0:
            queue.set_priority(question_id, (store.summary(question_id)["priority"] + 1) % 4)
        elif number % 3 == 1:
            if "edited" in tags:
                queue.tag(question_id, remove=["edited"])
            else:
                queue.tag(question_id, ["edited"])
            tags = store.summary(question_id)["tags"]
        else:
            queue.save_draft(question_id, f"Draft {number % 10}: " + "careful words " * 40)
        times.append(time.perf_counter() - before)
        if store.journal is journal:
            sizes.append(journal.size() - start)
        else:  # a compaction switched generations: measure from the new one
            journal = store.journal
            sizes.append(sizes[-1])
        if store.maintenance_due():
            store.maintain()
            journal = store.journal
    history = len(store.history(question_id))

    def at(n: int) -> dict[str, float]:
        window = slice(max(0, n - 6), n)  # the edits before the n-th: each kind twice
        return {
            "bytes": statistics.median(sizes[window]),
            "ms": statistics.median(times[window]) * 1000,
        }

    return {"points": {n: at(n) for n in (6, 100, edits) if n <= edits}, "history": history}


def _run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"child {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the parent: build, measure, print ------------------------------------------------------------


def tinydb_changes(size: int) -> int:
    """TinyDB rewrites the whole file per change (seconds at 50k): take fewer samples there."""
    return 50 if size <= 1000 else 30 if size <= 10000 else 20 if size <= 50000 else 10


def measure(size: int, folder: Path, changes: int) -> list[dict[str, Any]]:
    docs = synthetic_questions(size)
    ours, tiny = folder / f"ours-{size}.json", folder / f"tinydb-{size}.json"
    started = time.perf_counter()
    build_ours(ours, docs)
    build_tinydb(tiny, docs)
    del docs
    print(f"  built {size:,} questions in {time.perf_counter() - started:.1f}s", flush=True)
    rows = []
    for kind, path, files, runs, count in (
        ("ours", ours, ours_files, 5, changes),
        ("tinydb", tiny, lambda p: [p], 3 if size > 10000 else 5, tinydb_changes(size)),
    ):
        size_bytes = _size(files(path))
        opens = [_run_child("open", kind, str(path), str(runs)) for _ in range(OPEN_PROCESSES)]
        change = _run_child("change", kind, str(path), str(count), str(size))
        rows.append(
            {
                "n": size,
                "store": kind,
                "file_mb": size_bytes / 1e6,
                "open_ms": statistics.median(o["open_ms"] for o in opens),
                "import_ms": statistics.median(o["import_ms"] for o in opens),
                "p50_ms": change["p50_ms"],
                "p95_ms": change["p95_ms"],
                "changes": change["count"],
                "upkeep": change.get("upkeep", 0),
                "upkeep_max_ms": change.get("upkeep_max_ms", 0.0),
                "query_ms": statistics.median(o["query_ms"] for o in opens),
                "hits": opens[0]["hits"],
                "rss_mb": max(o["rss_mb"] for o in opens),
            }
        )
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'N':>7} {'store':<7} {'file MB':>8} {'open ms':>8} {'change p50':>11} "
        f"{'p95':>9} {'(n)':>5} {'query ms':>9} {'hits':>5} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['n']:>7,} {r['store']:<7} {r['file_mb']:>8.1f} {r['open_ms']:>8.1f} "
            f"{r['p50_ms']:>8.2f} ms {r['p95_ms']:>6.2f} ms {r['changes']:>5} "
            f"{r['query_ms']:>9.1f} {r['hits']:>5} {r['rss_mb']:>8.0f}"
        )


def print_targets(rows: list[dict[str, Any]]) -> None:
    ours = [r for r in rows if r["store"] == "ours"]
    if not ours:
        return
    largest, smallest = ours[-1], ours[0]
    tiny = {r["n"]: r for r in rows if r["store"] == "tinydb"}
    for row in ours:
        if row["n"] < 50000 and row is not largest:
            continue
        checks = [
            ("one change p50", row["p50_ms"], TARGETS["change_p50"], "ms"),
            ("one change p95", row["p95_ms"], TARGETS["change_p95"], "ms"),
            ("open", row["open_ms"], TARGETS["open"], "ms"),
            ("query", row["query_ms"], TARGETS["query"], "ms"),
            ("peak memory", row["rss_mb"], TARGETS["rss"], "MB"),
        ]
        if row["n"] in tiny:
            ratio = row["file_mb"] / tiny[row["n"]]["file_mb"]
            checks.append(("disk vs TinyDB", ratio, TARGETS["disk_ratio"], "x"))
        print(f"\ntargets for our store at N={row['n']:,}:")
        for name, value, target, unit in checks:
            verdict = "ok" if value <= target else "MISSED"
            print(f"  {name:<15} {value:8.2f} {unit} (target <= {target:g} {unit}) {verdict}")
        print(
            f"  (maintenance after {row['upkeep']} of the {row['changes']} changes, outside "
            f"them: longest {row['upkeep_max_ms']:.0f} ms)"
        )
    imports = statistics.median(r["import_ms"] for r in ours)
    print(f"  (open is timed after imports; importing qa_queue.queue took {imports:.0f} ms more)")
    ratio = largest["p50_ms"] / smallest["p50_ms"]
    print(
        f"  change p50 {smallest['n']:,} -> {largest['n']:,}: x{ratio:.2f} "
        f"({'flat' if ratio < 1.5 else 'GROWS'})"
    )


def print_edits(edits: dict[int, dict[str, Any]]) -> None:
    print(f"\nedit cost of one question (median of the 6 edits up to each point; {EDITS} edits):")
    print(f"{'N':>7} {'edit':>6} {'bytes':>7} {'ms':>7}")
    for size, result in edits.items():
        points = result["points"]
        for n, point in points.items():
            label = 1 if int(n) == 6 else n
            print(f"{size:>7,} {label:>6} {point['bytes']:>7,.0f} {point['ms']:>7.2f}")
        first, last = points[min(points, key=int)], points[max(points, key=int)]
        growth = last["bytes"] / first["bytes"]
        verdict = "flat" if growth < 1.1 else "GROWS"
        print(
            f"        bytes 1st -> {EDITS}th: x{growth:.2f} ({verdict}); "
            f"{result['history']} history entries"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--changes", type=int, default=200, help="timed changes on our store")
    parser.add_argument("--keep", type=Path, help="build the databases here and keep them")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, kind, path, *rest = args.child
        if mode == "open":
            result = child_open(kind, path, int(rest[0]))
        elif mode == "edits":
            result = child_edits(path, int(rest[0]))
        else:
            result = child_change(kind, path, int(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="qa-queue-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, databases in {folder}")
    rows: list[dict[str, Any]] = []
    edits: dict[int, dict[str, Any]] = {}
    try:
        for size in sizes:
            rows.extend(measure(size, folder, args.changes))
            ours = folder / f"ours-{size}.json"
            edits[size] = _run_child("edits", "ours", str(ours), str(EDITS))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print_table(rows)
    print_targets(rows)
    print_edits(edits)
    print(f"\ntotal {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
