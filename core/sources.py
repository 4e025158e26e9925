"""Event sources: who may send events, with which write key, from which origins."""

from __future__ import annotations

import time
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.ids import new_id, new_secret
from cairn.core.models.source import EventSource
from cairn.core.store.database import Database

CACHE_SECONDS = 5.0


def _from_document(doc: dict[str, Any]) -> EventSource:
    return EventSource(id=doc["_id"], **{k: v for k, v in doc.items() if k != "_id"})


class SourceService:
    """Creates, changes and looks up event sources (write keys cached for a few seconds)."""

    def __init__(self, database: Database) -> None:
        self.collection = database.sources
        self._cache: dict[str, tuple[float, EventSource | None]] = {}

    async def create(self, name: str, allowed_origins: list[str] | None = None) -> EventSource:
        """Create an enabled source with a new write key."""
        source = EventSource(id=new_id(), name=name, write_key=new_secret("wk"),
                             allowed_origins=allowed_origins or [], created_at=utcnow())
        await self.collection.insert_one({"_id": source.id, **source.model_dump(exclude={"id"})})
        return source

    async def update(self, source_id: str, **changes: Any) -> EventSource | None:
        """Change a source's name, allowed origins or enabled flag; ``None`` if unknown."""
        allowed = {k: v for k, v in changes.items() if k in ("name", "allowed_origins", "enabled") and v is not None}
        if allowed:
            await self.collection.update_one({"_id": source_id}, {"$set": allowed})
        self._cache.clear()
        return await self.get(source_id)

    async def get(self, source_id: str) -> EventSource | None:
        """The source with this id."""
        doc = await self.collection.find_one({"_id": source_id})
        return _from_document(doc) if doc else None

    async def list(self) -> list[EventSource]:
        """Every source, oldest first."""
        return [_from_document(doc) async for doc in self.collection.find().sort("created_at", 1)]

    async def by_write_key(self, write_key: str) -> EventSource | None:
        """The source that owns ``write_key`` (enabled or not), cached briefly."""
        cached = self._cache.get(write_key)
        now = time.monotonic()
        if cached and cached[0] > now:
            return cached[1]
        doc = await self.collection.find_one({"write_key": write_key})
        source = _from_document(doc) if doc else None
        self._cache[write_key] = (now + CACHE_SECONDS, source)
        return source
