"""Queries on events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cairn.core.reads.events import EventFilter, count_event_types, find_events
from cairn.core.reads.profiles import get_profile, owned_ids
from cairn.graphql.context import Info
from cairn.graphql.events.inputs import EventFilterInput
from cairn.graphql.events.types import Event, EventTypeCount
from cairn.graphql.pagination import Connection, paginate
from cairn.graphql.permissions import IsAdmin

From = Annotated[datetime | None, strawberry.argument(name="from", description="At or after this time.")]
To = Annotated[datetime | None, strawberry.argument(description="Before this time.")]


async def _event_filter(info: Info, given: EventFilterInput | None) -> EventFilter:
    if given is None:
        return EventFilter()
    profile_ids = None
    if given.profile_id is not None:
        profile = await get_profile(info.context.cairn.database, str(given.profile_id))
        profile_ids = tuple(owned_ids(profile)) if profile else (str(given.profile_id),)
    return EventFilter(type=given.type, source_id=str(given.source_id) if given.source_id else None,
                       profile_ids=profile_ids, occurred_from=given.from_, occurred_to=given.to)


@strawberry.type
class EventQueries:
    """Root query fields about events."""

    @strawberry.field(permission_classes=[IsAdmin], description="Events matching the filter, newest first.")
    async def events(self, info: Info, filter: EventFilterInput | None = None,  # noqa: A002 - GraphQL's name
                     first: int | None = None, after: str | None = None) -> Connection[Event]:
        event_filter = await _event_filter(info, filter)
        return await paginate(info, first, after,
                              lambda size, cursor: find_events(info.context.cairn.database, event_filter,
                                                               first=size, after=cursor),
                              Event.from_model)

    @strawberry.field(permission_classes=[IsAdmin],
                      description="The event types seen in the time range, with their counts, most frequent first.")
    async def event_types(self, info: Info, from_: From = None, to: To = None) -> list[EventTypeCount]:
        counts = await count_event_types(info.context.cairn.database, occurred_from=from_, occurred_to=to)
        return [EventTypeCount.from_model(counted) for counted in counts]
