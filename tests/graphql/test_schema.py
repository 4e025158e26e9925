"""The root schema is composed from the types plugins contribute through ``register_graphql_types``."""

from __future__ import annotations

import httpx
import pytest
import strawberry

from cairn.core.config import Settings
from cairn.core.plugin_manager import create_plugin_manager, hookimpl
from cairn.core.runtime import Cairn
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.plugin import register_graphql_types
from cairn.graphql.schema import SchemaCompositionError, build_schema
from tests.support.server import serve_cairn


@strawberry.type
class GreetingQueries:
    @strawberry.field(permission_classes=[IsAdmin])
    async def greeting(self, info: Info) -> str:
        return f"hello from {info.context.cairn.settings.database}"


@strawberry.type
class GreetingMutations:
    @strawberry.mutation(permission_classes=[IsAdmin])
    def wave(self) -> bool:
        return True


class GreetingPlugin:
    """A third-party plugin adding one query and one mutation."""

    @hookimpl
    def register_graphql_types(self, cairn: Cairn) -> dict[str, list[type]]:
        return {"query": [GreetingQueries], "mutation": [GreetingMutations]}


async def test_a_plugin_contributes_root_fields_next_to_cairn_own(store_url: str, settings: Settings) -> None:
    plugins = create_plugin_manager(load_entry_points=False, extra_plugins=(GreetingPlugin(),))
    async with serve_cairn(settings, store_url, plugins) as server:
        token = await server.cairn.tokens.create()
        async with httpx.AsyncClient(base_url=server.url) as http:
            response = await http.post("/graphql", headers={"Authorization": f"Bearer {token}"},
                                       json={"query": "{ greeting sources { id } }"})
            mutation = await http.post("/graphql", headers={"Authorization": f"Bearer {token}"},
                                       json={"query": "mutation { wave }"})
    assert response.json() == {"data": {"greeting": f"hello from {settings.database}", "sources": []}}
    assert mutation.json() == {"data": {"wave": True}}


def test_two_contributions_of_the_same_root_field_fail_naming_both() -> None:
    @strawberry.type
    class Clash:
        @strawberry.field
        def sources(self) -> int:
            return 0

    with pytest.raises(SchemaCompositionError, match=r"Query\.sources .*SourceQueries.*Clash"):
        build_schema([register_graphql_types(None), {"query": [Clash]}], Settings())  # type: ignore[arg-type]


def test_a_contribution_that_is_not_a_strawberry_type_fails_clearly() -> None:
    class Plain:
        pass

    with pytest.raises(SchemaCompositionError, match="not a Strawberry type"):
        build_schema([register_graphql_types(None), {"query": [Plain]}], Settings())  # type: ignore[arg-type]


def test_an_unknown_root_name_fails_clearly() -> None:
    with pytest.raises(SchemaCompositionError, match="'queries'.*'query', 'mutation' or 'subscription'"):
        build_schema([{"query": [GreetingQueries]}, {"queries": [GreetingQueries]}], Settings())


def test_contributions_without_a_query_fail_clearly() -> None:
    with pytest.raises(SchemaCompositionError, match="no plugin contributed a query type"):
        build_schema([None, {"mutation": [GreetingMutations]}], Settings())


def test_the_same_type_contributed_twice_is_merged_once() -> None:
    schema = build_schema([{"query": [GreetingQueries]}, {"query": [GreetingQueries]}], Settings())
    assert "greeting" in str(schema)
