"""Queries on ingestion: what waits in the journal."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin


@strawberry.type
class IngestionQueue:
    """Accepted requests not processed yet (see the README's "Sending events")."""

    entries: int = strawberry.field(description="Requests waiting (queued, being processed, or failing).")
    events: int = strawberry.field(description="Events in those requests.")
    oldest_accepted_at: datetime | None = strawberry.field(description="When the oldest waiting request came in.")
    failing_entries: int = strawberry.field(description="Requests whose processing failed; retried with backoff.")
    last_error: str | None = strawberry.field(description="Why one of the failing requests failed.")


@strawberry.type
class IngestionQueries:
    """Root query fields about ingestion."""

    @strawberry.field(permission_classes=[IsAdmin],
                      description="The ingestion journal: how far processing is behind, and what fails.")
    async def ingestion_queue(self, info: Info) -> IngestionQueue:
        status = await info.context.cairn.intake.journal.status()
        return IngestionQueue(entries=status.entries, events=status.events,
                              oldest_accepted_at=status.oldest_accepted_at,
                              failing_entries=status.failing_entries, last_error=status.last_error)
