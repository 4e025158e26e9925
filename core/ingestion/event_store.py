"""The events collection as the pipeline uses it: de-duplication, pending events, completion.

Events are inserted *pending* (``pending: true`` with a lease) before the profiles
and sessions they change are written, and marked complete afterwards. If a request
fails in between, its events are stored but pending: when the same message ids are
sent again, the pipeline takes the lease over and completes them instead of
dropping them as duplicates. Nothing accepted is lost; nothing is stored twice.
A failed request also notes on its events whether their sessions were recorded
(``session_recorded``) and which event started a visit (``session_started``), so the
retry neither counts the visit's events twice nor forgets the visit.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.errors import BulkWriteError

from cairn.core.clock import utcnow
from cairn.core.ids import new_id
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.models.source import EventSource
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys

logger = logging.getLogger("cairn.ingestion")
DUPLICATE_KEY = 11000
LEASE = timedelta(seconds=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LEASE_FIELDS = ("pending", "lease_until", "lease")
_PROGRESS_FIELDS = ("session_recorded", "session_started")


@dataclass
class KnownEvents:
    """What the store already holds for a request's message ids."""

    fresh: list[IncomingEvent] = field(default_factory=list)
    resumed: list[dict[str, Any]] = field(default_factory=list)
    duplicates: dict[int, dict[str, Any]] = field(default_factory=dict)


def event_document(source: EventSource, event: IncomingEvent, profile_id: str) -> dict[str, Any]:
    """The stored form of an event, before its session is known (keys as sent)."""
    return {
        "id": new_id(), "index": event.index, "type": event.type, "kind": event.kind, "source_id": source.id,
        "profile_id": profile_id, "session_id": event.session_id, "anonymous_id": event.anonymous_id,
        "user_id": event.user_id, "message_id": event.message_id, "properties": event.properties,
        "traits": event.traits, "context": event.context, "occurred_at": event.occurred_at,
        "original_timestamp": event.original_timestamp, "sent_at": event.sent_at,
        "received_at": event.received_at, "valid": True, "validation_errors": [],
    }


async def find_known(database: Database, source: EventSource, events: list[IncomingEvent]) -> KnownEvents:
    """Split a request's events: new ones, stored-but-pending ones to complete now, duplicates."""
    known = KnownEvents()
    cursor = database.events.find({"source_id": source.id, "message_id": {"$in": [e.message_id for e in events]}},
                                  {"message_id": 1, "pending": 1, "profile_id": 1, "session_id": 1})
    stored = {doc["message_id"]: doc async for doc in cursor}
    pending: dict[str, int] = {}
    seen: set[str] = set()
    for event in events:
        doc = stored.get(event.message_id)
        if event.message_id in seen or (doc is not None and not doc.get("pending")):
            known.duplicates[event.index] = doc or {}
        elif doc is not None:
            pending[doc["_id"]] = event.index
        else:
            known.fresh.append(event)
        seen.add(event.message_id)
    if pending:
        known.resumed = await _take_over(database, pending)
        taken = {doc["id"] for doc in known.resumed}
        by_id = {doc["_id"]: doc for doc in stored.values()}
        for event_id, index in pending.items():
            if event_id not in taken:
                known.duplicates[index] = by_id[event_id]
    return known


async def _take_over(database: Database, pending: dict[str, int]) -> list[dict[str, Any]]:
    """Lease the pending events whose lease ran out; return them (as sent, with this request's index)."""
    token, now = new_id(), utcnow()
    await database.events.update_many(
        {"_id": {"$in": list(pending)}, "pending": True, "lease_until": {"$lt": now}},
        {"$set": {"lease_until": now + LEASE, "lease": token}})
    resumed = []
    async for doc in database.events.find({"_id": {"$in": list(pending)}, "lease": token}):
        event = unescape_keys({k: v for k, v in doc.items() if k not in ("_id", *_LEASE_FIELDS)})
        resumed.append({"id": doc["_id"], "index": pending[doc["_id"]], **event})
    return resumed


async def insert_pending(database: Database, docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    """Insert events as pending; return those stored and the indexes of duplicates a race let in."""
    lease_until = utcnow() + LEASE
    stored_form = []
    for doc in docs:
        stored = escape_keys({k: v for k, v in doc.items() if k not in ("index", "id")})
        stored.update({"_id": doc["id"], "pending": True, "lease_until": lease_until})
        stored_form.append(stored)
    try:
        await database.events.insert_many(stored_form, ordered=False)
    except BulkWriteError as error:
        rejected = set()
        for write_error in error.details["writeErrors"]:
            if write_error["code"] != DUPLICATE_KEY:
                raise
            rejected.add(write_error["index"])
        return [d for i, d in enumerate(docs) if i not in rejected], [docs[i]["index"] for i in sorted(rejected)]
    return docs, []


class Completions:
    """Marks processed events complete in the background, one write for all pending marks.

    The mark only matters if the same message ids are sent again after a success, so
    requests do not wait for it, and concurrent requests share one ``update_many``.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._ids: list[str] = []
        self._flushing: asyncio.Task[None] | None = None

    def add(self, docs: list[dict[str, Any]]) -> None:
        """Mark these events complete soon."""
        self._ids.extend(doc["id"] for doc in docs)
        if self._ids and (self._flushing is None or self._flushing.done()):
            self._flushing = asyncio.create_task(self._flush())

    async def drain(self) -> None:
        """Wait until every mark asked for is written (tests, shutdown)."""
        while self._flushing is not None and not self._flushing.done():
            await self._flushing

    async def _flush(self) -> None:
        while self._ids:
            batch, self._ids = self._ids, []
            try:
                await self.database.events.update_many(
                    {"_id": {"$in": batch}}, {"$unset": dict.fromkeys((*_LEASE_FIELDS, *_PROGRESS_FIELDS), "")})
            except Exception:  # noqa: BLE001 - the events are processed; a stale mark only matters on a resend
                logger.exception("could not mark %d processed events complete", len(batch))


async def release(database: Database, docs: list[dict[str, Any]], visit_starts: set[str] | None) -> None:
    """Give up the lease on events whose processing failed, so that a retry completes them at once.

    ``visit_starts`` (the ids of the events that started a visit) is ``None`` if the
    sessions were not recorded.
    """
    if not docs:
        return
    progress: dict[str, Any] = {"lease_until": _EPOCH}
    if visit_starts is not None:
        progress["session_recorded"] = True
    await database.events.update_many({"_id": {"$in": [d["id"] for d in docs]}, "pending": True},
                                      {"$set": progress})
    if visit_starts:
        await database.events.update_many({"_id": {"$in": list(visit_starts)}}, {"$set": {"session_started": True}})
