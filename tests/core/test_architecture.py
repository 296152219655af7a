"""The headless core stays headless, and only the store touches TinyDB."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT

PACKAGE = ROOT / "src" / "qa_queue"
CORE = [
    "qa_queue.model",
    "qa_queue.store",
    "qa_queue.query",
    "qa_queue.queue",
    "qa_queue.importers",
    "qa_queue.exporters",
    "qa_queue.demo",
]


def test_core_never_imports_textual():
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE)
    code += "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_only_the_store_imports_tinydb():
    offenders = [
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*.py")
        if "tinydb" in path.read_text(encoding="utf-8") and path.parent.name != "store"
    ]
    assert offenders == []
