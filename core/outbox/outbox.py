"""The outbox: every outbound message is stored here before anything is sent.

Senders (flow nodes, GraphQL, plugins) call :meth:`Outbox.send`; the core checks the
customer's consent at once (a refused message is stored as ``refused`` and never
sent) and the worker delivers the rest (:mod:`cairn.core.outbox.worker`), checking
consent again just before delivery.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from cairn.core.clock import utcnow
from cairn.core.consents.errors import UnknownProfile
from cairn.core.consents.service import profile_ids_of
from cairn.core.outbox.entries import MESSAGE, OutboxEntry, Status, new_entry, push_history, step
from cairn.core.reads.pagination import Page, newest_first
from cairn.core.store.keys import escape_keys, unescape_keys

if TYPE_CHECKING:
    from cairn.core.outbox.messaging import Messaging

COLLECTION = "outbox"
INDEXES = [
    IndexModel([("idempotency_key", ASCENDING)], unique=True, sparse=True),
    IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING)]),
    IndexModel([("status", ASCENDING), ("lease_until", ASCENDING)]),
    IndexModel([("profile_id", ASCENDING), ("created_at", DESCENDING)]),
    IndexModel([("created_at", DESCENDING)]),
]
RETRYABLE_BY_ADMIN = (Status.DEAD.value, Status.FAILED.value, Status.REFUSED.value)


class UnknownChannel(ValueError):
    """No installed channel has this id."""

    def __init__(self, channel: str, installed: list[str]) -> None:
        super().__init__(f"no channel {channel!r} is installed (installed: {', '.join(installed) or 'none'}); "
                         "install the plugin that provides it")
        self.channel = channel


def entry_from_document(doc: dict[str, Any]) -> OutboxEntry:
    """The entry of a stored document (payload keys unescaped)."""
    return OutboxEntry.from_document({**doc, "payload": unescape_keys(doc.get("payload") or {})})


class Outbox:
    """Queues messages and tasks, and answers what happened to them."""

    def __init__(self, messaging: Messaging) -> None:
        self.messaging = messaging
        self.collection = messaging.cairn.database.collection(COLLECTION)

    async def send(self, channel: str, profile: dict[str, Any] | str, *, purpose: str,
                   payload: dict[str, Any], idempotency_key: str | None = None,
                   origin: dict[str, Any] | None = None, max_attempts: int | None = None) -> OutboxEntry:
        """Queue a ``purpose`` message for ``profile`` (a dict, e.g. a flow's in-memory profile, or an id).

        The consent check happens now: a message the customer did not allow is stored as
        ``refused`` and returned (check ``entry.status``). Sending again with the same
        ``idempotency_key`` returns the first entry instead of queuing a second message.
        Raises :class:`UnknownChannel` or :class:`UnknownProfile`.
        """
        if channel not in await self.messaging.load_channels():
            raise UnknownChannel(channel, self.messaging.channels.ids())
        if isinstance(profile, str):
            loaded = await self.messaging.cairn.pipeline.repository.get(profile)
            if loaded is None:
                raise UnknownProfile(profile)
            profile = loaded
        decision = await self.messaging.consents.decide(profile, channel, purpose)
        doc = new_entry(kind=MESSAGE, channel=channel, profile_id=profile["id"], purpose=purpose,
                        payload=escape_keys(payload), idempotency_key=idempotency_key,
                        max_attempts=max_attempts or self.messaging.settings.max_attempts, origin=origin,
                        consent=decision.to_document(), refused=None if decision.allowed else decision.reason)
        return await self._insert(doc)

    async def schedule(self, kind: str, payload: dict[str, Any], *, run_at: datetime | None = None,
                       profile_id: str | None = None, idempotency_key: str | None = None,
                       origin: dict[str, Any] | None = None, max_attempts: int | None = None) -> OutboxEntry:
        """Queue a task of ``kind`` for the handler registered for it, due at ``run_at`` (default now)."""
        if kind == MESSAGE:
            raise ValueError("messages are queued with send(), which checks consent")
        doc = new_entry(kind=kind, channel=None, profile_id=profile_id, purpose=None, payload=escape_keys(payload),
                        idempotency_key=idempotency_key, run_at=run_at, origin=origin,
                        max_attempts=max_attempts or self.messaging.settings.max_attempts)
        return await self._insert(doc)

    async def _insert(self, doc: dict[str, Any]) -> OutboxEntry:
        try:
            await self.collection.insert_one(doc)
        except DuplicateKeyError:
            existing = await self.collection.find_one({"idempotency_key": doc["idempotency_key"]})
            if existing is None:
                raise
            return entry_from_document(existing)
        if doc["status"] == Status.QUEUED.value:
            self.messaging.wake()
        return entry_from_document(doc)

    async def get(self, entry_id: str) -> OutboxEntry | None:
        """The entry ``entry_id``."""
        doc = await self.collection.find_one({"_id": entry_id})
        return entry_from_document(doc) if doc else None

    async def find(self, *, profile_ids: list[str] | None = None, status: str | None = None,
                   channel: str | None = None, kind: str | None = None, limit: int = 50,
                   offset: int = 0) -> list[OutboxEntry]:
        """Entries matching every filter given, newest first."""
        cursor = self.collection.find(_filter(profile_ids, status, channel, kind)).sort("created_at", -1)
        return [entry_from_document(doc) async for doc in cursor.skip(offset).limit(limit)]

    async def count(self, *, profile_ids: list[str] | None = None, status: str | None = None,
                    channel: str | None = None, kind: str | None = None) -> int:
        """How many entries match."""
        return await self.collection.count_documents(_filter(profile_ids, status, channel, kind))

    async def page(self, *, profile_ids: list[str] | None = None, status: str | None = None,
                   channel: str | None = None, kind: str | None = None, first: int = 50,
                   after: str | None = None) -> Page[OutboxEntry]:
        """A page of matching entries, newest first (``after``: the previous page's end cursor)."""
        return await newest_first(self.collection, _filter(profile_ids, status, channel, kind),
                                  time_field="created_at", first=first, after=after, convert=entry_from_document)

    async def profile_ids(self, profile_id: str) -> list[str]:
        """The ids a customer's entries may be filed under: the live profile's and the merged ones'."""
        profile = await self.messaging.cairn.pipeline.repository.get(profile_id)
        return profile_ids_of(profile) if profile else [profile_id]

    async def deliveries(self, profile_id: str, *, first: int = 50, after: str | None = None) -> Page[OutboxEntry]:
        """The messages meant for a profile (and the profiles merged into it), newest first: its timeline."""
        return await self.page(profile_ids=await self.profile_ids(profile_id), kind=MESSAGE, first=first,
                               after=after)

    async def retry(self, entry_id: str) -> OutboxEntry | None:
        """Queue a ``dead``, ``failed`` or ``refused`` entry again with a fresh set of tries.

        Consent is checked again at delivery. Returns ``None`` if the entry is unknown or
        not in one of those states.
        """
        now = utcnow()
        result = await self.collection.update_one(
            {"_id": entry_id, "status": {"$in": list(RETRYABLE_BY_ADMIN)}},
            {"$set": {"status": Status.QUEUED.value, "attempts": 0, "next_attempt_at": now, "updated_at": now},
             "$push": push_history(step(Status.QUEUED.value, "queued again by an admin", at=now))})
        if result.matched_count != 1:
            return None
        self.messaging.wake()
        return await self.get(entry_id)


def _filter(profile_ids: list[str] | None, status: str | None, channel: str | None,
            kind: str | None) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if profile_ids is not None:
        query["profile_id"] = {"$in": profile_ids}
    if status is not None:
        query["status"] = status
    if channel is not None:
        query["channel"] = channel
    if kind is not None:
        query["kind"] = kind
    return query

