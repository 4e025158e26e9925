"""``createIdentificationPoint``, ``updateIdentificationPoint``, ``deleteIdentificationPoint``."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.config_types import IdentificationPoint
from cairn.graphql.flows.inputs import IdentifierFieldInput, given
from cairn.graphql.flows.results import (
    DeleteResult,
    Deleted,
    IdentificationPointResult,
    IdentificationPointSaved,
    expected,
)
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound


def _identifiers(identifiers: list[IdentifierFieldInput]) -> list[dict[str, str]]:
    return [{"source": f.source, "kind": f.kind} for f in identifiers]


@strawberry.mutation(permission_classes=[IsAdmin], description=(
    "Make the events of a type identify the customer (e.g. login with event.properties.email as email): the "
    "profile claims the identifiers and merges with the profile that already holds one."))
async def create_identification_point(info: Info, event_type: str, identifiers: list[IdentifierFieldInput],
                                      name: str = "", source_id: str | None = None,
                                      enabled: bool = True) -> IdentificationPointResult:
    async def work() -> IdentificationPointSaved:
        point = await info.context.cairn.flows.identification.create(
            {"event_type": event_type, "identifiers": _identifiers(identifiers), "name": name,
             "source_id": source_id or None, "enabled": enabled})
        return IdentificationPointSaved(identification_point=IdentificationPoint.from_model(point))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Change an identification point (arguments given).")
async def update_identification_point(info: Info, id: strawberry.ID,  # noqa: A002 - GraphQL's name
                                      event_type: str | None = strawberry.UNSET,
                                      identifiers: list[IdentifierFieldInput] | None = strawberry.UNSET,
                                      name: str | None = strawberry.UNSET, source_id: str | None = strawberry.UNSET,
                                      enabled: bool | None = strawberry.UNSET) -> IdentificationPointResult:
    async def work() -> IdentificationPointSaved:
        changes = given(event_type=event_type, name=name, source_id=source_id, enabled=enabled,
                        identifiers=_identifiers(identifiers) if identifiers else strawberry.UNSET)
        point = await info.context.cairn.flows.identification.update(str(id), changes)
        return IdentificationPointSaved(identification_point=IdentificationPoint.from_model(point))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Delete an identification point.")
async def delete_identification_point(info: Info, id: strawberry.ID) -> DeleteResult:  # noqa: A002
    if await info.context.cairn.flows.identification.delete(str(id)):
        return Deleted(id=id)
    return NotFound.of("identification point", str(id))
