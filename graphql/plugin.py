"""The GraphQL API as a plugin of the core: the ``/graphql`` route and Cairn's own GraphQL types.

Cairn's types come in through ``register_graphql_types`` like any plugin's.
"""

from __future__ import annotations

from collections.abc import Awaitable

from starlette.routing import BaseRoute

from cairn.core.plugin_manager import hookimpl
from cairn.core.runtime import Cairn


@hookimpl
def register_routes(cairn: Cairn) -> Awaitable[list[BaseRoute]]:
    """Mount the Strawberry GraphQL app at ``/graphql`` (its schema is composed when awaited)."""
    from cairn.graphql.app import graphql_routes

    return graphql_routes(cairn)


@hookimpl
def on_startup(cairn: Cairn) -> None:
    """Declare the indexes the API's searches and listings rely on."""
    from cairn.core.reads.indexes import declare_read_indexes
    from cairn.graphql.profiles.queries import identifier_kinds

    declare_read_indexes(cairn.database, identifier_kinds(cairn.settings))


@hookimpl
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]]:
    """Cairn's foundation types: profiles, events, sources and the ingestion queue."""
    from cairn.graphql.events.queries import EventQueries
    from cairn.graphql.ingestion.queries import IngestionQueries
    from cairn.graphql.profiles.queries import ProfileQueries
    from cairn.graphql.sources.mutations import SourceMutations
    from cairn.graphql.sources.queries import SourceQueries

    return {"query": [ProfileQueries, EventQueries, SourceQueries, IngestionQueries], "mutation": [SourceMutations]}
