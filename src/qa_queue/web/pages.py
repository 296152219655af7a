"""The two pages the server has: signing in, and the terminal (textual-serve's xterm.js page)."""

from __future__ import annotations

from html import escape

STYLE = """
  :root { color-scheme: dark; }
  body { background: #0c181f; color: #e0e6ea; margin: 0;
         font-family: "Roboto Mono", Menlo, "DejaVu Sans Mono", monospace; }
  main.sign-in { max-width: 22rem; margin: 12vh auto; padding: 2rem; background: #12232d; }
  h1 { font-size: 1.4rem; margin: 0 0 1.2rem; }
  label { display: block; margin: .8rem 0 .3rem; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit;
          background: #0c181f; color: inherit; border: 1px solid #3b5361; }
  button { margin-top: 1.2rem; padding: .5rem 1.2rem; font: inherit; color: #fff;
           background: #5e0ba7; border: none; cursor: pointer; }
  .error { color: #ff8a80; }
  .said { color: #c9e6a2; }
  .note { color: #8fa3ae; font-size: .85rem; }
  header.bar { display: flex; gap: 1rem; align-items: center; height: 28px; padding: 0 .6rem;
               font-size: 13px; background: #12232d; }
  header.bar .who { flex: 1; }
  header.bar form { margin: 0; }
  header.bar button { margin: 0; padding: 2px 10px; font-size: 12px; }
  /* textual-serve's own rule (.textual-terminal: 100vw x 100vh) would push the app's last
     rows under the window's edge: the bar takes 28px of it */
  #terminal.textual-terminal { position: absolute; top: 28px; left: 0; right: 0; bottom: 0;
    width: 100%; height: calc(100vh - 28px); }
  .textual-terminal { opacity: 0; transition: opacity .2s ease-out; }
  body.-first-byte .textual-terminal { opacity: 1; }
  .ended { display: none; position: absolute; inset: 28px 0 0 0; z-index: 10;
           align-items: center; justify-content: center; background: #0c181fee; }
  body.-closed .ended { display: flex; }
  .ended div { text-align: center; }
  .ended a { color: #c9a2f5; }
"""


def _page(title: str, body: str, *, head: str = "", body_class: str = "") -> str:
    cls = f' class="{body_class}"' if body_class else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f"<style>{STYLE}</style>{head}</head><body{cls}>{body}</body></html>"
    )


def sign_in_page(
    *, token: str, host: str = "", error: str = "", note: str = "", podcast: str = ""
) -> str:
    heading = f"{podcast} · qa-queue" if podcast else "qa-queue"
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    if note and not error:
        message = f'<p class="said" role="status">{escape(note)}</p>'
    body = f"""<main class="sign-in">
<h1>{escape(heading)}</h1>
{message}
<form method="post" action="/sign-in" autocomplete="on">
<input type="hidden" name="csrf" value="{escape(token)}">
<label for="host">Host</label>
<input id="host" name="host" autocomplete="username" required autofocus value="{escape(host)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="note">Each host has a password: <code>qa-queue hosts password HOST</code></p>
</main>"""
    return _page("Sign in · qa-queue", body)


def terminal_page(
    *, host_name: str, websocket_url: str, csrf: str, version: str = "", font_size: int = 16
) -> str:
    """The app's page: textual-serve's xterm.js client draws the terminal in #terminal;
    page.js (first) goes to sign-in when the session ends and takes downloads in place.
    `version` (of those files) lets the browser keep them until they change."""
    v = f"?v={escape(version)}" if version else ""
    head = (
        f'<link rel="stylesheet" href="/static/css/xterm.css{v}">'
        f'<script src="/page.js{v}"></script>'
        f'<script src="/static/js/textual.js{v}"></script>'
    )
    body = f"""<header class="bar">
<span class="who">qa-queue · signed in as {escape(host_name)}</span>
<form method="post" action="/sign-out"><input type="hidden" name="csrf" value="{escape(csrf)}">
<button type="submit">Sign out</button></form>
</header>
<div class="ended"><div><p>This session of the app ended.</p>
<p><a href="/">Open it again</a></p></div></div>
<div id="terminal" class="textual-terminal"
 data-session-websocket-url="{escape(websocket_url)}" data-font-size="{font_size}"></div>"""
    return _page("qa-queue", body, head=head)
