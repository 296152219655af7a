"""Screens of the terminal app: the queue, the draft editor, episodes and one episode."""
