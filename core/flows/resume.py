"""Live-run services backed by the outbox, and resuming paths a delay node paused.

In a live run ``ctx.services`` holds ``outbox`` (:class:`cairn.core.outbox.flows.FlowOutbox`:
messages are queued in the persistent outbox, after the consent check) and
``scheduler`` (a delay node's resume entries become ``resume-flow`` outbox entries,
stamped with the flow version that scheduled them). When one is due, the outbox
worker calls :func:`resume_handler`'s handler: it loads the event and the profile as
they are now, continues the same flow version from the paused node's port with the
saved payload and variables, saves the profile changes and stores the trace. Each
entry resumes once (a marker in ``flow_resumes`` makes a retried entry a no-op).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from cairn.core.clock import utcnow
from cairn.core.flows.compiled import compile_graph
from cairn.core.flows.engine import Subject
from cairn.core.nodes.base import ProfileEditor
from cairn.core.nodes.services import CallRecorder
from cairn.core.store.keys import unescape_keys

if TYPE_CHECKING:
    from cairn.core.flows.service import FlowService
    from cairn.core.outbox import OutboxEntry
    from cairn.core.runtime import Cairn

logger = logging.getLogger("cairn.flows")
RESUME_MARKERS = "flow_resumes"
MARKER_INDEXES = [IndexModel([("at", ASCENDING)], expireAfterSeconds=90 * 24 * 3600)]
"""A marker outlives any retry of its outbox entry; 90 days later it goes."""


@dataclass
class RunScheduler:
    """The ``scheduler`` service of one run: adds the flow version to each resume entry."""

    inner: Any
    flow_version: int | None

    async def schedule(self, entry: dict[str, Any]) -> Any:
        """Store ``entry`` for the worker (see the delay node's ``Scheduler``)."""
        return await self.inner.schedule({**entry, "flow_version": self.flow_version})


def live_services(service: FlowService, flow_id: str, version: int | None, run_id: str,
                  subject: Subject) -> dict[str, Any]:
    """``ctx.services`` of a live run."""
    from cairn.core.outbox import messaging_for
    from cairn.core.outbox.flows import FlowOutbox, OutboxScheduler

    messaging = messaging_for(service.cairn)
    origin = {"flow_id": flow_id, "run_id": run_id, "event_id": subject.event.get("id")}
    return {"cairn": service.cairn, "dry_run": False, "calls": CallRecorder(), "http": service.http,
            "outbox": FlowOutbox(messaging, subject.profile.data, origin),
            "scheduler": RunScheduler(OutboxScheduler(messaging), version)}


def register_resume_handler(service: FlowService) -> None:
    """Let the outbox worker hand due ``resume-flow`` entries to the engine."""
    from cairn.core.outbox import RESUME_FLOW, messaging_for

    service.database.add_indexes(RESUME_MARKERS, MARKER_INDEXES)
    messaging_for(service.cairn).handlers.register(RESUME_FLOW, resume_handler(service))


def resume_handler(service: FlowService) -> Callable[[Cairn, OutboxEntry], Awaitable[dict[str, Any] | None]]:
    """The outbox handler that continues paused paths."""

    async def resume(cairn: Cairn, entry: OutboxEntry) -> dict[str, Any] | None:
        return await resume_run(service, entry.id, entry.payload)

    return resume


async def resume_run(service: FlowService, entry_id: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """Continue a paused path once; return a summary for the outbox entry's ``result``."""
    data = unescape_keys(data)
    markers = service.database.collection(RESUME_MARKERS)
    if await markers.find_one({"_id": entry_id}):
        return {"skipped": "already resumed"}
    flow_id, version = data["flow_id"], data.get("flow_version")
    stored = await service.flows.get_version(flow_id, version) if version else None
    if stored is None:
        deployed = await service.flows.deployed([flow_id])
        stored = deployed.get(flow_id)
    if stored is None:
        return {"skipped": f"flow {flow_id} has no deployed version any more"}
    repository = service.cairn.pipeline.repository
    profile = await repository.get(data["profile_id"])
    if profile is None:
        return {"skipped": f"profile {data['profile_id']} does not exist any more"}
    event = await _event(service, data.get("event_id"))
    flow = compile_graph(stored.graph, service.nodes, flow_id=flow_id, version=stored.version, name=stored.name)
    subject = Subject(event, ProfileEditor(profile), None, copy.deepcopy(profile))
    services = live_services(service, flow_id, stored.version, data["run_id"], subject)
    result = await service.engine.run(flow, subject, services, run_id=service.new_run_id(), resume=(
        data["node_id"], data.get("port", "out"), data.get("payload"), dict(data.get("variables") or {})))
    if subject.profile.changes:
        await service.cairn.pipeline.writer.apply(data["profile_id"], subject.profile.changes)
    if service.settings.tracing:
        await service.traces.save([result.trace], service.settings.trace_ttl)
    try:
        await markers.insert_one({"_id": entry_id, "at": utcnow(), "trace_id": result.trace.id})
    except DuplicateKeyError:
        logger.warning("resume entry %s ran twice", entry_id)
    return {"trace_id": result.trace.id, "status": result.trace.status}


async def _event(service: FlowService, event_id: str | None) -> dict[str, Any]:
    doc = await service.database.events.find_one({"_id": event_id}) if event_id else None
    if doc is None:
        return {"id": event_id, "type": "", "properties": {}, "traits": {}, "context": {}}
    return {**unescape_keys({k: v for k, v in doc.items() if k != "_id"}), "id": doc["_id"]}
