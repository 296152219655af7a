"""Modal dialogs: they ask one thing over a screen and dismiss with the answer."""
