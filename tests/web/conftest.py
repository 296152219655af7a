"""Fixtures of the web tests: a served show (tests/web/serving.py)."""

from __future__ import annotations

import pytest

from tests.web.serving import make_show


@pytest.fixture
def show_db(tmp_path, private_home):
    path = tmp_path / "queue.json"
    make_show(path)
    return path
