"""``createEventSchema``, ``updateEventSchema``, ``deleteEventSchema``."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.config_types import EventSchema
from cairn.graphql.flows.inputs import given
from cairn.graphql.flows.results import DeleteResult, Deleted, EventSchemaResult, EventSchemaSaved, expected
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound
from cairn.graphql.scalars import JSON


@strawberry.mutation(permission_classes=[IsAdmin], description=(
    "Give an event type a JSON Schema. target: properties (default) or event; onInvalid: mark (store the event "
    "as invalid, with the reasons; it triggers nothing) or refuse (reject it in the response)."))
async def create_event_schema(info: Info, event_type: str, json_schema: JSON, name: str = "",
                              source_id: str | None = None, target: str = "properties", on_invalid: str = "mark",
                              enabled: bool = True) -> EventSchemaResult:
    async def work() -> EventSchemaSaved:
        schema = await info.context.cairn.flows.schemas.create(
            {"event_type": event_type, "json_schema": json_schema, "name": name, "source_id": source_id or None,
             "target": target, "on_invalid": on_invalid, "enabled": enabled})
        return EventSchemaSaved(event_schema=EventSchema.from_model(schema))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Change an event schema (only the arguments given).")
async def update_event_schema(info: Info, id: strawberry.ID,  # noqa: A002 - GraphQL's name
                              event_type: str | None = strawberry.UNSET, json_schema: JSON | None = strawberry.UNSET,
                              name: str | None = strawberry.UNSET, source_id: str | None = strawberry.UNSET,
                              target: str | None = strawberry.UNSET, on_invalid: str | None = strawberry.UNSET,
                              enabled: bool | None = strawberry.UNSET) -> EventSchemaResult:
    async def work() -> EventSchemaSaved:
        changes = given(event_type=event_type, json_schema=json_schema, name=name, source_id=source_id,
                        target=target, on_invalid=on_invalid, enabled=enabled)
        schema = await info.context.cairn.flows.schemas.update(str(id), changes)
        return EventSchemaSaved(event_schema=EventSchema.from_model(schema))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Delete an event schema.")
async def delete_event_schema(info: Info, id: strawberry.ID) -> DeleteResult:  # noqa: A002 - GraphQL's name
    if await info.context.cairn.flows.schemas.delete(str(id)):
        return Deleted(id=id)
    return NotFound.of("event schema", str(id))
