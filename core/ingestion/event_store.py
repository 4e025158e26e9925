"""The events collection as the pipeline uses it: de-duplication, pending events, completion.

An event is *pending* from its insert until the profiles and sessions it changes are
written: a small document in ``pending_events`` (``_id`` = the event's id, with its
``profile_id`` and a lease) says so. If a request fails in between, its events are
stored but pending: when the same message ids are sent again, the pipeline takes the
lease over and completes them instead of dropping them as duplicates. Nothing
accepted is lost; nothing is stored twice. A failed request also notes on the marks
whether the events' sessions were recorded (``session_recorded``) and which event
started a visit (``session_started``), so the retry neither counts the visit's events
twice nor forgets the visit.

The marks are inserted *before* the events. So no event is ever visible without its
mark while it is pending: a concurrent or later request that finds the event also
finds the mark, and never takes a half-processed event for a complete one (which
would lose it). A crash between the two inserts leaves only marks without events;
an event id is new for every insert, and marks are looked up only by the ids of
stored events, so such a mark is never read (erasure deletes it with its profile).
Completing an event deletes its mark: the event documents, with their many
indexes, are written once and never rewritten. The collection holds only the
events in flight, so it needs no index but ``_id``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from cairn.core.clock import utcnow
from cairn.core.ids import new_id
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.models.source import EventSource
from cairn.core.store.database import Database, Document
from cairn.core.store.keys import escape_keys, unescape_keys

logger = logging.getLogger("cairn.ingestion")
DUPLICATE_KEY = 11000
LEASE = timedelta(seconds=30)
PENDING_EVENTS = "pending_events"
"""One mark per pending event: ``_id`` (the event's), ``profile_id``, ``lease_until``,
``lease`` (once taken over) and the progress of a failed attempt (below)."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PROGRESS_FIELDS = ("session_recorded", "session_started")


@dataclass
class KnownEvents:
    """What the store already holds for a request's message ids."""

    fresh: list[IncomingEvent] = field(default_factory=list)
    resumed: list[dict[str, Any]] = field(default_factory=list)
    duplicates: dict[int, dict[str, Any]] = field(default_factory=dict)


def pending_marks(database: Database) -> AsyncCollection[Document]:
    """The ``pending_events`` collection."""
    return database.collection(PENDING_EVENTS)


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
    """Split a request's events: new ones, stored-but-pending ones to complete now, duplicates.

    The marks are read only if some message ids are stored already.
    """
    known = KnownEvents()
    cursor = database.events.find({"source_id": source.id, "message_id": {"$in": [e.message_id for e in events]}},
                                  {"message_id": 1, "profile_id": 1, "session_id": 1})
    stored = {doc["message_id"]: doc async for doc in cursor}
    marks: dict[str, Document] = {}
    if stored:
        ids = [doc["_id"] for doc in stored.values()]
        marks = {mark["_id"]: mark async for mark in pending_marks(database).find({"_id": {"$in": ids}})}
    pending: dict[str, int] = {}
    seen: set[str] = set()
    for event in events:
        doc = stored.get(event.message_id)
        if event.message_id in seen or (doc is not None and doc["_id"] not in marks):
            known.duplicates[event.index] = doc or {}
        elif doc is not None:
            pending[doc["_id"]] = event.index
        else:
            known.fresh.append(event)
        seen.add(event.message_id)
    if pending:
        known.resumed = await _take_over(database, pending, marks)
        taken = {doc["id"] for doc in known.resumed}
        by_id = {doc["_id"]: doc for doc in stored.values()}
        for event_id, index in pending.items():
            if event_id not in taken:
                known.duplicates[index] = by_id[event_id]
    return known


async def _take_over(database: Database, pending: dict[str, int],
                     marks: dict[str, Document]) -> list[dict[str, Any]]:
    """Lease the pending events whose lease ran out; return them (as sent, with this request's index
    and the progress their failed attempt noted)."""
    token, now = new_id(), utcnow()
    expired = [event_id for event_id in pending if marks[event_id]["lease_until"] < now]
    if not expired:
        return []
    await pending_marks(database).update_many({"_id": {"$in": expired}, "lease_until": {"$lt": now}},
                                              {"$set": {"lease_until": now + LEASE, "lease": token}})
    taken = {mark["_id"]: mark async for mark in pending_marks(database).find({"_id": {"$in": expired},
                                                                               "lease": token})}
    resumed = []
    if taken:
        async for doc in database.events.find({"_id": {"$in": list(taken)}}):
            event = unescape_keys({k: v for k, v in doc.items() if k != "_id"})
            progress = {k: v for k, v in taken[doc["_id"]].items() if k in _PROGRESS_FIELDS}
            resumed.append({"id": doc["_id"], "index": pending[doc["_id"]], **event, **progress})
    return resumed


async def insert_pending(database: Database, docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    """Insert events as pending (marks first); return those stored and the indexes of duplicates a race let in."""
    lease_until = utcnow() + LEASE
    await pending_marks(database).insert_many(
        [{"_id": doc["id"], "profile_id": doc["profile_id"], "lease_until": lease_until} for doc in docs],
        ordered=False)
    stored_form = []
    for doc in docs:
        stored = escape_keys({k: v for k, v in doc.items() if k not in ("index", "id")})
        stored["_id"] = doc["id"]
        stored_form.append(stored)
    try:
        await database.events.insert_many(stored_form, ordered=False)
    except BulkWriteError as error:
        rejected = set()
        for write_error in error.details["writeErrors"]:
            if write_error["code"] != DUPLICATE_KEY:
                raise
            rejected.add(write_error["index"])
        await _forget_marks(database, [docs[i]["id"] for i in rejected])
        return [d for i, d in enumerate(docs) if i not in rejected], [docs[i]["index"] for i in sorted(rejected)]
    return docs, []


async def _forget_marks(database: Database, event_ids: list[str]) -> None:
    """Delete the marks of events a race kept out (a mark left behind is never read)."""
    try:
        await pending_marks(database).delete_many({"_id": {"$in": event_ids}})
    except Exception:  # noqa: BLE001 - the other events are stored: the request goes on
        logger.exception("could not delete the pending marks of %d duplicate events", len(event_ids))


class Completions:
    """Marks processed events complete in the background, one write for all pending marks.

    The mark only matters if the same message ids are sent again after a success, so
    requests do not wait for it, and concurrent requests share one ``delete_many``.
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
                await pending_marks(self.database).delete_many({"_id": {"$in": batch}})
            except Exception:  # noqa: BLE001 - the events are processed; a stale mark only matters on a resend
                logger.exception("could not mark %d processed events complete", len(batch))


async def release(database: Database, docs: list[dict[str, Any]], visit_starts: set[str] | None) -> None:
    """Give up the lease on events whose processing failed, so that a retry completes them at once.

    ``visit_starts`` (the ids of the events that started a visit) is ``None`` if the
    sessions were not recorded. The visit starts are noted before the lease is given
    up, so a retry that takes the lease over reads the whole progress.
    """
    if not docs:
        return
    ids = [doc["id"] for doc in docs]
    started = [event_id for event_id in ids if event_id in (visit_starts or ())]
    if started:
        await pending_marks(database).update_many({"_id": {"$in": started}}, {"$set": {"session_started": True}})
    progress: dict[str, Any] = {"lease_until": _EPOCH}
    if visit_starts is not None:
        progress["session_recorded"] = True
    await pending_marks(database).update_many({"_id": {"$in": ids}}, {"$set": progress})
