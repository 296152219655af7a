"""Durable storage of the queue: a TinyDB index over an fsync'd append-only journal."""

from .store import Store
from .transaction import Transaction

__all__ = ["Store", "Transaction"]
