"""``deleteConsentType``: delete a consent type."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.consents import consent_service
from cairn.graphql.consents.mutations.results import ConsentTypeDeleted
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound

DeleteConsentTypeResult = Annotated[ConsentTypeDeleted | NotFound, strawberry.union("DeleteConsentTypeResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Delete a consent type: it no longer allows any message. Profiles keep their "
                                 "records of it, and its audit history stays.")
async def delete_consent_type(info: Info, id: strawberry.ID) -> DeleteConsentTypeResult:  # noqa: A002
    if not await consent_service(info.context.cairn).types.delete(str(id)):
        return NotFound.of("consent type", str(id))
    return ConsentTypeDeleted(id=id)
