"""The session: one visit, on one device."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Session(BaseModel):
    """A visit: started by the first event carrying its id, extended by the next."""

    id: str
    profile_id: str
    source_id: str | None = None
    started_at: datetime
    last_activity_at: datetime
    """As stored: less than a minute behind the visit's last event (see
    :mod:`cairn.core.reads.session_activity` for the exact figure)."""
    event_count: int = 0
    """Not stored: counted from the events when read (:mod:`cairn.core.reads.session_activity`), 0 until then."""
    device: dict[str, Any] = Field(default_factory=dict)
    browser: dict[str, Any] = Field(default_factory=dict)
    os: dict[str, Any] = Field(default_factory=dict)
    referrer: str | None = None
    utm: dict[str, str] = Field(default_factory=dict)
    ip: str | None = None
    user_agent: str | None = None
