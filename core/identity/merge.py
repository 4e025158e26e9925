"""Merging two profiles of the same customer, exactly once.

1. The profile that disappears (the *loser*) becomes a tombstone: its data stays,
   and ``merged_into`` names the survivor. Written with a version check, so the
   snapshot merged is exactly the last state of the loser; every later write meant
   for the loser follows ``merged_into`` to the survivor.
2. The survivor takes the loser's data in with :class:`MergeIn`, which does nothing
   if the survivor already lists the loser in ``merged_from``: counts are summed
   once, never twice, and merging the same pair again changes nothing.
3. Identity claims, events and sessions are re-pointed to the survivor.

A loser that is already a tombstone is not merged a second time: its own merge is
completed (in case it was interrupted after step 1), then the profile it lives on
in is merged instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.identity.merge_values import merge_profile_fields
from cairn.core.profiles.repository import ProfileDoc, ProfileRepository, to_document
from cairn.core.store.database import Database

MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class MergeIn:
    """A profile change: take a merged profile's data into this one (idempotent)."""

    loser: ProfileDoc
    reason: str
    at: datetime

    def apply(self, doc: dict[str, Any]) -> None:
        loser = self.loser
        history = doc.setdefault("merged_from", [])
        if loser["id"] == doc["id"] or _lists(history, loser["id"]):
            return
        doc.update(merge_profile_fields(doc, loser))
        history.extend(loser.get("merged_from") or [])
        history.append({"profile_id": loser["id"], "merged_at": self.at, "reason": self.reason})


def _lists(history: list[dict[str, Any]], profile_id: str) -> bool:
    return any(record.get("profile_id") == profile_id for record in history)


class MergeRefused(Exception):
    """The two profiles belong to different known customers and are kept apart."""


class ProfileMerger:
    """Merges profiles (see the module docstring for the protocol)."""

    def __init__(self, database: Database, repository: ProfileRepository) -> None:
        self.database = database
        self.repository = repository

    async def merge(self, loser_id: str, survivor_id: str, reason: str) -> str:
        """Merge ``loser_id`` into ``survivor_id``; return the id that survives.

        Raises :class:`MergeRefused` if both profiles carry different user ids.
        """
        for _ in range(MAX_ATTEMPTS):
            survivor = await self.repository.get(survivor_id)
            loser = await self.repository.get(loser_id, follow_merges=False)
            if survivor is None or loser is None:
                raise KeyError(f"cannot merge unknown profile {loser_id if loser is None else survivor_id}")
            if loser.get("merged_into"):
                loser_id = await self._finish(loser, str(loser["merged_into"]), reason)
                continue
            if loser["id"] == survivor["id"]:
                return str(survivor["id"])
            _check_user_ids(loser, survivor)
            if await self._tombstone(loser, survivor["id"]):
                return await self._finish(loser, survivor["id"], reason)
        raise RuntimeError(f"could not merge profile {loser_id} into {survivor_id}: it keeps changing")

    async def _tombstone(self, loser: ProfileDoc, survivor_id: str) -> bool:
        """Mark the loser merged, if it is still the version we read."""
        doc = to_document({**loser, "version": loser.get("version", 0) + 1, "merged_into": survivor_id})
        result = await self.database.profiles.replace_one(
            {"_id": loser["id"], "version": loser.get("version", 0), "merged_into": None}, doc)
        return result.matched_count == 1

    async def _finish(self, loser: ProfileDoc, survivor_id: str, reason: str) -> str:
        """Take the tombstoned loser's data into the (live) survivor, unless done already; re-point."""
        survivor = await self.repository.get(survivor_id)
        if survivor is None:
            raise KeyError(f"profile {survivor_id} is unknown")
        if not _lists(survivor.get("merged_from") or [], loser["id"]):
            survivor = await self.repository.update(survivor_id, [MergeIn({**loser, "merged_into": None}, reason,
                                                                          utcnow())])
        await self._repoint(loser["id"], survivor["id"])
        return str(survivor["id"])

    async def _repoint(self, loser_id: str, survivor_id: str) -> None:
        await self.database.identities.update_many({"profile_id": loser_id}, {"$set": {"profile_id": survivor_id}})
        await self.database.events.update_many({"profile_id": loser_id}, {"$set": {"profile_id": survivor_id}})
        await self.database.sessions.update_many({"profile_id": loser_id}, {"$set": {"profile_id": survivor_id}})
        await self.database.profiles.update_many({"merged_into": loser_id}, {"$set": {"merged_into": survivor_id}})


def _check_user_ids(loser: ProfileDoc, survivor: ProfileDoc) -> None:
    loser_users = set(loser.get("user_ids") or [])
    survivor_users = set(survivor.get("user_ids") or [])
    if loser_users and survivor_users and not loser_users & survivor_users:
        raise MergeRefused(
            f"profiles {loser['id']} and {survivor['id']} belong to different user ids "
            f"({sorted(loser_users)} vs {sorted(survivor_users)}); merge them by hand if they are one customer"
        )
