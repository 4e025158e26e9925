"""Events through GraphQL: filters, newest-first paging, and counts by type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.graphql.conftest import GraphQLClient, Tracker

EVENTS = """
query ($filter: EventFilterInput, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id type kind sourceId userId occurredAt properties context source { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""

DAY = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def at(hours: int) -> str:
    return (DAY + timedelta(hours=hours)).isoformat()


async def test_events_are_listed_newest_first_with_their_source(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.batch({"type": "track", "userId": "u1", "event": "First", "timestamp": at(0)},
                        {"type": "track", "userId": "u1", "event": "Second", "timestamp": at(1)},
                        {"type": "page", "userId": "u1", "timestamp": at(2), "properties": {"path": "/"}})
    events = [edge["node"] for edge in (await api.data(EVENTS))["events"]["edges"]]
    assert [event["type"] for event in events] == ["page", "Second", "First"]
    assert events[0]["kind"] == "page"
    assert events[0]["properties"] == {"path": "/"}
    assert events[0]["occurredAt"] == at(2)
    assert events[0]["source"] == {"id": events[0]["sourceId"], "name": "test website"}
    assert isinstance(events[0]["context"], dict)


async def test_events_are_filtered_by_type_and_time(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.batch(*[{"type": "track", "userId": "u1", "event": "Viewed" if n % 2 else "Bought",
                           "timestamp": at(n)} for n in range(6)])
    by_type = (await api.data(EVENTS, filter={"type": "Bought"}))["events"]["edges"]
    assert [edge["node"]["occurredAt"] for edge in by_type] == [at(4), at(2), at(0)]
    in_range = (await api.data(EVENTS, filter={"from": at(1), "to": at(4)}))["events"]["edges"]
    assert [edge["node"]["occurredAt"] for edge in in_range] == [at(3), at(2), at(1)]
    both = (await api.data(EVENTS, filter={"type": "Viewed", "from": at(2)}))["events"]["edges"]
    assert [edge["node"]["occurredAt"] for edge in both] == [at(5), at(3)]


async def test_events_are_filtered_by_source_and_profile(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("track", userId="u1", event="A")
    await tracker.send("track", userId="u2", event="B")
    source_id = (await api.data("{ sources { id } }"))["sources"][0]["id"]
    assert len((await api.data(EVENTS, filter={"sourceId": source_id}))["events"]["edges"]) == 2
    assert (await api.data(EVENTS, filter={"sourceId": "other"}))["events"]["edges"] == []
    profile_id = (await api.data('{ profiles(search: {userId: "u2"}) { edges { node { id } } } }')
                  )["profiles"]["edges"][0]["node"]["id"]
    by_profile = (await api.data(EVENTS, filter={"profileId": profile_id}))["events"]["edges"]
    assert [edge["node"]["type"] for edge in by_profile] == ["B"]


async def test_paging_through_events_visits_each_once_even_with_equal_times(
        api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.batch(*[{"type": "track", "userId": "u1", "event": f"E{n}", "timestamp": at(n // 3)}
                          for n in range(10)])
    seen: list[str] = []
    after = None
    while True:
        page = (await api.data(EVENTS, first=4, after=after))["events"]
        seen += [edge["node"]["type"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(f"E{n}" for n in range(10))
    assert len(seen) == len(set(seen))


async def test_event_types_are_counted_within_the_time_range(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.batch(*[{"type": "track", "userId": "u1", "event": "Viewed", "timestamp": at(n)} for n in range(3)],
                        {"type": "track", "userId": "u1", "event": "Bought", "timestamp": at(1)},
                        {"type": "page", "userId": "u1", "timestamp": at(5)})
    counts = (await api.data("{ eventTypes { type count } }"))["eventTypes"]
    assert counts == [{"type": "Viewed", "count": 3}, {"type": "Bought", "count": 1}, {"type": "page", "count": 1}]
    ranged = (await api.data("query ($from: DateTime, $to: DateTime) { eventTypes(from: $from, to: $to) "
                             "{ type count } }", **{"from": at(1), "to": at(2)}))["eventTypes"]
    assert ranged == [{"type": "Bought", "count": 1}, {"type": "Viewed", "count": 1}]
