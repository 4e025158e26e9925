"""The MongoDB database Cairn works in, with its collections and indexes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]

CORE_INDEXES: dict[str, list[IndexModel]] = {
    "events": [
        IndexModel([("source_id", ASCENDING), ("message_id", ASCENDING)], unique=True),
        IndexModel([("profile_id", ASCENDING), ("occurred_at", DESCENDING)]),
        IndexModel([("type", ASCENDING), ("occurred_at", DESCENDING)]),
        IndexModel([("occurred_at", DESCENDING)]),
        IndexModel([("session_id", ASCENDING)]),
    ],
    "profiles": [IndexModel([("merged_into", ASCENDING)]), IndexModel([("last_seen", DESCENDING)])],
    "identities": [IndexModel([("profile_id", ASCENDING)])],
    "sessions": [IndexModel([("profile_id", ASCENDING), ("started_at", DESCENDING)])],
    "sources": [IndexModel([("write_key", ASCENDING)], unique=True)],
    "admin_tokens": [IndexModel([("token_hash", ASCENDING)], unique=True)],
}


@dataclass
class Database:
    """Cairn's database: one async client, one database, typed collection handles."""

    client: AsyncMongoClient[Document]
    name: str
    _indexes: dict[str, list[IndexModel]] = field(default_factory=lambda: dict(CORE_INDEXES))

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
        """Create every declared index that does not exist yet."""
        for collection, indexes in self._indexes.items():
            await self.collection(collection).create_indexes(indexes)

    async def close(self) -> None:
        """Close the client."""
        await self.client.close()


def connect(url: str, name: str) -> Database:
    """Return a :class:`Database` on ``url`` that reads datetimes back as aware UTC."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        url, tz_aware=True, tzinfo=UTC, serverSelectionTimeoutMS=10_000,
    )
    return Database(client=client, name=name)
