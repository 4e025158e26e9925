"""Intake: how a tracking request's events reach the pipeline, now or a little later.

A request's valid events are written to the journal first (:mod:`.journal`). Then:

* **processed inline** while this process keeps up — the caller's answer says what
  was stored and what was a duplicate, and the native ``/track`` answer carries the
  profile, session and widget instructions that need the processed events;
* **queued** when the journal already holds waiting entries, or when other requests'
  events are being processed inline and this one would take the count past
  ``inline_events`` — the answer comes as soon as the events are durable, and the
  journal worker processes them in groups (one store round for up to
  ``group_events`` events), oldest first.

Once a request is queued, the following ones queue too, until the journal is empty and
no request was queued for ``quiet_seconds`` (1 s): under steady load every request is
answered at journal speed. A lone request is processed inline whatever its size: a single client (a
server-side SDK flushing its queue, a test) sees its events processed when it gets
its answer. Concurrent clients get fast answers instead, and the worker's large
groups give the store far fewer, larger writes.

So a burst is absorbed at the speed of one journal write per request instead of the
speed of the pipeline, and nothing accepted waits on a client's connection. Callers
that need the processed result (the native endpoint) call :meth:`Intake.process`.

The worker runs in every ``cairn serve`` process and in ``cairn worker``; claims are
leased, so any number of processes can share one journal.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import deque
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.journal import IngestJournal, JournalEntry
from cairn.core.ingestion.pipeline import IngestFailed, IngestResult, Pipeline
from cairn.core.models.source import EventSource
from cairn.core.sources import SourceService

logger = logging.getLogger("cairn.ingestion")


@dataclass(frozen=True)
class IntakeSettings:
    """How much is processed inline, and how the journal worker works.

    ============================== ======= ==============================================
    variable                       default meaning
    ============================== ======= ==============================================
    ``CAIRN_INLINE_EVENTS``        ``16``  events one process works on inline at once
                                           (a lone request is inline whatever its
                                           size); beyond that, requests are queued
                                           (``0``: the Segment endpoints always queue)
    ``CAIRN_INGEST_GROUP_EVENTS``  ``100`` events the worker processes in one group
                                           (larger groups hold the store longer, and
                                           the journal's appends wait behind them)
    ``CAIRN_INGEST_WORKERS``       ``1``   groups one process works on at once
    ``CAIRN_INGEST_POLL_INTERVAL`` ``1``   seconds between looks at an idle journal
    ``CAIRN_INGEST_RETRY_SECONDS`` ``5``   wait before a failed entry is tried again
                                           (doubled each time, at most an hour)
    ============================== ======= ==============================================
    """

    inline_events: int = 16
    group_events: int = 100
    workers: int = 1
    poll_interval: float = 1.0
    retry_seconds: float = 5.0
    retry_max_seconds: float = 3600.0
    quiet_seconds: float = 1.0
    """Inline processing resumes once the journal is empty and nothing was queued for this long."""
    queued_hold: timedelta = timedelta(minutes=5)
    """How long a queued entry is held for its own process's worker before any worker may take it."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> IntakeSettings:
        """Read the settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        base = cls()
        return cls(inline_events=max(0, int(env.get("CAIRN_INLINE_EVENTS", base.inline_events))),
                   group_events=max(1, int(env.get("CAIRN_INGEST_GROUP_EVENTS", base.group_events))),
                   workers=max(1, int(env.get("CAIRN_INGEST_WORKERS", base.workers))),
                   poll_interval=float(env.get("CAIRN_INGEST_POLL_INTERVAL", base.poll_interval)),
                   retry_seconds=float(env.get("CAIRN_INGEST_RETRY_SECONDS", base.retry_seconds)))

    def with_changes(self, **changes: object) -> IntakeSettings:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def retry_delay(self, attempts: int) -> timedelta:
        """How long a group that failed ``attempts`` times waits before the next try."""
        return timedelta(seconds=min(self.retry_max_seconds, self.retry_seconds * 2 ** max(0, attempts - 1)))


@dataclass
class Queued:
    """A request whose events are durable in the journal and will be processed shortly."""

    entry_id: str
    count: int


class Intake:
    """Journals requests, processes them inline or queues them, and runs the journal worker."""

    def __init__(self, pipeline: Pipeline, sources: SourceService, settings: IntakeSettings | None = None) -> None:
        self.pipeline = pipeline
        self.sources = sources
        self.settings = settings or IntakeSettings.from_env()
        self.journal = IngestJournal(pipeline.database)
        self.behind = False
        self._inline = 0
        self._groups = 0
        self._last_queued = 0.0
        self._queue: deque[tuple[str, int]] = deque()
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._workers: list[asyncio.Task[None]] = []

    async def accept(self, source: EventSource, events: list[IncomingEvent]) -> IngestResult | Queued:
        """Take a request's valid events: processed now while Cairn keeps up, else queued.

        Raises :class:`IngestFailed` if inline processing failed; the events stay in
        the journal and are processed again later, so the caller may also resend them.
        """
        refused: list[dict[str, Any]] = []
        events = await self.pipeline.validate(source, events, refused)
        if not events:
            return _refused_only(refused)
        if self._may_process_inline(len(events)):
            return await self._process_inline(source, events, refused)
        entry = await self.journal.append(source.id, events, hold_for=self.settings.queued_hold)
        self._queue.append((entry.id, len(events)))
        self.behind = True
        self._last_queued = asyncio.get_running_loop().time()
        self._wake.set()
        return Queued(entry.id, len(events))

    async def process(self, source: EventSource, events: list[IncomingEvent]) -> IngestResult:
        """Journal a request's valid events and process them now, whatever the load.

        Raises :class:`IngestFailed` as :meth:`accept` does.
        """
        refused: list[dict[str, Any]] = []
        events = await self.pipeline.validate(source, events, refused)
        if not events:
            return _refused_only(refused)
        return await self._process_inline(source, events, refused)

    async def _process_inline(self, source: EventSource, events: list[IncomingEvent],
                              refused: list[dict[str, Any]]) -> IngestResult:
        self._inline += len(events)  # before any await: concurrent requests see this one's share
        try:
            entry = await self.journal.append(source.id, events, hold_for=self.journal.lease)
            try:
                result = await self.pipeline.ingest(source, events, validated=True)
            except IngestFailed as failure:
                await self._retry_later(entry, failure.cause)
                raise
        finally:
            self._inline -= len(events)
        self.journal.remove(entry.id)
        result.errors = sorted([*refused, *result.errors], key=lambda e: e["index"])
        return result

    def _may_process_inline(self, count: int) -> bool:
        if self.behind or self.settings.inline_events <= 0:
            return False
        return self._inline == 0 or self._inline + count <= self.settings.inline_events

    # The journal worker

    def start(self) -> None:
        """Start the journal worker tasks of this process."""
        if self._workers:
            return
        self._stop.clear()
        self._workers = [asyncio.create_task(self._work(), name=f"cairn-ingest-worker-{n}")
                         for n in range(self.settings.workers)]

    async def stop(self) -> None:
        """Stop the worker tasks (a group in progress finishes first) and flush the journal writes."""
        self._stop.set()
        self._wake.set()
        workers, self._workers = self._workers, []
        if workers:
            await asyncio.gather(*workers, return_exceptions=True)
        await self.journal.drain()

    async def process_due(self) -> int:
        """Process every due entry now, in this task; return the events processed (tests, scripts)."""
        total = 0
        while count := await self._process_group():
            total += count
        return total

    async def _work(self) -> None:
        while not self._stop.is_set():
            try:
                processed = await self._process_group()
            except Exception:  # noqa: BLE001 - keep the worker alive; the entries' leases bring them back
                logger.exception("the ingestion journal worker failed; trying again")
                processed = 0
                await self._sleep(self.settings.poll_interval)
            if not processed:
                self._maybe_catch_up()
                await self._sleep(self.settings.poll_interval)

    def _maybe_catch_up(self) -> None:
        """The journal is empty: go back to inline processing, once the load has been quiet a while."""
        quiet = asyncio.get_running_loop().time() - self._last_queued >= self.settings.quiet_seconds
        if not self._groups and quiet:
            self.behind = False

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        with suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def _process_group(self) -> int:
        """Claim a group of entries and process them, one pipeline call per source.

        The entries this process queued come first, claimed by id; when there are none,
        the journal is searched for due entries nobody holds.
        """
        own = self._take_own(self.settings.group_events)
        entries = await (self.journal.claim_ids(own) if own else self.journal.claim(self.settings.group_events))
        by_source: dict[str, list[JournalEntry]] = {}
        for entry in entries:
            by_source.setdefault(entry.source_id, []).append(entry)
        self._groups += 1
        try:
            for source_id, group in by_source.items():
                await self._process_entries(source_id, group)
        finally:
            self._groups -= 1
        return sum(len(entry.events) for entry in entries)

    def _take_own(self, max_events: int) -> list[str]:
        """Ids from this process's queue, oldest first, up to ``max_events`` events (at least one)."""
        taken: list[str] = []
        total = 0
        while self._queue and (not taken or total + self._queue[0][1] <= max_events):
            entry_id, count = self._queue.popleft()
            taken.append(entry_id)
            total += count
        return taken

    async def _process_entries(self, source_id: str, entries: list[JournalEntry]) -> None:
        source = await self.sources.get(source_id) or EventSource(id=source_id, name="(deleted source)",
                                                                     write_key="", enabled=False)
        events = [replace(event, index=number)
                  for number, event in enumerate(event for entry in entries for event in entry.events)]
        try:
            await self.pipeline.ingest(source, events, validated=True)
        except IngestFailed as failure:
            logger.warning("%d journal entries could not be processed (%r); they are tried again later",
                           len(entries), failure.cause)
            for entry in entries:
                await self._retry_later(entry, failure.cause)
            return
        for entry in entries:
            self.journal.remove(entry.id)

    async def _retry_later(self, entry: JournalEntry, cause: BaseException) -> None:
        with suppress(Exception):
            await self.journal.retry_later(entry, self.settings.retry_delay(max(1, entry.attempts)), cause)


def _refused_only(refused: list[dict[str, Any]]) -> IngestResult:
    return IngestResult(errors=sorted(refused, key=lambda e: e["index"]))
