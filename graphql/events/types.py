"""The GraphQL shapes of events and event-type counts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from cairn.core.models.event import Event as EventModel
from cairn.core.reads.events import EventTypeCount as EventTypeCountModel
from cairn.graphql.context import Info
from cairn.graphql.scalars import JSON
from cairn.graphql.sources.types import Source

if TYPE_CHECKING:
    from cairn.graphql.profiles.types import Profile


@strawberry.type
class Event:
    """A stored event.

    `type` is what happened (`page`, `identify`, `Order Completed`…); `kind` is the call
    that carried it (`track`, `page`, `identify`… for the Segment API, `native` for `POST /track`).
    """

    id: strawberry.ID
    type: str
    kind: str
    source_id: strawberry.ID
    profile_id: strawberry.ID = strawberry.field(
        description="The profile the event was filed under (it may since have been merged: see `profile`).")
    session_id: strawberry.ID | None
    anonymous_id: str | None
    user_id: str | None
    message_id: str
    properties: JSON
    traits: JSON
    context: JSON
    occurred_at: datetime
    sent_at: datetime | None
    received_at: datetime

    @strawberry.field(description="The customer's profile (the surviving one if the event's profile was merged).")
    async def profile(self, info: Info) -> Annotated[Profile, strawberry.lazy("cairn.graphql.profiles.types")] | None:
        from cairn.graphql.profiles.types import Profile

        found = await info.context.loaders.profiles.load(str(self.profile_id))
        return Profile.from_model(found) if found else None

    @strawberry.field(description="The source that sent the event.")
    async def source(self, info: Info) -> Source | None:
        found = await info.context.loaders.sources.load(str(self.source_id))
        return Source.from_model(found) if found else None

    @classmethod
    def from_model(cls, event: EventModel) -> Event:
        """The GraphQL view of a stored event."""
        return cls(
            id=strawberry.ID(event.id), type=event.type, kind=event.kind, source_id=strawberry.ID(event.source_id),
            profile_id=strawberry.ID(event.profile_id),
            session_id=strawberry.ID(event.session_id) if event.session_id else None,
            anonymous_id=event.anonymous_id, user_id=event.user_id, message_id=event.message_id,
            properties=event.properties, traits=event.traits, context=event.context,
            occurred_at=event.occurred_at, sent_at=event.sent_at, received_at=event.received_at,
        )


@strawberry.type
class EventTypeCount:
    """How many events of one type were stored."""

    type: str
    count: int

    @classmethod
    def from_model(cls, counted: EventTypeCountModel) -> EventTypeCount:
        """The GraphQL view of a count."""
        return cls(type=counted.type, count=counted.count)
