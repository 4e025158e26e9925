"""The normalized form of one received event, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class IncomingEvent:
    """What a tracking call said about one event, validated and normalized.

    Both the Segment-spec endpoints and the native ``/track`` endpoint produce these;
    the pipeline stores them. ``original_timestamp`` is the client's own ``timestamp``,
    ``occurred_at`` the server's corrected view of it.
    """

    index: int
    kind: str
    type: str
    message_id: str
    received_at: datetime
    occurred_at: datetime
    sent_at: datetime | None = None
    original_timestamp: datetime | None = None
    anonymous_id: str | None = None
    user_id: str | None = None
    profile_hint: str | None = None
    session_id: str | None = None
    previous_id: str | None = None
    group_id: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    traits: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
