"""Benchmark of `qa-queue serve` in headless Chromium (not a test).

    python benchmarks/serve.py [--questions 1000] [--sessions 8] [--chromium /usr/bin/chromium]

Builds a database of synthetic questions (benchmarks/store.py) with one host per session, each
with a password, serves it on a free loopback port (the server in a thread of this process),
and measures, per browser session:

- first paint: from asking for the signed-in page to the app's queue drawn in it (the page's
  websocket has carried the header line "you: HOST" and the first row's title);
  (the page's part, until its websocket opens, is the browser's: all the sessions' pages run
  in the one headless Chromium, on the same cores as the server, here; the server's part is
  from the websocket opening to the queue drawn);
- memory: the app process's resident set (RSS) and its proportional share (PSS: shared pages
  divided among the processes sharing them), once it has painted.

First one session alone, then `--sessions` sessions at once (all their pages asked for before
any has painted), on the one database. Targets: first paint <= 2 s, <= 120 MB per session.
Apps are forked from a process that has loaded them (web/forks.py), as `qa-queue serve` does;
`--afresh` starts each with a new Python instead, for comparison.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.web.serving: the server in a thread, Chromium

from tests.web.serving import Served, chromium  # noqa: E402

PAINT_TARGET_S = 2.0
MEMORY_TARGET_MB = 120.0


def build(path: Path, questions: int, hosts: list[str]) -> None:
    spec = importlib.util.spec_from_file_location("store_benchmark", HERE / "store.py")
    assert spec and spec.loader
    store_benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(store_benchmark)
    store_benchmark.build_ours(path, store_benchmark.synthetic_questions(questions))
    from qa_queue.queue import QuestionQueue
    from qa_queue.store import Store

    with Store(path) as store:
        queue = QuestionQueue(store)
        for host in hosts:
            queue.add_host(host)
            queue.set_password(host, f"{host}'s benchmark password")


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss


class Session:
    def __init__(self, browser, served: Served, host: str) -> None:
        self.host = host
        self.context = browser.new_context(viewport={"width": 1200, "height": 800})
        self.page = self.context.new_page()
        self.frames: list[bytes] = []
        # set before any frame can arrive: signing in opens the app once already
        self.started = self.painted = self.connected = 0.0
        self.page.on("websocket", self._opened)
        self.page.goto(served.url + "/sign-in")
        self.page.fill("#host", host)
        self.page.fill("#password", f"{host}'s benchmark password")
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        self.page.goto("about:blank")  # signed in; the app is asked for when measured
        self.frames.clear()
        self.started = self.painted = self.connected = 0.0

    def _opened(self, socket: object) -> None:
        self.connected = time.perf_counter()
        socket.on("framereceived", self._frame)  # type: ignore[attr-defined]

    def _frame(self, payload: object) -> None:
        if isinstance(payload, bytes):
            self.frames.append(payload)
            if not self.painted and f"you: {self.host}".encode() in b"".join(self.frames):
                self.painted = time.perf_counter()

    def ask(self, url: str) -> None:
        self.started = time.perf_counter()
        self.page.goto(url, wait_until="commit")


def wait_painted(sessions: list[Session], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not all(s.painted for s in sessions):
        if time.monotonic() > deadline:
            raise SystemExit("not every session painted within a minute")
        sessions[0].page.wait_for_timeout(10)


def measure(browser, served: Served, hosts: list[str]) -> list[dict[str, float]]:
    sessions = [Session(browser, served, host) for host in hosts]
    for session in sessions:
        session.ask(served.url + "/")
    wait_painted(sessions)
    apps = dict(served.wait_apps(len(hosts)))
    rows = []
    for session in sessions:
        rss, pss = memory_mb(apps[session.host] or 0)
        paint = session.painted - session.started
        page = session.connected - session.started
        rows.append({"paint": paint, "page": page, "rss": rss, "pss": pss})
    for session in sessions:
        session.context.close()
    served.wait_apps(0)
    return rows


def report(title: str, rows: list[dict[str, float]]) -> None:
    paints = [r["paint"] for r in rows]
    rss = [r["rss"] for r in rows]
    pss = [r["pss"] for r in rows]
    print(f"\n{title}")
    print(f"  first paint  median {statistics.median(paints):.2f} s, worst {max(paints):.2f} s")
    pages = [r["page"] for r in rows]
    print(
        f"    of which the page until its websocket opens: median "
        f"{statistics.median(pages):.2f} s, worst {max(pages):.2f} s"
    )
    apps = [r["paint"] - r["page"] for r in rows]
    print(
        f"    and the server's part, websocket to painted: median "
        f"{statistics.median(apps):.2f} s, worst {max(apps):.2f} s"
    )
    print(f"  memory RSS   median {statistics.median(rss):.0f} MB, worst {max(rss):.0f} MB")
    print(f"  memory PSS   median {statistics.median(pss):.0f} MB, worst {max(pss):.0f} MB")
    paint_ok = max(paints) <= PAINT_TARGET_S
    memory_ok = max(rss) <= MEMORY_TARGET_MB
    print(
        f"  targets: paint <= {PAINT_TARGET_S} s {'met' if paint_ok else 'MISSED'}; "
        f"<= {MEMORY_TARGET_MB:.0f} MB a session (RSS) {'met' if memory_ok else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--chromium", default=chromium())
    parser.add_argument("--afresh", action="store_true", help="no forks: a new Python each")
    args = parser.parse_args()
    if not args.chromium:
        raise SystemExit("no Chromium found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    hosts = [f"host{n}" for n in range(1, args.sessions + 1)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "queue.json"
        print(f"building {args.questions} questions and {len(hosts)} hosts…", flush=True)
        build(path, args.questions, hosts)
        served = Served(path, fork=not args.afresh)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=args.chromium, args=["--no-sandbox"]
                )
                report("one session alone", measure(browser, served, hosts[:1]))
                report(f"{len(hosts)} sessions at once", measure(browser, served, hosts))
                browser.close()
        finally:
            served.close()


if __name__ == "__main__":
    main()
