"""Queries on the outbox and the channels."""

from __future__ import annotations

import strawberry

from cairn.core.outbox import messaging_for
from cairn.graphql.context import Info
from cairn.graphql.outbox.types import Channel, OutboxEntry, OutboxStatus
from cairn.graphql.pagination import Connection, paginate
from cairn.graphql.permissions import IsAdmin


@strawberry.type
class OutboxQueries:
    """Root query fields about outbound messages and channels."""

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Outbox entries matching every filter given, newest first.")
    async def outbox(self, info: Info, profile_id: strawberry.ID | None = None, status: OutboxStatus | None = None,
                     channel: str | None = None, kind: str | None = None, first: int | None = None,
                     after: str | None = None) -> Connection[OutboxEntry]:
        outbox = messaging_for(info.context.cairn).outbox
        profile_ids = await outbox.profile_ids(str(profile_id)) if profile_id is not None else None
        return await paginate(info, first, after,
                              lambda size, cursor: outbox.page(profile_ids=profile_ids,
                                                               status=status.value if status else None,
                                                               channel=channel, kind=kind, first=size, after=cursor),
                              OutboxEntry.from_model)

    @strawberry.field(permission_classes=[IsAdmin], description="The outbox entry with this id.")
    async def outbox_entry(self, info: Info, id: strawberry.ID) -> OutboxEntry | None:  # noqa: A002
        found = await messaging_for(info.context.cairn).outbox.get(str(id))
        return OutboxEntry.from_model(found) if found else None

    @strawberry.field(permission_classes=[IsAdmin],
                      description="The messages meant for a profile (and profiles merged into it), newest first, "
                                  "with their delivery status: the profile's timeline of messages.")
    async def deliveries(self, info: Info, profile_id: strawberry.ID, first: int | None = None,
                         after: str | None = None) -> Connection[OutboxEntry]:
        outbox = messaging_for(info.context.cairn).outbox
        return await paginate(info, first, after,
                              lambda size, cursor: outbox.deliveries(str(profile_id), first=size, after=cursor),
                              OutboxEntry.from_model)

    @strawberry.field(permission_classes=[IsAdmin], description="The installed channels and their settings.")
    async def channels(self, info: Info) -> list[Channel]:
        messaging = messaging_for(info.context.cairn)
        await messaging.load_channels()
        return [Channel.of(channel, await messaging.channel_settings.describe(channel))
                for channel in messaging.channels]
