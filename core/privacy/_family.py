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
    # Two queries rather than one ``$or``: each rides an index (``_id``; ``merged_into`` prefix).
    queries: list[dict[str, Any]] = [{"_id": {"$in": [pid for pid in listed if pid]}}, {"merged_into": doc["_id"]}]
    found: dict[str, dict[str, Any]] = {}
    for query in queries:
        found.update({member["_id"]: member async for member in database.profiles.find(query)})
    merged = [from_document(found[pid]) for pid in sorted(found) if pid != doc["_id"]]
    return ProfileFamily(profile=from_document(doc), merged=merged)
