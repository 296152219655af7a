"""Where the database lives and which host is at the keyboard (flag, environment, remembered)."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from platformdirs import user_config_dir, user_data_dir

from .store.files import atomic_write, make_private_folder

APP = "qa-queue"
DB_ENV = "QA_QUEUE_DB"
HOST_ENV = "QA_QUEUE_HOST"


def default_db_path() -> Path:
    """The database in the platform's user data folder (~/.local/share/qa-queue on Linux)."""
    return Path(user_data_dir(APP, appauthor=False)) / "queue.json"


def resolve_db_path(flag: str | None) -> tuple[Path, bool]:
    """The database to open, and whether it is the default one (which gets the demo data)."""
    if flag:
        return Path(flag).expanduser(), False
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser(), False
    return default_db_path(), True


def _config_file() -> Path:
    return Path(user_config_dir(APP, appauthor=False)) / "config.json"


def _read_config() -> dict[str, object]:
    try:
        data = orjson.loads(_config_file().read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}  # no config yet, or unreadable: the host is simply not remembered
    return data if isinstance(data, dict) else {}


def resolve_host(flag: str | None) -> str | None:
    """--as, then QA_QUEUE_HOST, then the host remembered in the user's config."""
    remembered = _read_config().get("host")
    if not isinstance(remembered, str):
        remembered = None  # a hand-edited config with a host that is no name: not remembered
    host = flag or os.environ.get(HOST_ENV) or remembered
    return host.strip().lower() if host else None


def remember_host(host: str | None) -> Path:
    """Remember (or with None forget) which host this person is; returns the config path."""
    path = _config_file()
    config = _read_config()
    if host:
        config["host"] = host
    else:
        config.pop("host", None)
    make_private_folder(path.parent)  # 0700: which show and host you are is yours alone
    atomic_write(path, orjson.dumps(config, option=orjson.OPT_INDENT_2))  # 0600, no temp left
    return path
