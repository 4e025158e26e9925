"""A profile's sessions through GraphQL: event counts and last activity computed when read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cairn.core.ingestion.sessions import ACTIVITY_WINDOW
from cairn.core.runtime import Cairn
from tests.graphql.conftest import GraphQLClient, Tracker
from tests.ingestion.helpers import ago, iso, profile_id_of

SESSIONS = """
query ($id: ID!, $first: Int, $after: String) {
  profile(id: $id) {
    lastSeen
    sessions(first: $first, after: $after) {
      edges { node { id profileId eventCount startedAt lastActivityAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
T = ago(hours=3).astimezone(UTC).replace(second=0, microsecond=0)


def at(seconds: float) -> str:
    """``T + seconds`` as a Segment timestamp."""
    return iso(T + timedelta(seconds=seconds))


def parsed(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def sessions_of(api: GraphQLClient, profile_id: str, first: int = 20) -> list[dict[str, Any]]:
    """Every session of the profile, paging ``first`` at a time."""
    found, after = [], None
    while True:
        page = (await api.data(SESSIONS, id=profile_id, first=first, after=after))["profile"]["sessions"]
        found += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("page_size", [1, 20])
async def test_each_session_counts_its_own_events(api: GraphQLClient, tracker: Tracker, cairn: Cairn,
                                                  page_size: int) -> None:
    for seconds in (0, 10, 20):
        await tracker.send("track", anonymousId="a1", event="Viewed", timestamp=at(seconds))
    for seconds in (3600, 3605):
        await tracker.send("track", anonymousId="a1", event="Viewed", timestamp=at(seconds))
    profile_id = await profile_id_of(cairn, anonymous_id="a1")
    sessions = await sessions_of(api, profile_id, page_size)
    assert [s["eventCount"] for s in sessions] == [2, 3]
    current, earlier = (parsed(s["lastActivityAt"]) for s in sessions)
    assert current == T + timedelta(seconds=3605)
    assert T + timedelta(seconds=20) - ACTIVITY_WINDOW < earlier <= T + timedelta(seconds=20)


async def test_the_current_visit_shows_its_exact_last_activity_while_the_stored_one_lags(
        api: GraphQLClient, tracker: Tracker, cairn: Cairn) -> None:
    for seconds in (1, 50):
        await tracker.send("track", anonymousId="a1", event="Viewed", timestamp=at(seconds))
    profile_id = await profile_id_of(cairn, anonymous_id="a1")
    [session] = await sessions_of(api, profile_id)
    stored = await cairn.database.sessions.find_one({"_id": session["id"]})
    assert stored is not None and stored["last_activity_at"] == T + timedelta(seconds=1)
    assert parsed(session["lastActivityAt"]) == T + timedelta(seconds=50)
    assert session["eventCount"] == 2


async def test_the_sessions_of_a_merged_profile_keep_their_counts_on_the_survivor(
        api: GraphQLClient, tracker: Tracker, cairn: Cairn) -> None:
    await tracker.send("identify", userId="u1", anonymousId="laptop", timestamp=at(0))
    for seconds in (7200, 7210):
        await tracker.send("track", anonymousId="phone", event="Viewed", timestamp=at(seconds))
    await tracker.send("identify", userId="u1", anonymousId="phone", timestamp=at(7220))
    survivor = await profile_id_of(cairn, user_id="u1")
    sessions = await sessions_of(api, survivor)
    assert {s["profileId"] for s in sessions} == {survivor}
    assert sorted(s["eventCount"] for s in sessions) == [1, 3]
