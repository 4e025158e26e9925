"""Profiles through GraphQL: by id (following merges), search, and paging."""

from __future__ import annotations

from cairn.core.runtime import Cairn
from tests.graphql.conftest import GraphQLClient, Tracker

PROFILE = """
query ($id: ID!) {
  profile(id: $id) {
    id version anonymousIds userIds identifiers { kind values } traits
    stats { events visits eventTypes { type count } }
    firstSeen lastSeen segments interests tags consents
    mergedFrom { profileId mergedAt reason }
    events(first: 50) { edges { cursor node { id type profileId properties } } pageInfo { hasNextPage endCursor } }
    sessions { edges { node { id eventCount startedAt lastActivityAt } } pageInfo { hasNextPage } }
  }
}"""

SEARCH = """
query ($search: ProfileSearchInput, $first: Int, $after: String) {
  profiles(search: $search, first: $first, after: $after) {
    edges { cursor node { id userIds traits } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def profile_id_of(api: GraphQLClient, **search: str) -> str:
    """The id of the one profile matching the search."""
    edges = (await api.data(SEARCH, search=search))["profiles"]["edges"]
    assert len(edges) == 1, edges
    return str(edges[0]["node"]["id"])


async def test_a_profile_is_read_by_id_with_traits_events_and_sessions(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("identify", userId="u1", traits={"email": " Ann@Example.com ", "plan": "pro",
                                                       "address": {"city": "Paris"}, "$odd.key": 1})
    await tracker.send("track", userId="u1", event="Order Completed", properties={"total": 12, "a.b": True})
    await tracker.send("page", userId="u1", name="Home")
    profile = (await api.data(PROFILE, id=await profile_id_of(api, userId="u1")))["profile"]

    assert profile["userIds"] == ["u1"]
    assert profile["traits"] == {"email": " Ann@Example.com ", "plan": "pro", "address": {"city": "Paris"},
                                 "$odd.key": 1}
    assert profile["identifiers"] == [{"kind": "email", "values": ["ann@example.com"]}]
    assert profile["stats"]["events"] == 3
    assert sorted(profile["stats"]["eventTypes"], key=lambda c: c["type"]) == [
        {"type": "Order Completed", "count": 1}, {"type": "identify", "count": 1}, {"type": "page", "count": 1}]
    assert profile["firstSeen"] <= profile["lastSeen"]
    events = [edge["node"] for edge in profile["events"]["edges"]]
    assert [event["type"] for event in events] == ["page", "Order Completed", "identify"]
    assert events[1]["properties"] == {"total": 12, "a.b": True}
    last_cursor = profile["events"]["edges"][-1]["cursor"]
    assert profile["events"]["pageInfo"] == {"hasNextPage": False, "endCursor": last_cursor}
    sessions = [edge["node"] for edge in profile["sessions"]["edges"]]
    assert len(sessions) == profile["stats"]["visits"] == 1
    assert sessions[0]["eventCount"] == 3


async def test_a_profile_events_can_be_filtered_by_type_and_paged(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.batch(*[{"type": "track", "userId": "u1", "event": "Viewed", "properties": {"n": n}}
                          for n in range(5)], {"type": "page", "userId": "u1"})
    query = """query ($id: ID!, $after: String) { profile(id: $id) {
      events(first: 2, type: "Viewed", after: $after) {
        edges { node { type properties } } pageInfo { hasNextPage endCursor } } } }"""
    profile_id = await profile_id_of(api, userId="u1")
    seen, after = [], None
    while True:
        events = (await api.data(query, id=profile_id, after=after))["profile"]["events"]
        seen += [edge["node"]["properties"]["n"] for edge in events["edges"]]
        if not events["pageInfo"]["hasNextPage"]:
            break
        after = events["pageInfo"]["endCursor"]
    assert sorted(seen) == [0, 1, 2, 3, 4]


async def test_an_unknown_profile_id_reads_as_null(api: GraphQLClient) -> None:
    assert (await api.data(PROFILE, id="no-such-profile"))["profile"] is None


async def test_a_merged_profile_id_leads_to_the_survivor_with_all_events_and_history(
        api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("track", anonymousId="a1", event="Viewed Product", properties={"sku": "X"})
    anonymous = await profile_id_of(api, anonymousId="a1")
    await tracker.send("identify", userId="u1", anonymousId="a9", traits={"name": "Ann"})
    known = await profile_id_of(api, userId="u1")
    assert known != anonymous
    await tracker.send("identify", userId="u1", anonymousId="a1")

    profile = (await api.data(PROFILE, id=anonymous))["profile"]
    assert profile["id"] == known
    assert sorted(profile["anonymousIds"]) == ["a1", "a9"]
    assert profile["traits"] == {"name": "Ann"}
    assert [record["profileId"] for record in profile["mergedFrom"]] == [anonymous]
    assert "u1" in profile["mergedFrom"][0]["reason"]
    assert sorted(edge["node"]["type"] for edge in profile["events"]["edges"]) == [
        "Viewed Product", "identify", "identify"]
    assert profile["stats"]["events"] == 3
    assert await profile_id_of(api, anonymousId="a1") == known


async def test_events_still_filed_under_a_merged_away_id_belong_to_the_survivor(
        api: GraphQLClient, tracker: Tracker, cairn: Cairn) -> None:
    await tracker.send("track", anonymousId="a1", event="Viewed Product")
    anonymous = await profile_id_of(api, anonymousId="a1")
    await tracker.send("identify", userId="u1", anonymousId="a9")
    await tracker.send("identify", userId="u1", anonymousId="a1")
    # An event written for the old id while the merge re-pointed the others.
    await cairn.database.events.update_one({"type": "Viewed Product"}, {"$set": {"profile_id": anonymous}})

    profile = (await api.data(PROFILE, id=anonymous))["profile"]
    owners = {edge["node"]["type"]: edge["node"]["profileId"] for edge in profile["events"]["edges"]}
    assert owners["Viewed Product"] == anonymous
    assert len(profile["events"]["edges"]) == 3
    events = (await api.data('query ($id: ID!) { events(filter: {profileId: $id}) { edges { node { type '
                             'profile { id } } } } }', id=profile["id"]))["events"]["edges"]
    assert len(events) == 3
    assert {edge["node"]["profile"]["id"] for edge in events} == {profile["id"]}


async def test_profiles_are_found_by_email_identifier_whatever_its_case(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("identify", userId="u1", traits={"email": "Ann@Example.com"})
    await tracker.send("identify", userId="u2", traits={"email": "bob@example.com"})
    found = await api.data(SEARCH, search={"identifier": "  ANN@example.COM"})
    assert [edge["node"]["userIds"] for edge in found["profiles"]["edges"]] == [["u1"]]
    assert (await api.data(SEARCH, search={"identifier": "nobody@example.com"}))["profiles"]["edges"] == []


async def test_profiles_are_found_by_trait_even_with_dots_and_dollars_in_its_name(
        api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("identify", userId="u1", traits={"plan": "pro", "$score.v2": 7})
    await tracker.send("identify", userId="u2", traits={"plan": "free", "$score.v2": 3})
    by_plan = await api.data(SEARCH, search={"trait": {"name": "plan", "value": "pro"}})
    assert [edge["node"]["userIds"] for edge in by_plan["profiles"]["edges"]] == [["u1"]]
    by_odd_key = await api.data('{ profiles(search: {trait: {name: "$score.v2", value: 3}}) '
                                '{ edges { node { userIds } } } }')
    assert [edge["node"]["userIds"] for edge in by_odd_key["profiles"]["edges"]] == [["u2"]]


async def test_search_criteria_combine_and_merged_tombstones_are_left_out(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("track", anonymousId="a1", event="Viewed")
    await tracker.send("identify", userId="u1", anonymousId="a9", traits={"plan": "pro"})
    await tracker.send("identify", userId="u1", anonymousId="a1")
    await tracker.send("identify", userId="u2", traits={"plan": "pro"})
    everyone = (await api.data(SEARCH))["profiles"]["edges"]
    assert sorted(edge["node"]["userIds"][0] for edge in everyone) == ["u1", "u2"]
    both = await api.data(SEARCH, search={"trait": {"name": "plan", "value": "pro"}, "anonymousId": "a1"})
    assert [edge["node"]["userIds"] for edge in both["profiles"]["edges"]] == [["u1"]]


async def test_paging_through_profiles_visits_each_once(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.batch(*[{"type": "identify", "userId": f"u{n}", "traits": {"n": n}} for n in range(7)])
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = (await api.data(SEARCH, first=3, after=after))["profiles"]
        seen += [edge["node"]["userIds"][0] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3
    assert sorted(seen) == sorted(f"u{n}" for n in range(7))
    assert len(seen) == len(set(seen))


async def test_profiles_are_found_by_phone_number_whatever_its_punctuation(
        api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("identify", userId="u1", traits={"phone": "+33 6 12 34 56 78"})
    found = await api.data(SEARCH, search={"identifier": "+33-6-12-34-56-78"})
    assert [edge["node"]["userIds"] for edge in found["profiles"]["edges"]] == [["u1"]]


async def test_a_user_id_leads_to_the_survivor_of_a_merge_even_while_its_claim_names_the_merged_away_profile(
        api: GraphQLClient, tracker: Tracker, cairn: Cairn) -> None:
    await tracker.send("track", anonymousId="a1", event="Viewed")
    anonymous = await profile_id_of(api, anonymousId="a1")
    await tracker.send("identify", userId="u1", anonymousId="a9", traits={"email": "ann@example.com"})
    await tracker.send("identify", userId="u1", anonymousId="a1")
    await tracker.send("identify", userId="u2", traits={"email": "bob@example.com"})
    survivor = await profile_id_of(api, userId="u1")
    assert survivor != anonymous
    # As while a merge re-points the claims: the claim still names the tombstone.
    await cairn.database.identities.update_one({"_id": "user:u1"}, {"$set": {"profile_id": anonymous}})

    assert await profile_id_of(api, userId="u1") == survivor
    both = await api.data(SEARCH, search={"userId": "u1", "identifier": "ANN@example.com"})
    assert [edge["node"]["id"] for edge in both["profiles"]["edges"]] == [survivor]
    for search in ({"userId": "u1", "identifier": "bob@example.com"}, {"userId": "u2", "anonymousId": "a1"},
                   {"userId": "nobody"}):
        assert (await api.data(SEARCH, search=search))["profiles"]["edges"] == [], search


async def test_a_user_id_search_pages_like_any_other(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.batch(*[{"type": "identify", "userId": f"u{n}"} for n in range(3)])
    empty = (await api.data(SEARCH, search={"userId": "u1"}, first=0))["profiles"]
    assert empty == {"edges": [], "pageInfo": {"hasNextPage": True, "endCursor": None}}
    first = (await api.data(SEARCH, search={"userId": "u1"}, first=1))["profiles"]
    assert [edge["node"]["userIds"] for edge in first["edges"]] == [["u1"]]
    assert first["pageInfo"]["hasNextPage"] is False
    after = first["pageInfo"]["endCursor"]
    assert (await api.data(SEARCH, search={"userId": "u1"}, after=after))["profiles"]["edges"] == []


async def test_an_anonymous_id_finds_every_customer_seen_on_that_device(api: GraphQLClient, tracker: Tracker) -> None:
    """Only the first customer holds the device's claim: the search reads ``anonymous_ids`` (indexed)."""
    await tracker.send("identify", userId="u1", anonymousId="shared")
    await tracker.send("identify", userId="u2", anonymousId="shared")
    found = await api.data(SEARCH, search={"anonymousId": "shared"})
    assert sorted(edge["node"]["userIds"][0] for edge in found["profiles"]["edges"]) == ["u1", "u2"]


async def test_profile_searches_and_listings_are_backed_by_indexes(cairn: Cairn) -> None:
    indexed = [list(dict(index["key"])) for index in (await cairn.database.profiles.index_information()).values()]
    for keys in (["merged_into", "last_seen", "_id"], ["anonymous_ids"], ["identifiers.email"],
                 ["identifiers.phone"]):
        assert keys in indexed
    for retired in (["user_ids"], ["merged_into"], ["last_seen"]):
        assert retired not in indexed
