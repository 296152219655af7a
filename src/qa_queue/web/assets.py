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
# replaces it. The served copy loads neither, so xterm.js draws with its own DOM renderer (the
# browser lays out the text): the WebGL context was built for nothing, and the canvas renderer
# rasterises every glyph in every colour pair into an atlas with getImageData/putImageData,
# ~0.3 s of CPU a tab on a GPU-less machine (2 cores, 8 tabs opening at once: the browser's
# CPU 4.5 s -> 1.9 s, the slowest first paint 1.6-2.1 s -> 1.2-1.4 s; benchmarks/serve.py).
# The queue's screens are small redraws, which the DOM renderer is made for. If textual-serve
# changes these lines, its own script is served as it is.
RENDERER_ADDONS = (
    b"this.webglAddon=new p.WebglAddon,this.terminal.loadAddon(this.webglAddon),",
    b"this.canvasAddon=new m.CanvasAddon,this.terminal.loadAddon(this.canvasAddon),",
)


def with_dom_renderer(script: bytes) -> bytes:
    """textual.js without its WebGL and canvas renderers (see RENDERER_ADDONS), or as it is
    when it does not load them as expected."""
    if any(script.count(addon) != 1 for addon in RENDERER_ADDONS):
        return script
    for addon in RENDERER_ADDONS:
        script = script.replace(addon, b"")
    return script


def page_file(path: Path) -> bytes:
    """A page file as served: textual.js with xterm.js's DOM renderer."""
    body = path.read_bytes()
    return with_dom_renderer(body) if path == TEXTUAL_JS else body


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
