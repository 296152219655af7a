"""`qa-queue serve`: the app in a browser, one app process per signed-in browser tab.

- `auth.py`: sign-in sessions in signed cookies, CSRF tokens, slowing down failed sign-ins.
- `sessions.py`: the app processes (textual-serve's protocol; the host in their environment).
- `pages.py`: the sign-in page and the terminal page (textual-serve's xterm.js assets).
- `server.py`: the aiohttp routes; nothing but the sign-in page is reachable without a session.
"""
