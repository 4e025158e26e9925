"""Reading events: pages of events by type, source, profile and time, and counts by type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cairn.core.models.event import Event
from cairn.core.reads.pagination import Document, Page, newest_first
from cairn.core.store.database import Database
from cairn.core.store.keys import unescape_keys


def event_from_document(doc: Document) -> Event:
    """The event a stored document stands for."""
    fields = unescape_keys({key: value for key, value in doc.items() if key != "_id"})
    return Event.model_validate({**fields, "id": doc["_id"]})


def time_range(occurred_from: datetime | None, occurred_to: datetime | None) -> Document:
    """The query part for ``occurred_from <= occurred_at < occurred_to`` (either bound optional)."""
    bounds: Document = {}
    if occurred_from is not None:
        bounds["$gte"] = occurred_from
    if occurred_to is not None:
        bounds["$lt"] = occurred_to
    return {"occurred_at": bounds} if bounds else {}


@dataclass(frozen=True)
class EventFilter:
    """Which events to read; every criterion given must match.

    ``profile_ids`` lists every id the customer's events may be filed under (see
    :func:`cairn.core.reads.profiles.owned_ids`).
    """

    type: str | None = None
    source_id: str | None = None
    profile_ids: tuple[str, ...] | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None

    def query(self) -> Document:
        """The store query for the events matching the filter.

        Its most selective fields come first (the embedded store looks the candidates up by the
        first field it has an index for): a customer's events, then a type, a time range (both
        at once ride ``(type, occurred_at)``), and a source last (``(source_id, message_id)``).
        """
        query: Document = {}
        if self.profile_ids is not None:
            query["profile_id"] = {"$in": list(self.profile_ids)}
        if self.type is not None:
            query["type"] = self.type
        query.update(time_range(self.occurred_from, self.occurred_to))
        if self.source_id is not None:
            query["source_id"] = self.source_id
        return query


async def find_events(database: Database, event_filter: EventFilter, *, first: int,
                      after: str | None = None) -> Page[Event]:
    """A page of events matching the filter, newest first."""
    return await newest_first(database.events, event_filter.query(), time_field="occurred_at",
                              first=first, after=after, convert=event_from_document)


@dataclass(frozen=True)
class EventTypeCount:
    """How many events of one type were stored."""

    type: str
    count: int


async def count_event_types(database: Database, *, occurred_from: datetime | None = None,
                            occurred_to: datetime | None = None) -> list[EventTypeCount]:
    """Every event type seen in the time range with its count, most frequent first."""
    pipeline: list[Document] = [
        {"$match": time_range(occurred_from, occurred_to)},
        {"$group": {"_id": "$type", "count": {"$sum": 1}}},
        {"$sort": {"count": -1, "_id": 1}},
    ]
    cursor = await database.events.aggregate(pipeline)
    return [EventTypeCount(type=str(doc["_id"]), count=int(doc["count"])) async for doc in cursor]
