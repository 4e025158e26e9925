"""The event source: a website, app or back office allowed to send events."""

from datetime import datetime

from pydantic import BaseModel, Field


class EventSource(BaseModel):
    """A sender of events, authenticated by its write key."""

    id: str
    name: str
    write_key: str
    allowed_origins: list[str] = Field(default_factory=list)
    enabled: bool = True
    created_at: datetime | None = None
