"""The flow suites' server: a real Cairn whose plugin manager also holds the in-test node types."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cairn.core.config import Settings
from cairn.core.plugin_manager import create_plugin_manager
from cairn.core.runtime import Cairn
from tests.flows.support import FlowTestPlugin, GraphQL
from tests.support.server import RunningServer, serve_cairn


@pytest.fixture
async def server(store_url: str, settings: Settings) -> AsyncIterator[RunningServer]:
    """A Cairn server with the in-test node types, on the test's own database."""
    plugins = create_plugin_manager(extra_plugins=(FlowTestPlugin(),))
    async with serve_cairn(settings, store_url, plugins=plugins) as running:
        yield running


@pytest.fixture
async def api(cairn: Cairn, client: httpx.AsyncClient) -> GraphQL:
    """A GraphQL client with an admin token."""
    return GraphQL(client, await cairn.tokens.create())
