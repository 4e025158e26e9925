"""Consents change through events — consent-granted / consent-revoked and Segment's categoryPreferences —
saved with the events' own profile write, with an audit line each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from cairn.core.clock import utcnow
from cairn.core.consents import consent_service
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from tests.outbox.support import create_consent_type


async def track(client: httpx.AsyncClient, write_key: str, **message: Any) -> None:
    response = await client.post("/v1/track", json={"userId": "u1", **message}, auth=(write_key, ""))
    assert response.status_code == 200, response.text


async def profile_of(cairn: Cairn, user_id: str = "u1") -> dict[str, Any]:
    claim = await cairn.database.identities.find_one({"_id": f"user:{user_id}"})
    assert claim is not None
    profile = await cairn.pipeline.repository.get(claim["profile_id"])
    assert profile is not None
    return profile


async def test_consent_granted_and_revoked_events_change_the_profile_and_are_audited(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await create_consent_type(cairn, "newsletter", channels=("email",), expires_after_days=30)
    await track(client, write_key, event="consent-granted", properties={"consentType": "newsletter",
                                                                        "source": "widget"})
    profile = await profile_of(cairn)
    record = profile["consents"]["newsletter"]
    assert record["granted"] is True and record["source"] == "widget"
    assert record["event_id"] and timedelta(days=29) < record["expires_at"] - utcnow() <= timedelta(days=30)
    granted_by = await cairn.database.events.find_one({"_id": record["event_id"]})
    assert granted_by["type"] == "consent-granted"
    assert profile["stats"]["events"] == 1, "one save: the event's own changes and the consent together"

    await track(client, write_key, event="consent-revoked", properties={"type": "newsletter"})
    profile = await profile_of(cairn)
    assert profile["consents"]["newsletter"]["granted"] is False
    assert profile["consents"]["newsletter"]["expires_at"] is None
    history = await consent_service(cairn).history_of(profile["id"])
    assert [(h["type_id"], h["granted"], h["previous"], h["source"]) for h in history] == [
        ("newsletter", False, "granted", "event"), ("newsletter", True, "missing", "widget")]


async def test_segment_category_preferences_are_recorded_when_they_change(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await create_consent_type(cairn, "Advertising")
    await create_consent_type(cairn, "Analytics", purposes=("analytics",))
    consent = {"consent": {"categoryPreferences": {"Advertising": True, "Analytics": False, "Functional": True}}}
    for page in range(3):
        await track(client, write_key, event="Page Viewed", properties={"n": page}, context=consent)
    profile = await profile_of(cairn)
    assert {key: value["granted"] for key, value in profile["consents"].items()} == {
        "Advertising": True, "Analytics": False, "Functional": True}
    history = await consent_service(cairn).history_of(profile["id"])
    assert len(history) == 3, "the same preferences on every page add nothing to the history"
    unknown = next(h for h in history if h["type_id"] == "Functional")
    assert unknown["type_known"] is False and unknown["source"] == "segment-consent"

    await track(client, write_key, event="Page Viewed",
                context={"consent": {"categoryPreferences": {"Advertising": False, "Analytics": False}}})
    profile = await profile_of(cairn)
    assert profile["consents"]["Advertising"]["granted"] is False
    assert len(await consent_service(cairn).history_of(profile["id"])) == 4


async def test_a_consent_granted_in_a_batch_is_seen_by_a_message_queued_right_after(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await create_consent_type(cairn, "offers")
    response = await client.post("/v1/batch", auth=(write_key, ""), json={"batch": [
        {"type": "track", "userId": "u1", "event": "consent-granted", "properties": {"consentType": ["offers"]}},
        {"type": "identify", "userId": "u1", "traits": {"phone": "+33600000001"}},
    ]})
    assert response.status_code == 200, response.text
    profile = await profile_of(cairn)
    queued = await messaging_for(cairn).outbox.send("sms", profile["id"], purpose="marketing",
                                                    payload={"to": "+33600000001", "body": "hi"})
    assert queued.status == Status.QUEUED


async def test_events_that_arrive_out_of_order_leave_the_latest_decision(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await create_consent_type(cairn, "offers")
    now = utcnow()
    await track(client, write_key, event="consent-revoked", properties={"consentType": "offers"},
                timestamp=now.isoformat())
    await track(client, write_key, event="consent-granted", properties={"consentType": "offers"},
                timestamp=(now - timedelta(minutes=10)).isoformat())
    profile = await profile_of(cairn)
    assert profile["consents"]["offers"]["granted"] is False
    history = await consent_service(cairn).history_of(profile["id"])
    assert [h["outcome"] for h in history] == ["applied", "superseded"]


async def test_events_without_a_usable_type_change_nothing(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await track(client, write_key, event="consent-granted", properties={"consentType": {"not": "an id"}})
    await track(client, write_key, event="Page Viewed", context={"consent": {"categoryPreferences": "yes"}})
    profile = await profile_of(cairn)
    assert not profile.get("consents")
    assert await cairn.database.collection("consent_history").count_documents({}) == 0


async def test_processors_after_the_consent_processor_see_the_new_consents(cairn: Cairn) -> None:
    from cairn.core.consents.events import ConsentProcessor

    await create_consent_type(cairn, "offers")
    event = {"id": "e1", "type": "consent-granted", "profile_id": "p1", "occurred_at": utcnow(),
             "properties": {"consentType": "offers"}, "context": {}}
    profiles = {"p1": {"id": "p1", "traits": {}}}
    outcome = await ConsentProcessor(consent_service(cairn))([event], profiles)
    assert profiles["p1"]["consents"]["offers"]["granted"] is True, "changed in place for the flow engine"
    assert [change.type_id for change in outcome.changes["p1"]] == ["offers"]
    assert await cairn.database.collection("consent_history").count_documents({"event_id": "e1"}) == 1
    assert (await ConsentProcessor(consent_service(cairn))([{**event, "type": "Page Viewed"}], profiles)).changes == {}
