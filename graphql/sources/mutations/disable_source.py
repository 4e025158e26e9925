"""``disableSource``: refuse a source's events from now on (its data stays)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound
from cairn.graphql.sources.mutations.results import SourceUpdated
from cairn.graphql.sources.types import Source

DisableSourceResult = Annotated[SourceUpdated | NotFound, strawberry.union("DisableSourceResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Disable a source: its write key is refused with HTTP 403 (enable it again "
                                 "with updateSource(enabled: true)).")
async def disable_source(info: Info, id: strawberry.ID) -> DisableSourceResult:  # noqa: A002 - GraphQL's name
    updated = await info.context.cairn.sources.update(str(id), enabled=False)
    if updated is None:
        return NotFound.of("source", str(id))
    return SourceUpdated(source=Source.from_model(updated))
