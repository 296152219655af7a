"""Screens of the terminal app: the queue, the pickers it asks with, and help."""
