"""``nodeTypes``, ``nodeType``, ``pluginProblems``, ``checkFlowGraph``."""

from __future__ import annotations

import strawberry
from pydantic import ValidationError

from cairn.core.flows import Problem
from cairn.core.plugin_manager import problems_of
from cairn.graphql.context import Info
from cairn.graphql.errors import bad_input
from cairn.graphql.flows.inputs import FlowGraphInput
from cairn.graphql.flows.types import GraphProblem, NodeType, PluginProblem
from cairn.graphql.permissions import IsAdmin


@strawberry.field(permission_classes=[IsAdmin], description="Every node type the installed plugins declare.")
def node_types(info: Info, category: str | None = None) -> list[NodeType]:
    registry = info.context.cairn.flows.nodes
    return [NodeType.from_registry(node, registry) for node in registry.all()
            if category is None or node.type.category == category]


@strawberry.field(permission_classes=[IsAdmin], description="The node type with this id.")
def node_type(info: Info, id: str) -> NodeType | None:  # noqa: A002 - GraphQL's name
    registry = info.context.cairn.flows.nodes
    found = registry.get(id)
    return NodeType.from_registry(found, registry) if found else None


@strawberry.field(permission_classes=[IsAdmin], description="Plugins that failed to load, declared bad node types "
                                                            "or raised, most recent first.")
def plugin_problems(info: Info) -> list[PluginProblem]:
    return [PluginProblem.from_model(problem) for problem in problems_of(info.context.cairn.plugins).all()]


@strawberry.field(permission_classes=[IsAdmin], description="What would stop this graph from being deployed "
                                                            "(empty: it can be deployed).")
def check_flow_graph(info: Info, graph: FlowGraphInput) -> list[GraphProblem]:
    try:
        model = graph.to_model()
    except ValidationError as error:
        raise bad_input(f"the graph is malformed: {error.errors()[0]['msg']}",
                        "give every node a non-empty id and type") from error
    problems: list[Problem] = info.context.cairn.flows.check_graph(model)
    return [GraphProblem.from_model(problem) for problem in problems]


