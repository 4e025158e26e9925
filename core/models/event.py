"""The event: one thing a customer did, as received from a source."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Event(BaseModel):
    """A stored event.

    ``type`` is what happened (``page``, ``identify``, ``order-completed``…);
    ``kind`` is the call that carried it (``track``, ``page``, ``identify``… for the
    Segment API, ``native`` for ``POST /track``).
    """

    id: str
    type: str
    kind: str = "track"
    source_id: str
    profile_id: str
    session_id: str | None = None
    anonymous_id: str | None = None
    user_id: str | None = None
    message_id: str
    properties: dict[str, Any] = Field(default_factory=dict)
    traits: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] = Field(default_factory=dict)
    occurred_at: datetime
    sent_at: datetime | None = None
    received_at: datetime
    valid: bool = True
    validation_errors: list[str] = Field(default_factory=list)
