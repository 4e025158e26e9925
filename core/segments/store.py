"""The segmentation collections and their indexes."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from cairn.core.clock import utcnow
from cairn.core.store.database import Database

from .models import Segment, SegmentError, segment_from, to_document

Document = dict[str, Any]
INDEXES: dict[str, list[IndexModel]] = {
    "segments": [IndexModel([("name", ASCENDING)], unique=True)],
    "segment_history": [IndexModel([("profile_id", ASCENDING), ("at", DESCENDING)]),
                        IndexModel([("segment_id", ASCENDING), ("at", DESCENDING)])],
    "segment_sizes": [IndexModel([("segment_id", ASCENDING), ("at", DESCENDING)])],
    "segment_jobs": [IndexModel([("segment_id", ASCENDING), ("started_at", DESCENDING)])],
    "profiles": [IndexModel([("segments", ASCENDING)])],
}
IDS_PER_QUERY = 100
"""Ids named in one ``$in``: on the embedded store a longer list costs more per id (1,000 ids in
one query take ~5x as long as in ten queries of 100)."""
LIVE: Document = {"merged_into": None}
"""Profiles that were not merged into another (tombstones keep their old segments)."""


def declare_indexes(database: Database) -> None:
    """Declare the segmentation indexes (before the store's ``ensure_indexes``)."""
    for collection, indexes in INDEXES.items():
        database.add_indexes(collection, indexes)


def members_query(segment_id: str) -> Document:
    """The live profiles that are members of the segment."""
    return {"segments": segment_id, **LIVE}


class SegmentStore:
    """Reads and writes segment definitions (collection ``segments``)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.collection: AsyncCollection[Document] = database.collection("segments")

    async def insert(self, segment: Segment) -> None:
        """Store a new segment (raises ``DuplicateKeyError`` if the name is taken)."""
        await self.collection.insert_one(to_document(segment))

    async def get(self, segment_id: str) -> Segment | None:
        """The segment with this id."""
        doc = await self.collection.find_one({"_id": segment_id})
        return segment_from(doc) if doc else None

    async def by_name(self, name: str) -> Segment | None:
        """The segment with this name."""
        doc = await self.collection.find_one({"name": name})
        return segment_from(doc) if doc else None

    async def list(self, *, enabled_only: bool = False) -> list[Segment]:
        """Every segment (or only the enabled ones), by name."""
        query = {"enabled": True} if enabled_only else {}
        return [segment_from(doc) async for doc in self.collection.find(query).sort("name", ASCENDING)]

    async def update(self, segment_id: str, fields: Document) -> Segment | None:
        """Set some fields of a segment; return it as stored now (None if unknown)."""
        await self.collection.update_one({"_id": segment_id}, {"$set": fields})
        return await self.get(segment_id)

    async def delete(self, segment_id: str) -> bool:
        """Remove the definition; True if it existed."""
        result = await self.collection.delete_one({"_id": segment_id})
        return result.deleted_count == 1

    async def record_error(self, segment_id: str, message: str) -> None:
        """Keep the last evaluation failure on the segment."""
        error = SegmentError(message=message, at=utcnow()).model_dump()
        await self.collection.update_one({"_id": segment_id}, {"$set": {"last_error": error}})
