"""The core refuses what consent does not allow, at enqueue and again at delivery, whatever the flow says."""

from __future__ import annotations

from datetime import timedelta

from cairn.core.clock import utcnow
from cairn.core.consents import consent_service
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from tests.outbox.support import HttpReceiver, create_consent_type, create_profile, deliver, entry, set_channel

SMS = {"to": "+33600000001", "body": "promo"}


async def setup(cairn: Cairn, receiver: HttpReceiver) -> None:
    await create_consent_type(cairn, "sms-offers", channels=("sms",), purposes=("marketing",), expires_after_days=30)
    await create_profile(cairn, "p1")
    await set_channel(cairn, "sms", base_url=receiver.url, account_sid="AC1", auth_token="t", from_number="+1")


async def test_missing_consent_is_refused_and_recorded(cairn: Cairn, receiver: HttpReceiver) -> None:
    await setup(cairn, receiver)
    refused = await messaging_for(cairn).outbox.send("sms", "p1", purpose="marketing", payload=SMS)
    assert refused.status == Status.REFUSED and refused.consent["code"] == "missing"
    assert refused.next_attempt_at is None
    assert await deliver(cairn) == 0 and not receiver.requests


async def test_revoked_consent_is_refused(cairn: Cairn, receiver: HttpReceiver) -> None:
    await setup(cairn, receiver)
    await consent_service(cairn).change("p1", "sms-offers", True, source="test")
    await consent_service(cairn).change("p1", "sms-offers", False, source="test")
    refused = await messaging_for(cairn).outbox.send("sms", "p1", purpose="marketing", payload=SMS)
    assert refused.status == Status.REFUSED and refused.consent["code"] == "revoked"


async def test_expired_consent_is_refused(cairn: Cairn, receiver: HttpReceiver) -> None:
    await setup(cairn, receiver)
    await consent_service(cairn).change("p1", "sms-offers", True, source="test", at=utcnow() - timedelta(days=31))
    record = (await consent_service(cairn).current("p1"))["sms-offers"]
    assert record["expires_at"] < utcnow(), "granted 31 days ago, the 30-day consent has lapsed"
    refused = await messaging_for(cairn).outbox.send("sms", "p1", purpose="marketing", payload=SMS)
    assert refused.status == Status.REFUSED and refused.consent["code"] == "expired"


async def test_a_consent_for_another_channel_or_purpose_does_not_count(cairn: Cairn, receiver: HttpReceiver) -> None:
    await setup(cairn, receiver)
    await create_consent_type(cairn, "newsletter", channels=("email",), purposes=("marketing",))
    await create_consent_type(cairn, "sms-analytics", channels=("sms",), purposes=("analytics",))
    for type_id in ("newsletter", "sms-analytics"):
        await consent_service(cairn).change("p1", type_id, True, source="test")
    refused = await messaging_for(cairn).outbox.send("sms", "p1", purpose="marketing", payload=SMS)
    assert refused.status == Status.REFUSED and refused.consent["consent_type"] == "sms-offers"
    unknown = await messaging_for(cairn).outbox.send("sms", "p1", purpose="surveys", payload=SMS)
    assert unknown.status == Status.REFUSED and "no consent type covers purpose 'surveys'" in unknown.last_error


async def test_transactional_messages_need_no_marketing_consent(cairn: Cairn, receiver: HttpReceiver) -> None:
    await setup(cairn, receiver)
    receipt = await messaging_for(cairn).outbox.send("sms", "p1", purpose="transactional", payload=SMS)
    assert receipt.status == Status.QUEUED and receipt.consent["code"] == "not_required"
    await deliver(cairn)
    assert (await entry(cairn, receipt.id)).status == Status.SENT and len(receiver.requests) == 1


async def test_a_consent_revoked_after_queuing_stops_the_delivery(cairn: Cairn, receiver: HttpReceiver) -> None:
    await setup(cairn, receiver)
    await consent_service(cairn).change("p1", "sms-offers", True, source="test")
    queued = await messaging_for(cairn).outbox.send("sms", "p1", purpose="marketing", payload=SMS)
    assert queued.status == Status.QUEUED
    await consent_service(cairn).change("p1", "sms-offers", False, source="test")
    await deliver(cairn)
    refused = await entry(cairn, queued.id)
    assert refused.status == Status.REFUSED and refused.consent["code"] == "revoked" and not receiver.requests
    assert [step["status"] for step in refused.history] == ["queued", "sending", "refused"]


async def test_a_message_for_a_profile_that_no_longer_exists_is_refused(cairn: Cairn, receiver: HttpReceiver) -> None:
    await setup(cairn, receiver)
    queued = await messaging_for(cairn).outbox.send("sms", "p1", purpose="transactional", payload=SMS)
    await cairn.database.profiles.delete_one({"_id": "p1"})
    await deliver(cairn)
    refused = await entry(cairn, queued.id)
    assert refused.status == Status.REFUSED and "no longer exists" in (refused.last_error or "")
