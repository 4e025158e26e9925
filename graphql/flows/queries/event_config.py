"""``eventSchemas``, ``eventMappings``, ``identificationPoints``."""

from __future__ import annotations

from typing import Any

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.config_types import EventMapping, EventSchema, IdentificationPoint
from cairn.graphql.permissions import IsAdmin


def _by_type(event_type: str | None) -> dict[str, Any]:
    return {"event_type": event_type} if event_type else {}


@strawberry.field(permission_classes=[IsAdmin], description="The event schemas, optionally of one event type.")
async def event_schemas(info: Info, event_type: str | None = None) -> list[EventSchema]:
    return [EventSchema.from_model(s) for s in await info.context.cairn.flows.schemas.list(_by_type(event_type))]


@strawberry.field(permission_classes=[IsAdmin], description="The event-to-profile mappings, in the order they apply.")
async def event_mappings(info: Info, event_type: str | None = None) -> list[EventMapping]:
    return [EventMapping.from_model(m) for m in await info.context.cairn.flows.mappings.list(_by_type(event_type))]


@strawberry.field(permission_classes=[IsAdmin], description="The identification points.")
async def identification_points(info: Info, event_type: str | None = None) -> list[IdentificationPoint]:
    found = await info.context.cairn.flows.identification.list(_by_type(event_type))
    return [IdentificationPoint.from_model(point) for point in found]
