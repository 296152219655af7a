"""Benchmark of `qa-queue serve` in headless Chromium (not a test).

    python benchmarks/serve.py [--questions 1000] [--sessions 8] [--chromium /usr/bin/chromium]

Builds a database of synthetic questions (benchmarks/store.py) with one host per session, each
with a password, runs `qa-queue serve` on it on a free loopback port (its own process, as a
show runs it), and measures, per browser session:

- first paint: from the navigation to the signed-in page starting to the app's queue reaching
  it (the page's websocket has carried the header line "you: HOST"), timed by the page itself
  (an init script; Performance timing, relative to the navigation's start). It is split into
  the page's part (until it opens its websocket: loading textual.js and starting xterm.js,
  the browser's work) and the server's (from the websocket opening to the queue drawn:
  forking the app, which composes and draws the screen);
- memory: each app process's resident set (RSS) and its proportional share (PSS: shared
  pages divided among the processes sharing them), once every tab has painted.

First one session alone, then `--sessions` sessions at once (all their pages asked for before
any has painted), on the one database; all the pages run in one headless Chromium, on the same
cores as the server. Each session is its own browser profile (signed in as its host), so no
page reuses another's cache; each has loaded the page once when it signed in, as a host has.
Targets: first paint <= 2 s, <= 120 MB per session.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.web.serving: where Chromium is

from tests.web.serving import chromium  # noqa: E402

PAINT_TARGET_S = 2.0
MEMORY_TARGET_MB = 120.0

# Timed in the page: when it opens the app's websocket, when that opens, and when the queue's
# header ("you: HOST") has come through it; performance.now() counts from the navigation.
TIMING = """
(() => {
  const timing = (window.__qaTiming = {});
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      timing.asked = performance.now();
      const decoder = new TextDecoder();
      let seen = "";
      this.addEventListener("open", () => { timing.opened = performance.now(); });
      this.addEventListener("message", (event) => {
        if (timing.painted || !(event.data instanceof ArrayBuffer)) return;
        seen = seen.slice(-64) + decoder.decode(event.data, { stream: true });
        if (seen.includes(window.__qaMarker)) timing.painted = performance.now();
      });
    }
  };
})();
"""


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
            queue.set_password(host, password(host))


def password(host: str) -> str:
    return f"{host}'s benchmark password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`qa-queue serve` on the database, in a process of its own."""

    def __init__(self, path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "qa_queue", "--db", str(path), "serve"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/sign-in", timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("qa-queue serve did not start") from None
                time.sleep(0.1)

    def apps(self) -> list[int]:
        """The app processes: the children of the forking process, the server's child."""
        return [pid for child in children(self.process.pid) for pid in children(child)]

    def wait_apps(self, count: int, timeout: float = 20) -> list[int]:
        deadline = time.monotonic() + timeout
        while len(found := self.apps()) != count:
            if time.monotonic() > deadline:
                raise SystemExit(f"{len(found)} app processes, not {count}")
            time.sleep(0.05)
        return found

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


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
    """A browser profile signed in as `host`, on a blank page until asked for the app."""

    def __init__(self, browser, server: Server, host: str) -> None:
        self.host = host
        self.context = browser.new_context(viewport={"width": 1200, "height": 800})
        self.context.add_init_script(f"window.__qaMarker = {f'you: {host}'!r};" + TIMING)
        self.page = self.context.new_page()
        self.page.goto(server.url + "/sign-in")
        self.page.fill("#host", host)
        self.page.fill("#password", password(host))
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        wait_painted([self])
        self.page.goto("about:blank")

    def ask(self, url: str) -> None:
        self.page.goto(url, wait_until="commit")

    def timing(self) -> dict[str, float]:
        return self.page.evaluate("() => window.__qaTiming")  # type: ignore[no-any-return]


def wait_painted(sessions: list[Session], timeout: float = 60) -> list[dict[str, float]]:
    """Each session's timing once its page has painted (asked every 0.1 s: the page's CSP
    rules out Playwright's wait_for_function)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = [session.timing() for session in sessions]
        if all(row.get("painted") for row in rows):
            return rows
        if time.monotonic() > deadline:
            raise SystemExit("not every session painted within a minute")
        sessions[0].page.wait_for_timeout(100)


def measure(browser, server: Server, hosts: list[str]) -> tuple[list[dict[str, float]], list]:
    sessions = [Session(browser, server, host) for host in hosts]
    server.wait_apps(0)  # the sign-ins' own tabs have gone
    for session in sessions:
        session.ask(server.url + "/")
    rows = wait_painted(sessions)
    memory = [memory_mb(pid) for pid in server.wait_apps(len(hosts))]
    for session in sessions:
        session.context.close()
    server.wait_apps(0)
    return rows, memory


def report(title: str, rows: list[dict[str, float]], memory: list[tuple[float, float]]) -> None:
    def line(name: str, seconds: list[float]) -> str:
        return f"median {statistics.median(seconds):.2f} s, worst {max(seconds):.2f} s"

    paints = [r["painted"] / 1000 for r in rows]
    pages = [r["opened"] / 1000 for r in rows]
    apps = [(r["painted"] - r["opened"]) / 1000 for r in rows]
    rss = [m[0] for m in memory]
    pss = [m[1] for m in memory]
    print(f"\n{title}")
    print(f"  first paint  {line('paint', paints)}")
    print(f"    of which the page until its websocket opens: {line('page', pages)}")
    print(f"    and the server's part, websocket to painted: {line('app', apps)}")
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
    args = parser.parse_args()
    if not args.chromium:
        raise SystemExit("no Chromium found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    hosts = [f"host{n}" for n in range(1, args.sessions + 1)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "queue.json"
        print(f"building {args.questions} questions and {len(hosts)} hosts…", flush=True)
        build(path, args.questions, hosts)
        server = Server(path)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=args.chromium, args=["--no-sandbox"]
                )
                report("one session alone", *measure(browser, server, hosts[:1]))
                report(f"{len(hosts)} sessions at once", *measure(browser, server, hosts))
                browser.close()
        finally:
            server.close()


if __name__ == "__main__":
    main()
