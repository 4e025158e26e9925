"""Queries on event sources."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.sources.types import Source


@strawberry.type
class SourceQueries:
    """Root query fields about event sources."""

    @strawberry.field(permission_classes=[IsAdmin], description="Every event source, oldest first.")
    async def sources(self, info: Info) -> list[Source]:
        return [Source.from_model(source) for source in await info.context.cairn.sources.list()]

    @strawberry.field(permission_classes=[IsAdmin], description="The event source with this id.")
    async def source(self, info: Info, id: strawberry.ID) -> Source | None:  # noqa: A002 - GraphQL's name
        found = await info.context.cairn.sources.get(str(id))
        return Source.from_model(found) if found else None
