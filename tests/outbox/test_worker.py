"""The worker: leases, killed workers, several workers, the embedded worker, retries and tasks."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from cairn.core.clock import utcnow
from cairn.core.outbox import (
    OutboxEntry,
    PermanentDeliveryError,
    RetryableDeliveryError,
    Status,
    messaging_for,
    run_worker,
)
from cairn.core.outbox.settings import OutboxSettings
from cairn.core.outbox.worker import Worker
from cairn.core.runtime import Cairn
from tests.outbox.support import (
    HttpReceiver,
    create_profile,
    deliver,
    entry,
    plugin_manager,
    set_channel,
    smtp_server,
    wait_for_status,
)
from tests.support.server import serve_cairn

SMS = {"to": "+33600000001", "body": "your code is 1234"}


async def sms_ready(cairn: Cairn, receiver: HttpReceiver) -> None:
    await create_profile(cairn, "p1")
    await set_channel(cairn, "sms", base_url=receiver.url, account_sid="AC1", auth_token="t", from_number="+1")


async def test_an_entry_left_sending_by_a_killed_worker_is_delivered_once_after_its_lease(
        cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_ready(cairn, receiver)
    queued = await messaging_for(cairn).outbox.send("sms", "p1", purpose="transactional", payload=SMS)
    killed = Worker(messaging_for(cairn), name="killed-worker")
    [claimed] = await killed.claim()
    assert claimed["status"] == "sending" and claimed["lease_owner"] == "killed-worker"
    # the worker dies here, mid-delivery: the entry stays `sending` under its lease
    assert await deliver(cairn) == 0, "a live lease keeps other workers away"
    await messaging_for(cairn).outbox.collection.update_one(
        {"_id": queued.id}, {"$set": {"lease_until": utcnow() - timedelta(seconds=1)}})
    assert await deliver(cairn) == 1
    assert await deliver(cairn) == 0
    sent = await entry(cairn, queued.id)
    assert sent.status == Status.SENT and sent.attempts == 2 and len(receiver.requests) == 1
    assert receiver.requests[0].headers["x-cairn-idempotency-key"] == queued.idempotency_key
    assert "lease expired" in sent.history[-2]["note"]
    late = await killed.deliverer.deliver(claimed)
    assert late == "sent" and (await entry(cairn, queued.id)).attempts == 2, \
        "a worker that lost its lease records nothing"


async def test_a_killed_last_attempt_is_not_tried_again(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_ready(cairn, receiver)
    queued = await messaging_for(cairn).outbox.send("sms", "p1", purpose="transactional", payload=SMS,
                                                    max_attempts=1)
    await Worker(messaging_for(cairn)).claim()
    await messaging_for(cairn).outbox.collection.update_one(
        {"_id": queued.id}, {"$set": {"lease_until": utcnow() - timedelta(seconds=1)}})
    await deliver(cairn)
    dead = await entry(cairn, queued.id)
    assert dead.status == Status.DEAD and "stopped mid-delivery" in (dead.last_error or "") and not receiver.requests


async def test_several_workers_never_deliver_an_entry_twice(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_ready(cairn, receiver)
    outbox = messaging_for(cairn).outbox
    queued = [await outbox.send("sms", "p1", purpose="transactional", payload={**SMS, "body": str(n)})
              for n in range(12)]
    workers = [Worker(messaging_for(cairn), name=f"w{n}") for n in range(4)]
    claims = await asyncio.gather(*(worker.claim(limit=12) for worker in workers))
    ids = [doc["_id"] for claimed in claims for doc in claimed]
    assert sorted(ids) == sorted(entry.id for entry in queued), "every entry claimed exactly once"
    await asyncio.gather(*(worker.deliverer.deliver(doc) for worker, claimed in zip(workers, claims, strict=True)
                           for doc in claimed))
    assert sorted(request.body for request in receiver.requests) == sorted(
        f"To=%2B33600000001&From=%2B1&Body={n}".encode() for n in range(12))


async def test_failures_wait_with_exponential_backoff(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_ready(cairn, receiver)
    messaging = messaging_for(cairn)
    messaging.settings = messaging.settings.with_changes(backoff_base=60)
    receiver.default = 500
    queued = await messaging.outbox.send("sms", "p1", purpose="transactional", payload=SMS)
    before = utcnow()
    assert await deliver(cairn) == 1
    failed = await entry(cairn, queued.id)
    assert failed.status == Status.FAILED and failed.attempts == 1
    assert timedelta(seconds=59) < failed.next_attempt_at - before < timedelta(seconds=62)
    assert await deliver(cairn) == 0, "not due yet"
    assert OutboxSettings(backoff_base=60, backoff_max=3600).backoff(3) == 240
    assert OutboxSettings(backoff_base=60, backoff_max=100).backoff(3) == 100


async def test_run_worker_delivers_until_stopped(cairn: Cairn, receiver: HttpReceiver) -> None:
    await sms_ready(cairn, receiver)
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(cairn, stop, poll_interval=0.05))
    queued = await messaging_for(cairn).outbox.send("sms", "p1", purpose="transactional", payload=SMS)
    await wait_for_status(cairn, queued.id, Status.SENT)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert (await entry(cairn, queued.id)).status == Status.SENT


async def test_the_server_delivers_by_itself_unless_told_not_to(
        store_url: str, settings: Any, outbox_env: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_RUN_WORKER", "1")
    monkeypatch.setenv("CAIRN_WORKER_POLL_INTERVAL", "5")
    async with smtp_server() as smtp, serve_cairn(settings, store_url, plugins=plugin_manager()) as running:
        cairn = running.cairn
        assert messaging_for(cairn).worker_running
        await create_profile(cairn, "p1")
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="none",
                          from_address="shop@example.com")
        queued = await messaging_for(cairn).outbox.send("email", "p1", purpose="transactional",
                                                        payload={"to": "ada@example.com", "subject": "Receipt",
                                                                 "text": "Thanks"})
        sent = await wait_for_status(cairn, queued.id, Status.SENT, timeout=4)
        assert sent.status == Status.SENT, "queuing wakes the idle worker at once (it polls only every 5 s)"
        assert [mail["Subject"] for mail in smtp.messages] == ["Receipt"]
    assert not messaging_for(cairn).worker_running


async def test_the_embedded_worker_is_off_with_cairn_run_worker_0(cairn: Cairn) -> None:
    assert not messaging_for(cairn).worker_running


async def test_scheduled_tasks_go_to_the_handler_of_their_kind(cairn: Cairn) -> None:
    messaging = messaging_for(cairn)
    seen: list[OutboxEntry] = []
    calls = {"n": 0}

    async def resume(running: Cairn, task: OutboxEntry) -> dict[str, Any]:
        assert running is cairn
        calls["n"] += 1
        if calls["n"] == 1:
            raise RetryableDeliveryError("the flow is being deployed")
        seen.append(task)
        return {"resumed": True}

    messaging.handlers.register("reminder", resume)
    due = await messaging.outbox.schedule("reminder", {"flow_id": "f", "node_id": "n", "$odd": 1},
                                          profile_id="p1")
    later = await messaging.outbox.schedule("reminder", {"flow_id": "f"}, run_at=utcnow() + timedelta(hours=1))
    await deliver(cairn)
    done = await entry(cairn, due.id)
    assert done.status == Status.SENT and done.attempts == 2 and done.result == {"resumed": True}
    assert seen[0].payload == {"flow_id": "f", "node_id": "n", "$odd": 1}
    assert (await entry(cairn, later.id)).status == Status.QUEUED
    with pytest.raises(ValueError, match="already registered"):
        messaging.handlers.register("reminder", lambda c, e: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="delivered by channels"):
        messaging.handlers.register("message", resume)


async def test_a_kind_without_handler_is_retried_then_dead(cairn: Cairn) -> None:
    task = await messaging_for(cairn).outbox.schedule("nobody-handles-this", {})
    await deliver(cairn)
    dead = await entry(cairn, task.id)
    assert dead.status == Status.DEAD and dead.attempts == 3 and "no handler" in (dead.last_error or "")


async def test_a_handler_can_fail_for_good(cairn: Cairn) -> None:
    async def broken(running: Cairn, task: OutboxEntry) -> None:
        raise PermanentDeliveryError("the flow was deleted")

    messaging_for(cairn).handlers.register("cleanup", broken)
    task = await messaging_for(cairn).outbox.schedule("cleanup", {})
    await deliver(cairn)
    dead = await entry(cairn, task.id)
    assert dead.status == Status.DEAD and dead.attempts == 1 and dead.last_error == "the flow was deleted"


async def test_an_unreadable_entry_is_buried_not_retried_forever(cairn: Cairn) -> None:
    await messaging_for(cairn).outbox.collection.insert_one(
        {"_id": "legacy", "channel": "email", "status": "queued", "attempts": 0, "next_attempt_at": utcnow()})
    await deliver(cairn)
    doc = await messaging_for(cairn).outbox.collection.find_one({"_id": "legacy"})
    assert doc["status"] == "dead" and "malformed" in doc["last_error"]
