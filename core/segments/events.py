"""Recording membership changes: ``segment_history`` documents and internal events.

Each change is stored in ``segment_history`` and, unless asked otherwise, ingested
as an internal event (``segment-entered`` / ``segment-left`` with properties
``segmentId`` and ``segmentName``) from the source named ``cairn-internal``, so that
flow rules can react to it like to any event. The internal source is created
disabled: its write key is refused by the tracking endpoints, and only Cairn
itself stores events from it.

Internal events run through the pipeline, and their processing may change
memberships again; each generation of internal events is one level deeper, and
from :data:`MAX_EMIT_DEPTH` on changes are still recorded but no more events are
emitted, so no loop of segments and flows can run forever.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.pipeline import Pipeline
from cairn.core.models.source import EventSource
from cairn.core.sources import SourceService
from cairn.core.store.database import Database

from ._tasks import BackgroundTasks
from .models import Transition, to_document

INTERNAL_SOURCE = "cairn-internal"
EVENT_TYPES = {"entered": "segment-entered", "left": "segment-left"}
MAX_EMIT_DEPTH = 3
EVENTS_PER_REQUEST = 500
_depth: ContextVar[int] = ContextVar("cairn_segment_event_depth", default=0)


class TransitionRecorder:
    """Stores membership changes and emits their internal events."""

    def __init__(self, database: Database, pipeline: Pipeline, sources: SourceService,
                 tasks: BackgroundTasks) -> None:
        self.database = database
        self.history = database.collection("segment_history")
        self.pipeline = pipeline
        self.sources = sources
        self.tasks = tasks
        self._source: EventSource | None = None
        self._source_lock = asyncio.Lock()

    async def record(self, transitions: Sequence[Transition], sessions: Mapping[str, Any], *,
                     emit: bool, wait: bool = False) -> None:
        """Store ``transitions`` and, if ``emit``, ingest their events; in the background unless ``wait``.

        ``sessions`` gives each profile's current session id, so that internal events
        join the customer's visit instead of starting one.
        """
        if not transitions:
            return
        work = self._record(list(transitions), sessions, emit and _depth.get() < MAX_EMIT_DEPTH)
        if wait:
            await work
        else:
            self.tasks.spawn(work, name="segment changes")

    async def _record(self, transitions: list[Transition], sessions: Mapping[str, Any], emit: bool) -> None:
        await self.history.insert_many([to_document(t) for t in transitions], ordered=False)
        if emit:
            await self._emit(transitions, sessions)

    async def _emit(self, transitions: list[Transition], sessions: Mapping[str, Any]) -> None:
        token = _depth.set(_depth.get() + 1)
        try:
            source = await self.source()
            received_at = utcnow()
            for start in range(0, len(transitions), EVENTS_PER_REQUEST):
                chunk = transitions[start:start + EVENTS_PER_REQUEST]
                events = [_event(i, t, sessions.get(t.profile_id), received_at) for i, t in enumerate(chunk)]
                await self.pipeline.ingest(source, events)
        finally:
            _depth.reset(token)

    async def source(self) -> EventSource:
        """The ``cairn-internal`` source (created, disabled, the first time)."""
        async with self._source_lock:
            if self._source is None:
                doc = await self.database.sources.find_one({"name": INTERNAL_SOURCE}, {"_id": 1})
                self._source = await self.sources.get(doc["_id"]) if doc else None
                if self._source is None:
                    created = await self.sources.create(INTERNAL_SOURCE)
                    self._source = await self.sources.update(created.id, enabled=False) or created
            return self._source


def _event(index: int, transition: Transition, session_id: Any, received_at: Any) -> IncomingEvent:
    return IncomingEvent(
        index=index, kind="internal", type=EVENT_TYPES[transition.change], message_id=transition.id,
        received_at=received_at, occurred_at=transition.at, profile_hint=transition.profile_id,
        session_id=session_id if isinstance(session_id, str) else None,
        properties={"segmentId": transition.segment_id, "segmentName": transition.segment_name},
        context={"cairn": {"reason": transition.reason}},
    )
