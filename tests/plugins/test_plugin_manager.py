"""The plugin manager: built-ins and third-party plugins registered alike, checked at start-up,
and a broken plugin disabled and reported while Cairn and every other flow keep running."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from cairn.core import plugin_manager
from cairn.core.config import Settings
from cairn.core.nodes import NodeContext, NodeType, Output
from cairn.core.plugin_manager import (
    ESSENTIAL_PLUGINS,
    PluginError,
    await_me_maybe,
    call_each,
    create_plugin_manager,
    hookimpl,
)
from cairn.core.runtime import start_cairn, stop_cairn
from tests.flows.support import FlowTestPlugin, deployed_flow, graph, track
from tests.support.server import serve_cairn


def nodes_plugin(name: str, *classes: type) -> object:
    class Plugin:
        @hookimpl
        def register_node_types(self) -> list[type]:
            return list(classes)

    plugin = Plugin()
    plugin.name = name  # type: ignore[attr-defined]
    return plugin


class Twin(NodeType):
    id = "test.tag"
    name = "Twin of test.tag"


class ExplodingConfig(BaseModel):
    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise TypeError("cannot describe a socket")


class Exploding(NodeType):
    id = "acme.exploding"
    name = "Exploding"
    Config = ExplodingConfig


class SyncRun(NodeType):
    id = "acme.sync"
    name = "Sync"

    def run(self, config: Any, ctx: NodeContext) -> Output:  # type: ignore[override]
        return Output("out")


async def test_a_duplicate_node_type_id_fails_start_up_naming_both_plugins(store_url: str, settings: Settings) -> None:
    plugins = create_plugin_manager(extra_plugins=(FlowTestPlugin(), nodes_plugin("acme-twins", Twin)))

    with pytest.raises(PluginError) as failed:
        await start_cairn(settings, store_url, plugins)

    message = str(failed.value)
    assert "'test.tag'" in message and "'flow-test-nodes'" in message and "'acme-twins'" in message
    assert "tests.flows.support.Tag" in message and "Twin" in message


def test_a_misspelled_hook_fails_with_a_suggestion() -> None:
    class Typo:
        @hookimpl
        def register_node_type(self) -> list[type]:
            return []

    with pytest.raises(PluginError, match="unknown hook 'register_node_type'; did you mean 'register_node_types'"):
        create_plugin_manager(extra_plugins=(Typo(),))


@pytest.mark.parametrize("broken, problem", [
    (Exploding, "Config.model_json_schema() raised TypeError: cannot describe a socket"),
    (SyncRun, "`run` must be an `async def`"),
    (object, "is not a subclass of cairn.core.nodes.NodeType"),
])
async def test_a_plugin_with_a_bad_node_type_is_disabled_and_reported(
        store_url: str, settings: Settings, broken: type, problem: str) -> None:
    started: list[str] = []

    class Acme:
        name = "acme"

        @hookimpl
        def register_node_types(self) -> list[type]:
            return [broken]

        @hookimpl
        def on_startup(self, cairn: Any) -> None:
            started.append("acme")

    plugins = create_plugin_manager(extra_plugins=(FlowTestPlugin(), Acme()))
    async with serve_cairn(settings, store_url, plugins=plugins) as server:
        cairn = server.cairn
        [reported] = cairn.plugins.problems.all()
        assert reported.plugin == "acme" and reported.stage == "register" and reported.disabled
        assert problem in reported.message and reported.hint
        assert not cairn.plugins.has_plugin("acme") and started == []
        assert cairn.flows.nodes.get("test.tag") is not None

        flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "ok"})))
        async with httpx.AsyncClient(base_url=server.url) as client:
            source = await cairn.sources.create("site")
            response = await track(client, source.write_key, {"type": "purchase"})
        assert response["stored"] == 1
        assert (await cairn.flows.traces.find(flow_id=flow_id))[0][0]["status"] == "ok"


async def test_a_register_hook_that_raises_disables_its_plugin(store_url: str, settings: Settings) -> None:
    class Raising:
        name = "raising"

        @hookimpl
        def register_node_types(self) -> list[type]:
            raise ImportError("no module named torch")

    cairn = await start_cairn(settings, store_url, create_plugin_manager(extra_plugins=(Raising(),)))
    try:
        [problem] = cairn.plugins.problems.all()
        assert problem.message == "register_node_types raised ImportError: no module named torch"
    finally:
        await stop_cairn(cairn)


def test_an_entry_point_that_fails_to_import_is_reported_and_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    points = [importlib.metadata.EntryPoint("broken", "tests.plugins.broken_plugin", "cairn"),
              importlib.metadata.EntryPoint("hello", "tests.plugins.entry_point_plugin", "cairn")]
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: points if group == "cairn" else [])

    manager = create_plugin_manager()

    assert manager.has_plugin("hello") and not manager.has_plugin("broken")
    [problem] = manager.problems.all()
    assert problem.plugin == "broken" and problem.stage == "load" and problem.disabled
    assert "ModuleNotFoundError" in problem.message and "cairn_no_such_dependency" in problem.message


def test_built_ins_register_like_third_party_plugins_and_can_be_left_out() -> None:
    manager = create_plugin_manager()
    declaring = {impl.plugin_name for impl in manager.hook.register_node_types.get_hookimpls()}
    assert "cairn.plugins.nodes" in declaring

    without = create_plugin_manager(disabled=("cairn.plugins.nodes",))
    assert not without.has_plugin("cairn.plugins.nodes")
    with pytest.raises(PluginError, match="cannot be disabled"):
        create_plugin_manager(disabled=ESSENTIAL_PLUGINS[:1])


def test_a_missing_default_plugin_is_skipped_and_a_broken_one_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin_manager, "DEFAULT_PLUGINS", ("cairn.plugins.not_written_yet",
                                                            "tests.plugins.broken_plugin"))

    manager = create_plugin_manager(load_entry_points=False)

    assert [(p.plugin, p.stage) for p in manager.problems.all()] == [("tests.plugins.broken_plugin", "load")]


async def test_a_notification_hook_that_raises_does_not_stop_the_others() -> None:
    heard: list[str] = []

    class Loud:
        name = "loud"

        @hookimpl
        def on_shutdown(self, cairn: Any) -> None:
            raise RuntimeError("oops")

    class Quiet:
        name = "quiet"

        @hookimpl
        async def on_shutdown(self, cairn: Any) -> None:
            heard.append("quiet")

    manager = create_plugin_manager(load_entry_points=False, extra_plugins=(Quiet(), Loud()))

    results = await call_each(manager, "on_shutdown", cairn=None)

    names = [name for name, _ in results]
    assert heard == ["quiet"] and "quiet" in names and "loud" not in names
    [problem] = manager.problems.all()
    assert (problem.plugin, problem.stage, problem.message) == ("loud", "hook", "on_shutdown raised RuntimeError: oops")


async def test_await_me_maybe_accepts_values_awaitables_and_async_callables() -> None:
    async def answer() -> int:
        return 42

    assert await await_me_maybe(42) == 42
    assert await await_me_maybe(answer()) == 42
    assert await await_me_maybe(answer) == 42


async def test_the_registry_checks_declarations_with_each_plugin_named() -> None:
    from cairn.core.nodes.registry import build_node_registry

    manager = create_plugin_manager(load_entry_points=False, defaults=False, extra_plugins=(FlowTestPlugin(),))
    registry = await build_node_registry(manager)

    assert {node.plugin for node in registry.all()} == {"flow-test-nodes"}
    assert registry.get("test.tag").config_schema["required"] == ["tag"]

