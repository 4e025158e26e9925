"""Telling plugins about saved profiles: ``on_profile_changed`` after every profile write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from cairn.core.profiles.changes import Change
from cairn.core.profiles.repository import ProfileDoc, ProfileRepository
from cairn.core.profiles.writer import ProfileWriter

SavedListener = Callable[[ProfileDoc, list[Change]], Awaitable[Any]]


class NotifyingProfileWriter(ProfileWriter):
    """A :class:`ProfileWriter` that calls ``listener(profile, changes)`` once per profile saved."""

    def __init__(self, repository: ProfileRepository, listener: SavedListener) -> None:
        super().__init__(repository)
        self.listener = listener

    async def apply_many(self, changes_by_id: Mapping[str, Sequence[Change]]) -> dict[str, ProfileDoc]:
        """Apply the changes (see :class:`ProfileWriter`), then notify."""
        saved = await super().apply_many(changes_by_id)
        for asked, profile in saved.items():
            await self.listener(profile, list(changes_by_id.get(asked, ())))
        return saved
