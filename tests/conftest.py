"""Fixtures shared by every suite: a real store over TCP and a real Cairn server.

One embedded store process serves the whole run; every test gets its own database
in it, and its own Cairn server on a free 127.0.0.1 port, so tests never see each
other's data.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from cairn.core.config import Settings
from cairn.core.runtime import Cairn
from cairn.core.store.embedded import EmbeddedStore
from tests.support.server import RunningServer, serve_cairn

_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def store_url() -> Iterator[str]:
    """The URL of the embedded store started for this test run."""
    with EmbeddedStore(None) as store:
        yield store.url


@pytest.fixture
def settings(request: pytest.FixtureRequest) -> Settings:
    """Settings with a database of the test's own."""
    name = f"t{next(_database_numbers)}_{request.node.name[:40]}"
    safe = "".join(char if char.isalnum() else "_" for char in name)
    return Settings(database=safe)


@pytest.fixture
async def server(store_url: str, settings: Settings) -> AsyncIterator[RunningServer]:
    """A Cairn server on 127.0.0.1, on the test's own database."""
    async with serve_cairn(settings, store_url) as running:
        yield running


@pytest.fixture
def cairn(server: RunningServer) -> Cairn:
    """The running Cairn behind ``server`` (its services, store and plugins)."""
    return server.cairn


@pytest.fixture
async def client(server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``server``."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


@pytest.fixture
async def write_key(cairn: Cairn) -> str:
    """The write key of a fresh, enabled source."""
    source = await cairn.sources.create("test website", allowed_origins=["http://127.0.0.1"])
    return source.write_key
