"""Right of access and right to erasure, end to end: real events, a merge, consents, messages."""

from __future__ import annotations

import json
from typing import Any

import httpx

from cairn.core.clock import utcnow
from cairn.core.consents import consent_service
from cairn.core.ingestion.event_store import pending_marks
from cairn.core.outbox import messaging_for
from cairn.core.privacy import erase_profile, erasures_of, export_profile, hash_profile_id
from cairn.core.runtime import Cairn
from tests.outbox.support import GraphQL, create_consent_type

EMAIL = "ada@example.com"


async def send(client: httpx.AsyncClient, write_key: str, call: str, **message: Any) -> None:
    response = await client.post(f"/v1/{call}", json=message, auth=(write_key, ""))
    assert response.status_code == 200, response.text


async def a_customer_with_history(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> tuple[str, str]:
    """Ada browses anonymously, then signs in on another device; the two profiles merge. Returns (live, merged)."""
    await create_consent_type(cairn, "offers")
    await send(client, write_key, "track", anonymousId="device-1", event="Product Viewed",
               properties={"sku": "X1"}, context={"ip": "203.0.113.7"})
    await send(client, write_key, "identify", anonymousId="device-2", userId="ada-42",
               traits={"email": EMAIL, "name": "Ada"})
    await send(client, write_key, "track", userId="ada-42", event="consent-granted",
               properties={"consentType": "offers"})
    await send(client, write_key, "alias", userId="ada-42", previousId="device-1")
    live = (await cairn.database.identities.find_one({"_id": "user:ada-42"}))["profile_id"]
    merged = (await cairn.database.profiles.find_one({"merged_into": live}))["_id"]
    await messaging_for(cairn).outbox.send("email", live, purpose="marketing",
                                           payload={"to": EMAIL, "subject": "Hi Ada", "text": "Hello"})
    await cairn.database.collection("flow_traces").insert_one({"_id": "trace-1", "profile_id": live,
                                                               "flow_id": "welcome"})
    await send(client, write_key, "identify", userId="someone-else", traits={"email": "bob@example.com"})
    return live, merged


async def test_the_export_holds_everything_stored_about_the_customer(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    live, merged = await a_customer_with_history(cairn, client, write_key)
    exported = await export_profile(cairn.database, merged)
    assert exported is not None
    json.dumps(exported)  # plain JSON all the way down
    assert exported["profile_id"] == live and exported["profile"]["traits"]["email"] == EMAIL
    assert [profile["id"] for profile in exported["merged_profiles"]] == [merged]
    assert {event["type"] for event in exported["events"]} == {"Product Viewed", "identify", "consent-granted",
                                                               "alias"}
    assert {session["profile_id"] for session in exported["sessions"]} == {live}
    assert {identity["id"] for identity in exported["identities"]} >= {"user:ada-42", "anon:device-1",
                                                                       "anon:device-2", f"email:{EMAIL}"}
    assert [(h["type_id"], h["granted"]) for h in exported["consent_history"]] == [("offers", True)]
    assert [entry["payload"]["subject"] for entry in exported["outbox"]] == ["Hi Ada"]
    assert [trace["id"] for trace in exported["flow_traces"]] == ["trace-1"]
    assert "bob@example.com" not in json.dumps(exported)
    assert await export_profile(cairn.database, "nobody") is None


async def test_erasure_deletes_everything_and_keeps_an_audit_record_without_personal_data(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    live, merged = await a_customer_with_history(cairn, client, write_key)
    await cairn.pipeline.drain()
    marks = pending_marks(cairn.database)
    await marks.insert_many([{"_id": "left-by-a-failed-request", "profile_id": merged, "lease_until": utcnow()},
                             {"_id": "someone-elses", "profile_id": "other", "lease_until": utcnow()}])
    report = await erase_profile(cairn.database, live, requested_by="cli")
    assert report is not None
    ids = [live, merged]
    for collection in ("events", "pending_events", "sessions", "identities", "consent_history", "outbox",
                       "flow_traces"):
        assert await cairn.database.collection(collection).count_documents({"profile_id": {"$in": ids}}) == 0
    assert report.counts["pending_events"] == 1
    assert [mark["_id"] async for mark in marks.find({})] == ["someone-elses"]
    assert await cairn.database.profiles.count_documents({"_id": {"$in": ids}}) == 0
    assert report.counts["profiles"] == 2 and report.counts["events"] == 4 and report.counts["outbox"] == 1

    [record] = await cairn.database.collection("erasures").find().to_list()
    text = json.dumps(record, default=str)
    for personal in (live, merged, EMAIL, "ada-42", "device-1", "Ada", "203.0.113.7"):
        assert personal not in text
    assert record["profile_hash"] == hash_profile_id(live) and record["merged_hashes"] == [hash_profile_id(merged)]
    assert record["requested_by"] == "cli" and record["erased_at"]
    assert [doc["_id"] for doc in await erasures_of(cairn.database, merged)] == [record["_id"]]

    assert await cairn.database.identities.find_one({"_id": "user:someone-else"}), "other customers stay"
    assert await export_profile(cairn.database, live) is None
    assert await erase_profile(cairn.database, live) is None
    await send(client, write_key, "track", userId="ada-42", event="Came Back")
    back = (await cairn.database.identities.find_one({"_id": "user:ada-42"}))["profile_id"]
    assert back not in ids, "a returning customer starts a new, empty profile"
    assert not (await consent_service(cairn).current(back))


async def test_export_and_erase_through_graphql(cairn: Cairn, client: httpx.AsyncClient, write_key: str,
                                                gql: GraphQL) -> None:
    live, merged = await a_customer_with_history(cairn, client, write_key)
    data = await gql.data("query($id: ID!) { exportProfile(profileId: $id) }", id=merged)
    exported = data["exportProfile"]
    assert exported["profile_id"] == live and len(exported["events"]) == 4
    assert exported["outbox"][0]["payload"]["to"] == EMAIL

    erase = """mutation($id: ID!) { eraseProfile(profileId: $id) { __typename
        ... on ProfileErased { erasureId profileHash mergedHashes counts } ... on NotFound { message } } }"""
    erased = (await gql.data(erase, id=live))["eraseProfile"]
    assert erased["__typename"] == "ProfileErased" and erased["profileHash"] == hash_profile_id(live)
    assert erased["counts"]["identities"] >= 4 and erased["counts"]["profiles"] == 2
    assert (await gql.data(erase, id=live))["eraseProfile"]["__typename"] == "NotFound"
    assert (await gql.data("query($id: ID!) { exportProfile(profileId: $id) }", id=live))["exportProfile"] is None
    record = await cairn.database.collection("erasures").find_one({"_id": erased["erasureId"]})
    assert record["requested_by"] == "graphql"
