"""Documents too deep, too long or asking for too big a page are refused with clear messages."""

from __future__ import annotations

from cairn.core.runtime import Cairn
from cairn.graphql.schema import MAX_ALIASES, MAX_TOKENS
from tests.graphql.conftest import GraphQLClient, Tracker


def nested_query(depth: int) -> str:
    """A query ``depth`` levels deep: events → profile → events → profile…"""
    selection = "id"
    for level in range(depth - 1):
        selection = (f"profile {{ {selection} }}" if level % 2 == 0
                     else f"events(first: 1) {{ edges {{ node {{ {selection} }} }} }}")
    return f"{{ events(first: 1) {{ edges {{ node {{ {selection} }} }} }} }}"


async def test_a_query_deeper_than_the_limit_is_refused(api: GraphQLClient, cairn: Cairn) -> None:
    limit = cairn.settings.graphql_max_depth
    assert "errors" not in await api.execute(nested_query(limit // 2))
    error = await api.error(nested_query(limit + 2))
    assert f"exceeds maximum operation depth of {limit}" in error["message"]


async def test_a_page_bigger_than_the_limit_is_refused(api: GraphQLClient, cairn: Cairn) -> None:
    limit = cairn.settings.graphql_max_page_size
    await api.data(f"{{ profiles(first: {limit}) {{ edges {{ cursor }} }} }}")
    error = await api.error(f"{{ profiles(first: {limit + 1}) {{ edges {{ cursor }} }} }}")
    assert error["message"] == f"first must be between 0 and {limit}, not {limit + 1}"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "after" in error["extensions"]["hint"]
    error = await api.error('{ events(first: 1000000) { edges { cursor } } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = await api.error('{ events(first: -1) { edges { cursor } } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_nested_page_bigger_than_the_limit_is_refused(api: GraphQLClient, tracker: Tracker,
                                                           cairn: Cairn) -> None:
    await tracker.send("track", userId="u1", event="Signed Up")
    limit = cairn.settings.graphql_max_page_size
    query = f"{{ profiles {{ edges {{ node {{ events(first: {limit + 1}) {{ edges {{ cursor }} }} }} }} }} }}"
    error = await api.error(query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_document_with_too_many_tokens_is_refused(api: GraphQLClient) -> None:
    fields = " ".join(["id"] * MAX_TOKENS)
    error = await api.error(f"{{ sources {{ {fields} }} }}")
    assert f"more than {MAX_TOKENS} tokens" in error["message"]


async def test_a_document_with_too_many_aliases_is_refused(api: GraphQLClient) -> None:
    aliases = " ".join(f"a{n}: sources {{ id }}" for n in range(MAX_ALIASES + 1))
    error = await api.error(f"{{ {aliases} }}")
    assert f"Allowed: {MAX_ALIASES}" in error["message"]


async def test_a_cursor_that_was_not_given_out_is_refused(api: GraphQLClient) -> None:
    error = await api.error('{ events(after: "not-a-cursor") { edges { cursor } } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "endCursor" in error["message"]


async def test_graphiql_introspection_is_within_the_limits(api: GraphQLClient) -> None:
    from graphql import get_introspection_query

    data = await api.data(get_introspection_query(descriptions=True, input_value_deprecation=True))
    assert data["__schema"]["queryType"]["name"] == "Query"
