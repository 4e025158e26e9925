"""Live runs reach the persistent outbox: messages are queued, paused paths resume later."""

from __future__ import annotations

import copy
import importlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cairn.core.clock import utcnow
from cairn.core.config import Settings
from cairn.core.flows.resume import resume_run
from cairn.core.nodes import NodeContext, NodeResult, NodeType
from cairn.core.outbox import Channel, DeliveryResult, OutboundMessage
from cairn.core.plugin_manager import create_plugin_manager, hookimpl
from cairn.core.runtime import Cairn
from cairn.core.store.keys import unescape_keys
from tests.flows.support import NODE_TYPES, FlowTestPlugin, deployed_flow, graph, track
from tests.support.server import RunningServer, serve_cairn


class Pause(NodeType):
    """Hands a resume entry to the run's scheduler, as the built-in delay node does."""

    id = "test.pause"
    name = "Pause"

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        await ctx.services["scheduler"].schedule({
            "resume_at": utcnow(), "flow_id": ctx.run.flow_id, "run_id": ctx.run.run_id, "node_id": ctx.run.node_id,
            "port": "out", "event_id": ctx.event.get("id"), "profile_id": ctx.profile.id,
            "payload": copy.deepcopy(ctx.payload), "variables": {"paused": True}})
        return None


NODE_TYPES.append(Pause)


class Pigeon(Channel):
    id = "pigeon"
    name = "Carrier pigeon"

    async def send(self, message: OutboundMessage, config: Any) -> DeliveryResult:
        return DeliveryResult(provider_id="coop-1")


class PigeonPlugin:
    name = "pigeons"

    @hookimpl
    def register_channels(self) -> list[type]:
        return [Pigeon]


@pytest.fixture
async def server(store_url: str, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[RunningServer]:
    """A server with the outbox plugin (its worker off: the tests drive resumption themselves)."""
    monkeypatch.setenv("CAIRN_RUN_WORKER", "0")
    plugins = create_plugin_manager(extra_plugins=(FlowTestPlugin(), PigeonPlugin(),
                                                   importlib.import_module("cairn.core.outbox.plugin")))
    async with serve_cairn(settings, store_url, plugins=plugins) as running:
        yield running


async def test_a_live_send_is_queued_in_the_outbox_with_its_origin(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("send", "test.send")))

    response = await track(client, write_key, {"type": "purchase"})

    [entry] = await cairn.database.collection("outbox").find({"kind": "message"}).to_list(None)
    assert entry["channel"] == "pigeon" and entry["profile_id"] == response["profile"]["id"]
    assert entry["origin"]["flow_id"] == flow_id and entry["origin"]["node_id"] == "send"
    [trace] = (await cairn.flows.traces.find(flow_id=flow_id))[0]
    assert trace["steps"][-1]["outputs"][0]["payload"] == {"message_id": entry["_id"]}


async def test_a_paused_path_resumes_once_on_the_version_that_paused_it(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("wait", "test.pause"),
                                               ("later", "test.tag", {"tag": "resumed"})))
    response = await track(client, write_key, {"type": "purchase", "properties": {"a.b": 1}})
    profile_id = response["profile"]["id"]
    assert (await cairn.pipeline.repository.get(profile_id)).get("tags", []) == []
    await cairn.flows.flows.update(flow_id, graph=graph(("start", "test.start")))
    await cairn.flows.deploy(flow_id)

    [entry] = await cairn.database.collection("outbox").find({"kind": "resume-flow"}).to_list(None)
    payload = unescape_keys(entry["payload"])
    assert payload["flow_version"] == 1 and payload["node_id"] == "wait"
    summary = await resume_run(cairn.flows, entry["_id"], entry["payload"])

    assert summary["status"] == "ok"
    assert (await cairn.pipeline.repository.get(profile_id))["tags"] == ["resumed"]
    resumed = await cairn.flows.traces.get(summary["trace_id"])
    assert resumed["flow_version"] == 1 and [s["node_id"] for s in resumed["steps"]] == ["later"]
    assert resumed["steps"][0]["input"] == {"a.b": 1}
    assert await resume_run(cairn.flows, entry["_id"], entry["payload"]) == {"skipped": "already resumed"}


async def test_the_engine_handles_resume_entries_of_the_outbox(cairn: Cairn) -> None:
    from cairn.core.outbox import RESUME_FLOW, messaging_for

    assert messaging_for(cairn).handlers.get(RESUME_FLOW) is not None
