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
    event_count: int = 0
    device: dict[str, Any] = Field(default_factory=dict)
    browser: dict[str, Any] = Field(default_factory=dict)
    os: dict[str, Any] = Field(default_factory=dict)
    referrer: str | None = None
    utm: dict[str, str] = Field(default_factory=dict)
    ip: str | None = None
    user_agent: str | None = None
