"""Session documents are written when a visit starts or moves on a window, not for every event of it."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import httpx
import pytest

from cairn.core.ingestion.sessions import ACTIVITY_WINDOW, continues_recorded_visit
from cairn.core.runtime import Cairn
from tests.ingestion.helpers import ago, events, iso, profile_of, segment, session_of

T = ago(hours=2).astimezone(UTC).replace(second=0, microsecond=0)
"""The start of a minute (an activity window), two hours ago."""


@pytest.fixture
def view(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> Any:
    """Track a page view of the visitor ``a1`` at ``T + seconds``; return the stored session document."""

    async def send(seconds: float) -> dict[str, Any]:
        at = T + timedelta(seconds=seconds)
        response = await segment(client, "track", {"anonymousId": "a1", "event": "Viewed", "timestamp": iso(at)},
                                 write_key)
        assert response.status_code == 200, response.text
        [event] = await events(cairn, occurred_at=at)
        session = await cairn.database.sessions.find_one({"_id": event["session_id"]})
        assert session is not None
        return dict(session)

    return send


async def test_an_event_continuing_the_visit_within_the_window_writes_no_session(view: Any, cairn: Cairn) -> None:
    first = await view(5)
    assert "event_count" not in first
    assert await view(20) == first
    assert await view(59) == first
    session = await session_of(cairn, first["_id"])
    assert session.event_count == 3
    assert session.last_activity_at == T + timedelta(seconds=59)
    assert (await profile_of(cairn, anonymous_id="a1"))["stats"]["visits"] == 1


async def test_an_event_in_a_later_window_moves_the_last_activity(view: Any, cairn: Cairn) -> None:
    first = await view(5)
    assert (await view(30))["last_activity_at"] == T + timedelta(seconds=5)
    moved = await view(95)
    assert moved["_id"] == first["_id"]
    assert (moved["started_at"], moved["last_activity_at"]) == (T + timedelta(seconds=5), T + timedelta(seconds=95))
    assert (await session_of(cairn, first["_id"])).event_count == 3


async def test_the_stored_last_activity_never_lags_a_minute_behind_however_often_events_come(
        view: Any, cairn: Cairn) -> None:
    for seconds in range(0, 200, 20):
        stored = await view(seconds)
        assert T + timedelta(seconds=seconds) - stored["last_activity_at"] < ACTIVITY_WINDOW
    assert (await session_of(cairn, stored["_id"])).event_count == 10


async def test_an_earlier_event_of_the_visit_still_moves_its_start(view: Any) -> None:
    await view(30)
    assert (await view(10))["started_at"] == T + timedelta(seconds=10)


async def test_a_visit_after_thirty_minutes_of_silence_starts_a_session_and_counts(view: Any, cairn: Cairn) -> None:
    first = await view(5)
    second = await view(5 + 31 * 60)
    assert second["_id"] != first["_id"]
    assert second["started_at"] == second["last_activity_at"] == T + timedelta(seconds=5 + 31 * 60)
    assert (await profile_of(cairn, anonymous_id="a1"))["stats"]["visits"] == 2
    assert [(await session_of(cairn, doc["_id"])).event_count for doc in (first, second)] == [1, 1]


@pytest.mark.parametrize(("session_id", "seconds", "skipped"), [
    ("s1", 30, True),     # the current visit, later in last_seen's window
    ("s1", 10, True),     # exactly at last_seen
    ("s1", 60, False),    # the next window: last_activity_at moves
    ("s1", 5, False),     # older than last_seen: started_at may move
    ("s2", 30, False),    # another visit: it may start now
])
def test_which_events_skip_the_session_write(session_id: str, seconds: int, skipped: bool) -> None:
    profile = {"last_session_id": "s1", "last_seen": T + timedelta(seconds=10)}
    event = {"session_id": session_id, "occurred_at": T + timedelta(seconds=seconds)}
    assert continues_recorded_visit(event, profile) is skipped
    assert not continues_recorded_visit(event, {}) and not continues_recorded_visit(event, None)
