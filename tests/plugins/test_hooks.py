"""One test per hook, each through a real server with an in-test plugin; a meta-test keeps it so."""

from __future__ import annotations

import inspect
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import strawberry
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from cairn.core import hookspecs
from cairn.core.config import Settings
from cairn.core.plugin_manager import call_hook, create_plugin_manager, hookimpl
from cairn.core.runtime import Cairn
from tests.flows.support import FlowTestPlugin, deployed_flow, graph, track
from tests.support.server import RunningServer, serve_cairn


@asynccontextmanager
async def running(settings: Settings, store_url: str, *plugins: object) -> AsyncIterator[tuple[RunningServer,
                                                                                              httpx.AsyncClient]]:
    manager = create_plugin_manager(extra_plugins=(FlowTestPlugin(), *plugins))
    async with serve_cairn(settings, store_url, plugins=manager) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            yield server, client


async def test_hook_register_node_types(store_url: str, settings: Settings) -> None:
    async with running(settings, store_url) as (server, _):
        node = server.cairn.flows.nodes.get("test.start")
        assert node is not None and node.plugin == "flow-test-nodes"


async def test_hook_register_channels() -> None:
    class Pigeon:
        id = "test.pigeon"

    class Plugin:
        @hookimpl
        def register_channels(self) -> list[type]:
            return [Pigeon]

    manager = create_plugin_manager(load_entry_points=False, defaults=False, extra_plugins=(Plugin(),))
    assert [Pigeon] in await call_hook(manager.hook.register_channels)


async def test_hook_register_widgets() -> None:
    class Banner:
        id = "test.banner"

    class Plugin:
        @hookimpl
        async def register_widgets(self) -> list[type]:
            return [Banner]

    manager = create_plugin_manager(load_entry_points=False, defaults=False, extra_plugins=(Plugin(),))
    assert [Banner] in await call_hook(manager.hook.register_widgets)


async def test_hook_register_routes(store_url: str, settings: Settings) -> None:
    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hello from a plugin")

    class Plugin:
        @hookimpl
        def register_routes(self, cairn: Cairn) -> list[Route]:
            return [Route("/test-hello", hello)]

    async with running(settings, store_url, Plugin()) as (_, client):
        assert (await client.get("/test-hello")).text == "hello from a plugin"


async def test_hook_register_graphql_types(store_url: str, settings: Settings) -> None:
    @strawberry.type
    class TestQueries:
        @strawberry.field
        def test_answer(self) -> int:
            return 42

    class Plugin:
        @hookimpl
        def register_graphql_types(self, cairn: Cairn) -> dict[str, list[type]]:
            return {"query": [TestQueries]}

    async with running(settings, store_url, Plugin()) as (server, client):
        token = await server.cairn.tokens.create()
        response = await client.post("/graphql", json={"query": "{ testAnswer }"},
                                     headers={"Authorization": f"Bearer {token}"})
        assert response.json()["data"] == {"testAnswer": 42}


async def test_hook_on_startup(store_url: str, settings: Settings) -> None:
    seen: list[Any] = []

    class Plugin:
        @hookimpl
        async def on_startup(self, cairn: Cairn) -> None:
            seen.append(cairn.flows.nodes.get("test.start"))

    async with running(settings, store_url, Plugin()):
        assert seen and seen[0] is not None, "the node registry is built before on_startup"


async def test_hook_on_shutdown(store_url: str, settings: Settings) -> None:
    seen: list[str] = []

    class Plugin:
        @hookimpl
        def on_shutdown(self, cairn: Cairn) -> None:
            seen.append("stopped")

    async with running(settings, store_url, Plugin()):
        assert seen == []
    assert seen == ["stopped"]


async def test_hook_on_events_stored(store_url: str, settings: Settings) -> None:
    seen: list[list[dict[str, Any]]] = []

    class Plugin:
        @hookimpl
        def on_events_stored(self, cairn: Cairn, events: list[dict[str, Any]]) -> None:
            seen.append(events)

    class Broken:
        @hookimpl
        def on_events_stored(self, cairn: Cairn, events: list[dict[str, Any]]) -> None:
            raise RuntimeError("broken listener")

    async with running(settings, store_url, Plugin(), Broken()) as (server, client):
        source = await server.cairn.sources.create("site")
        response = await track(client, source.write_key, {"type": "a"}, {"type": "b"})
        assert response["stored"] == 2
        [events] = seen
        assert [event["type"] for event in events] == ["a", "b"] and events[0]["valid"] is True
        assert [p.stage for p in server.cairn.plugins.problems.all()] == ["hook"]


async def test_hook_on_profile_changed(store_url: str, settings: Settings) -> None:
    seen: list[tuple[dict[str, Any], list[Any]]] = []

    class Plugin:
        @hookimpl
        def on_profile_changed(self, cairn: Cairn, profile: dict[str, Any], changes: list[Any]) -> None:
            seen.append((profile, changes))

    async with running(settings, store_url, Plugin()) as (server, client):
        await deployed_flow(server.cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "hooked"})))
        source = await server.cairn.sources.create("site")
        response = await track(client, source.write_key, {"type": "purchase"}, {"type": "purchase"})
        [(profile, changes)] = seen
        assert profile["id"] == response["profile"]["id"] and profile["tags"] == ["hooked"]
        assert profile["stats"]["events"] == 2
        assert sum(1 for change in changes if type(change).__name__ == "Increment"
                   and change.path == ("stats", "events")) == 2


def test_every_hook_is_documented_and_tested() -> None:
    tests = {name for name, _ in inspect.getmembers(sys.modules[__name__], inspect.isfunction)}
    for name, spec in inspect.getmembers(hookspecs, inspect.isfunction):
        if not getattr(spec, "cairn_spec", None):
            continue
        assert (spec.__doc__ or "").strip(), f"hook {name} has no docstring"
        assert f"test_hook_{name}" in tests, f"hook {name} has no test_hook_{name} in {__name__}"
