"""What tests share besides fixtures: the fixed clock, the command line in-process, files a
process cannot write, the repository's sample files, and a question built answered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qa_queue.model.question import Answer, Question, Status

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SEED = ROOT / "seeds" / "000_4ddffec929448633.txt"
DEMO = ROOT / "data" / "demo.json"


class FixedClock:
    """A clock the test moves by hand: no real time in tests."""

    def __init__(self, start: datetime = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command line in-process: (exit code, stdout, stderr)."""
    from qa_queue.cli import main

    try:
        main(list(args))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    else:
        code = 0
    out, err = capsys.readouterr()
    return code, out, err


def answered(qid: int, title: str, timestamp: str | None, **fields) -> Question:
    """A question answered by austin and placed in episode 212 at `timestamp`."""
    defaults = {
        "body": f"Question {qid} body",
        "received_at": "2026-11-01T10:00:00Z",
        "id": qid,
        "status": Status.ANSWERED,
        "host": "austin",
        "episode": 212,
        "timestamp": timestamp,
        "answer": Answer(
            text=f"First paragraph of answer {qid}.\n\nSecond paragraph {qid}.",
            host="austin",
            answered_at="2026-11-20T10:00:00Z",
        ),
    }
    return Question(title=title, **{**defaults, **fields})


# -- files a process cannot write (read-only folders and files, as root too) -----------------


def _namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


NAMESPACES = os.geteuid() == 0 and _namespaces_work()
needs_read_only = pytest.mark.skipif(
    os.geteuid() == 0 and not NAMESPACES,
    reason="root writes whatever the modes say, and no mount namespace to make files read-only",
)


# The command line, with checkpoints after every change, so a change always triggers one.
CLI = (
    "import sys; from qa_queue.store import store; store.CHECKPOINT_BYTES = 1; "
    "from qa_queue.cli import main; main(sys.argv[1:])"
)


def cli_read_only(
    read_only: list[Path],
    *args: str,
    writable: list[Path] = [],  # noqa: B006
) -> subprocess.CompletedProcess:
    """The command line in a child that cannot write `read_only` (files or folders) but can
    write the files in `writable` (inside those folders): by their modes, or, for root (CI
    runs as root, who writes whatever the modes say), by read-only bind mounts in a mount
    namespace of its own, with the writable files mounted back over them."""
    argv = [sys.executable, "-c", CLI, *args]
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in read_only}
        for path in read_only:
            os.chmod(path, 0o500 if path.is_dir() else 0o400)
        try:
            return subprocess.run(argv, capture_output=True, text=True, check=False)
        finally:
            for path, mode in modes.items():
                os.chmod(path, mode)
    # a writable view of each writable file, kept where the read-only mounts do not reach
    aside = [read_only[0].parent / f".writable-{n}" for n in range(len(writable))]
    for path in aside:
        path.touch()
    steps = [f'mount --bind "{path}" "{view}"' for path, view in zip(writable, aside, strict=True)]
    steps += [f'mount --bind -o ro "{path}" "{path}"' for path in read_only]
    steps += [f'mount --bind "{view}" "{path}"' for path, view in zip(writable, aside, strict=True)]
    steps.append('exec "$@"')
    try:
        return subprocess.run(
            ["unshare", "-m", "sh", "-c", " && ".join(steps), "sh", *argv],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        for path in aside:
            path.unlink()
