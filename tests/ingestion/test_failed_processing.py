"""A request whose processing fails midway: nothing accepted is lost, nothing is counted twice."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cairn.core.ingestion.pipeline import ProcessOutcome
from cairn.core.runtime import Cairn
from tests.ingestion.helpers import error_of, events, native, profile_of, segment

BATCH = {"batch": [{"type": "track", "userId": "u1", "event": "Paid", "messageId": "m1"},
                   {"type": "track", "userId": "u1", "event": "Paid", "messageId": "m2"}]}


@pytest.fixture
def fail_once(cairn: Cairn) -> list[int]:
    """Make the next request's processing fail once (as a crashing flow engine would)."""
    calls: list[int] = []

    async def processor(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        calls.append(len(stored))
        if len(calls) == 1:
            raise RuntimeError("the flow engine is down")
        return ProcessOutcome()

    cairn.pipeline.processors.append(processor)
    return calls


async def test_a_failed_request_answers_a_5xx_saying_which_events_were_stored_and_to_retry(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, fail_once: list[int]) -> None:
    response = await segment(client, "batch", BATCH, write_key)
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "not_processed"
    assert "again" in error["hint"]
    assert response.json()["stored"] == [{"index": 0, "messageId": "m1"}, {"index": 1, "messageId": "m2"}]
    assert len(await events(cairn)) == 2


async def test_retrying_a_failed_request_completes_its_events_once(client: httpx.AsyncClient, write_key: str,
                                                                   cairn: Cairn, fail_once: list[int]) -> None:
    await segment(client, "batch", BATCH, write_key)
    retry = await segment(client, "batch", BATCH, write_key)
    assert retry.status_code == 200, retry.text
    assert (retry.json()["stored"], retry.json()["duplicates"]) == (2, [])
    again = await segment(client, "batch", BATCH, write_key)
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, [0, 1])
    stats = (await profile_of(cairn, user_id="u1"))["stats"]
    assert (stats["events"], stats["event_types"]) == (2, {"Paid": 2})
    assert len(await events(cairn)) == 2
    await cairn.pipeline.drain()
    assert not await cairn.database.events.count_documents({"pending": True})


async def test_a_retry_counts_the_visit_and_the_visit_events_once(client: httpx.AsyncClient, write_key: str,
                                                                  cairn: Cairn, fail_once: list[int]) -> None:
    await segment(client, "batch", BATCH, write_key)
    await segment(client, "batch", BATCH, write_key)
    assert (await profile_of(cairn, user_id="u1"))["stats"]["visits"] == 1
    sessions = [doc async for doc in cairn.database.sessions.find({})]
    assert [doc["event_count"] for doc in sessions] == [2]
    await cairn.pipeline.drain()
    stored = await events(cairn)
    assert {e["session_id"] for e in stored} == {sessions[0]["_id"]}
    assert not any(key in e for e in stored for key in ("session_recorded", "session_started", "lease"))


async def test_a_native_retry_with_the_answered_message_ids_completes_the_events(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, fail_once: list[int]) -> None:
    failed = await native(client, write_key, [{"type": "page-view"}], profile={"id": "p1"})
    assert failed.status_code == 500
    message_ids = [entry["messageId"] for entry in failed.json()["stored"]]
    retry = await native(client, write_key, [{"type": "page-view", "messageId": message_ids[0]}])
    assert retry.status_code == 200, retry.text
    reply = retry.json()
    assert reply["stored"] == 1
    profile = await cairn.pipeline.repository.get(reply["profile"]["id"])
    assert profile["stats"]["events"] == 1
    assert len(await events(cairn)) == 1


async def test_when_only_one_profile_fails_the_retry_completes_only_its_events(client: httpx.AsyncClient,
                                                                              write_key: str, cairn: Cairn) -> None:
    failures: list[str] = []

    class FailOnce:
        def apply(self, doc: dict[str, Any]) -> None:
            if not failures:
                failures.append(doc["id"])
                raise RuntimeError("this profile cannot be written right now")

    async def processor(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        return ProcessOutcome(changes={doc["profile_id"]: [FailOnce()] for doc in stored if doc["user_id"] == "u2"})

    cairn.pipeline.processors.append(processor)
    batch = {"batch": [{"type": "track", "userId": "u1", "event": "Paid", "messageId": "m1"},
                       {"type": "track", "userId": "u2", "event": "Paid", "messageId": "m2"}]}
    failed = await segment(client, "batch", batch, write_key)
    assert failed.status_code == 500
    assert failed.json()["stored"] == [{"index": 1, "messageId": "m2"}]
    retry = (await segment(client, "batch", batch, write_key)).json()
    assert (retry["stored"], retry["duplicates"]) == (1, [0])
    for user in ("u1", "u2"):
        assert (await profile_of(cairn, user_id=user))["stats"]["events"] == 1


async def test_a_failure_after_the_profiles_are_written_still_answers_success(client: httpx.AsyncClient,
                                                                            write_key: str, cairn: Cairn,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken_unify(identifiers: dict[str, dict[str, str]]) -> dict[str, str]:
        raise RuntimeError("the identities collection is unavailable")

    monkeypatch.setattr(cairn.pipeline.unifier, "unify", broken_unify)
    message = {"userId": "u1", "event": "Paid", "messageId": "m1", "context": {"traits": {"email": "a@b.c"}}}
    response = await segment(client, "track", message, write_key)
    assert response.status_code == 200, response.text
    again = await segment(client, "track", message, write_key)
    assert again.json()["duplicates"] == [0]
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 1
