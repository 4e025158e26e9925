"""Contributes the widget queries and mutations to the root GraphQL schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn


@hookimpl
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]]:
    """The widget root fields: ``WidgetQueries`` and ``WidgetMutations``."""
    from cairn.graphql.widgets.mutations import WidgetMutations
    from cairn.graphql.widgets.queries import WidgetQueries

    return {"query": [WidgetQueries], "mutation": [WidgetMutations]}
