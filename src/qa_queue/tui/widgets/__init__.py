"""Widgets of the terminal app: the queue table, the views bar and the question detail."""
