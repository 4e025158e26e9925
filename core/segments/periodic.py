"""The periodic round: sample every segment's size and refresh time-dependent segments.

With several Cairn processes on one store, a lease in ``segment_leases`` lets only
one of them run each round.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from cairn.core.clock import utcnow
from cairn.core.conditions import ConditionError
from cairn.core.ids import new_id

from .service import SegmentService

logger = logging.getLogger("cairn.segments")
LEASE = "periodic-round"


class PeriodicRound:
    """Runs :meth:`run_once` every ``service.options.sample_interval`` seconds."""

    def __init__(self, service: SegmentService) -> None:
        self.service = service
        self.leases = service.database.collection("segment_leases")
        self.owner = new_id()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the loop (nothing happens when the interval is 0)."""
        if self.service.options.sample_interval > 0 and self._task is None:
            self._task = self.service.tasks.spawn(self._loop(), name="segment periodic round", daemon=True)

    async def _loop(self) -> None:
        interval = self.service.options.sample_interval
        while True:
            await asyncio.sleep(interval)
            try:
                if await self.acquire(timedelta(seconds=interval * 0.9)):
                    await self.run_once()
            except Exception:  # noqa: BLE001 - the next round tries again
                logger.exception("the periodic segment round failed")

    async def acquire(self, duration: timedelta) -> bool:
        """Take the round's lease for ``duration`` unless another process holds it."""
        now = utcnow()
        try:
            await self.leases.update_one({"_id": LEASE, "until": {"$lte": now}},
                                         {"$set": {"until": now + duration, "owner": self.owner}}, upsert=True)
        except DuplicateKeyError:
            return False
        return True

    async def run_once(self) -> None:
        """Resume abandoned jobs, refresh the time-dependent segments (with their events), sample every size."""
        service = self.service
        await service.jobs.resume()
        refreshed = set()
        enabled = await service.store.list(enabled_only=True)
        for segment in enabled:
            if not service.options.refresh_time_based or service.jobs.running(segment.id):
                continue
            try:
                compiled = service.catalog.compile(segment)
            except ConditionError:
                continue
            if compiled.time_dependent:
                await service.jobs.start(segment, "refresh", emit_events=True)
                await service.jobs.wait(segment.id)
                refreshed.add(segment.id)
        others = [s.id for s in enabled if s.id not in refreshed]
        await service.sizes.sample(others)
