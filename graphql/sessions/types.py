"""The GraphQL shape of a session (one visit, on one device)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cairn.core.models.session import Session as SessionModel
from cairn.graphql.scalars import JSON


@strawberry.type
class Session:
    """A visit: started by the first event carrying its id, extended by the next."""

    id: strawberry.ID
    profile_id: strawberry.ID
    source_id: strawberry.ID | None
    started_at: datetime
    last_activity_at: datetime = strawberry.field(
        description="When its last event happened (for an earlier visit, up to a minute before).")
    event_count: int = strawberry.field(description="How many events it holds, counted when read.")
    device: JSON
    browser: JSON
    os: JSON
    referrer: str | None
    utm: JSON = strawberry.field(description="The campaign's utm_* parameters, without the prefix.")
    ip: str | None
    user_agent: str | None

    @classmethod
    def from_model(cls, session: SessionModel) -> Session:
        """The GraphQL view of a session completed by :mod:`cairn.core.reads.session_activity`."""
        return cls(
            id=strawberry.ID(session.id), profile_id=strawberry.ID(session.profile_id),
            source_id=strawberry.ID(session.source_id) if session.source_id else None,
            started_at=session.started_at, last_activity_at=session.last_activity_at,
            event_count=session.event_count, device=session.device, browser=session.browser, os=session.os,
            referrer=session.referrer, utm=session.utm, ip=session.ip, user_agent=session.user_agent,
        )
