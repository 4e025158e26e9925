"""``enableNodeType``: run a node type again after it was disabled for failing."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.results import EnableNodeTypeResult, NodeTypeEnabled
from cairn.graphql.flows.types import NodeType
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound


@strawberry.mutation(permission_classes=[IsAdmin], description="Re-enable a node type disabled after failing too "
                                                               "often in a row (and forget its run problems).")
def enable_node_type(info: Info, id: str) -> EnableNodeTypeResult:  # noqa: A002 - GraphQL's name
    registry = info.context.cairn.flows.nodes
    node = registry.get(id)
    if node is None:
        return NotFound.of("node type", id)
    registry.enable(id)
    return NodeTypeEnabled(node_type=NodeType.from_registry(node, registry))
