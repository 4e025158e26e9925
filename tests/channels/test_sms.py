"""SMS: a real HTTP server plays the Twilio-compatible gateway, failures included."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

from cairn.core.consents import consent_service
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from tests.outbox.support import HttpReceiver, create_consent_type, create_profile, deliver, entry, set_channel


async def sms_customer(cairn: Cairn, receiver: HttpReceiver) -> None:
    await create_consent_type(cairn, "sms-offers", channels=("sms",), purposes=("marketing",))
    await create_profile(cairn, "p-sms", traits={"phone": "+33600000001"})
    await consent_service(cairn).change("p-sms", "sms-offers", True, source="test")
    await set_channel(cairn, "sms", base_url=receiver.url, account_sid="AC123", auth_token="tok3n",
                      from_number="+33700000000")


async def test_the_gateway_gets_a_twilio_shaped_request(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_customer(cairn, receiver)
    queued = await messaging_for(cairn).outbox.send("sms", "p-sms", purpose="marketing",
                                                    payload={"to": "+33600000001", "body": "-20% today"})
    await deliver(cairn)
    [request] = receiver.requests
    assert request.path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.body.decode()) == {"To": ["+33600000001"], "From": ["+33700000000"],
                                               "Body": ["-20% today"]}
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"AC123:tok3n").decode()
    assert request.headers["x-cairn-idempotency-key"] == queued.idempotency_key
    sent = await entry(cairn, queued.id)
    assert sent.status == Status.SENT and sent.result == {"provider_id": "SM1", "detail": {"status_code": 200}}


async def test_a_500_then_a_200_is_retried_and_sent_with_the_same_idempotency_key(
        cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_customer(cairn, receiver)
    receiver.script = [500]
    queued = await messaging_for(cairn).outbox.send("sms", "p-sms", purpose="marketing",
                                                    payload={"to": "+33600000001", "body": "hello"})
    await deliver(cairn)
    sent = await entry(cairn, queued.id)
    assert sent.status == Status.SENT and sent.attempts == 2
    assert [request.headers["x-cairn-idempotency-key"] for request in receiver.requests] == \
        [queued.idempotency_key] * 2
    assert [step["status"] for step in sent.history] == ["queued", "sending", "failed", "sending", "sent"]
    assert "HTTP 500" in sent.history[2]["note"]


async def test_a_gateway_that_always_fails_ends_in_the_dead_letter_state(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_customer(cairn, receiver)
    receiver.default = 503
    queued = await messaging_for(cairn).outbox.send("sms", "p-sms", purpose="marketing",
                                                    payload={"to": "+33600000001", "body": "hello"})
    await deliver(cairn)
    dead = await entry(cairn, queued.id)
    assert dead.status == Status.DEAD and dead.attempts == 3 == len(receiver.requests)
    assert "HTTP 503" in (dead.last_error or "")


async def test_a_4xx_answer_is_not_retried(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_customer(cairn, receiver)
    receiver.default = 400
    queued = await messaging_for(cairn).outbox.send("sms", "p-sms", purpose="marketing",
                                                    payload={"to": "+33600000001", "body": "hello"})
    await deliver(cairn)
    assert (await entry(cairn, queued.id)).status == Status.DEAD
    assert len(receiver.requests) == 1


async def test_a_429_is_retried(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_customer(cairn, receiver)
    receiver.script = [429, 429]
    queued = await messaging_for(cairn).outbox.send("sms", "p-sms", purpose="marketing",
                                                    payload={"to": "+33600000001", "body": "hello"})
    await deliver(cairn)
    assert (await entry(cairn, queued.id)).status == Status.SENT
    assert len(receiver.requests) == 3
