"""A request whose processing fails midway: nothing accepted is lost, nothing is counted twice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from cairn.core.ingestion import pipeline as pipeline_module
from cairn.core.ingestion.event_store import pending_marks
from cairn.core.ingestion.pipeline import ProcessOutcome
from cairn.core.runtime import Cairn
from tests.ingestion.helpers import error_of, events, native, profile_of, segment, session_of

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
    stored = await events(cairn)
    assert len(stored) == 2
    marks = await pending_marks(cairn.database).find({}).to_list()
    assert sorted(mark["_id"] for mark in marks) == sorted(event["_id"] for event in stored)
    assert {mark["profile_id"] for mark in marks} == {event["profile_id"] for event in stored}
    assert not any(key in e for e in stored for key in ("pending", "lease_until", "lease"))


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
    assert await pending_marks(cairn.database).count_documents({}) == 0


async def test_a_retry_counts_the_visit_and_the_visit_events_once(client: httpx.AsyncClient, write_key: str,
                                                                  cairn: Cairn, fail_once: list[int]) -> None:
    await segment(client, "batch", BATCH, write_key)
    progress = await pending_marks(cairn.database).find({}, {"_id": 0, "session_recorded": 1,
                                                             "session_started": 1}).to_list()
    assert sorted(progress, key=len) == [{"session_recorded": True},
                                         {"session_recorded": True, "session_started": True}]
    await segment(client, "batch", BATCH, write_key)
    assert (await profile_of(cairn, user_id="u1"))["stats"]["visits"] == 1
    sessions = [doc async for doc in cairn.database.sessions.find({})]
    assert [(await session_of(cairn, doc["_id"])).event_count for doc in sessions] == [2]
    await cairn.pipeline.drain()
    stored = await events(cairn)
    assert {e["session_id"] for e in stored} == {sessions[0]["_id"]}
    assert not any(key in e for e in stored for key in ("session_recorded", "session_started", "lease"))
    assert await pending_marks(cairn.database).count_documents({}) == 0


async def test_a_crash_between_the_pending_marks_and_the_events_loses_nothing(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, monkeypatch: pytest.MonkeyPatch) -> None:
    original = pipeline_module.insert_pending

    class EventsUnreachable:
        """The store as seen by a process that dies after inserting the marks."""

        def collection(self, name: str) -> Any:
            return cairn.database.collection(name)

        @property
        def events(self) -> Any:
            raise ConnectionError("the process died")

    async def crash_after_the_marks(database: Any, docs: list[dict[str, Any]]) -> Any:
        monkeypatch.setattr(pipeline_module, "insert_pending", original)
        return await original(EventsUnreachable(), docs)

    monkeypatch.setattr(pipeline_module, "insert_pending", crash_after_the_marks)
    failed = await segment(client, "batch", BATCH, write_key)
    assert (failed.status_code, failed.json()["stored"]) == (500, [])
    assert (len(await events(cairn)), await pending_marks(cairn.database).count_documents({})) == (0, 2)
    retry = await segment(client, "batch", BATCH, write_key)
    assert (retry.json()["stored"], retry.json()["duplicates"]) == (2, [])
    again = await segment(client, "batch", BATCH, write_key)
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, [0, 1])
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 2
    await cairn.pipeline.drain()
    stored_ids = [event["_id"] for event in await events(cairn)]
    assert await pending_marks(cairn.database).count_documents({"_id": {"$in": stored_ids}}) == 0


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


async def test_events_left_pending_by_a_dead_process_are_taken_over_once_their_lease_runs_out(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, fail_once: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    async def died_before_releasing(*args: Any) -> None:
        return None

    monkeypatch.setattr(pipeline_module, "release", died_before_releasing)
    assert (await segment(client, "batch", BATCH, write_key)).status_code == 500
    leased = await segment(client, "batch", BATCH, write_key)
    assert (leased.json()["stored"], leased.json()["duplicates"]) == (0, [0, 1])
    await pending_marks(cairn.database).update_many({}, {"$set": {"lease_until": datetime(2000, 1, 1, tzinfo=UTC)}})
    retry = await segment(client, "batch", BATCH, write_key)
    assert (retry.json()["stored"], retry.json()["duplicates"]) == (2, [])
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 2
    await cairn.pipeline.drain()
    assert await pending_marks(cairn.database).count_documents({}) == 0
