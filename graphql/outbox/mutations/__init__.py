"""Mutations on the outbox and channels, one module per operation, gathered in :class:`OutboxMutations`."""

from __future__ import annotations

import strawberry

from cairn.graphql.outbox.mutations.retry_outbox_entry import retry_outbox_entry
from cairn.graphql.outbox.mutations.set_channel_settings import set_channel_settings


@strawberry.type
class OutboxMutations:
    """Root mutation fields about outbound messages and channels."""

    set_channel_settings = set_channel_settings
    retry_outbox_entry = retry_outbox_entry
