"""The editor plugin serves the built app at ``/`` without shadowing any of Cairn's routes."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

import cairn.plugins.editor as editor_plugin
from cairn.core.plugin_manager import create_plugin_manager
from cairn.plugins.editor.routes import ASSETS, CLIENT_SECTIONS, DEFAULT_DIST, editor_routes, is_client_path
from tests.support.server import RunningServer

EDITOR = Path(__file__).resolve().parents[2] / "frontend" / "editor"


def built_asset() -> str:
    """The path of the entry script the committed index.html loads."""
    index = (DEFAULT_DIST / "index.html").read_text()
    found = re.search(rf'src="(/{ASSETS}/[^"]+\.js)"', index)
    assert found, "the committed build's index.html loads no script; run scripts/build-editor.sh"
    return found.group(1)


def test_the_build_is_committed_next_to_its_sources() -> None:
    assert (DEFAULT_DIST / "index.html").is_file(), "run scripts/build-editor.sh and commit frontend/editor/dist"
    assert (DEFAULT_DIST / built_asset().lstrip("/")).is_file()
    assert (EDITOR / "package-lock.json").is_file()


BUILD_INPUTS = ("src", "public", "index.html", "package-lock.json", "tsconfig.json", "vite.config.ts")
"""What the build is made from (``BUILD_INPUTS`` in ``frontend/editor/vite.config.ts``)."""


def source_hash() -> str:
    """The hash ``vite build`` writes into ``dist/build-info.json`` (``sourceHash`` in vite.config.ts)."""
    paths = sorted(
        path.relative_to(EDITOR).as_posix()
        for name in BUILD_INPUTS
        for path in ([EDITOR / name] if (EDITOR / name).is_file() else (EDITOR / name).rglob("*"))
        if path.is_file()
    )
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path}\n".encode())
        digest.update((EDITOR / path).read_bytes())
        digest.update(b"\n")
    return digest.hexdigest()


def test_the_committed_build_is_built_from_the_current_sources() -> None:
    info = json.loads((DEFAULT_DIST / "build-info.json").read_text())
    assert info["sources"] == source_hash(), (
        "frontend/editor/dist is older than the editor's sources: run scripts/build-editor.sh and commit dist/")


def test_every_screen_of_the_app_is_a_client_section() -> None:
    routes = (EDITOR / "src" / "routes.ts").read_text()
    sections = {path.strip("/").split("/")[0] for path in re.findall(r'screen\("(/[^"]*)"', routes)}
    assert sections, "no screen found in src/routes.ts"
    assert sections == CLIENT_SECTIONS


def test_the_plugin_registers_with_the_hook_name_cairn_knows() -> None:
    manager = create_plugin_manager(extra_plugins=(editor_plugin,))
    assert manager.is_registered(editor_plugin)


@pytest.mark.parametrize("path", ["/", "/flows", "/flows/abc123", "/profiles/p1", "/widget-settings", "/rules/"])
async def test_app_paths_answer_the_index_page(editor_client: httpx.AsyncClient, path: str) -> None:
    response = await editor_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<div id="root">' in response.text
    assert response.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in response.headers["content-security-policy"]


async def test_assets_are_served_with_a_long_cache(editor_client: httpx.AsyncClient) -> None:
    response = await editor_client.get(built_asset())
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    favicon = await editor_client.get("/favicon.svg")
    assert favicon.status_code == 200 and favicon.headers["content-type"].startswith("image/svg")


async def test_head_requests_answer_like_get(editor_client: httpx.AsyncClient) -> None:
    response = await editor_client.head("/flows/x")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.parametrize("path", ["/nope", "/graphqlx", "/editor-assets/missing.js", "/flowsx", "/tracker.json"])
async def test_other_paths_are_not_found(editor_client: httpx.AsyncClient, path: str) -> None:
    assert (await editor_client.get(path)).status_code == 404


async def test_cairn_routes_keep_working(editor_server: RunningServer, editor_client: httpx.AsyncClient) -> None:
    assert (await editor_client.get("/health")).json() == {"status": "ok"}
    assert (await editor_client.post("/graphql", json={"query": "{ flows { id } }"})).status_code == 401
    ide = await editor_client.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 200 and "graphiql" in ide.text.lower() and '<div id="root">' not in ide.text
    source = await editor_server.cairn.sources.create("site")
    tracked = await editor_client.post("/v1/track", auth=(source.write_key, ""),
                                       json={"userId": "u1", "event": "Signed Up"})
    assert tracked.status_code == 200
    assert (await editor_client.get("/track")).status_code == 405


def asgi_client(dist: Path) -> httpx.AsyncClient:
    """A client of a bare app holding only the editor's routes for the build in ``dist``."""
    app = Starlette(routes=editor_routes(dist))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://editor.test")


async def test_posting_to_an_app_path_is_not_answered_with_the_page() -> None:
    async with asgi_client(DEFAULT_DIST) as http:
        assert (await http.post("/flows")).status_code == 404
        assert (await http.get("/flows")).status_code == 200


async def test_a_missing_build_says_how_to_build_it(tmp_path: Path) -> None:
    async with asgi_client(tmp_path / "dist") as http:
        response = await http.get("/")
    assert response.status_code == 503
    assert "scripts/build-editor.sh" in response.text


def test_client_sections_are_the_first_path_segment() -> None:
    assert is_client_path("/")
    assert is_client_path("/profiles/a/b")
    assert not is_client_path("/graphql")
    assert not is_client_path("/widgets/cairn.toast/script.js")
    assert not is_client_path("/v1/track")
