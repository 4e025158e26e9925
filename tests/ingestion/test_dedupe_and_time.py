"""De-duplication on message id, the server's receive time, and client clock skew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from cairn.core.runtime import Cairn
from tests.ingestion.helpers import ago, events, iso, one_event, profile_of, segment

TOLERANCE = timedelta(seconds=5)


async def test_a_message_id_sent_twice_is_stored_once_and_reported_as_a_duplicate(client: httpx.AsyncClient,
                                                                                 write_key: str,
                                                                                 cairn: Cairn) -> None:
    message = {"userId": "u1", "event": "Paid", "messageId": "m1"}
    await segment(client, "track", message, write_key)
    again = await segment(client, "track", message, write_key)
    assert again.status_code == 200, again.text
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, [0])
    assert len(await events(cairn)) == 1


async def test_a_duplicate_is_not_counted_again_on_the_profile(client: httpx.AsyncClient, write_key: str,
                                                              cairn: Cairn) -> None:
    message = {"userId": "u1", "event": "Paid", "messageId": "m1"}
    for _ in range(3):
        await segment(client, "track", message, write_key)
    stats = (await profile_of(cairn, user_id="u1"))["stats"]
    assert (stats["events"], stats["event_types"]) == (1, {"Paid": 1})


async def test_a_message_id_repeated_inside_one_batch_is_stored_once(client: httpx.AsyncClient, write_key: str,
                                                                     cairn: Cairn) -> None:
    message = {"type": "track", "userId": "u1", "event": "Paid", "messageId": "m1"}
    reply = (await segment(client, "batch", {"batch": [message, message, {**message, "messageId": "m2"}]},
                           write_key)).json()
    assert (reply["stored"], reply["duplicates"]) == (2, [1])
    assert len(await events(cairn)) == 2


async def test_the_same_message_id_from_two_sources_is_two_events(client: httpx.AsyncClient, write_key: str,
                                                                  cairn: Cairn) -> None:
    other = await cairn.sources.create("mobile app")
    message = {"userId": "u1", "event": "Paid", "messageId": "m1"}
    await segment(client, "track", message, write_key)
    await segment(client, "track", message, other.write_key)
    assert len(await events(cairn)) == 2


async def test_received_at_is_stamped_by_the_server(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    before = datetime.now(UTC)
    await segment(client, "track", {"userId": "u1", "event": "Paid", "receivedAt": "2001-01-01T00:00:00Z"},
                  write_key)
    stored = await one_event(cairn)
    assert before - timedelta(milliseconds=1) <= stored["received_at"] <= datetime.now(UTC)


async def test_an_event_without_timestamp_happened_when_it_was_received(client: httpx.AsyncClient, write_key: str,
                                                                       cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid"}, write_key)
    stored = await one_event(cairn)
    assert stored["occurred_at"] == stored["received_at"]


async def test_a_past_timestamp_is_kept_as_the_time_the_event_happened(client: httpx.AsyncClient, write_key: str,
                                                                      cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid", "timestamp": "2026-01-02T03:04:05.678Z"},
                  write_key)
    assert (await one_event(cairn))["occurred_at"] == datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


async def test_a_timestamp_with_an_offset_or_without_one_is_read_as_utc(client: httpx.AsyncClient, write_key: str,
                                                                       cairn: Cairn) -> None:
    batch = [{"type": "track", "userId": "u1", "event": "Offset", "timestamp": "2026-01-02T05:00:00+02:00"},
             {"type": "track", "userId": "u1", "event": "Naive", "timestamp": "2026-01-02T03:00:00"}]
    await segment(client, "batch", {"batch": batch}, write_key)
    expected = datetime(2026, 1, 2, 3, tzinfo=UTC)
    assert {e["type"]: e["occurred_at"] for e in await events(cairn)} == {"Offset": expected, "Naive": expected}


async def test_client_clock_skew_is_corrected_from_sent_at(client: httpx.AsyncClient, write_key: str,
                                                           cairn: Cairn) -> None:
    device_ahead = timedelta(hours=3)
    happened = ago(minutes=10)
    await segment(client, "track", {"userId": "u1", "event": "Paid", "timestamp": iso(happened + device_ahead),
                                    "sentAt": iso(datetime.now(UTC) + device_ahead)}, write_key)
    assert abs((await one_event(cairn))["occurred_at"] - happened) < TOLERANCE


async def test_the_batch_sent_at_corrects_every_message_of_the_batch(client: httpx.AsyncClient, write_key: str,
                                                                     cairn: Cairn) -> None:
    device_behind = timedelta(days=2)
    batch = [{"type": "track", "userId": "u1", "event": f"E{m}", "timestamp": iso(ago(minutes=m) - device_behind)}
             for m in (30, 20)]
    await segment(client, "batch", {"batch": batch, "sentAt": iso(datetime.now(UTC) - device_behind)}, write_key)
    for minutes in (30, 20):
        stored = await one_event(cairn, type=f"E{minutes}")
        assert abs(stored["occurred_at"] - ago(minutes=minutes)) < TOLERANCE
        assert stored["sent_at"] is not None


async def test_a_timestamp_in_the_future_is_taken_as_the_receive_time_and_kept_as_sent(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid", "timestamp": "2999-01-01T00:00:00Z"},
                  write_key)
    stored = await one_event(cairn)
    assert stored["occurred_at"] == stored["received_at"]
    assert stored["original_timestamp"] == datetime(2999, 1, 1, tzinfo=UTC)
    profile = await profile_of(cairn, user_id="u1")
    assert profile["last_seen"] == stored["received_at"]


async def test_a_new_profile_is_first_and_last_seen_when_its_events_happened(client: httpx.AsyncClient,
                                                                            write_key: str, cairn: Cairn) -> None:
    batch = [{"type": "track", "userId": "u1", "event": "E", "timestamp": t}
             for t in ("2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z")]
    await segment(client, "batch", {"batch": batch}, write_key)
    profile = await profile_of(cairn, user_id="u1")
    assert profile["first_seen"] == datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert profile["last_seen"] == datetime(2026, 1, 1, 11, tzinfo=UTC)
