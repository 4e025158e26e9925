"""What the event queries accept."""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.input
class EventFilterInput:
    """Which events to list; every criterion given must match."""

    type: str | None = None
    source_id: strawberry.ID | None = None
    profile_id: strawberry.ID | None = strawberry.field(
        default=None, description="A profile id (a merged-away id counts as its survivor).")
    from_: datetime | None = strawberry.field(default=None, name="from",
                                              description="Events that occurred at or after this time.")
    to: datetime | None = strawberry.field(default=None, description="Events that occurred before this time.")
