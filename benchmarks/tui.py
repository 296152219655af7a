"""Benchmark of the terminal app at 1k, 10k and 50k questions (headless, not a test).

    python benchmarks/tui.py [--sizes 1000,10000,50000] [--keep DIR] [--runs 3]

Builds each database with the synthetic questions of benchmarks/store.py (≈2 KB bodies, two
drafts, history; a quarter mention naltrexone), then measures each figure in fresh processes:

- open: Store(path), before the app exists;
- first paint: from constructing the app to the first screen update showing queue rows;
- cursor: one key (j) to the last screen update it causes: the table row and the detail pane;
- filter key: one character typed into the filter until its echo is painted, alone and while
  a search of the whole queue runs in its worker ("busy");
- filter run: the search that starts after a 0.25 s pause in typing, for each prefix of
  "naltrexone" typed in the All view (in a worker thread, among the last result when the host
  typed on, else among the view's rows), until the table shows its first rows ("first rows":
  the search shows the first 100 matches while it goes on) and until it shows all of them
  ("filter all");
- open detail (enter) and open the draft editor (r) until painted.

A "paint" is the app's own screen update (App._display, which headless runs compute but do not
write), so Pilot's idle wait after each key (≈40 ms, docs/COSTS.md) is not counted: each
figure is the time from the key event being sent to the last screen update it caused.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZE = (160, 50)
WORD = "naltrexone"
TARGETS_MS = {"first_paint": 1000.0, "cursor": 50.0, "filter_key": 50.0, "filter_busy": 50.0}
TARGETS_MS |= {"filter_first": 50.0}
TARGETS_MS |= {"open_detail": 50.0}  # opening a question (enter): the targets end here
NOW = datetime(2027, 1, 1, tzinfo=UTC)  # after every synthetic question (2019-2026)


def _store_benchmark() -> Any:
    """benchmarks/store.py's generator and builder (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("store_benchmark", HERE / "store.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(path: Path, size: int) -> None:
    bench = _store_benchmark()
    bench.build_ours(path, bench.synthetic_questions(size))


# -- the child: one app, every figure ---------------------------------------------------------


class Paints:
    """Times of the app's screen updates (wraps App._display)."""

    def __init__(self, app: Any) -> None:
        self.times: list[float] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.times.append(time.perf_counter())
            original(screen, renderable)

        app._display = display

    def since(self, start: float, first: bool = False) -> float | None:
        """Milliseconds from `start` to the last (or first) update after it (None: none)."""
        after = [t for t in self.times if t >= start]
        return ((after[0] if first else after[-1]) - start) * 1000 if after else None


async def settle(app: Any) -> None:
    """Wait for the app's workers; one replaced by a newer search counts as done."""
    await asyncio.gather(*(worker.wait() for worker in app.workers), return_exceptions=True)


async def _timed(paints: Paints, act: Any, first: bool = False) -> float:
    start = time.perf_counter()
    await act()
    took = paints.since(start, first)
    return took if took is not None else float("nan")


def child(path: str) -> dict[str, Any]:
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store
    from qa_queue.tui.app import QaQueueApp
    from qa_queue.tui.screens.draft import DraftEditor

    started = time.perf_counter()
    store = Store(path)
    opened = time.perf_counter()
    queue = QuestionQueue(store, me="austin", clock=lambda: NOW, zone=UTC)
    built = time.perf_counter()
    app = QaQueueApp(queue, refresh_interval=0, remember_host=lambda _host: None)
    paints = Paints(app)
    first: list[float] = []
    result: dict[str, Any] = {"open": (opened - started) * 1000}

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.queue_screen
            # the first update with rows in the table: the queue as a host first sees it
            while not first:
                if screen.table.rows and paints.times:
                    first.append(paints.times[0])
                    break
                await asyncio.sleep(0.001)
            result["rows"] = len(screen.table.rows)
            await settle(app)  # the view counts (a thread), then steady
            await pilot.pause()
            result["cursor"] = [await _timed(paints, lambda: pilot.press("j")) for _ in range(20)]
            await pilot.press("6")  # All: the filter's text search covers every question
            await settle(app)
            await pilot.press("slash")
            result["filter_key"] = [await _timed(paints, lambda c=c: pilot.press(c)) for c in WORD]
            busy = []
            for _ in range(5):
                screen.filter_bar.search_as_typed(
                    "zz-no-such-word"
                )  # the whole queue, in the worker
                # the first update is the echo; the search's own result comes later
                busy.append(await _timed(paints, lambda: pilot.press("x"), first=True))
                await settle(app)
                await pilot.press("backspace")
            result["filter_busy"] = busy
            screen.filter_bar.stop_typing()  # the typing above would start its own search
            await settle(app)
            screen.filter_bar.search_as_typed("")
            await settle(app)
            shown: list[float] = []  # when the table was given rows
            set_rows = screen.table.set_rows

            def noting(*args: Any, **kwargs: Any) -> None:
                shown.append(time.perf_counter())
                set_rows(*args, **kwargs)

            screen.table.set_rows = noting
            runs, firsts = [], []
            for end in range(1, len(WORD) + 1):

                async def search(prefix: str = WORD[:end]) -> None:
                    screen.filter_bar.search_as_typed(prefix)  # what the pause in typing starts
                    await settle(app)
                    await pilot.pause()

                shown.clear()
                start = time.perf_counter()
                runs.append(await _timed(paints, search))
                first_paint = next((t for t in paints.times if shown and t >= shown[0]), None)
                firsts.append((first_paint - start) * 1000 if first_paint else float("nan"))
            result["filter_first"], result["filter_run"] = firsts, runs
            each = ", ".join(
                f"{WORD[: i + 1]} {f:.0f}/{r:.0f}"
                for i, (f, r) in enumerate(zip(firsts, runs, strict=True))
            )
            print(f"filter runs (ms, first rows/all): {each}", file=sys.stderr)
            result["matches"] = len(screen.table.rows)
            await pilot.press("enter")  # done filtering: back to the table
            result["open_detail"] = [await _timed(paints, lambda: pilot.press("enter"))]
            await pilot.press("escape")
            editor = []
            for _ in range(5):
                editor.append(await _timed(paints, lambda: pilot.press("r")))
                assert isinstance(app.screen, DraftEditor)
                await pilot.press("escape", "j")
            result["open_editor"] = editor

    asyncio.run(run())
    result["first_paint"] = (first[0] - built) * 1000
    return result


# -- the parent: build, run children, print -----------------------------------------------------


def _run_child(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"child for {path} failed:\n{done.stderr}")
    if done.stderr.strip():
        print(f"  {path.parent.name}: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float:
    return statistics.median(values)


def summarise(size: int, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the runs (fresh processes); for repeated keys, median and worst."""

    def each(key: str) -> list[float]:
        return [v for run in runs for v in (run[key] if isinstance(run[key], list) else [run[key]])]

    return {
        "size": size,
        "rows": runs[0]["rows"],
        "matches": runs[0]["matches"],
        "open": _median(each("open")),
        "first_paint": _median(each("first_paint")),
        **{
            key: (_median(each(key)), max(each(key)))
            for key in (
                "cursor",
                "filter_key",
                "filter_busy",
                "filter_first",
                "filter_run",
                "open_detail",
                "open_editor",
            )
        },
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'questions':>9} {'open':>6} {'1st paint':>9} {'cursor':>13} {'filter key':>13} "
        f"{'key (busy)':>13} {'first rows':>13} {'filter all':>13} {'detail':>13} "
        f"{'editor':>13}"
    )
    print(header)
    print("-" * len(header))

    def pair(value: tuple[float, float]) -> str:
        return f"{value[0]:5.1f} / {value[1]:5.1f}"

    for row in rows:
        print(
            f"{row['size']:>9,} {row['open']:6.0f} {row['first_paint']:9.0f} "
            f"{pair(row['cursor']):>13} {pair(row['filter_key']):>13} "
            f"{pair(row['filter_busy']):>13} {pair(row['filter_first']):>13} "
            f"{pair(row['filter_run']):>13} "
            f"{pair(row['open_detail']):>13} {pair(row['open_editor']):>13}"
        )
    print("ms; open and first paint are medians; the others median / worst of every key and run")
    print(f"(inbox rows shown first; {rows[-1]['matches']:,} questions match {WORD!r} at the end)")


def print_targets(rows: list[dict[str, Any]]) -> None:
    largest = rows[-1]
    print(f"\ntargets at {largest['size']:,} questions:")
    for key, limit in TARGETS_MS.items():
        value = largest[key] if key == "first_paint" else largest[key][0]
        worst = largest[key] if key == "first_paint" else largest[key][1]
        verdict = "ok" if worst <= limit else ("median ok" if value <= limit else "MISSED")
        print(f"  {key:<12} ≤ {limit:5.0f} ms: median {value:6.1f}, worst {worst:6.1f}  {verdict}")
    print("not targets, for the record:")
    for key, what in (("filter_run", "a search's whole result"), ("open_editor", "draft editor")):
        median, worst = largest[key]
        print(f"  {what:<24} median {median:6.1f}, worst {worst:6.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per size")
    parser.add_argument("--keep", type=Path, help="build the databases here and keep them")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="qa-queue-bench-tui-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, {SIZE[0]}×{SIZE[1]} headless")
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"tui-{size}" / "q.json"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                began = time.perf_counter()
                build(path, size)
                print(f"built {size:,} questions in {time.perf_counter() - began:.0f}s")
            rows.append(summarise(size, [_run_child(path) for _ in range(args.runs)]))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print_table(rows)
    print_targets(rows)


if __name__ == "__main__":
    main()
