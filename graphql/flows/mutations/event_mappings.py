"""``createEventMapping``, ``updateEventMapping``, ``deleteEventMapping``."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.config_types import EventMapping
from cairn.graphql.flows.inputs import MappingFieldInput, given
from cairn.graphql.flows.results import DeleteResult, Deleted, EventMappingResult, EventMappingSaved, expected
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound


def _fields(fields: list[MappingFieldInput]) -> list[dict[str, str]]:
    return [{"source": f.source, "trait": f.trait, "mode": f.mode} for f in fields]


@strawberry.mutation(permission_classes=[IsAdmin], description=(
    "Copy event data to traits for the events of a type, before flows run. Each field's source is an expression "
    "(e.g. event.properties.plan); mode always, if_empty or append."))
async def create_event_mapping(info: Info, event_type: str, fields: list[MappingFieldInput], name: str = "",
                               source_id: str | None = None, enabled: bool = True) -> EventMappingResult:
    async def work() -> EventMappingSaved:
        mapping = await info.context.cairn.flows.mappings.create(
            {"event_type": event_type, "fields": _fields(fields), "name": name, "source_id": source_id or None,
             "enabled": enabled})
        return EventMappingSaved(event_mapping=EventMapping.from_model(mapping))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Change a mapping (only the arguments given).")
async def update_event_mapping(info: Info, id: strawberry.ID,  # noqa: A002 - GraphQL's name
                               event_type: str | None = strawberry.UNSET,
                               fields: list[MappingFieldInput] | None = strawberry.UNSET,
                               name: str | None = strawberry.UNSET, source_id: str | None = strawberry.UNSET,
                               enabled: bool | None = strawberry.UNSET) -> EventMappingResult:
    async def work() -> EventMappingSaved:
        changes = given(event_type=event_type, name=name, source_id=source_id, enabled=enabled,
                        fields=_fields(fields) if fields else strawberry.UNSET)
        mapping = await info.context.cairn.flows.mappings.update(str(id), changes)
        return EventMappingSaved(event_mapping=EventMapping.from_model(mapping))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Delete a mapping.")
async def delete_event_mapping(info: Info, id: strawberry.ID) -> DeleteResult:  # noqa: A002 - GraphQL's name
    if await info.context.cairn.flows.mappings.delete(str(id)):
        return Deleted(id=id)
    return NotFound.of("event mapping", str(id))
