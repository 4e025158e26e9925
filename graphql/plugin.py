"""The GraphQL API as a plugin of the core: it adds the ``/graphql`` route."""

from __future__ import annotations

from starlette.routing import BaseRoute

from cairn.core.plugin_manager import hookimpl
from cairn.core.runtime import Cairn


@hookimpl
def register_routes(cairn: Cairn) -> list[BaseRoute]:
    """Mount the Strawberry GraphQL app at ``/graphql``."""
    from cairn.graphql.app import graphql_routes

    return graphql_routes(cairn)
