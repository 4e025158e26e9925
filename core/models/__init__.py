"""Cairn's domain models (pydantic v2): what is stored and what plugins see."""

from cairn.core.models.event import Event
from cairn.core.models.profile import MergeRecord, Profile, ProfileStats
from cairn.core.models.session import Session
from cairn.core.models.source import EventSource

__all__ = ["Event", "EventSource", "MergeRecord", "Profile", "ProfileStats", "Session"]
