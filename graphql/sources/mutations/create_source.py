"""``createSource``: a new event source with its own write key."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import InvalidInput
from cairn.graphql.sources.inputs import check_name, check_origins
from cairn.graphql.sources.mutations.results import SourceCreated
from cairn.graphql.sources.types import Source

CreateSourceResult = Annotated[SourceCreated | InvalidInput, strawberry.union("CreateSourceResult")]


@strawberry.mutation(permission_classes=[IsAdmin], description="Create an enabled event source with a new write key.")
async def create_source(info: Info, name: str, allowed_origins: list[str] | None = None) -> CreateSourceResult:
    cleaned_name, errors = check_name(name)
    origins, origin_errors = check_origins(allowed_origins or [])
    if errors or origin_errors:
        return InvalidInput.of(errors + origin_errors)
    source = await info.context.cairn.sources.create(cleaned_name, origins)
    return SourceCreated(source=Source.from_model(source))
