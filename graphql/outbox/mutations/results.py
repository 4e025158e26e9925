"""Results of the outbox mutations."""

from __future__ import annotations

import strawberry

from cairn.graphql.outbox.types import Channel, OutboxEntry


@strawberry.type
class ChannelSettingsSaved:
    """The settings were stored; ``channel.settings`` shows them (secrets masked)."""

    channel: Channel


@strawberry.type
class OutboxEntryRequeued:
    """The entry is queued again with a fresh set of tries (consent is checked again)."""

    entry: OutboxEntry


@strawberry.type
class NotRequeued:
    """Only dead, failed or refused entries can be queued again."""

    message: str
