"""Right to erasure: delete a customer and everything keyed by their profile ids.

What stays is an audit record in ``erasures`` holding no personal data: the SHA-256
of each erased profile id (so "was profile X erased?" can be answered by hashing X),
how many records of each kind were deleted, when, and who asked.

Dependent records go first and the profiles last, so an erasure interrupted half-way
can simply be run again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.ids import new_id
from cairn.core.privacy._family import find_family
from cairn.core.privacy.export import PERSONAL_DATA, existing_collections
from cairn.core.store.database import Database

ERASURES = "erasures"


def hash_profile_id(profile_id: str) -> str:
    """The hex SHA-256 of a profile id, as kept in the erasure records."""
    return hashlib.sha256(profile_id.encode()).hexdigest()


@dataclass(frozen=True)
class ErasureReport:
    """The audit record of one erasure (also stored in ``erasures``)."""

    id: str
    profile_hash: str
    merged_hashes: list[str]
    counts: dict[str, int]
    record: dict[str, Any]


async def erase_profile(database: Database, profile_id: str, *, requested_by: str = "admin") -> ErasureReport | None:
    """Erase the customer of ``profile_id`` (a merged id works too); ``None`` if unknown."""
    family = await find_family(database, profile_id)
    if family is None:
        return None
    ids = family.profile_ids
    counts: dict[str, int] = {}
    present = await existing_collections(database)
    for collection, field in PERSONAL_DATA:
        if collection in present:
            result = await database.collection(collection).delete_many({field: {"$in": ids}})
            counts[collection] = result.deleted_count
    counts["profiles"] = (await database.profiles.delete_many({"_id": {"$in": ids}})).deleted_count
    record = {"_id": new_id(), "profile_hash": hash_profile_id(ids[0]),
              "merged_hashes": [hash_profile_id(pid) for pid in ids[1:]], "counts": counts,
              "erased_at": utcnow(), "requested_by": requested_by}
    await database.collection(ERASURES).insert_one(record)
    return ErasureReport(id=record["_id"], profile_hash=record["profile_hash"],
                         merged_hashes=record["merged_hashes"], counts=counts, record=record)


async def erasures_of(database: Database, profile_id: str) -> list[dict[str, Any]]:
    """The erasure records of ``profile_id`` (found by its hash)."""
    digest = hash_profile_id(profile_id)
    query = {"$or": [{"profile_hash": digest}, {"merged_hashes": digest}]}
    return [doc async for doc in database.collection(ERASURES).find(query)]
