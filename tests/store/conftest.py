"""Fixtures of the store suite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from cairn.core.store.database import Database
from tests.store.helpers import own_database


@pytest.fixture
async def database(store_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """A database of the test's own, with Cairn's indexes."""
    async with own_database(store_url, request.node.name) as db:
        await db.ensure_indexes()
        yield db
