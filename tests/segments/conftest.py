"""Fixtures for the segmentation suites: a real server with the segment plugins registered."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pluggy
import pytest

from cairn.core.config import Settings
from cairn.core.plugin_manager import check_hook_names, create_plugin_manager
from cairn.core.runtime import Cairn
from cairn.core.segments import SegmentService
from cairn.core.segments.plugin import segments_of
from tests.graphql.conftest import GraphQLClient, Tracker
from tests.support.server import RunningServer, serve_cairn

SEGMENT_PLUGINS = ("cairn.core.segments.plugin", "cairn.graphql.segments.plugin")


def segment_plugin_manager() -> pluggy.PluginManager:
    """Cairn's usual plugins plus segmentation's (unless they are default plugins already)."""
    manager = create_plugin_manager()
    for name in SEGMENT_PLUGINS:
        module = importlib.import_module(name)
        if not manager.is_registered(module):
            manager.register(module, name=name)
    check_hook_names(manager)
    return manager


@pytest.fixture
async def server(store_url: str, settings: Settings) -> AsyncIterator[RunningServer]:
    """A Cairn server with segmentation, on the test's own database."""
    async with serve_cairn(settings, store_url, segment_plugin_manager()) as running:
        yield running


@pytest.fixture
def segments(cairn: Cairn) -> SegmentService:
    """The running segment service."""
    return segments_of(cairn)


@pytest.fixture
async def api(client: httpx.AsyncClient, cairn: Cairn) -> GraphQLClient:
    """A GraphQL client authenticated as an admin."""
    return GraphQLClient(client, await cairn.tokens.create())


@pytest.fixture
def tracker(client: httpx.AsyncClient, write_key: str) -> Tracker:
    """Sends events through the Segment tracking endpoints with the test source's write key."""
    return Tracker(client, write_key)


async def profile_of(cairn: Cairn, user_id: str) -> dict[str, Any]:
    """The live profile that owns ``user_id``."""
    claim = await cairn.database.identities.find_one({"_id": f"user:{user_id}"})
    assert claim is not None, f"no profile for user {user_id}"
    profile = await cairn.pipeline.repository.get(claim["profile_id"])
    assert profile is not None
    return profile


async def events_of(cairn: Cairn, profile_id: str, event_type: str) -> list[dict[str, Any]]:
    """The stored events of one type of a profile, oldest first."""
    cursor = cairn.database.events.find({"profile_id": profile_id, "type": event_type}).sort("occurred_at", 1)
    return await cursor.to_list()


async def history_of(cairn: Cairn, profile_id: str) -> list[tuple[str, str, str]]:
    """(segment name, change, reason) of a profile's ``segment_history``, oldest first."""
    cursor = cairn.database.collection("segment_history").find({"profile_id": profile_id}).sort("at", 1)
    return [(doc["segment_name"], doc["change"], doc["reason"]) async for doc in cursor]


def iso(moment: datetime) -> str:
    """A timestamp as the tracking API takes it."""
    return moment.isoformat().replace("+00:00", "Z")
