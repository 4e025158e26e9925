"""The ``consent_types`` collection: what customers can agree to."""

from __future__ import annotations

import time
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from cairn.core.clock import utcnow
from cairn.core.consents.models import ConsentType

CACHE_SECONDS = 2.0


def _from_document(doc: dict[str, Any]) -> ConsentType:
    return ConsentType.model_validate({"id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id"}})


class ConsentTypes:
    """Creates, changes and lists consent types (the full list is cached for a moment)."""

    def __init__(self, collection: AsyncCollection[dict[str, Any]]) -> None:
        self.collection = collection
        self._cache: tuple[float, dict[str, ConsentType]] | None = None

    async def all(self) -> dict[str, ConsentType]:
        """Every consent type by id (cached for ``CACHE_SECONDS``; other processes' edits show up then)."""
        now = time.monotonic()
        if self._cache is not None and self._cache[0] > now:
            return self._cache[1]
        found = {doc["_id"]: _from_document(doc) async for doc in self.collection.find().sort("_id", 1)}
        self._cache = (now + CACHE_SECONDS, found)
        return found

    async def get(self, type_id: str) -> ConsentType | None:
        """The consent type ``type_id``, read from the store."""
        doc = await self.collection.find_one({"_id": type_id})
        return _from_document(doc) if doc else None

    async def save(self, consent_type: ConsentType) -> ConsentType:
        """Create or replace a consent type (keeps its creation time)."""
        now = utcnow()
        existing = await self.get(consent_type.id)
        saved = consent_type.model_copy(update={"created_at": existing.created_at if existing else now,
                                                "updated_at": now})
        doc = saved.model_dump(exclude={"id"})
        doc["channels"], doc["purposes"] = list(saved.channels), list(saved.purposes)
        await self.collection.replace_one({"_id": saved.id}, doc, upsert=True)
        self._cache = None
        return saved

    async def delete(self, type_id: str) -> bool:
        """Delete a consent type; profiles keep their records of it (and its audit history)."""
        result = await self.collection.delete_one({"_id": type_id})
        self._cache = None
        return result.deleted_count == 1
