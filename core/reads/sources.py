"""Reading event sources in bulk (:class:`cairn.core.sources.SourceService` reads them one by one)."""

from __future__ import annotations

from collections.abc import Iterable

from cairn.core.models.source import EventSource
from cairn.core.reads.pagination import Document
from cairn.core.store.database import Database


def source_from_document(doc: Document) -> EventSource:
    """The source a stored document stands for."""
    return EventSource.model_validate({**{key: value for key, value in doc.items() if key != "_id"}, "id": doc["_id"]})


async def get_sources(database: Database, source_ids: Iterable[str]) -> dict[str, EventSource]:
    """The sources with these ids, by id (unknown ids are left out)."""
    cursor = database.sources.find({"_id": {"$in": list(dict.fromkeys(source_ids))}})
    return {str(doc["_id"]): source_from_document(doc) async for doc in cursor}
