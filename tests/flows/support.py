"""In-test node types, their plugin, and helpers to build, deploy and trigger flows.

The suites never depend on the built-in node catalogue: every node they use is
declared here, with ids under ``test.``, and registered through :class:`FlowTestPlugin`.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict

from cairn.core.flows import Graph
from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.core.plugin_manager import hookimpl
from cairn.core.runtime import Cairn


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Start(NodeType):
    id = "test.start"
    name = "Start"
    category = "Flow"
    inputs: ClassVar[tuple[str, ...]] = ()


class Pass(NodeType):
    id = "test.pass"
    name = "Pass"


class TraitConfig(Frozen):
    name: str
    value: Any = None
    from_payload: str | None = None


class SetTrait(NodeType):
    id = "test.set_trait"
    name = "Set trait"
    category = "Profile"
    Config = TraitConfig

    async def run(self, config: TraitConfig, ctx: NodeContext) -> NodeResult:
        value = ctx.payload.get(config.from_payload) if config.from_payload else config.value
        ctx.profile.set_trait(config.name, value)
        return Output("out", ctx.payload)


class TagConfig(Frozen):
    tag: str


class Tag(NodeType):
    id = "test.tag"
    name = "Tag"
    Config = TagConfig

    async def run(self, config: TagConfig, ctx: NodeContext) -> NodeResult:
        ctx.profile.add_tags(config.tag)
        return Output("out", ctx.payload)


class Count(NodeType):
    """Adds one to ``traits.<name>`` (default ``visits_counted``) each time it runs."""

    id = "test.count"
    name = "Count"

    class Config(Frozen):
        name: str = "counted"

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        ctx.profile.increment(("traits", config.name))
        return Output("out", ctx.payload)


class Branch(NodeType):
    """Follows both ``a`` and ``b``."""

    id = "test.branch"
    name = "Branch"
    outputs: ClassVar[tuple[str, ...]] = ("a", "b")

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        return [Output("a", {"path": "a"}), Output("b", {"path": "b"})]


class Fail(NodeType):
    """Changes the profile, then raises."""

    id = "test.fail"
    name = "Fail"

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        ctx.profile.set_trait("half_done", True)
        ctx.ux.append({"type": "should-not-appear"})
        raise RuntimeError("boom")


class Slow(NodeType):
    id = "test.slow"
    name = "Slow"
    timeout: ClassVar[float | None] = 0.2

    class Config(Frozen):
        seconds: float = 5

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        ctx.profile.set_trait("slow_started", True)
        await asyncio.sleep(config.seconds)
        return Output("out", ctx.payload)


class Loop(NodeType):
    """Counts in the run's variables and always follows ``out``."""

    id = "test.loop"
    name = "Loop"

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        ctx.variables["laps"] = ctx.variables.get("laps", 0) + 1
        return Output("out", ctx.payload)


class Widget(NodeType):
    id = "test.widget"
    name = "Widget"

    class Config(Frozen):
        text: str = "hello"

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        ctx.ux.append({"type": "test-banner", "text": config.text, "profile": ctx.profile.id})
        return Output("out", ctx.payload)


class Send(NodeType):
    """Sends a message through the outbox and records a would-be HTTP call in dry runs."""

    id = "test.send"
    name = "Send"

    class Config(Frozen):
        channel: str = "pigeon"

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        if ctx.dry_run:
            ctx.record_call("http", {"url": "https://example.invalid/hook"})
        message_id = await ctx.send(config.channel, {"subject": "Hi", "purpose": "service"}, to="ann@example.com")
        ctx.log(f"queued {message_id}")
        return Output("out", {"message_id": message_id})


class WrongPort(NodeType):
    id = "test.wrong_port"
    name = "Wrong port"

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        return Output("nowhere", None)


NODE_TYPES: list[type[NodeType]] = [Start, Pass, SetTrait, Tag, Count, Branch, Fail, Slow, Loop, Widget, Send,
                                    WrongPort]


class FlowTestPlugin:
    """The in-test plugin that declares :data:`NODE_TYPES`."""

    name = "flow-test-nodes"

    @hookimpl
    def register_node_types(self) -> list[type[NodeType]]:
        return list(NODE_TYPES)


def graph(*chain: tuple[str, str, dict[str, Any]] | tuple[str, str],
          edges: list[tuple[str, str, str]] | None = None) -> Graph:
    """A graph from ``(node id, type[, config])`` tuples; without ``edges``, a chain through ``out`` ports."""
    nodes = [{"id": item[0], "type": item[1], "config": item[2] if len(item) > 2 else {},
              "position": {"x": 100 * i, "y": 0}} for i, item in enumerate(chain)]
    if edges is None:
        edges = [(chain[i][0], "out", chain[i + 1][0]) for i in range(len(chain) - 1)]
    return Graph.model_validate({"nodes": nodes, "edges": [{"from_node": a, "from_port": p, "to_node": b}
                                                          for a, p, b in edges]})


async def deployed_flow(cairn: Cairn, flow_graph: Graph, event_type: str | None = "purchase", *,
                        name: str = "test flow", **rule: Any) -> str:
    """Create and deploy a flow, and (unless ``event_type`` is None) a rule running it; return the flow id."""
    flow = await cairn.flows.flows.create(name, graph=flow_graph)
    result = await cairn.flows.deploy(flow.id)
    assert result.version is not None, result.problems
    if event_type is not None:
        await cairn.flows.create_rule({"event_type": event_type, "flow_id": flow.id, **rule})
    return flow.id


async def track(client: httpx.AsyncClient, write_key: str, *events: dict[str, Any],
                profile_id: str | None = None) -> dict[str, Any]:
    """``POST /track`` the events; return the JSON response (which must be a success)."""
    body: dict[str, Any] = {"source": {"id": write_key}, "events": list(events)}
    if profile_id:
        body["profile"] = {"id": profile_id}
    response = await client.post("/track", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def traces_of(cairn: Cairn, flow_id: str) -> list[dict[str, Any]]:
    """The stored traces of a flow, newest first."""
    found, _ = await cairn.flows.traces.find(flow_id=flow_id, limit=100)
    return found


class GraphQL:
    """Posts GraphQL operations to ``/graphql`` with an admin token."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.token = token

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """The ``data`` of an operation that must succeed."""
        response = await self.http.post("/graphql", json={"query": query, "variables": variables},
                                        headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        result = response.json()
        assert not result.get("errors"), result["errors"]
        return result["data"]  # type: ignore[no-any-return]
