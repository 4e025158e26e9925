"""Versioned profile storage: load → change → ``replace_one`` with a version check.

Every write names the version it read; a write that finds another version in the
store raises :class:`VersionConflict` and the caller re-applies its changes to a
fresh copy. No lost updates, whatever the store and however many processes write.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import ReplaceOne
from pymongo.errors import BulkWriteError

from cairn.core.profiles.changes import Change, apply_changes
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys

ProfileDoc = dict[str, Any]
MAX_ATTEMPTS = 50
MAX_MERGE_HOPS = 20


class VersionConflict(RuntimeError):
    """Another writer changed the profile since it was read; reload and try again."""


def to_document(profile: Mapping[str, Any]) -> dict[str, Any]:
    """Return the stored form of a profile dict (``id`` → ``_id``, keys escaped)."""
    doc = escape_keys({key: value for key, value in profile.items() if key != "id"})
    doc["_id"] = profile["id"]
    return doc


def from_document(doc: Mapping[str, Any]) -> ProfileDoc:
    """Return the profile dict a stored document stands for."""
    profile = unescape_keys({key: value for key, value in doc.items() if key not in ("_id", "_w")})
    profile["id"] = doc["_id"]
    return profile


class ProfileRepository:
    """Reads and writes profiles, following merges to the surviving profile."""

    def __init__(self, database: Database) -> None:
        self.collection = database.profiles

    async def get(self, profile_id: str, *, follow_merges: bool = True) -> ProfileDoc | None:
        """Return the profile, or the profile it was merged into; ``None`` if unknown."""
        for _ in range(MAX_MERGE_HOPS):
            doc = await self.collection.find_one({"_id": profile_id})
            if doc is None:
                return None
            if not follow_merges or not doc.get("merged_into"):
                return from_document(doc)
            profile_id = doc["merged_into"]
        raise RuntimeError(f"profile merge chain from {profile_id!r} is too long")

    async def get_many(self, profile_ids: Iterable[str]) -> dict[str, ProfileDoc]:
        """Return the live profiles among ``profile_ids``, by the id asked for."""
        wanted = list(dict.fromkeys(profile_ids))
        found: dict[str, ProfileDoc] = {}
        async for doc in self.collection.find({"_id": {"$in": wanted}}):
            found[doc["_id"]] = from_document(doc)
        for asked, profile in list(found.items()):
            if profile.get("merged_into"):
                survivor = await self.get(asked)
                if survivor is None:
                    del found[asked]
                else:
                    found[asked] = survivor
        return found

    async def insert_many(self, profiles: Sequence[Mapping[str, Any]]) -> None:
        """Store new profiles."""
        if profiles:
            await self.collection.insert_many([to_document(p) for p in profiles], ordered=False)

    async def save(self, profile: ProfileDoc) -> ProfileDoc:
        """Write ``profile`` if the store still holds the version it was read at."""
        saved = await self.save_many([profile])
        if profile["id"] not in saved:
            raise VersionConflict(f"profile {profile['id']} changed since it was read")
        return saved[profile["id"]]

    async def save_many(self, profiles: Sequence[ProfileDoc]) -> dict[str, ProfileDoc]:
        """Write many profiles in one round trip; return those written (the rest conflicted)."""
        if not profiles:
            return {}
        token = uuid.uuid4().hex
        requests = []
        for profile in profiles:
            expected = profile.get("version", 0)
            doc = to_document({**profile, "version": expected + 1})
            doc["_w"] = token
            requests.append(ReplaceOne({"_id": profile["id"], "version": expected}, doc))
        try:
            result = await self.collection.bulk_write(requests, ordered=False)
            matched = result.matched_count
        except BulkWriteError as error:
            matched = error.details.get("nMatched", 0)
        written = {p["id"]: {**p, "version": p.get("version", 0) + 1} for p in profiles}
        if matched == len(profiles):
            return written
        ids = list(written)
        async for doc in self.collection.find({"_id": {"$in": ids}}, {"_w": 1}):
            if doc.get("_w") != token:
                written.pop(doc["_id"], None)
        return written

    async def update(self, profile_id: str, changes: Sequence[Change]) -> ProfileDoc:
        """Apply ``changes`` to the (surviving) profile, retrying on version conflicts."""
        updated = await self.update_many({profile_id: list(changes)})
        return updated[profile_id]

    async def update_many(self, changes_by_id: Mapping[str, Sequence[Change]]) -> dict[str, ProfileDoc]:
        """Apply each profile's changes, batching the writes; return the saved profiles.

        Changes meant for a merged profile go to the profile it was merged into.
        Raises ``KeyError`` for a profile id that does not exist.
        """
        remaining = {pid: list(changes) for pid, changes in changes_by_id.items()}
        saved: dict[str, ProfileDoc] = {}
        for _ in range(MAX_ATTEMPTS):
            if not remaining:
                return saved
            current = await self.get_many(remaining)
            missing = set(remaining) - set(current)
            if missing:
                raise KeyError(f"unknown profile ids: {sorted(missing)}")
            grouped = _group_by_survivor(current, remaining)
            written = await self.save_many([apply_changes(doc, changes) for doc, changes in grouped.values()])
            for asked in list(remaining):
                survivor = current[asked]["id"]
                if survivor in written:
                    saved[asked] = written[survivor]
                    del remaining[asked]
        raise VersionConflict(f"gave up on profiles {sorted(remaining)} after {MAX_ATTEMPTS} conflicts")


def _group_by_survivor(
    current: Mapping[str, ProfileDoc], remaining: Mapping[str, list[Change]],
) -> dict[str, tuple[ProfileDoc, list[Change]]]:
    """Gather the changes asked for several ids that lead to the same live profile."""
    grouped: dict[str, tuple[ProfileDoc, list[Change]]] = {}
    for asked, changes in remaining.items():
        doc = current[asked]
        entry = grouped.setdefault(doc["id"], (doc, []))
        entry[1].extend(changes)
    return grouped
