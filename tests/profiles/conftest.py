"""Fixtures of the profiles suite: a database of the test's own, and helpers to watch the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring

from cairn.core.profiles.repository import ProfileRepository
from cairn.core.store.database import Database
from tests.store.helpers import own_database


class CommandCounter(monitoring.CommandListener):
    """Counts the commands a client sends (``find``, ``update``, ``insert``…)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.counts[event.command_name] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture
async def database(store_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """A database of the test's own, with Cairn's indexes."""
    async with own_database(store_url, request.node.name) as db:
        await db.ensure_indexes()
        yield db


@pytest.fixture
async def other_process(store_url: str, database: Database) -> AsyncIterator[Database]:
    """The same database through a client of its own, as another Cairn process would see it."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(store_url, tz_aware=True, tzinfo=UTC)
    yield Database(client=client, name=database.name)
    await client.close()


@pytest.fixture
async def counted(store_url: str, database: Database) -> AsyncIterator[tuple[Database, CommandCounter]]:
    """The test's database through a client whose commands are counted."""
    counter = CommandCounter()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(store_url, tz_aware=True, tzinfo=UTC,
                                                                event_listeners=[counter])
    yield Database(client=client, name=database.name), counter
    await client.close()


@pytest.fixture
def new_profiles(database: Database) -> Callable[..., Any]:
    """``await new_profiles("p1", "p2", events=0)``: store new profiles with an event counter."""

    async def create(*profile_ids: str, events: int = 0, **fields: Any) -> None:
        await ProfileRepository(database).insert_many([
            {"id": pid, "version": 0, "merged_into": None, "stats": {"events": events}, **fields}
            for pid in profile_ids])

    return create
