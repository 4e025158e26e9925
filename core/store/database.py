"""The MongoDB database Cairn works in, with its collections and indexes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

Document = dict[str, Any]

CORE_INDEXES: dict[str, list[IndexModel]] = {
    "events": [
        IndexModel([("source_id", ASCENDING), ("message_id", ASCENDING)], unique=True),
        IndexModel([("profile_id", ASCENDING), ("occurred_at", DESCENDING)]),
        IndexModel([("type", ASCENDING), ("occurred_at", DESCENDING)]),
        IndexModel([("occurred_at", DESCENDING)]),
    ],
    # Live profiles newest first, and the tombstones merged into a profile (``merged_into`` prefix).
    "profiles": [IndexModel([("merged_into", ASCENDING), ("last_seen", DESCENDING), ("_id", DESCENDING)])],
    "identities": [IndexModel([("profile_id", ASCENDING)])],
    "sessions": [IndexModel([("profile_id", ASCENDING), ("started_at", DESCENDING)])],
    "sources": [IndexModel([("write_key", ASCENDING)], unique=True)],
    "admin_tokens": [IndexModel([("token_hash", ASCENDING)], unique=True)],
}
RETIRED_INDEXES: dict[str, tuple[str, ...]] = {
    "events": ("session_id_1", "source_id_1_occurred_at_-1"),
    "profiles": ("merged_into_1", "last_seen_-1", "user_ids_1"),
}
"""Indexes earlier versions created that no query needs any more; start-up drops them, since
every index makes each write of a document dearer. A name that is declared again is kept.

- ``events.session_id_1``: nothing reads events by session.
- ``events.source_id_1_occurred_at_-1``: the unique ``(source_id, message_id)`` serves ``source_id``.
- ``profiles.merged_into_1``: ``(merged_into, last_seen, _id)`` serves ``merged_into`` as its prefix.
- ``profiles.last_seen_-1``: every listing by ``last_seen`` is of live profiles (the compound index).
- ``profiles.user_ids_1``: profile search finds a user id through its identity claim.
"""
_MISSING = {26, 27}
"""NamespaceNotFound, IndexNotFound: a retired index that is gone already."""


@dataclass
class Database:
    """Cairn's database: one async client, one database, typed collection handles."""

    client: AsyncMongoClient[Document]
    name: str
    _indexes: dict[str, list[IndexModel]] = field(
        default_factory=lambda: {collection: list(models) for collection, models in CORE_INDEXES.items()})

    @property
    def db(self) -> AsyncDatabase[Document]:
        """The underlying driver database."""
        return self.client.get_database(self.name)

    def collection(self, name: str) -> AsyncCollection[Document]:
        """Return the collection ``name``."""
        return self.db.get_collection(name)

    @property
    def events(self) -> AsyncCollection[Document]:
        """Stored events."""
        return self.collection("events")

    @property
    def profiles(self) -> AsyncCollection[Document]:
        """Customer profiles (and the tombstones of merged ones)."""
        return self.collection("profiles")

    @property
    def identities(self) -> AsyncCollection[Document]:
        """Identity claims: ``anon:``/``user:``/``email:``… keys → profile id."""
        return self.collection("identities")

    @property
    def sessions(self) -> AsyncCollection[Document]:
        """Visits."""
        return self.collection("sessions")

    @property
    def sources(self) -> AsyncCollection[Document]:
        """Event sources and their write keys."""
        return self.collection("sources")

    @property
    def admin_tokens(self) -> AsyncCollection[Document]:
        """Hashes of the admin tokens that GraphQL accepts."""
        return self.collection("admin_tokens")

    def add_indexes(self, collection: str, indexes: list[IndexModel]) -> None:
        """Declare more indexes (plugins and features call this before :meth:`ensure_indexes`)."""
        self._indexes.setdefault(collection, []).extend(indexes)

    async def ensure_indexes(self) -> None:
        """Create every declared index that does not exist yet, then drop the retired ones still there."""
        for collection, indexes in self._indexes.items():
            await self.collection(collection).create_indexes(indexes)
        for collection, names in RETIRED_INDEXES.items():
            declared = {index.document["name"] for index in self._indexes.get(collection, [])}
            for name in names:
                if name not in declared:
                    await self._drop_index(collection, name)

    async def _drop_index(self, collection: str, name: str) -> None:
        try:
            await self.collection(collection).drop_index(name)
        except OperationFailure as error:
            if error.code not in _MISSING:
                raise

    async def close(self) -> None:
        """Close the client."""
        await self.client.close()


def connect(url: str, name: str) -> Database:
    """Return a :class:`Database` on ``url`` that reads datetimes back as aware UTC."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        url, tz_aware=True, tzinfo=UTC, serverSelectionTimeoutMS=10_000,
    )
    return Database(client=client, name=name)
