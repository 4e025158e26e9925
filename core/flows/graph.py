"""A flow's graph: nodes (id, type, config, position) and edges (node + port → node).

Edges leave a named output port and enter the target node's single input port.
Cycles are allowed (a loop that re-asks, a retry); the engine's step limit ends a
loop that never stops. :func:`validate_graph` lists everything that would stop a
graph from being deployed, each problem naming the node and what to fix.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cairn.core.nodes.registry import NodeRegistry


class Position(BaseModel):
    """Where the editor draws a node."""

    model_config = ConfigDict(frozen=True)

    x: float = 0
    y: float = 0


class GraphNode(BaseModel):
    """One node of a flow: an instance of a node type with its config."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    type: str = Field(min_length=1)
    config: dict[str, Any] = Field(default_factory=dict)
    position: Position = Field(default_factory=Position)
    label: str | None = None


class GraphEdge(BaseModel):
    """From ``from_node``'s output ``from_port`` to ``to_node``'s input."""

    model_config = ConfigDict(frozen=True)

    from_node: str
    from_port: str = "out"
    to_node: str


class Graph(BaseModel):
    """Nodes and edges."""

    model_config = ConfigDict(frozen=True)

    nodes: list[GraphNode] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)

    def node(self, node_id: str) -> GraphNode | None:
        """The node ``node_id``, or ``None``."""
        return next((node for node in self.nodes if node.id == node_id), None)


class Problem(BaseModel):
    """Why a graph cannot be deployed: which node, what is wrong, what to do."""

    model_config = ConfigDict(frozen=True)

    node_id: str | None
    code: str
    message: str
    hint: str = ""


def validate_graph(graph: Graph, registry: NodeRegistry) -> list[Problem]:
    """Every problem that stops ``graph`` from being deployed (``[]`` when it can be)."""
    problems = _node_problems(graph, registry)
    problems.extend(_edge_problems(graph, registry))
    problems.extend(_reachability_problems(graph, registry))
    return problems


def config_problems(node: GraphNode, registry: NodeRegistry) -> list[Problem]:
    """The problems of one node: unknown or disabled type, config its model refuses."""
    registered = registry.get(node.type)
    if registered is None:
        return [Problem(node_id=node.id, code="unknown_node_type",
                        message=f"node {node.id!r} has type {node.type!r}, which no installed plugin declares",
                        hint="pick a node type from the catalogue, or install the plugin that provides it")]
    problems = []
    if node.type in registry.disabled:
        problems.append(Problem(node_id=node.id, code="disabled_node_type",
                                message=f"node type {node.type!r} is disabled: {registry.disabled[node.type]}",
                                hint="fix the plugin, then re-enable the node type"))
    try:
        registered.type.Config.model_validate(node.config)
    except ValidationError as error:
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"]) or "config"
            problems.append(Problem(node_id=node.id, code="invalid_config",
                                    message=f"node {node.id!r}: config field {where!r}: {detail['msg']}",
                                    hint="correct the field in the node's settings"))
    return problems


def _node_problems(graph: Graph, registry: NodeRegistry) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for node in graph.nodes:
        if node.id in seen:
            problems.append(Problem(node_id=node.id, code="duplicate_node_id",
                                    message=f"two nodes have the id {node.id!r}", hint="give each node its own id"))
        seen.add(node.id)
        problems.extend(config_problems(node, registry))
    if not any(_is_start(node, registry) for node in graph.nodes):
        problems.append(Problem(node_id=None, code="no_start_node", message="the flow has no start node",
                                hint="add a node without input port (e.g. Start) and connect it to the others"))
    return problems


def _edge_problems(graph: Graph, registry: NodeRegistry) -> list[Problem]:
    problems = []
    for edge in graph.edges:
        source, target = graph.node(edge.from_node), graph.node(edge.to_node)
        label = f"edge {edge.from_node}.{edge.from_port} → {edge.to_node}"
        if source is None or target is None:
            missing = edge.from_node if source is None else edge.to_node
            problems.append(Problem(node_id=edge.from_node if source else edge.to_node, code="dangling_edge",
                                    message=f"{label} refers to node {missing!r}, which is not in the flow",
                                    hint="delete the edge or add the node"))
            continue
        source_type, target_type = registry.get(source.type), registry.get(target.type)
        if source_type and edge.from_port not in source_type.type.outputs:
            ports = ", ".join(source_type.type.outputs) or "none"
            problems.append(Problem(node_id=source.id, code="unknown_port",
                                    message=f"{label} leaves port {edge.from_port!r}, which node {source.id!r} "
                                            f"({source.type}) does not have", hint=f"use one of its ports: {ports}"))
        if target_type and target_type.type.is_start():
            problems.append(Problem(node_id=target.id, code="unknown_port",
                                    message=f"{label} enters start node {target.id!r}, which has no input port",
                                    hint="delete the edge; a start node only has outputs"))
    return problems


def _reachability_problems(graph: Graph, registry: NodeRegistry) -> list[Problem]:
    starts = [node.id for node in graph.nodes if _is_start(node, registry)]
    if not starts:
        return []
    reached = reachable(graph, starts)
    return [Problem(node_id=node.id, code="unreachable_node",
                    message=f"node {node.id!r} cannot be reached from a start node",
                    hint="connect an edge into it, or delete it")
            for node in graph.nodes if node.id not in reached]


def reachable(graph: Graph, starts: list[str]) -> set[str]:
    """The ids of the nodes reachable from ``starts`` (included)."""
    following: dict[str, list[str]] = {}
    for edge in graph.edges:
        following.setdefault(edge.from_node, []).append(edge.to_node)
    seen, queue = set(starts), deque(starts)
    while queue:
        for target in following.get(queue.popleft(), []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _is_start(node: GraphNode, registry: NodeRegistry) -> bool:
    registered = registry.get(node.type)
    return registered is not None and registered.type.is_start()
