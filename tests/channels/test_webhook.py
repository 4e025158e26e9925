"""Webhooks: a real HTTP receiver checks the HMAC signature and sees a stable idempotency key."""

from __future__ import annotations

import hashlib
import hmac
import json

from cairn.core.consents import consent_service
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from cairn.plugins.channels.webhook import signature
from tests.outbox.support import HttpReceiver, create_consent_type, create_profile, deliver, entry, set_channel

SECRET = "shared-s3cret"


def verify(body: bytes, header: str, secret: str = SECRET) -> bool:
    """What a receiver does: recompute the HMAC-SHA256 of the raw body and compare in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


async def crm_customer(cairn: Cairn) -> None:
    await create_consent_type(cairn, "crm-sync", channels=("webhook",), purposes=("profiling",))
    await create_profile(cairn, "p-hook", traits={"email": "ada@example.com"})
    await consent_service(cairn).change("p-hook", "crm-sync", True, source="test")
    await set_channel(cairn, "webhook", secret=SECRET)


async def test_the_receiver_verifies_the_signature_of_the_raw_body(cairn: Cairn, receiver: HttpReceiver) -> None:
    await crm_customer(cairn)
    body = {"email": "ada@example.com", "tags": ["vip"], "$odd.key": 1}
    queued = await messaging_for(cairn).outbox.send("webhook", "p-hook", purpose="profiling",
                                                    payload={"url": f"{receiver.url}/crm", "body": body})
    await deliver(cairn)
    [request] = receiver.requests
    assert request.path == "/crm"
    assert request.headers["content-type"] == "application/json"
    assert verify(request.body, request.headers["x-cairn-signature"])
    assert not verify(request.body, request.headers["x-cairn-signature"], secret="another")
    assert json.loads(request.body) == body
    assert request.headers["x-cairn-idempotency-key"] == queued.idempotency_key
    assert request.headers["x-cairn-attempt"] == "1"
    assert signature(SECRET, request.body) == request.headers["x-cairn-signature"]
    assert (await entry(cairn, queued.id)).status == Status.SENT


async def test_retries_carry_the_same_key_and_body(cairn: Cairn, receiver: HttpReceiver) -> None:
    await crm_customer(cairn)
    receiver.script = [500, 502]
    queued = await messaging_for(cairn).outbox.send("webhook", "p-hook", purpose="profiling",
                                                    payload={"url": f"{receiver.url}/crm", "body": {"n": 1}})
    await deliver(cairn)
    assert (await entry(cairn, queued.id)).status == Status.SENT
    keys = {request.headers["x-cairn-idempotency-key"] for request in receiver.requests}
    bodies = {request.body for request in receiver.requests}
    assert keys == {queued.idempotency_key} and len(bodies) == 1
    assert [request.headers["x-cairn-attempt"] for request in receiver.requests] == ["1", "2", "3"]
    assert all(verify(request.body, request.headers["x-cairn-signature"]) for request in receiver.requests)


async def test_always_500_is_dead_after_the_last_try(cairn: Cairn, receiver: HttpReceiver) -> None:
    await crm_customer(cairn)
    receiver.default = 500
    queued = await messaging_for(cairn).outbox.send("webhook", "p-hook", purpose="profiling",
                                                    payload={"url": f"{receiver.url}/crm", "body": {}})
    await deliver(cairn)
    dead = await entry(cairn, queued.id)
    assert dead.status == Status.DEAD and dead.attempts == 3 and len(receiver.requests) == 3
    assert dead.next_attempt_at is None


async def test_without_a_secret_nothing_is_sent_unsigned(cairn: Cairn, receiver: HttpReceiver) -> None:
    await crm_customer(cairn)
    await set_channel(cairn, "webhook", secret=None)
    queued = await messaging_for(cairn).outbox.send("webhook", "p-hook", purpose="profiling",
                                                    payload={"url": f"{receiver.url}/crm", "body": {}})
    await deliver(cairn)
    failed = await entry(cairn, queued.id)
    assert failed.status == Status.DEAD and not receiver.requests
    assert "not configured" in (failed.last_error or "") and "secret" in (failed.last_error or "")
