"""A graph made ready to run: node classes found, configs validated, edges indexed.

Compiling never fails: a node whose type is missing or whose config is refused keeps
its problem, and running it records that problem as the node's error in the trace.
A deployed flow compiles cleanly unless a plugin went away since it was deployed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from cairn.core.flows.graph import Graph, GraphNode
from cairn.core.nodes.base import NodeType
from cairn.core.nodes.registry import NodeRegistry


@dataclass(frozen=True)
class CompiledNode:
    """One node, ready to run (or carrying the reason it cannot)."""

    id: str
    type_id: str
    type: type[NodeType] | None
    instance: NodeType | None
    config: BaseModel | None
    timeout: float | None
    problem: str | None = None


@dataclass(frozen=True)
class CompiledFlow:
    """A runnable flow version (or draft, for dry runs)."""

    flow_id: str
    version: int | None
    name: str
    nodes: dict[str, CompiledNode]
    edges: dict[tuple[str, str], tuple[str, ...]]
    starts: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def targets(self, node_id: str, port: str) -> tuple[str, ...]:
        """The nodes an output port leads to."""
        return self.edges.get((node_id, port), ())


def compile_graph(graph: Graph, registry: NodeRegistry, *, flow_id: str, version: int | None,
                  name: str = "") -> CompiledFlow:
    """Compile ``graph`` against the node types installed now."""
    nodes = {node.id: _compile_node(node, registry) for node in graph.nodes}
    edges: dict[tuple[str, str], list[str]] = {}
    for edge in graph.edges:
        if edge.from_node in nodes and edge.to_node in nodes:
            edges.setdefault((edge.from_node, edge.from_port), []).append(edge.to_node)
    starts = tuple(node_id for node_id, node in nodes.items() if node.type is not None and node.type.is_start())
    return CompiledFlow(flow_id=flow_id, version=version, name=name, nodes=nodes,
                        edges={key: tuple(value) for key, value in edges.items()}, starts=starts)


def _compile_node(node: GraphNode, registry: NodeRegistry) -> CompiledNode:
    registered = registry.get(node.type)
    if registered is None:
        return CompiledNode(node.id, node.type, None, None, None, None,
                            problem=f"node type {node.type!r} is not installed")
    node_type = registered.type
    try:
        config = node_type.Config.model_validate(node.config)
    except ValidationError as error:
        return CompiledNode(node.id, node.type, node_type, None, None, None,
                            problem=f"invalid config: {error.errors()[0]['msg']} "
                                    f"({'.'.join(str(p) for p in error.errors()[0]['loc'])})")
    try:
        instance = node_type()
    except Exception as error:  # noqa: BLE001 - recorded when the node is reached
        return CompiledNode(node.id, node.type, node_type, None, config, None,
                            problem=f"could not create the node: {type(error).__name__}: {error}")
    return CompiledNode(node.id, node.type, node_type, instance, config, node_type.timeout)
