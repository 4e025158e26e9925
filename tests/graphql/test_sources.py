"""Event sources through GraphQL: list, read, create, update and disable."""

from __future__ import annotations

import httpx

from tests.graphql.conftest import GraphQLClient

SOURCE_FIELDS = "id name writeKey allowedOrigins enabled createdAt"

CREATE = f"""
mutation ($name: String!, $origins: [String!]) {{
  createSource(name: $name, allowedOrigins: $origins) {{
    __typename
    ... on SourceCreated {{ source {{ {SOURCE_FIELDS} }} }}
    ... on InvalidInput {{ message errors {{ field message }} }}
  }}
}}"""

UPDATE = f"""
mutation ($id: ID!, $name: String, $origins: [String!], $enabled: Boolean) {{
  updateSource(id: $id, name: $name, allowedOrigins: $origins, enabled: $enabled) {{
    __typename
    ... on SourceUpdated {{ source {{ {SOURCE_FIELDS} }} }}
    ... on InvalidInput {{ message errors {{ field message }} }}
    ... on NotFound {{ message id }}
  }}
}}"""

DISABLE = f"""
mutation ($id: ID!) {{
  disableSource(id: $id) {{
    __typename
    ... on SourceUpdated {{ source {{ {SOURCE_FIELDS} }} }}
    ... on NotFound {{ message id }}
  }}
}}"""


async def create(api: GraphQLClient, name: str, origins: list[str] | None = None) -> dict:
    return (await api.data(CREATE, name=name, origins=origins))["createSource"]


async def test_a_created_source_is_listed_and_readable_by_id(api: GraphQLClient) -> None:
    created = await create(api, "  my shop ", ["https://Shop.Example:443/", "http://localhost:3000", "*"])
    assert created["__typename"] == "SourceCreated"
    source = created["source"]
    assert source["name"] == "my shop"
    assert source["allowedOrigins"] == ["https://shop.example", "http://localhost:3000", "*"]
    assert source["enabled"] is True
    assert source["writeKey"].startswith("wk_")

    data = await api.data(f"query ($id: ID!) {{ sources {{ id }} source(id: $id) {{ {SOURCE_FIELDS} }} }}",
                          id=source["id"])
    assert [s["id"] for s in data["sources"]] == [source["id"]]
    assert data["source"] == source


async def test_an_unknown_source_id_reads_as_null(api: GraphQLClient) -> None:
    assert (await api.data('{ source(id: "nope") { id } }'))["source"] is None


async def test_creating_a_source_with_bad_input_says_what_is_wrong_and_creates_nothing(api: GraphQLClient) -> None:
    result = await create(api, "   ", ["ftp://files.example", "https://ok.example/path"])
    assert result["__typename"] == "InvalidInput"
    assert [error["field"] for error in result["errors"]] == ["name", "allowedOrigins[0]", "allowedOrigins[1]"]
    assert "https://shop.example" in result["errors"][1]["message"]
    assert (await api.data("{ sources { id } }"))["sources"] == []


async def test_updating_a_source_changes_only_what_is_given(api: GraphQLClient) -> None:
    source = (await create(api, "shop", ["https://shop.example"]))["source"]
    renamed = (await api.data(UPDATE, id=source["id"], name="shop (EU)"))["updateSource"]
    assert renamed["__typename"] == "SourceUpdated"
    assert renamed["source"] == {**source, "name": "shop (EU)"}
    moved = (await api.data(UPDATE, id=source["id"], origins=["https://eu.shop.example"]))["updateSource"]
    assert moved["source"]["allowedOrigins"] == ["https://eu.shop.example"]
    assert moved["source"]["name"] == "shop (EU)"


async def test_updating_with_bad_input_or_an_unknown_id_is_refused(api: GraphQLClient) -> None:
    source = (await create(api, "shop"))["source"]
    invalid = (await api.data(UPDATE, id=source["id"], name=""))["updateSource"]
    assert invalid["__typename"] == "InvalidInput"
    assert invalid["errors"] == [{"field": "name", "message": "must not be empty"}]
    missing = (await api.data(UPDATE, id="nope", name="x"))["updateSource"]
    assert missing == {"__typename": "NotFound", "message": "no source has the id 'nope'", "id": "nope"}
    assert (await api.data(DISABLE, id="nope"))["disableSource"]["__typename"] == "NotFound"


async def test_a_disabled_source_write_key_is_refused_with_403_until_enabled_again(
        api: GraphQLClient, client: httpx.AsyncClient) -> None:
    source = (await create(api, "shop"))["source"]
    event = {"userId": "u1", "event": "Order Completed"}
    assert (await client.post("/v1/track", json=event, auth=(source["writeKey"], ""))).status_code == 200

    disabled = (await api.data(DISABLE, id=source["id"]))["disableSource"]
    assert disabled["source"]["enabled"] is False
    refused = await client.post("/v1/track", json=event, auth=(source["writeKey"], ""))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "source_disabled"

    enabled = (await api.data(UPDATE, id=source["id"], enabled=True))["updateSource"]
    assert enabled["source"]["enabled"] is True
    assert (await client.post("/v1/track", json=event, auth=(source["writeKey"], ""))).status_code == 200
