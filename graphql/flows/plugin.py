"""Contributes the flow queries and mutations to the root GraphQL schema (an essential plugin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn


@hookimpl
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]]:
    """The flow root fields: :class:`FlowQueries` and :class:`FlowMutations`."""
    from cairn.graphql.flows.mutations import FlowMutations
    from cairn.graphql.flows.queries import FlowQueries

    return {"query": [FlowQueries], "mutation": [FlowMutations]}
