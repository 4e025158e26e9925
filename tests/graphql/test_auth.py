"""Every GraphQL operation needs an admin token; the GraphiQL page does not."""

from __future__ import annotations

import httpx
import pytest
from starlette.requests import Request
from strawberry.exceptions import ConnectionRejectionError

from cairn.core.runtime import Cairn
from cairn.graphql.context import Context, create_loaders
from cairn.graphql.schema import build_schema
from cairn.graphql.plugin import register_graphql_types
from cairn.graphql.view import CairnGraphQL

QUERY = {"query": "{ sources { id } }"}


async def test_an_operation_without_a_token_is_refused_with_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=QUERY)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Authorization: Bearer" in error["message"]
    assert "cairn admin create-token" in error["extensions"]["hint"]


@pytest.mark.parametrize("header", ["Bearer cairn_not-a-real-token", "Basic dXNlcjo=", "Bearer", "cairn_token"])
async def test_an_operation_with_a_bad_token_is_refused_with_401(client: httpx.AsyncClient, header: str) -> None:
    response = await client.post("/graphql", json=QUERY, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_valid_admin_token_is_accepted(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await client.post("/graphql", json=QUERY, headers={"Authorization": f"bearer  {admin_token}"})
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"sources": []}}


async def test_the_graphiql_page_loads_without_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
    assert "Bearer <admin token: cairn admin create-token>" in response.text


async def test_queries_over_get_are_not_executed(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await client.get("/graphql", params={"query": "{ sources { id } }"},
                                headers={"Accept": "application/json", "Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 400
    assert "not allowed when using GET" in response.text


async def test_root_fields_refuse_a_context_without_admin_rights(cairn: Cairn) -> None:
    schema = build_schema([register_graphql_types(cairn)], cairn.settings)
    request = Request({"type": "http", "method": "POST", "headers": [], "path": "/graphql", "query_string": b""})
    context = Context(cairn=cairn, request=request, response=None, loaders=create_loaders(cairn), is_admin=False)
    result = await schema.execute("{ sources { id } }", context_value=context)
    assert result.errors
    assert result.errors[0].extensions["code"] == "UNAUTHENTICATED"


async def test_a_websocket_client_needs_a_token_in_connection_init(cairn: Cairn, admin_token: str) -> None:
    view = CairnGraphQL(cairn, build_schema([register_graphql_types(cairn)], cairn.settings))
    request = Request({"type": "http", "method": "GET", "headers": [], "path": "/graphql", "query_string": b""})

    def context(params: dict[str, object] | None) -> Context:
        return Context(cairn=cairn, request=request, response=None, loaders=create_loaders(cairn),
                       connection_params=params)

    with pytest.raises(ConnectionRejectionError):
        await view.on_ws_connect(context(None))
    with pytest.raises(ConnectionRejectionError):
        await view.on_ws_connect(context({"Authorization": "Bearer nope"}))
    accepted = context({"Authorization": f"Bearer {admin_token}"})
    await view.on_ws_connect(accepted)
    assert accepted.is_admin
