"""The profile: everything Cairn knows about one customer."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ProfileStats(BaseModel):
    """Counters kept on the profile; merging two profiles sums them once."""

    events: int = 0
    visits: int = 0
    event_types: dict[str, int] = Field(default_factory=dict)


class MergeRecord(BaseModel):
    """One profile merged into this one: who, when and why."""

    profile_id: str
    merged_at: datetime
    reason: str


class Profile(BaseModel):
    """A customer profile, kept across sessions and devices.

    A profile merged into another keeps only ``merged_into`` (the survivor's id) so
    that old ids still lead to the customer.
    """

    id: str
    version: int = 0
    anonymous_ids: list[str] = Field(default_factory=list)
    user_ids: list[str] = Field(default_factory=list)
    identifiers: dict[str, list[str]] = Field(default_factory=dict)
    traits: dict[str, Any] = Field(default_factory=dict)
    stats: ProfileStats = Field(default_factory=ProfileStats)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_session_id: str | None = None
    """The session of the profile's latest event: its current visit."""
    segments: list[str] = Field(default_factory=list)
    interests: dict[str, float] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    consents: dict[str, Any] = Field(default_factory=dict)
    merged_from: list[MergeRecord] = Field(default_factory=list)
    merged_into: str | None = None
