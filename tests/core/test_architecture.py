"""The house rules a machine can check: the headless core and the command line load without
Textual, only the store touches TinyDB, and no module imports another that imports it back
(deferred and type-only imports included)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.helpers import ROOT

SOURCE = ROOT / "src"
PACKAGE = SOURCE / "qa_queue"


def modules() -> dict[str, tuple[ast.Module, bool]]:
    """Every module of the package by dotted name: its syntax tree, and whether a package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if package else parts)
        found[name] = (ast.parse(path.read_text(encoding="utf-8")), package)
    return found


def imports(name: str, tree: ast.Module, package: bool, known: set[str]) -> set[str]:
    """The package's modules `name` imports anywhere in it: at the top, inside a function, or
    for types only (screens name the app's type through tui/host_app.py, not app.py)."""
    here = name.split(".") if package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                whole = f"{target}.{alias.name}"
                found.add(whole if whole in known else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {module for module in found if module in known and module != name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round about (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_import_circles():
    found = modules()
    known = set(found)
    graph = {}
    for name, (tree, package) in found.items():
        # a package's __init__ gathers its own modules: that is not a circle
        inside = {m for m in imports(name, tree, package, known) if not m.startswith(name + ".")}
        graph[name] = inside if package else imports(name, tree, package, known)
    assert circles(graph) == []


def test_only_the_app_imports_screens_and_dialogs():
    found = modules()
    known = set(found)
    offenders = sorted(
        name
        for name, (tree, package) in found.items()
        for module in imports(name, tree, package, known)
        if module.startswith(("qa_queue.tui.screens", "qa_queue.tui.dialogs"))
        and not name.startswith(("qa_queue.tui.screens", "qa_queue.tui.dialogs"))
        and name not in ("qa_queue.tui.app", "qa_queue.tui.commands")
    )
    assert offenders == []


def test_the_cli_and_every_core_module_load_without_textual():
    core = sorted(name for name in modules() if not name.startswith("qa_queue.tui"))
    code = "import sys\n" + "".join(f"import {name}\n" for name in core)
    code += "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "qa_queue.cli" in core and "qa_queue.queue" in core


def test_only_the_store_imports_tinydb():
    offenders = [
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*.py")
        if "tinydb" in path.read_text(encoding="utf-8") and path.parent.name != "store"
    ]
    assert offenders == []


def test_a_command_starts_without_what_only_some_commands_need():
    """asyncio (serve), the e-mail package (mail imports) and markdown-it (HTML show notes)
    are loaded when used: every other command would pay for them at start."""
    code = (
        "import sys, qa_queue.cli\n"
        "loaded = [m for m in ('asyncio', 'email.parser', 'markdown_it', 'aiohttp') "
        "if m in sys.modules]\n"
        "assert not loaded, loaded"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
