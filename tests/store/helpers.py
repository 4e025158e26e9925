"""A database of a test's own in the run's embedded store, dropped afterwards."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from cairn.core.store.database import Database, connect

_numbers = itertools.count()


@asynccontextmanager
async def own_database(store_url: str, label: str) -> AsyncIterator[Database]:
    """Connect to a fresh database named after ``label``; drop it and close the client on exit."""
    name = "".join(char if char.isalnum() else "_" for char in f"s{next(_numbers)}_{label}"[:60])
    database = connect(store_url, name)
    try:
        yield database
    finally:
        await database.client.drop_database(name)
        await database.close()
