"""The editor's routes: hashed assets, and ``index.html`` for the app's own paths only."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

logger = logging.getLogger("cairn.plugins.editor")

DIST_ENV = "CAIRN_EDITOR_DIST"
DEFAULT_DIST = Path(__file__).resolve().parents[2] / "frontend" / "editor" / "dist"
ASSETS = "editor-assets"
"""The build's asset folder (``build.assetsDir`` in ``vite.config.ts``)."""

CLIENT_SECTIONS = frozenset({
    "", "flows", "rules", "profiles", "segments", "sources", "consents", "deliveries", "widget-settings",
})
"""First path segments of the editor's screens (``src/routes.ts``); only these get ``index.html``."""

SECURITY_HEADERS = {
    # 'unsafe-eval': the form library's JSON Schema validator (Ajv) compiles schemas to functions.
    "Content-Security-Policy": ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
                                "base-uri 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
NOT_BUILT = """<!doctype html><html><head><meta charset="utf-8"><title>Cairn editor</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto">
<h1>The Cairn editor is not built</h1>
<p>No build was found in <code>{folder}</code>. Run <code>scripts/build-editor.sh</code> (needs Node 20 and npm),
or set <code>CAIRN_EDITOR_DIST</code> to a built editor. The GraphQL API is at <a href="/graphql">/graphql</a>.</p>
</body></html>"""


def dist_folder() -> Path:
    """The built editor: ``$CAIRN_EDITOR_DIST`` or ``frontend/editor/dist`` of this checkout."""
    configured = os.environ.get(DIST_ENV)
    return Path(configured).resolve() if configured else DEFAULT_DIST


def is_client_path(path: str) -> bool:
    """Whether ``path`` is one of the editor's screens (``/``, ``/flows``, ``/flows/abc``…)."""
    section = path.lstrip("/").split("/", 1)[0]
    return section in CLIENT_SECTIONS and "\x00" not in path


class ImmutableStaticFiles(StaticFiles):
    """Static files whose names carry a content hash: cached for a year."""

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


class EditorPages(BaseRoute):
    """``GET``/``HEAD`` of the editor's paths: ``index.html`` (or a top-level build file)."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self.index = dist / "index.html"
        self.files = {f"/{p.name}": p for p in dist.iterdir() if p.is_file() and p.name != "index.html"} \
            if dist.is_dir() else {}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return Match.NONE, {}
        path = scope["path"]
        if path in self.files or is_client_path(path):
            return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: object) -> object:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = self.respond(request.url.path)
        await response(scope, receive, send)

    def respond(self, path: str) -> Response:
        """The response for an editor path."""
        if path in self.files:
            return FileResponse(self.files[path], headers={"Cache-Control": "public, max-age=3600"})
        if not self.index.is_file():
            return HTMLResponse(NOT_BUILT.format(folder=self.dist), status_code=503, headers={"Retry-After": "60"})
        return FileResponse(self.index, media_type="text/html", headers=SECURITY_HEADERS)


def editor_routes(dist: Path) -> list[BaseRoute]:
    """The assets mount and the page route for the build in ``dist``."""
    routes: list[BaseRoute] = []
    assets = dist / ASSETS
    if assets.is_dir():
        routes.append(Mount(f"/{ASSETS}", app=ImmutableStaticFiles(directory=assets), name="editor-assets"))
    else:
        logger.warning("the editor is not built (%s is missing): run scripts/build-editor.sh", assets)
    routes.append(EditorPages(dist))
    return routes
