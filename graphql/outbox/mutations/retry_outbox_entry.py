"""``retryOutboxEntry``: queue a dead, failed or refused entry again."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.outbox import messaging_for
from cairn.graphql.context import Info
from cairn.graphql.outbox.mutations.results import NotRequeued, OutboxEntryRequeued
from cairn.graphql.outbox.types import OutboxEntry
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound

RetryOutboxEntryResult = Annotated[OutboxEntryRequeued | NotRequeued | NotFound,
                                   strawberry.union("RetryOutboxEntryResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Queue a dead, failed or refused entry again with a fresh set of tries; consent "
                                 "is checked again before delivery.")
async def retry_outbox_entry(info: Info, id: strawberry.ID) -> RetryOutboxEntryResult:  # noqa: A002
    outbox = messaging_for(info.context.cairn).outbox
    requeued = await outbox.retry(str(id))
    if requeued is not None:
        return OutboxEntryRequeued(entry=OutboxEntry.from_model(requeued))
    current = await outbox.get(str(id))
    if current is None:
        return NotFound.of("outbox entry", str(id))
    return NotRequeued(message=f"the entry is {current.status.value}; only dead, failed or refused entries can "
                               "be queued again")
