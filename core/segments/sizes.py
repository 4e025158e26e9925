"""Segment sizes over time (collection ``segment_sizes``), for charts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cairn.core.clock import utcnow
from cairn.core.store.database import Database

from .models import SizeSample
from .store import members_query

MAX_SAMPLES = 1000


class SegmentSizes:
    """Counts members and keeps the counts."""

    def __init__(self, database: Database) -> None:
        self.profiles = database.profiles
        self.samples = database.collection("segment_sizes")

    async def size(self, segment_id: str) -> int:
        """The number of live profiles in the segment now."""
        return await self.profiles.count_documents(members_query(segment_id))

    async def sample(self, segment_ids: Iterable[str]) -> list[SizeSample]:
        """Count each segment's members now and store the counts."""
        samples = [SizeSample(segment_id=sid, at=utcnow(), size=await self.size(sid)) for sid in segment_ids]
        if samples:
            await self.samples.insert_many([sample.model_dump() for sample in samples])
        return samples

    async def history(self, segment_id: str, *, since: datetime | None = None, until: datetime | None = None,
                      limit: int = MAX_SAMPLES) -> list[SizeSample]:
        """The samples of a segment between ``since`` and ``until``, oldest first (the latest ``limit``)."""
        moment: dict[str, datetime] = {}
        if since is not None:
            moment["$gte"] = since
        if until is not None:
            moment["$lte"] = until
        query: dict[str, object] = {"segment_id": segment_id, **({"at": moment} if moment else {})}
        cursor = self.samples.find(query, {"_id": 0}).sort("at", -1).limit(min(limit, MAX_SAMPLES))
        docs = await cursor.to_list()
        return [SizeSample.model_validate(doc) for doc in sorted(docs, key=lambda doc: doc["at"])]

    async def forget(self, segment_id: str) -> None:
        """Drop a deleted segment's samples."""
        await self.samples.delete_many({"segment_id": segment_id})

