"""qa-queue: one queue for every listener question, from triage to show notes."""

__version__ = "0.1.0"
