"""The ASGI view serving ``/graphql``: admin-token check, context, GraphiQL page.

* ``GET`` from a browser shows GraphiQL, without a token (set it in the Headers tab).
* Every operation needs an admin token: an HTTP request without a valid one is
  answered ``401`` with a GraphQL-shaped error (code ``UNAUTHENTICATED``); a WebSocket
  client must send ``{"Authorization": "Bearer <token>"}`` in ``connection_init``.
* Queries over ``GET`` are turned off: operations are ``POST``-ed.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema import BaseSchema
from strawberry.types.unset import UNSET, UnsetType

from cairn.core.runtime import Cairn
from cairn.graphql.auth import HINT, INVALID, MISSING, bearer_token, is_admin, token_in_params, unauthenticated
from cairn.graphql.context import Context, create_loaders
from cairn.graphql.permissions import UNAUTHENTICATED

_ADMIN = "cairn_admin"
_HEADERS_STATE = "React.useState(parameters.headers)"
_HEADERS_HINT = """React.useState(parameters.headers || JSON.stringify(
          {Authorization: "Bearer <admin token: cairn admin create-token>"}, null, 2))"""


class CairnGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view, bound to a running Cairn."""

    def __init__(self, cairn: Cairn, schema: BaseSchema) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=False)
        self.cairn = cairn

    async def run(self, request: Request | WebSocket, context: Context | UnsetType = UNSET,
                  root_value: None | UnsetType = UNSET) -> Any:
        """Refuse HTTP operations without a valid admin token before anything else runs."""
        if isinstance(request, Request) and request.method != "GET":
            token = bearer_token(request.headers.get("authorization"))
            if not await is_admin(self.cairn, token):
                return unauthenticated(token)
            setattr(request.state, _ADMIN, True)
        return await super().run(request, context, root_value)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        admin = bool(getattr(request.state, _ADMIN, False))
        return Context(cairn=self.cairn, request=request, response=response,
                       loaders=create_loaders(self.cairn), is_admin=admin)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Accept a WebSocket client only with an admin token in its ``connection_init`` payload."""
        token = token_in_params(context.connection_params)
        if not await is_admin(self.cairn, token):
            raise ConnectionRejectionError({"message": INVALID if token else MISSING,
                                            "code": UNAUTHENTICATED, "hint": HINT})
        context.is_admin = True
        return UNSET

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL, with the Headers tab showing where the admin token goes."""
        return HTMLResponse(self.graphql_ide_html.replace(_HEADERS_STATE, _HEADERS_HINT, 1))
