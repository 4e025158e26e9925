"""A customer's profile family: the live profile and every profile merged into it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cairn.core.profiles.repository import MAX_MERGE_HOPS, from_document
from cairn.core.store.database import Database


@dataclass(frozen=True)
class ProfileFamily:
    """The live profile and its tombstones, as stored (``profile_ids`` lists every id)."""

    profile: dict[str, Any]
    merged: list[dict[str, Any]]

    @property
    def profile_ids(self) -> list[str]:
        """The live profile's id first, then the merged ones."""
        return [self.profile["id"], *(doc["id"] for doc in self.merged)]


async def find_family(database: Database, profile_id: str) -> ProfileFamily | None:
    """The family ``profile_id`` belongs to (merged ids lead to the survivor); ``None`` if unknown."""
    doc = await database.profiles.find_one({"_id": profile_id})
    for _ in range(MAX_MERGE_HOPS):
        if doc is None or not doc.get("merged_into"):
            break
        doc = await database.profiles.find_one({"_id": doc["merged_into"]})
    if doc is None or doc.get("merged_into"):
        return None
    listed = [record.get("profile_id") for record in doc.get("merged_from") or []]
    query = {"$or": [{"merged_into": doc["_id"]}, {"_id": {"$in": [pid for pid in listed if pid]}}]}
    merged = [from_document(found) async for found in database.profiles.find(query).sort("_id", 1)
              if found["_id"] != doc["_id"]]
    return ProfileFamily(profile=from_document(doc), merged=merged)
