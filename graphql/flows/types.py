"""GraphQL types of the node catalogue, plugin problems, flows and their versions."""

from __future__ import annotations

from datetime import datetime
import strawberry

from cairn.core.flows import Flow as FlowModel
from cairn.core.flows import FlowVersion as FlowVersionModel
from cairn.core.flows import Graph, Problem
from cairn.core.nodes.registry import NodeRegistry, RegisteredNode
from cairn.core.plugin_manager import PluginProblem as PluginProblemModel
from cairn.graphql.context import Info
from cairn.graphql.flows.config_types import Rule
from cairn.graphql.scalars import JSON


@strawberry.type(description="A node type the editor's palette offers, as a plugin declared it.")
class NodeType:
    id: str
    version: int
    name: str
    category: str
    description: str
    docs: str = strawberry.field(description="Longer documentation, in Markdown.")
    inputs: list[str] = strawberry.field(description="The input port; empty for a start node.")
    outputs: list[str] = strawberry.field(description="The output ports, in drawing order.")
    config_schema: JSON = strawberry.field(description="The JSON Schema of the node's config (drives the form).")
    plugin: str = strawberry.field(description="The plugin that declared the node type.")
    is_start: bool
    timeout: float | None = strawberry.field(description="Seconds a run may take (null: the engine's default).")
    disabled: str | None = strawberry.field(description="Why the node type is disabled, if it is.")

    @classmethod
    def from_registry(cls, node: RegisteredNode, registry: NodeRegistry) -> NodeType:
        """The GraphQL view of a registered node type."""
        spec = node.type
        return cls(id=spec.id, version=spec.version, name=spec.name, category=spec.category,
                   description=spec.description, docs=spec.docs, inputs=list(spec.inputs), outputs=list(spec.outputs),
                   config_schema=node.config_schema, plugin=node.plugin, is_start=spec.is_start(),
                   timeout=spec.timeout, disabled=registry.disabled.get(spec.id))


@strawberry.type(description="Something wrong with a plugin: it failed to load, declared a bad node type, or raised.")
class PluginProblem:
    plugin: str
    stage: str = strawberry.field(description="load, register, run or hook.")
    message: str
    hint: str
    node_type: str | None
    disabled: bool = strawberry.field(description="Whether Cairn stopped using the plugin or node type for it.")
    count: int
    first_at: datetime
    last_at: datetime

    @classmethod
    def from_model(cls, problem: PluginProblemModel) -> PluginProblem:
        """The GraphQL view of a problem."""
        return cls(plugin=problem.plugin, stage=problem.stage, message=problem.message, hint=problem.hint,
                   node_type=problem.node_type, disabled=problem.disabled, count=problem.count,
                   first_at=problem.first_at, last_at=problem.last_at)


@strawberry.type
class Position:
    x: float
    y: float


@strawberry.type(description="A node of a flow: an instance of a node type with its config.")
class FlowNode:
    id: str
    type: str
    config: JSON
    position: Position
    label: str | None


@strawberry.type(description="An edge: from a node's output port to another node's input.")
class FlowEdge:
    from_node: str
    from_port: str
    to_node: str


@strawberry.type
class FlowGraph:
    nodes: list[FlowNode]
    edges: list[FlowEdge]

    @classmethod
    def from_model(cls, graph: Graph) -> FlowGraph:
        """The GraphQL view of a graph."""
        return cls(nodes=[FlowNode(id=n.id, type=n.type, config=n.config, position=Position(x=n.position.x,
                                                                                            y=n.position.y),
                                   label=n.label) for n in graph.nodes],
                   edges=[FlowEdge(from_node=e.from_node, from_port=e.from_port, to_node=e.to_node)
                          for e in graph.edges])


@strawberry.type(description="Why a graph cannot be deployed: the node, what is wrong, what to do.")
class GraphProblem:
    node_id: str | None
    code: str = strawberry.field(description="unknown_node_type, invalid_config, dangling_edge, unknown_port, "
                                             "unreachable_node, no_start_node, duplicate_node_id, disabled_node_type")
    message: str
    hint: str

    @classmethod
    def from_model(cls, problem: Problem) -> GraphProblem:
        """The GraphQL view of a problem."""
        return cls(node_id=problem.node_id, code=problem.code, message=problem.message, hint=problem.hint)


@strawberry.type(description="A deployed version of a flow; it never changes.")
class FlowVersion:
    flow_id: str
    version: int
    name: str
    graph: FlowGraph
    deployed_at: datetime

    @classmethod
    def from_model(cls, version: FlowVersionModel) -> FlowVersion:
        """The GraphQL view of a version."""
        return cls(flow_id=version.flow_id, version=version.version, name=version.name,
                   graph=FlowGraph.from_model(version.graph), deployed_at=version.deployed_at)


@strawberry.type(description="A flow: its editable draft and which version is deployed.")
class Flow:
    id: strawberry.ID
    name: str
    description: str
    draft: FlowGraph
    deployed_version: int | None = strawberry.field(description="The version rules run (null: never deployed).")
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The deployed versions, newest first.")
    async def versions(self, info: Info) -> list[FlowVersion]:
        return [FlowVersion.from_model(v) for v in await info.context.cairn.flows.flows.list_versions(str(self.id))]

    @strawberry.field(description="The rules that run this flow.")
    async def rules(self, info: Info) -> list[Rule]:
        return [Rule.from_model(r) for r in await info.context.cairn.flows.rules.list({"flow_id": str(self.id)})]

    @classmethod
    def from_model(cls, flow: FlowModel) -> Flow:
        """The GraphQL view of a flow."""
        return cls(id=strawberry.ID(flow.id), name=flow.name, description=flow.description,
                   draft=FlowGraph.from_model(flow.draft), deployed_version=flow.deployed_version,
                   created_at=flow.created_at, updated_at=flow.updated_at)
