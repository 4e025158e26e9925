"""Helpers for the ingestion and identity suites: send events, read what was stored."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

from cairn.core.config import Settings
from cairn.core.models.session import Session
from cairn.core.reads.profiles import get_profile, owned_ids
from cairn.core.reads.session_activity import complete_sessions
from cairn.core.reads.sessions import session_from_document
from cairn.core.runtime import Cairn
from cairn.core.store.keys import unescape_keys
from tests.support.server import serve_cairn

COLLECTIONS = ("events", "profiles", "identities", "sessions")


def iso(moment: datetime) -> str:
    """An ISO-8601 string as Segment SDKs send it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ago(**delta: float) -> datetime:
    """A moment in the past (or the future, with negative values)."""
    return datetime.now(UTC) - timedelta(**delta)


async def segment(client: httpx.AsyncClient, call: str, body: dict[str, Any], write_key: str,
                  **kwargs: Any) -> httpx.Response:
    """POST a Segment message to ``/v1/{call}`` with the write key as Basic auth."""
    return await client.post(f"/v1/{call}", json=body, auth=(write_key, ""), **kwargs)


async def post_raw(client: httpx.AsyncClient, path: str, content: bytes, write_key: str | None = None,
                   **headers: str) -> httpx.Response:
    """POST raw bytes (for malformed, gzip or oddly typed bodies)."""
    auth = (write_key, "") if write_key else None
    return await client.post(path, content=content, headers=headers, auth=auth)


def gzipped(body: dict[str, Any]) -> bytes:
    """A JSON body, gzip-compressed."""
    return gzip.compress(orjson.dumps(body))


async def native(client: httpx.AsyncClient, write_key: str, events: list[dict[str, Any]],
                 **envelope: Any) -> httpx.Response:
    """POST a native ``/track`` body."""
    return await client.post("/track", json={"source": {"id": write_key}, "events": events, **envelope})


async def processed(cairn: Cairn, timeout: float = 30.0) -> None:
    """Wait until Cairn has processed every queued request (its journal is empty)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (backlog := await cairn.intake.journal.backlog())["entries"]:
        assert loop.time() < deadline, f"still waiting after {timeout} s: {backlog}"
        await asyncio.sleep(0.05)
    await cairn.intake.journal.drain()
    await cairn.pipeline.drain()


async def events(cairn: Cairn, **query: Any) -> list[dict[str, Any]]:
    """The stored events matching ``query``, keys as sent, oldest first."""
    cursor = cairn.database.events.find(query).sort("occurred_at", 1)
    return [unescape_keys(doc) async for doc in cursor]


async def one_event(cairn: Cairn, **query: Any) -> dict[str, Any]:
    """The single stored event matching ``query``."""
    found = await events(cairn, **query)
    assert len(found) == 1, found
    return found[0]


async def profile_id_of(cairn: Cairn, *, user_id: str | None = None, anonymous_id: str | None = None) -> str:
    """The live profile id an id leads to (following merges)."""
    key = f"user:{user_id}" if user_id else f"anon:{anonymous_id}"
    claim = await cairn.database.identities.find_one({"_id": key})
    assert claim is not None, f"nobody claims {key}"
    profile = await cairn.pipeline.repository.get(claim["profile_id"])
    assert profile is not None
    return str(profile["id"])


async def profile_of(cairn: Cairn, **ids: str) -> dict[str, Any]:
    """The live profile an id leads to."""
    profile = await cairn.pipeline.repository.get(await profile_id_of(cairn, **ids))
    assert profile is not None
    return profile


async def session_of(cairn: Cairn, session_id: str) -> Session:
    """The stored session as the API shows it: its events counted, its profile's last activity applied."""
    doc = await cairn.database.sessions.find_one({"_id": session_id})
    assert doc is not None, f"no session {session_id}"
    session = session_from_document(doc)
    profile = await get_profile(cairn.database, session.profile_id)
    assert profile is not None
    [completed] = await complete_sessions(cairn.database, [session], profile_ids=owned_ids(profile),
                                          current_session=profile.last_session_id, last_seen=profile.last_seen)
    return completed


async def live_profiles(cairn: Cairn) -> list[dict[str, Any]]:
    """Every profile that was not merged into another."""
    return [doc async for doc in cairn.database.profiles.find({"merged_into": None})]


async def counts(cairn: Cairn) -> dict[str, int]:
    """How many documents each ingestion collection holds."""
    return {name: await cairn.database.collection(name).count_documents({}) for name in COLLECTIONS}


async def assert_nothing_stored(cairn: Cairn) -> None:
    """No event, profile, identity claim or session was written."""
    assert await counts(cairn) == dict.fromkeys(COLLECTIONS, 0)


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The ``error`` object of a refused request (checking the envelope)."""
    body = response.json()
    assert body["success"] is False, body
    assert body["error"]["code"] and body["error"]["message"], body
    return dict(body["error"])


@asynccontextmanager
async def cairn_with(settings: Settings, store_url: str,
                     **changes: Any) -> AsyncIterator[tuple[httpx.AsyncClient, Cairn, str]]:
    """Serve Cairn with changed settings; yield a client, the Cairn and a write key."""
    async with serve_cairn(settings.with_changes(**changes), store_url) as running:
        source = await running.cairn.sources.create("other settings")
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            yield http, running.cairn, source.write_key
