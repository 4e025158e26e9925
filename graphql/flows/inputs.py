"""GraphQL inputs of the flow mutations."""

from __future__ import annotations

from typing import Any

import strawberry

from cairn.core.flows import Graph
from cairn.graphql.scalars import JSON


@strawberry.input
class PositionInput:
    x: float = 0
    y: float = 0


@strawberry.input(description="A node: its id (unique in the flow), node type id, config and position.")
class FlowNodeInput:
    id: str
    type: str
    config: JSON | None = None
    position: PositionInput | None = None
    label: str | None = None


@strawberry.input(description="An edge from a node's output port (default 'out') to another node.")
class FlowEdgeInput:
    from_node: str
    to_node: str
    from_port: str = "out"


@strawberry.input
class FlowGraphInput:
    nodes: list[FlowNodeInput]
    edges: list[FlowEdgeInput]

    def to_model(self) -> Graph:
        """The core graph (raises pydantic's ValidationError for blank ids or types)."""
        return Graph.model_validate({
            "nodes": [{"id": n.id, "type": n.type, "config": n.config or {}, "label": n.label,
                       "position": {"x": n.position.x, "y": n.position.y} if n.position else {}} for n in self.nodes],
            "edges": [{"from_node": e.from_node, "from_port": e.from_port, "to_node": e.to_node} for e in self.edges],
        })


@strawberry.input(description="One field of an event mapping.")
class MappingFieldInput:
    source: str = strawberry.field(description="An expression, e.g. event.properties.plan.")
    trait: str
    mode: str = strawberry.field(default="always", description="always, if_empty or append.")


@strawberry.input(description="One identifier of an identification point.")
class IdentifierFieldInput:
    source: str = strawberry.field(description="An expression, e.g. event.properties.email.")
    kind: str = strawberry.field(description="The identifier kind, e.g. email.")


def given(**arguments: Any) -> dict[str, Any]:
    """The arguments the caller actually sent (``UNSET`` ones left out; ``null`` kept, to clear)."""
    return {key: value for key, value in arguments.items() if value is not strawberry.UNSET}
