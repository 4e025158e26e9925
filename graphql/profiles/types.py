"""The GraphQL shape of a profile, with its events and sessions as connections."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cairn.core.models.profile import MergeRecord as MergeRecordModel
from cairn.core.models.profile import Profile as ProfileModel
from cairn.core.reads.events import EventFilter, find_events
from cairn.core.reads.profiles import owned_ids
from cairn.core.reads.session_activity import find_sessions_with_activity
from cairn.graphql.context import Info
from cairn.graphql.events.types import Event, EventTypeCount
from cairn.graphql.pagination import Connection, paginate
from cairn.graphql.scalars import JSON
from cairn.graphql.sessions.types import Session


@strawberry.type
class Identifier:
    """Identifiers of one kind (e-mail addresses, phone numbers), normalized (trimmed, lower case)."""

    kind: str
    values: list[str]


@strawberry.type
class ProfileStats:
    """Counters kept on the profile."""

    events: int
    visits: int
    event_types: list[EventTypeCount] = strawberry.field(description="Events by type, most frequent first.")


@strawberry.type
class MergeRecord:
    """A profile merged into this one: which, when and why."""

    profile_id: strawberry.ID
    merged_at: datetime
    reason: str

    @classmethod
    def from_model(cls, record: MergeRecordModel) -> MergeRecord:
        """The GraphQL view of a merge record."""
        return cls(profile_id=strawberry.ID(record.profile_id), merged_at=record.merged_at, reason=record.reason)


@strawberry.type
class Profile:
    """Everything Cairn knows about one customer."""

    id: strawberry.ID
    version: int
    anonymous_ids: list[str]
    user_ids: list[str]
    identifiers: list[Identifier]
    traits: JSON
    stats: ProfileStats
    first_seen: datetime | None
    last_seen: datetime | None
    segments: list[str]
    interests: JSON
    tags: list[str]
    consents: JSON
    merged_from: list[MergeRecord] = strawberry.field(
        description="The profiles merged into this one; their ids still lead here.")
    owned_ids: strawberry.Private[list[str]]
    last_session_id: strawberry.Private[str | None]

    @strawberry.field(description="The customer's events, newest first, including those of merged profiles.")
    async def events(self, info: Info, first: int | None = None, after: str | None = None,
                     type: str | None = None) -> Connection[Event]:  # noqa: A002 - GraphQL's name
        event_filter = EventFilter(type=type, profile_ids=tuple(self.owned_ids))
        return await paginate(info, first, after,
                              lambda size, cursor: find_events(info.context.cairn.database, event_filter,
                                                               first=size, after=cursor),
                              Event.from_model)

    @strawberry.field(description="The customer's visits, latest started first, including those of merged profiles.")
    async def sessions(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Session]:
        return await paginate(info, first, after,
                              lambda size, cursor: find_sessions_with_activity(
                                  info.context.cairn.database, self.owned_ids, current_session=self.last_session_id,
                                  last_seen=self.last_seen, first=size, after=cursor),
                              Session.from_model)

    @classmethod
    def from_model(cls, profile: ProfileModel) -> Profile:
        """The GraphQL view of a stored profile."""
        counts = sorted(profile.stats.event_types.items(), key=lambda item: (-item[1], item[0]))
        return cls(
            id=strawberry.ID(profile.id), version=profile.version, anonymous_ids=list(profile.anonymous_ids),
            user_ids=list(profile.user_ids),
            identifiers=[Identifier(kind=kind, values=list(values)) for kind, values in profile.identifiers.items()],
            traits=profile.traits,
            stats=ProfileStats(events=profile.stats.events, visits=profile.stats.visits,
                               event_types=[EventTypeCount(type=name, count=count) for name, count in counts]),
            first_seen=profile.first_seen, last_seen=profile.last_seen, segments=list(profile.segments),
            interests=profile.interests, tags=list(profile.tags), consents=profile.consents,
            merged_from=[MergeRecord.from_model(record) for record in profile.merged_from],
            owned_ids=owned_ids(profile), last_session_id=profile.last_session_id,
        )
