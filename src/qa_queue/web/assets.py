"""The terminal page's static files: textual-serve's client (xterm.js, its CSS and fonts) and
the page's own script, each read once, gzipped where that is worth it, and cached by browsers
for good when asked for with the version the page names."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from textual_serve import download_manager as textual_serve_files

STATIC = (Path(textual_serve_files.__file__).parent / "static").resolve()
PAGE_SCRIPT = Path(__file__).parent / "static" / "page.js"  # the page's own part (pages.py)
# the terminal page's scripts and styles: asked for with ?v=VERSION (a hash of them all), so a
# browser keeps them until they change, and revalidates nothing meanwhile
TEXTUAL_JS = STATIC / "js" / "textual.js"
PAGE_ASSETS = (TEXTUAL_JS, STATIC / "css" / "xterm.css", PAGE_SCRIPT)
CACHED = "private, max-age=31536000, immutable"
# textual.js starts xterm.js with its WebGL renderer and then its canvas renderer, which
# replaces it: the WebGL context, its shaders and its glyph atlas were built for nothing (in
# software on a machine without a GPU; 8 tabs opening at once on 2 cores spent ~0.1 s each on
# it). The served copy loads only the canvas renderer, which draws what it drew. (xterm.js's
# DOM renderer would cost half the canvas renderer's CPU, but draws the block characters of
# Textual's borders from the font, with seams between rows; the canvas draws them itself.)
# If textual-serve changes this line, its own script is served as it is.
WEBGL_ADDON = b"this.webglAddon=new p.WebglAddon,this.terminal.loadAddon(this.webglAddon),"


def without_webgl(script: bytes) -> bytes:
    """textual.js without its WebGL renderer (see WEBGL_ADDON), or as it is when it does not
    load it as expected."""
    return script.replace(WEBGL_ADDON, b"") if script.count(WEBGL_ADDON) == 1 else script


def page_file(path: Path) -> bytes:
    """A page file as served: textual.js without the renderer it discards."""
    body = path.read_bytes()
    return without_webgl(body) if path == TEXTUAL_JS else body


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None  # when it is worth it
    content_type: str
    etag: str

    @classmethod
    def read(cls, path: Path) -> Asset:
        body = page_file(path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        packed = gzip.compress(body, 9, mtime=0)
        gzipped = packed if len(packed) < len(body) * 0.9 else None
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        return cls(body, gzipped, content_type, etag)


class PageAssets:
    """The files a signed-in page loads; the server checks the session before asking here."""

    def __init__(self) -> None:
        self._read: dict[Path, Asset] = {}
        self.version = hashlib.sha256(
            b"".join(page_file(path) for path in PAGE_ASSETS)
        ).hexdigest()[:12]

    def response(self, request: web.Request, path: Path) -> web.Response:
        """A static file, gzipped for browsers that take it (textual.js: 514 kB, 130 kB
        gzipped), read once. Cached for good when asked for as the page names it (?v=, see
        PAGE_ASSETS); otherwise revalidated by its ETag."""
        asset = self._read.get(path)
        if asset is None:
            asset = self._read[path] = Asset.read(path)
        cache = CACHED if request.query.get("v") == self.version else "private, no-cache"
        headers = {"ETag": asset.etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
        if asset.etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
        body = asset.body
        if asset.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        return web.Response(body=body, content_type=asset.content_type, headers=headers)
