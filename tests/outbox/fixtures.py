"""Fixtures of this feature's suites (imported by each suite's conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cairn.core.config import Settings
from cairn.core.runtime import Cairn
from tests.outbox.support import TEST_ENV, GraphQL, HttpReceiver, plugin_manager
from tests.support.server import RunningServer, serve_cairn


@pytest.fixture
def outbox_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """No embedded worker (tests deliver explicitly), immediate retries, three tries."""
    for name, value in TEST_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("CAIRN_PUBLIC_URL", "CAIRN_UNSUBSCRIBE_SECRET", "CAIRN_CONSENT_FREE_PURPOSES"):
        monkeypatch.delenv(name, raising=False)
    return TEST_ENV


@pytest.fixture
async def server(store_url: str, settings: Settings, outbox_env: dict[str, str]) -> AsyncIterator[RunningServer]:
    """A Cairn server with the consents, outbox, channels and privacy plugins."""
    async with serve_cairn(settings, store_url, plugins=plugin_manager()) as running:
        yield running


@pytest.fixture
async def gql(client: httpx.AsyncClient, cairn: Cairn) -> GraphQL:
    """A GraphQL client with a fresh admin token."""
    return GraphQL(client, await cairn.tokens.create())


@pytest.fixture
async def receiver() -> AsyncIterator[HttpReceiver]:
    """A real HTTP receiver (SMS gateway / webhook endpoint) on 127.0.0.1."""
    async with HttpReceiver().running() as running:
        yield running
