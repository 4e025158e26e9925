"""The ingestion journal: accepted events are durable first, processed inline or by the worker."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest

from cairn.core.clock import utcnow
from cairn.core.ingestion.intake import IntakeSettings
from cairn.core.ingestion.journal import COLLECTION, JournalEntry, entry_document
from cairn.core.ingestion.pipeline import ProcessOutcome
from cairn.core.ingestion.segment import parse_message
from cairn.core.runtime import Cairn
from tests.ingestion.helpers import events, one_event, processed, profile_of, segment

BATCH = {"batch": [{"type": "track", "userId": "u1", "event": "Paid", "messageId": "m1"},
                   {"type": "track", "userId": "u1", "event": "Paid", "messageId": "m2"}]}


async def journal_documents(cairn: Cairn) -> list[dict[str, Any]]:
    """The journal's entries as stored."""
    return [doc async for doc in cairn.database.collection(COLLECTION).find({})]


@pytest.fixture
def queue_everything(cairn: Cairn) -> None:
    """The Segment endpoints queue every request (as when Cairn is behind), retrying fast."""
    cairn.intake.settings = cairn.intake.settings.with_changes(inline_events=0, retry_seconds=0.2,
                                                               poll_interval=0.05)


async def test_a_request_processed_inline_leaves_no_journal_entry(client: httpx.AsyncClient, write_key: str,
                                                                  cairn: Cairn) -> None:
    response = await segment(client, "batch", BATCH, write_key)
    assert response.json() == {"success": True, "stored": 2, "duplicates": [], "errors": []}
    await cairn.intake.journal.drain()
    assert await journal_documents(cairn) == []


async def test_a_queued_request_is_answered_before_processing_and_processed_by_the_worker(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, queue_everything: None) -> None:
    response = await segment(client, "batch", BATCH, write_key)
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "queued": 2, "errors": []}
    await processed(cairn)
    assert sorted(event["message_id"] for event in await events(cairn)) == ["m1", "m2"]
    stats = (await profile_of(cairn, user_id="u1"))["stats"]
    assert (stats["events"], stats["event_types"]) == (2, {"Paid": 2})


async def test_a_queued_batch_still_reports_its_bad_events_by_index(client: httpx.AsyncClient, write_key: str,
                                                                     cairn: Cairn, queue_everything: None) -> None:
    batch = {"batch": [{"type": "track", "userId": "u1", "event": "Paid"}, {"type": "track", "event": "No Id"}]}
    reply = (await segment(client, "batch", batch, write_key)).json()
    assert reply["queued"] == 1
    assert [error["index"] for error in reply["errors"]] == [1]
    await processed(cairn)
    assert (await one_event(cairn))["type"] == "Paid"


async def test_queued_events_keep_their_keys_timestamps_and_enriched_context(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, queue_everything: None) -> None:
    message = {"userId": "u1", "event": "Odd Keys", "timestamp": "2026-01-02T03:04:05.678Z",
               "properties": {"$price": 3, "a.b": {"c\x00d": True}, "100%": "yes"}}
    await segment(client, "track", message, write_key, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"})
    await processed(cairn)
    stored = await one_event(cairn, type="Odd Keys")
    assert stored["properties"] == {"$price": 3, "a.b": {"c\x00d": True}, "100%": "yes"}
    assert stored["original_timestamp"].isoformat(timespec="milliseconds") == "2026-01-02T03:04:05.678+00:00"
    assert stored["context"]["ip"] == "127.0.0.1"
    assert stored["received_at"] <= utcnow()


async def test_once_cairn_is_behind_requests_queue_until_the_journal_is_empty_and_the_load_quiet(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    cairn.intake.settings = cairn.intake.settings.with_changes(poll_interval=0.05, quiet_seconds=0.5)
    cairn.intake.behind = True  # as when a request was queued while others were processed
    assert "queued" in (await segment(client, "batch", BATCH, write_key)).json()
    queued_at = asyncio.get_running_loop().time()
    await processed(cairn)
    while cairn.intake.behind:
        await asyncio.sleep(0.02)
    assert asyncio.get_running_loop().time() - queued_at >= 0.5
    single = await segment(client, "track", {"userId": "u2", "event": "Paid"}, write_key)
    assert single.json()["stored"] == 1


async def test_concurrent_requests_queue_beyond_the_inline_allowance(client: httpx.AsyncClient, write_key: str,
                                                                     cairn: Cairn) -> None:
    cairn.intake.settings = cairn.intake.settings.with_changes(inline_events=4, poll_interval=0.05)
    gate = asyncio.Event()

    async def slow(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        await gate.wait()
        return ProcessOutcome()

    cairn.pipeline.processors.append(slow)
    sending = [asyncio.create_task(segment(client, "track", {"userId": f"q{n}", "event": "Paid"}, write_key))
               for n in range(20)]
    while sum(task.done() for task in sending) < 16:
        await asyncio.sleep(0.02)
    gate.set()
    answers = [reply.json() for reply in await asyncio.gather(*sending)]
    assert all(answer["success"] for answer in answers)
    inline = [answer for answer in answers if "stored" in answer]
    assert 1 <= len(inline) <= 4
    assert len(inline) + sum(answer.get("queued", 0) for answer in answers) == 20
    await processed(cairn)
    assert len(await events(cairn)) == 20


async def test_the_same_message_queued_twice_is_stored_and_counted_once(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, queue_everything: None) -> None:
    for _ in range(3):
        await segment(client, "batch", BATCH, write_key)
    await processed(cairn)
    assert len(await events(cairn)) == 2
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 2


async def test_a_failing_queued_group_is_retried_until_it_is_processed_once(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, queue_everything: None) -> None:
    calls: list[int] = []

    async def fail_twice(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        calls.append(len(stored))
        if len(calls) <= 2:
            raise RuntimeError("the flow engine is down")
        return ProcessOutcome()

    cairn.pipeline.processors.append(fail_twice)
    await segment(client, "batch", BATCH, write_key)
    await processed(cairn)
    assert len(calls) == 3
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 2
    assert len(await events(cairn)) == 2


async def test_a_failed_inline_request_is_completed_by_the_worker_without_a_resend(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    cairn.intake.settings = cairn.intake.settings.with_changes(retry_seconds=0.2, poll_interval=0.05)
    calls: list[int] = []

    async def fail_once(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        calls.append(len(stored))
        if len(calls) == 1:
            raise RuntimeError("the flow engine is down")
        return ProcessOutcome()

    cairn.pipeline.processors.append(fail_once)
    failed = await segment(client, "batch", BATCH, write_key)
    assert failed.status_code == 500
    assert "Cairn" in failed.json()["error"]["hint"]
    await processed(cairn)
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 2


async def test_an_entry_left_by_a_process_that_died_is_processed_once_its_lease_runs_out(
        cairn: Cairn, write_key: str) -> None:
    cairn.intake.settings = cairn.intake.settings.with_changes(poll_interval=0.05)
    source = await cairn.sources.by_write_key(write_key)
    assert source is not None
    now = utcnow()
    events_sent = [parse_message({"userId": "u9", "event": "Paid", "messageId": f"d{n}"}, "track", n, now)
                   for n in range(2)]
    entry = JournalEntry(id="left-behind", source_id=source.id, events=events_sent, accepted_at=now, attempts=1)
    leased_until = now + timedelta(seconds=1)
    await cairn.database.collection(COLLECTION).insert_one(entry_document(entry, leased_until))
    await asyncio.sleep(0.3)
    assert await events(cairn) == [], "a leased entry is left to the process holding it"
    await processed(cairn)
    assert (await profile_of(cairn, user_id="u9"))["stats"]["events"] == 2


async def test_entries_of_several_requests_are_processed_together_in_one_group(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, queue_everything: None) -> None:
    await cairn.intake.stop()
    for user in range(5):
        await segment(client, "track", {"userId": f"g{user}", "event": "Paid"}, write_key)
    assert (await cairn.intake.journal.backlog()) == {"entries": 5, "events": 5}
    batches: list[int] = []

    async def count(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        batches.append(len(stored))
        return ProcessOutcome()

    cairn.pipeline.processors.append(count)
    assert await cairn.intake.process_due() == 5
    assert batches == [5]
    await cairn.intake.journal.drain()
    assert await journal_documents(cairn) == []


def test_intake_settings_are_read_from_the_environment() -> None:
    settings = IntakeSettings.from_env({"CAIRN_INLINE_EVENTS": "0", "CAIRN_INGEST_GROUP_EVENTS": "800",
                                        "CAIRN_INGEST_WORKERS": "3", "CAIRN_INGEST_RETRY_SECONDS": "2"})
    assert (settings.inline_events, settings.group_events, settings.workers) == (0, 800, 3)
    assert settings.retry_delay(1) == timedelta(seconds=2)
    assert settings.retry_delay(3) == timedelta(seconds=8)
    assert settings.retry_delay(40) == timedelta(hours=1)


async def test_concurrent_claims_never_hand_the_same_entry_to_two_workers(cairn: Cairn, write_key: str) -> None:
    await cairn.intake.stop()
    source = await cairn.sources.by_write_key(write_key)
    assert source is not None
    now = utcnow()
    for number in range(40):
        event = parse_message({"userId": f"c{number}", "event": "Paid"}, "track", 0, now)
        await cairn.intake.journal.append(source.id, [event], hold_for=timedelta(0))
    claimed: list[str] = []
    while claims := await asyncio.gather(*(cairn.intake.journal.claim(max_events=15) for _ in range(4))):
        if not any(claims):
            break
        assert all(len(claim) <= 15 for claim in claims)
        claimed.extend(entry.id for claim in claims for entry in claim)
    assert len(claimed) == len(set(claimed)) == 40, "each entry goes to exactly one claim"
