"""The GraphQL shape of an event source."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cairn.core.models.source import EventSource


@strawberry.type
class Source:
    """A sender of events, authenticated by its write key."""

    id: strawberry.ID
    name: str
    write_key: str = strawberry.field(description="What the tracker or SDK sends (HTTP Basic user name).")
    allowed_origins: list[str]
    enabled: bool = strawberry.field(description="A disabled source's events are refused with HTTP 403.")
    created_at: datetime | None

    @classmethod
    def from_model(cls, source: EventSource) -> Source:
        """The GraphQL view of a stored source."""
        return cls(id=strawberry.ID(source.id), name=source.name, write_key=source.write_key,
                   allowed_origins=list(source.allowed_origins), enabled=source.enabled,
                   created_at=source.created_at)
