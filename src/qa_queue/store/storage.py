"""TinyDB, extended: an in-memory index storage and a table that changes one document in O(1).

TinyDB's own Table rebuilds the whole table dict on every write (two dict comprehensions over
all documents), which at 50k questions costs more than our whole durable-change budget. The
journal (see journal.py) makes changes durable; TinyDB holds the index that queries run over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

Tables = dict[str, dict[str, dict[str, Any]]]


class IndexStorage(Storage):
    """Holds the tables in memory; durability is the journal's job, not this storage's."""

    def __init__(self, tables: Tables):
        self._tables = tables

    def read(self) -> Tables:
        return self._tables

    def write(self, data: Tables) -> None:
        self._tables = data


class _IntKeyed(MutableMapping[int, Any]):
    """A view of a raw table (string keys, as JSON has them) with TinyDB's int document ids."""

    def __init__(self, raw: dict[str, Any]):
        self._raw = raw

    def __getitem__(self, key: int) -> Any:
        return self._raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self._raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self._raw[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class IndexTable(Table):
    # An IndexDB's tables live in its IndexStorage, whose read() never gives None.
    _storage: IndexStorage

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        tables = self._storage.read()
        raw = tables.setdefault(self.name, {})
        # TinyDB annotates the updater's argument as a dict, but its updaters only index,
        # assign and delete: the int-keyed view over the raw table serves them.
        updater(_IntKeyed(raw))  # type: ignore[arg-type]
        self._storage.write(tables)
        self.clear_cache()

    def replace(self, doc_id: int, document: Mapping[str, Any]) -> None:
        self._update_table(lambda table: table.__setitem__(doc_id, document))

    def raw(self) -> dict[str, dict[str, Any]]:
        """The documents by string id, for scans that must not copy 50k dicts."""
        return self._storage.read().get(self.name, {})


class IndexDB(TinyDB):
    """TinyDB over `tables` held in an IndexStorage, with IndexTables."""

    table_class = IndexTable
    _storage: IndexStorage

    def __init__(self, tables: Tables) -> None:
        super().__init__(tables, storage=IndexStorage)

    @property
    def storage(self) -> IndexStorage:
        return self._storage

    def table(self, name: str, **kwargs: Any) -> IndexTable:
        table = super().table(name, **kwargs)
        assert isinstance(table, IndexTable)  # what table_class makes
        return table
