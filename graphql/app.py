"""Placeholder until the GraphQL schema lands."""

from starlette.routing import BaseRoute

from cairn.core.runtime import Cairn


def graphql_routes(cairn: Cairn) -> list[BaseRoute]:
    """Routes of the GraphQL API."""
    return []
