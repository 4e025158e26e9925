"""Helpers of the profiles suite: another writer stepping in at the worst moment, a failing store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import AutoReconnect

from cairn.core.profiles.changes import Increment
from cairn.core.store.database import Database

EVENTS = ("stats", "events")


def one_more(amount: float = 1) -> list[Increment]:
    """The change every test counts with: one more event."""
    return [Increment(EVENTS, amount)]


@dataclass
class HookedCollection:
    """A real collection whose ``bulk_write`` can fail or let something happen right after it.

    ``failures``: the next writes fail before reaching the store. ``lost_replies``: the
    next writes land, but their reply is lost. ``down``: every write and read fails.
    """

    real: AsyncCollection[dict[str, Any]]
    failures: int = 0
    lost_replies: int = 0
    down: bool = False
    after_bulk_write: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def find(self, *args: Any, **kwargs: Any) -> Any:
        if self.down:
            raise AutoReconnect("the store is down (test)")
        return self.real.find(*args, **kwargs)

    async def bulk_write(self, requests: list[Any], **options: Any) -> Any:
        if self.down or self.failures:
            self.failures = max(0, self.failures - 1)
            raise AutoReconnect("the store went away (test)")
        result = await self.real.bulk_write(requests, **options)
        while self.after_bulk_write:
            await self.after_bulk_write.pop(0)()
        if self.lost_replies:
            self.lost_replies -= 1
            raise AutoReconnect("the connection dropped before the reply (test)")
        return result


async def events_of(database: Database, profile_id: str) -> int:
    """The event counter of a profile as stored."""
    doc = await database.profiles.find_one({"_id": profile_id})
    assert doc is not None
    return int(doc["stats"]["events"])


async def tombstone(database: Database, loser: str, survivor: str) -> None:
    """Mark ``loser`` merged into ``survivor`` the way the merger does (version bumped)."""
    doc = await database.profiles.find_one({"_id": loser})
    assert doc is not None
    await database.profiles.replace_one({"_id": loser, "version": doc["version"]},
                                        {**doc, "version": doc["version"] + 1, "merged_into": survivor})
