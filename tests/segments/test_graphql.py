"""The segments API in GraphQL: CRUD, refused conditions, preview, members, sizes, history and jobs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from cairn.core.runtime import Cairn
from cairn.core.segments import SegmentService
from tests.graphql.conftest import GraphQLClient, Tracker
from tests.segments.conftest import profile_of

CREATE = """
mutation($name: String!, $condition: String!, $description: String! = "") {
  createSegment(name: $name, condition: $condition, description: $description) {
    __typename
    ... on SegmentSaved { segment { id name description condition enabled revision lastError { message at } }
                          job { id mode status reason } }
    ... on InvalidCondition { message position end line column expected hint }
    ... on InvalidInput { message errors { field message } }
  }
}"""
PREVIEW = """
query($condition: String!, $first: Int, $after: String) {
  segmentPreview(condition: $condition, first: $first, after: $after) {
    __typename
    ... on SegmentPreview { mode count exact scanned
                            profiles { edges { node { userIds } } pageInfo { hasNextPage endCursor } } }
    ... on InvalidCondition { message position line column hint }
  }
}"""


async def customers(tracker: Tracker, count: int = 6) -> None:
    """``c0``…``c<count-1>``, aged 20 + 5n, ``c<n>`` seen after ``c<n-1>``; ``c<even>`` bought something."""
    for n in range(count):
        messages: list[dict[str, Any]] = [{"type": "identify", "userId": f"c{n}", "traits": {"age": 20 + 5 * n}}]
        if n % 2 == 0:
            messages.append({"type": "track", "userId": f"c{n}", "event": "purchase"})
        await tracker.batch(*messages)


async def create(api: GraphQLClient, name: str, condition: str, **variables: Any) -> dict[str, Any]:
    return (await api.data(CREATE, name=name, condition=condition, **variables))["createSegment"]


async def preview_users(api: GraphQLClient, condition: str, first: int) -> tuple[dict[str, Any], list[list[str]]]:
    """The first preview page's summary, and the user ids of every page, paging ``first`` at a time."""
    pages, after, summary = [], None, None
    while True:
        result = (await api.data(PREVIEW, condition=condition, first=first, after=after))["segmentPreview"]
        summary = summary or result
        connection = result["profiles"]
        pages.append([user for edge in connection["edges"] for user in edge["node"]["userIds"]])
        if not connection["pageInfo"]["hasNextPage"]:
            return summary, pages
        after = connection["pageInfo"]["endCursor"]


async def test_segments_are_created_read_updated_and_deleted(api: GraphQLClient, segments: SegmentService,
                                                             tracker: Tracker) -> None:
    await customers(tracker)
    created = await create(api, "Over 30", "profile.traits.age > 30", description="for the wine club")
    assert created["__typename"] == "SegmentSaved"
    segment = created["segment"]
    assert (segment["name"], segment["description"], segment["enabled"]) == ("Over 30", "for the wine club", True)
    assert (created["job"]["mode"], created["job"]["reason"]) == ("QUERY", "created")
    await segments.wait_idle()

    listed = await api.data("{ segments { id name size latestJob { status progress total processed entered } } }")
    assert listed["segments"] == [{"id": segment["id"], "name": "Over 30", "size": 3, "latestJob": {
        "status": "DONE", "progress": 1.0, "total": 3, "processed": 3, "entered": 3}}]

    renamed = (await api.data("""mutation($id: ID!) { updateSegment(id: $id, name: "Wine club") {
        ... on SegmentSaved { segment { name revision } job { id } } } }""", id=segment["id"]))["updateSegment"]
    assert renamed == {"segment": {"name": "Wine club", "revision": 1}, "job": None}

    changed = (await api.data("""mutation($id: ID!) { updateSegment(id: $id, condition: "profile.traits.age > 40") {
        ... on SegmentSaved { segment { revision } job { reason } } } }""", id=segment["id"]))["updateSegment"]
    assert changed == {"segment": {"revision": 2}, "job": {"reason": "updated"}}
    await segments.wait_idle()
    assert (await api.data("query($id: ID!) { segment(id: $id) { size } }", id=segment["id"]))["segment"]["size"] == 1

    deleted = await api.data("""mutation($id: ID!) { deleteSegment(id: $id) {
        __typename ... on SegmentDeleted { id } } }""", id=segment["id"])
    assert deleted["deleteSegment"] == {"__typename": "SegmentDeleted", "id": segment["id"]}
    assert (await api.data("query($id: ID!) { segment(id: $id) { id } }", id=segment["id"]))["segment"] is None
    again = await api.data("""mutation($id: ID!) { deleteSegment(id: $id) { __typename } }""", id=segment["id"])
    assert again["deleteSegment"]["__typename"] == "NotFound"


async def test_a_bad_condition_is_refused_with_its_position(api: GraphQLClient, cairn: Cairn) -> None:
    refused = await create(api, "Broken", "profile.traits.age >= 18 and\n  profile.traits.country = 'FR'")
    assert refused == {"__typename": "InvalidCondition", "message": "Unexpected '='", "position": 54, "end": 55,
                       "line": 2, "column": 26, "expected": refused["expected"], "hint": "did you mean `==`?"}

    unknown = await create(api, "Typo", 'event_count("purchase", 30d) >= 1')
    assert (unknown["__typename"], unknown["position"], unknown["column"]) == ("InvalidCondition", 0, 1)
    assert "events_count" in unknown["hint"]

    window = await create(api, "Window", 'events_count("purchase", profile.traits.days) >= 1')
    assert (window["message"], window["position"]) == ("The window of events_count() must be a duration", 25)

    assert await cairn.database.collection("segments").count_documents({}) == 0

    problems = await api.data('{ segmentConditionProblems(condition: "foo.bar == 1 and lower(1, 2)") '
                              "{ message position } }")
    assert problems["segmentConditionProblems"] == [
        {"message": "Unknown name 'foo'", "position": 0},
        {"message": "Wrong number of arguments for lower()", "position": 17}]


async def test_a_segment_name_must_be_unique_and_not_empty(api: GraphQLClient) -> None:
    await create(api, "VIP", "profile.traits.vip == true")
    taken = await create(api, "VIP", "profile.traits.vip == true")
    empty = await create(api, "  ", "profile.traits.vip == true")

    assert taken["__typename"] == "InvalidInput" and taken["errors"][0]["field"] == "name"
    assert "already named 'VIP'" in taken["errors"][0]["message"]
    assert empty["errors"] == [{"field": "name", "message": "a segment needs a name"}]


async def test_a_translatable_condition_is_previewed_by_the_store(api: GraphQLClient, tracker: Tracker) -> None:
    await customers(tracker)

    summary, pages = await preview_users(api, "profile.traits.age >= 25", first=2)

    assert (summary["mode"], summary["count"], summary["exact"], summary["scanned"]) == ("QUERY", 5, True, None)
    assert pages == [["c5", "c4"], ["c3", "c2"], ["c1"]]


async def test_an_event_history_condition_is_previewed_by_evaluating_profiles(api: GraphQLClient,
                                                                              tracker: Tracker) -> None:
    await customers(tracker)

    summary, pages = await preview_users(api, 'events_count("purchase", 7d) >= 1', first=2)

    assert (summary["mode"], summary["count"], summary["exact"], summary["scanned"]) == ("STREAM", 3, True, 6)
    assert pages == [["c4", "c2"], ["c0"]]


async def test_a_streamed_preview_reads_at_most_its_scan_limit(api: GraphQLClient, segments: SegmentService,
                                                                tracker: Tracker) -> None:
    await customers(tracker)
    segments.options = replace(segments.options, preview_scan_limit=4)

    summary, pages = await preview_users(api, 'events_count("purchase", 7d) >= 1', first=10)

    assert (summary["count"], summary["exact"], summary["scanned"]) == (2, False, 4), "a lower bound"
    assert pages == [["c4", "c2"]], "from the most recently seen profiles"


async def test_a_preview_of_a_bad_condition_says_where_the_problem_is(api: GraphQLClient) -> None:
    result = (await api.data(PREVIEW, condition="profile.traits.age >=", first=5))["segmentPreview"]

    assert (result["__typename"], result["position"], result["line"], result["column"]) == \
        ("InvalidCondition", 21, 1, 22)


async def test_members_are_paged_most_recently_seen_first(api: GraphQLClient, segments: SegmentService,
                                                          tracker: Tracker) -> None:
    await customers(tracker)
    segment = (await create(api, "Buyers", 'events_count("purchase") >= 1'))["segment"]
    await segments.wait_idle()
    query = """query($id: ID!, $after: String) { segment(id: $id) { members(first: 2, after: $after) {
        edges { node { userIds segments } } pageInfo { hasNextPage endCursor } } } }"""

    first = (await api.data(query, id=segment["id"]))["segment"]["members"]
    rest = (await api.data(query, id=segment["id"], after=first["pageInfo"]["endCursor"]))["segment"]["members"]

    assert [edge["node"]["userIds"] for edge in first["edges"]] == [["c4"], ["c2"]]
    assert [edge["node"]["userIds"] for edge in rest["edges"]] == [["c0"]]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert all(edge["node"]["segments"] == [segment["id"]] for edge in first["edges"])


async def test_size_history_job_progress_and_a_profiles_segment_history(
        api: GraphQLClient, cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    await customers(tracker)
    created = await create(api, "Over 30", "profile.traits.age > 30")
    await segments.wait_idle()
    segment_id = created["segment"]["id"]
    await api.data("""mutation($id: ID!) { updateSegment(id: $id, condition: "profile.traits.age > 35") {
        __typename } }""", id=segment_id)
    await segments.wait_idle()

    sizes = await api.data("query($id: ID!) { segment(id: $id) { sizeHistory { at size } } }", id=segment_id)
    assert [sample["size"] for sample in sizes["segment"]["sizeHistory"]] == [3, 2]

    job = await api.data("""query($id: ID!) { segmentJob(id: $id) {
        segmentId mode status reason total processed entered left progress startedAt finishedAt error } }""",
                         id=created["job"]["id"])
    assert job["segmentJob"] | {"startedAt": None, "finishedAt": None} == {
        "segmentId": segment_id, "mode": "QUERY", "status": "DONE", "reason": "created", "total": 3,
        "processed": 3, "entered": 3, "left": 0, "progress": 1.0, "startedAt": None, "finishedAt": None,
        "error": None}

    profile = await profile_of(cairn, "c3")
    history = await api.data("""query($id: ID!) { profileSegmentHistory(profileId: $id, first: 10) {
        edges { node { segmentName change reason } } } }""", id=profile["id"])
    assert [edge["node"] for edge in history["profileSegmentHistory"]["edges"]] == [
        {"segmentName": "Over 30", "change": "LEFT", "reason": "updated"},
        {"segmentName": "Over 30", "change": "ENTERED", "reason": "created"}]


async def test_recomputing_on_demand_reports_a_job(api: GraphQLClient, segments: SegmentService,
                                                   tracker: Tracker) -> None:
    await customers(tracker)
    segment_id = (await create(api, "Everyone", "profile.id exists"))["segment"]["id"]
    await segments.wait_idle()

    result = await api.data("""mutation($id: ID!) { recomputeSegment(id: $id) {
        __typename ... on SegmentRecomputing { job { reason mode } } } }""", id=segment_id)
    await segments.wait_idle()

    assert result["recomputeSegment"] == {"__typename": "SegmentRecomputing", "job": {"reason": "manual",
                                                                                       "mode": "QUERY"}}
    missing = await api.data('mutation { recomputeSegment(id: "nope") { __typename } }')
    assert missing["recomputeSegment"]["__typename"] == "NotFound"


async def test_the_segments_api_needs_an_admin_token(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ segments { id } }"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
