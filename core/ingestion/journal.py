"""The ingestion journal: accepted tracking requests, durable before they are processed.

Every tracking request's valid events are written here, as one document, before the
caller gets its answer. The request is then processed at once (while Cairn keeps
up) or later by the journal worker (:mod:`cairn.core.ingestion.intake`); either way
its document is deleted only once its events are stored and counted. A process that
dies halfway leaves the document behind, and a worker processes it again once its
lease has run out: the pipeline completes the events stored pending and drops the
ones already counted (:mod:`cairn.core.ingestion.event_store`). So an accepted event
is never lost and never counted twice.

Appends and deletes from concurrent requests share one ``insert_many`` /
``delete_many``: under load, 32 single-event requests cost one write, not 32.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, IndexModel

from cairn.core.clock import utcnow
from cairn.core.ids import new_id
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys

logger = logging.getLogger("cairn.ingestion")
COLLECTION = "ingest_journal"
INDEXES = [IndexModel([("available_at", ASCENDING)]), IndexModel([("claim", ASCENDING)], sparse=True)]
_FREE_FORM = ("properties", "traits", "context")


@dataclass
class JournalEntry:
    """One accepted request: its source and events, and how often processing was tried."""

    id: str
    source_id: str
    events: list[IncomingEvent]
    accepted_at: datetime
    attempts: int = 0


def entry_document(entry: JournalEntry, available_at: datetime) -> dict[str, Any]:
    """The stored form of an entry (free-form keys escaped)."""
    return {"_id": entry.id, "source_id": entry.source_id, "accepted_at": entry.accepted_at,
            "available_at": available_at, "attempts": entry.attempts, "event_count": len(entry.events),
            "events": [_event_document(event) for event in entry.events]}


def entry_from_document(doc: dict[str, Any]) -> JournalEntry:
    """An entry as it was appended (keys as sent)."""
    return JournalEntry(id=doc["_id"], source_id=doc["source_id"], accepted_at=doc["accepted_at"],
                        attempts=doc.get("attempts", 0), events=[_event_from(item) for item in doc["events"]])


def _event_document(event: IncomingEvent) -> dict[str, Any]:
    doc = dict(vars(event))  # shallow: the free-form parts are escaped into new objects below
    for name in _FREE_FORM:
        doc[name] = escape_keys(doc[name])
    return doc


def _event_from(doc: dict[str, Any]) -> IncomingEvent:
    fields = dict(doc)
    for name in _FREE_FORM:
        fields[name] = unescape_keys(fields.get(name) or {})
    return IncomingEvent(**fields)


class IngestJournal:
    """Appends, claims and removes journal entries."""

    def __init__(self, database: Database, lease: timedelta = timedelta(seconds=60)) -> None:
        self.database = database
        self.collection = database.collection(COLLECTION)
        self.lease = lease
        self._appends: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._appending: asyncio.Task[None] | None = None
        self._removals: list[str] = []
        self._removing: asyncio.Task[None] | None = None
        database.add_indexes(COLLECTION, INDEXES)

    async def append(self, source_id: str, events: list[IncomingEvent], *, hold_for: timedelta) -> JournalEntry:
        """Write a request's events durably; return the entry.

        The appending process holds the entry for ``hold_for`` (it processes it inline,
        or queues it for its own worker): other processes' workers leave it alone until
        then, and take it over if the process died. ``timedelta(0)``: due at once.
        """
        now = utcnow()
        entry = JournalEntry(id=new_id(), source_id=source_id, events=events, accepted_at=now)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._appends.append((entry_document(entry, now + hold_for), future))
        if self._appending is None or self._appending.done():
            self._appending = asyncio.create_task(self._flush_appends())
        await future
        return entry

    async def _flush_appends(self) -> None:
        while self._appends:
            batch, self._appends = self._appends, []
            try:
                await self.collection.insert_many([doc for doc, _ in batch], ordered=True)
            except Exception as error:  # noqa: BLE001 - every waiting request gets the error
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
            else:
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)

    def remove(self, entry_id: str) -> None:
        """Delete a processed entry soon (concurrent removals share one ``delete_many``)."""
        self._removals.append(entry_id)
        if self._removing is None or self._removing.done():
            self._removing = asyncio.create_task(self._flush_removals())

    async def _flush_removals(self) -> None:
        while self._removals:
            batch, self._removals = self._removals, []
            try:
                await self.collection.delete_many({"_id": {"$in": batch}})
            except Exception:  # noqa: BLE001 - the entries are processed; processing them again finds duplicates
                logger.exception("could not remove %d processed journal entries", len(batch))

    async def drain(self) -> None:
        """Wait until every append and removal asked for is written (tests, shutdown)."""
        for attribute in ("_appending", "_removing"):
            while (task := getattr(self, attribute)) is not None and not task.done():
                await asyncio.wait([task])

    async def claim(self, max_events: int) -> list[JournalEntry]:
        """Claim due entries, oldest first, up to ``max_events`` events (at least one entry).

        This reads through the journal (the embedded store scans it), so workers use it
        for what no process holds — entries of a process that died, failed entries due
        for a retry — and :meth:`claim_ids` for their own process's queue.

        Two round trips whatever the count: one ``update_many`` leases the candidates
        that are still due (another worker's claim in between makes them not due, so
        each entry goes to one worker), one read fetches the entries this claim won.
        A worker that lost every candidate to another looks again at once.
        """
        for _ in range(3):
            chosen = await self._due(max_events)
            if not chosen:
                return []
            now, token = utcnow(), new_id()
            await self.collection.update_many(
                {"_id": {"$in": chosen}, "available_at": {"$lte": now}},
                {"$set": {"available_at": now + self.lease, "claim": token}, "$inc": {"attempts": 1}})
            won = {doc["_id"]: entry_from_document(doc) async for doc in self.collection.find({"claim": token})}
            if won:
                return [won[entry_id] for entry_id in chosen if entry_id in won]
        return []

    async def _due(self, max_events: int) -> list[str]:
        """The ids of the oldest due entries, up to ``max_events`` events (at least one entry)."""
        candidates = self.collection.find({"available_at": {"$lte": utcnow()}}, {"event_count": 1}
                                          ).sort("available_at", 1).limit(max(1, max_events))
        chosen: list[str] = []
        total = 0
        async for candidate in candidates:
            count = candidate.get("event_count", 1)
            if chosen and total + count > max_events:
                break
            chosen.append(candidate["_id"])
            total += count
        return chosen

    async def claim_ids(self, entry_ids: list[str]) -> list[JournalEntry]:
        """Lease entries this process appended and holds, by id (point lookups, no scan).

        An entry another worker took over meanwhile (this process's hold ran out) may be
        processed twice at worst: the pipeline stores and counts its events once.
        """
        if not entry_ids:
            return []
        await self.collection.update_many({"_id": {"$in": entry_ids}}, {
            "$set": {"available_at": utcnow() + self.lease}, "$inc": {"attempts": 1}})
        found = {doc["_id"]: entry_from_document(doc)
                 async for doc in self.collection.find({"_id": {"$in": entry_ids}})}
        return [found[entry_id] for entry_id in entry_ids if entry_id in found]

    async def retry_later(self, entry: JournalEntry, delay: timedelta, error: BaseException) -> None:
        """Make a failed entry due again after ``delay``, noting why it failed."""
        await self.collection.update_one({"_id": entry.id}, {"$set": {
            "available_at": utcnow() + delay, "last_error": f"{type(error).__name__}: {error}"[:500]}})

    async def backlog(self) -> dict[str, int]:
        """How many entries and events wait (due or leased), for reports and tests."""
        status = await self.status()
        return {"entries": status.entries, "events": status.events}

    async def status(self) -> JournalStatus:
        """What waits in the journal, and what keeps failing."""
        status = JournalStatus()
        fields = {"event_count": 1, "accepted_at": 1, "last_error": 1, "attempts": 1}
        async for doc in self.collection.find({}, fields):
            status.entries += 1
            status.events += doc.get("event_count", 0)
            if status.oldest_accepted_at is None or doc["accepted_at"] < status.oldest_accepted_at:
                status.oldest_accepted_at = doc["accepted_at"]
            if doc.get("last_error"):
                status.failing_entries += 1
                status.last_error = status.last_error or doc["last_error"]
        return status


@dataclass
class JournalStatus:
    """The journal at a glance: waiting entries and events, the oldest, the failing ones."""

    entries: int = 0
    events: int = 0
    oldest_accepted_at: datetime | None = None
    failing_entries: int = 0
    last_error: str | None = None
