"""The terminal app: a keyboard-first queue of listener questions for the show's hosts."""

from .app import QaQueueApp

__all__ = ["QaQueueApp"]
