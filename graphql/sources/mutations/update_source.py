"""``updateSource``: rename a source, change its origins, enable or disable it."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import FieldError, InvalidInput, NotFound
from cairn.graphql.sources.inputs import check_name, check_origins
from cairn.graphql.sources.mutations.results import SourceUpdated
from cairn.graphql.sources.types import Source

UpdateSourceResult = Annotated[SourceUpdated | InvalidInput | NotFound, strawberry.union("UpdateSourceResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Change a source; arguments left out (or null) keep their value.")
async def update_source(info: Info, id: strawberry.ID, name: str | None = None,  # noqa: A002 - GraphQL's name
                        allowed_origins: list[str] | None = None, enabled: bool | None = None) -> UpdateSourceResult:
    changes: dict[str, Any] = {"enabled": enabled}
    errors: list[FieldError] = []
    if name is not None:
        changes["name"], name_errors = check_name(name)
        errors += name_errors
    if allowed_origins is not None:
        changes["allowed_origins"], origin_errors = check_origins(allowed_origins)
        errors += origin_errors
    if errors:
        return InvalidInput.of(errors)
    updated = await info.context.cairn.sources.update(str(id), **changes)
    if updated is None:
        return NotFound.of("source", str(id))
    return SourceUpdated(source=Source.from_model(updated))
