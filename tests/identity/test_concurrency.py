"""Concurrent requests for one profile lose no update and create no twin profile."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from cairn.core.ingestion import pipeline as pipeline_module
from cairn.core.runtime import Cairn
from tests.ingestion.helpers import live_profiles, native, processed, profile_id_of, profile_of, segment, session_of

CLIENTS = 50


@pytest.fixture(autouse=True, params=["inline", "queued"])
def mode(request: pytest.FixtureRequest, cairn: Cairn) -> str:
    """Every race runs twice: all requests processed inline at once, and all queued for the worker."""
    inline_events = 100_000 if request.param == "inline" else 0
    cairn.intake.settings = cairn.intake.settings.with_changes(inline_events=inline_events, poll_interval=0.05)
    return str(request.param)


async def test_fifty_clients_sending_events_for_one_profile_at_once_lose_no_update(client: httpx.AsyncClient,
                                                                                  write_key: str,
                                                                                  cairn: Cairn) -> None:
    await segment(client, "identify", {"userId": "u1"}, write_key)
    names = ["Viewed", "Clicked"]
    responses = await asyncio.gather(*[
        segment(client, "track", {"userId": "u1", "event": names[i % 2]}, write_key) for i in range(CLIENTS)])
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses if r.status_code != 200]
    await processed(cairn)
    stats = (await profile_of(cairn, user_id="u1"))["stats"]
    assert stats["events"] == CLIENTS + 1
    assert stats["event_types"] == {"identify": 1, "Viewed": CLIENTS // 2, "Clicked": CLIENTS // 2}
    assert stats["visits"] == 1


async def test_concurrent_first_events_of_a_new_anonymous_id_end_in_one_profile(client: httpx.AsyncClient,
                                                                               write_key: str,
                                                                               cairn: Cairn) -> None:
    responses = await asyncio.gather(*[
        segment(client, "track", {"anonymousId": "newcomer", "event": "Viewed"}, write_key) for _ in range(CLIENTS)])
    assert all(r.status_code == 200 for r in responses)
    await processed(cairn)
    assert await cairn.database.profiles.count_documents({}) == 1
    assert len(await live_profiles(cairn)) == 1
    stats = (await profile_of(cairn, anonymous_id="newcomer"))["stats"]
    assert (stats["events"], stats["event_types"], stats["visits"]) == (CLIENTS, {"Viewed": CLIENTS}, 1)
    assert await cairn.database.sessions.count_documents({}) == 1


async def test_concurrent_first_events_of_a_new_user_id_end_in_one_profile(client: httpx.AsyncClient,
                                                                          write_key: str, cairn: Cairn) -> None:
    responses = await asyncio.gather(*[
        segment(client, "identify", {"userId": "u1", "anonymousId": f"a{i}"}, write_key) for i in range(CLIENTS)])
    assert all(r.status_code == 200 for r in responses)
    await processed(cairn)
    assert len(await live_profiles(cairn)) == 1
    profile = await profile_of(cairn, user_id="u1")
    assert profile["stats"]["events"] == CLIENTS
    assert len(profile["anonymous_ids"]) == CLIENTS


async def test_concurrent_native_requests_of_one_visit_count_one_visit(client: httpx.AsyncClient, write_key: str,
                                                                       cairn: Cairn) -> None:
    first = (await native(client, write_key, [{"type": "page-view"}])).json()
    responses = await asyncio.gather(*[
        native(client, write_key, [{"type": "click"}], profile=first["profile"], session={"id": "s-shared"})
        for _ in range(CLIENTS)])
    assert all(r.status_code == 200 for r in responses)
    await processed(cairn)
    assert (await session_of(cairn, "s-shared")).event_count == CLIENTS
    stats = (await cairn.pipeline.repository.get(first["profile"]["id"]))["stats"]
    assert (stats["events"], stats["visits"]) == (CLIENTS + 1, 2)


async def test_the_same_message_sent_by_many_clients_at_once_is_stored_and_counted_once(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, mode: str) -> None:
    message = {"userId": "u1", "event": "Paid", "messageId": "m1"}
    responses = await asyncio.gather(*[segment(client, "track", message, write_key) for _ in range(20)])
    assert all(r.status_code == 200 for r in responses)
    await processed(cairn)
    if mode == "inline":
        assert sum(r.json()["stored"] for r in responses) == 1
    assert await cairn.database.events.count_documents({}) == 1
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 1


async def test_events_arriving_while_their_profile_is_merged_all_end_on_the_survivor(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    await segment(client, "identify", {"userId": "u1", "anonymousId": "laptop"}, write_key)
    await segment(client, "page", {"anonymousId": "phone"}, write_key)
    tracks = [segment(client, "track", {"anonymousId": "phone", "event": "Viewed"}, write_key) for _ in range(30)]
    identify = segment(client, "identify", {"userId": "u1", "anonymousId": "phone"}, write_key)
    responses = await asyncio.gather(*tracks[:15], identify, *tracks[15:])
    assert all(r.status_code == 200 for r in responses)
    await processed(cairn)
    survivor = await profile_of(cairn, user_id="u1")
    assert survivor["stats"]["events"] == 33
    assert survivor["stats"]["event_types"] == {"identify": 2, "page": 1, "Viewed": 30}
    assert {doc["profile_id"] async for doc in cairn.database.events.find({})} == {survivor["id"]}
    assert {doc["profile_id"] async for doc in cairn.database.sessions.find({})} == {survivor["id"]}
    assert len(await live_profiles(cairn)) == 1


async def test_an_event_stored_just_after_its_profile_was_merged_goes_to_the_survivor(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, monkeypatch: pytest.MonkeyPatch) -> None:
    await segment(client, "identify", {"userId": "u1", "anonymousId": "laptop"}, write_key)
    await segment(client, "page", {"anonymousId": "phone"}, write_key)
    await processed(cairn)
    loser, survivor = await profile_id_of(cairn, anonymous_id="phone"), await profile_id_of(cairn, user_id="u1")
    original = pipeline_module.insert_pending

    async def merge_then_insert(database: Any, docs: list[dict[str, Any]]) -> Any:
        monkeypatch.setattr(pipeline_module, "insert_pending", original)
        await cairn.pipeline.merger.merge(loser, survivor, reason="identified elsewhere meanwhile")
        return await original(database, docs)

    monkeypatch.setattr(pipeline_module, "insert_pending", merge_then_insert)
    await segment(client, "track", {"anonymousId": "phone", "event": "Viewed"}, write_key)
    await processed(cairn)
    assert {doc["profile_id"] async for doc in cairn.database.events.find({})} == {survivor}
    assert {doc["profile_id"] async for doc in cairn.database.sessions.find({})} == {survivor}
    assert (await cairn.pipeline.repository.get(survivor))["stats"]["events"] == 3
