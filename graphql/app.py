"""The GraphQL API's routes: the schema is composed once, when Cairn starts."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route, WebSocketRoute

from cairn.core.plugin_manager import call_hook
from cairn.core.runtime import Cairn
from cairn.graphql.schema import build_schema
from cairn.graphql.view import CairnGraphQL

PATH = "/graphql"


async def graphql_routes(cairn: Cairn) -> list[BaseRoute]:
    """Routes of the GraphQL API (HTTP and WebSocket at ``/graphql``), on the schema every plugin contributes to."""
    contributions = await call_hook(cairn.plugins.hook.register_graphql_types, cairn=cairn)
    view = CairnGraphQL(cairn, build_schema(contributions, cairn.settings))
    return [Route(PATH, view, methods=["GET", "POST"]), WebSocketRoute(PATH, view)]
