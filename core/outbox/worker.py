"""The outbox worker: claims due entries safely, delivers them, retries with backoff.

Claiming is safe with any number of workers (processes or machines): a worker reads
due entries, then claims each one with ``update_one`` filtered on its ``status`` and
``lease_version``; only one claim can match, and the winner bumps the version and
holds a lease until ``lease_until``. An entry left ``sending`` by a worker that died
becomes due again once its lease has expired, and the next claim counts a new
attempt. Messages carry the same idempotency key on every attempt, so a receiver
that honours it never gets a message twice.

``cairn worker`` runs :func:`serve_worker`; ``cairn serve`` runs the same loop in
the background unless ``CAIRN_RUN_WORKER=0`` (see :mod:`cairn.core.outbox.settings`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from contextlib import suppress
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cairn.core.clock import utcnow
from cairn.core.ids import new_id
from cairn.core.outbox.delivery import Deliverer
from cairn.core.outbox.entries import DUE_STATUSES, Status, push_history, step

if TYPE_CHECKING:
    from cairn.core.outbox.messaging import Messaging
    from cairn.core.runtime import Cairn

logger = logging.getLogger("cairn.outbox")


def worker_name() -> str:
    """A name that tells which process holds a lease: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{new_id()[:8]}"


class Worker:
    """Claims and delivers outbox entries."""

    def __init__(self, messaging: Messaging, name: str | None = None) -> None:
        self.messaging = messaging
        self.name = name or worker_name()
        self.collection = messaging.outbox.collection
        self.deliverer = Deliverer(messaging)

    async def claim(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Claim up to ``limit`` due entries (queued/failed and due, or sending with an expired lease)."""
        settings = self.messaging.settings
        limit = limit or settings.batch_size
        now = utcnow()
        due = {"$or": [{"status": {"$in": list(DUE_STATUSES)}, "next_attempt_at": {"$lte": now}},
                       {"status": Status.SENDING.value, "lease_until": {"$lte": now}}]}
        fields = {"status": 1, "lease_version": 1, "attempts": 1}
        candidates = self.collection.find(due, fields).sort("next_attempt_at", 1).limit(limit * 2)
        claimed: list[str] = []
        async for candidate in candidates:
            if await self._claim_one(candidate, now, settings.lease_seconds):
                claimed.append(candidate["_id"])
                if len(claimed) >= limit:
                    break
        if not claimed:
            return []
        mine = self.collection.find({"_id": {"$in": claimed}, "lease_owner": self.name})
        return [doc async for doc in mine]

    async def _claim_one(self, candidate: dict[str, Any], now: Any, lease_seconds: float) -> bool:
        expired = candidate["status"] == Status.SENDING.value
        note = "the previous worker's lease expired; trying again" if expired else None
        result = await self.collection.update_one(
            {"_id": candidate["_id"], "status": candidate["status"],
             "lease_version": candidate.get("lease_version")},
            {"$set": {"status": Status.SENDING.value, "lease_owner": self.name, "updated_at": now,
                      "lease_until": now + timedelta(seconds=lease_seconds)},
             "$inc": {"lease_version": 1, "attempts": 1},
             "$push": push_history(step(Status.SENDING.value, note, attempt=candidate.get("attempts", 0) + 1,
                                        at=now))})
        return result.modified_count == 1

    async def run_once(self) -> int:
        """Claim a batch and deliver it; return how many entries were attempted."""
        claimed = await self.claim()
        if claimed:
            await asyncio.gather(*(self.deliverer.deliver(doc) for doc in claimed))
        return len(claimed)

    async def run(self, stop: asyncio.Event, poll_interval: float | None = None) -> None:
        """Deliver until ``stop`` is set; an idle worker looks again every ``poll_interval`` seconds
        (or at once when this process queues something)."""
        wakeup = self.messaging.wakeup
        while not stop.is_set():
            try:
                attempted = await self.run_once()
            except Exception:  # noqa: BLE001 - a store hiccup must not end the worker
                logger.exception("outbox worker %s: a pass failed; trying again", self.name)
                attempted = 0
            if attempted < self.messaging.settings.batch_size:
                interval = self.messaging.settings.poll_interval if poll_interval is None else poll_interval
                await _wait_any((stop, wakeup), interval)
                wakeup.clear()


async def _wait_any(events: tuple[asyncio.Event, ...], timeout: float) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        with suppress(asyncio.CancelledError):
            await asyncio.gather(*waiters, return_exceptions=True)


async def run_worker(cairn: Cairn, stop_event: asyncio.Event, poll_interval: float | None = None) -> None:
    """Deliver ``cairn``'s outbox until ``stop_event`` is set (what ``cairn worker`` runs)."""
    from cairn.core.outbox.messaging import messaging_for

    messaging = messaging_for(cairn)
    await messaging.load_channels()
    worker = Worker(messaging)
    logger.info("outbox worker %s started", worker.name)
    await worker.run(stop_event, poll_interval)
    logger.info("outbox worker %s stopped", worker.name)


async def serve_worker(cairn: Cairn, poll_interval: float | None = None) -> None:
    """:func:`run_worker` until SIGINT or SIGTERM: deliveries in progress finish first."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    await run_worker(cairn, stop, poll_interval)


async def deliver_due(cairn: Cairn) -> int:
    """Attempt every entry due now, once, in this task; return how many were attempted (tests, scripts)."""
    from cairn.core.outbox.messaging import messaging_for

    messaging = messaging_for(cairn)
    await messaging.load_channels()
    worker = Worker(messaging)
    total = 0
    while attempted := await worker.run_once():
        total += attempted
    return total
