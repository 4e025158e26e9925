"""The flow services' step in the ingestion pipeline (a ``Pipeline.processors`` entry).

For one request's stored events, in order, after their profiles are resolved:

1. events that fail their event schema are marked invalid (``refuse`` schemas took
   theirs out before insertion, when the pipeline has that step); invalid events go
   no further;
2. identification points claim identifiers and merge profiles;
3. event mappings copy event data to traits;
4. rules pick the flows to run (one run per flow per event, in rule order) and the
   engine runs them.

Every profile change (mapping, identification, flows) is returned to the pipeline,
which saves it in the same single write as the events' own changes. Traces are
stored in one round trip at the end. A failure in one event's processing is logged
and does not stop the others.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cairn.core.flows.catalog import ActiveConfig, ActiveRule
from cairn.core.flows.engine import Subject
from cairn.core.flows.identification import absorb, identifier_changes, identifiers_of
from cairn.core.flows.mapping import apply_mappings
from cairn.core.flows.schemas import mark_stored
from cairn.core.flows.tracing import RunTrace
from cairn.core.ingestion.pipeline import ProcessOutcome
from cairn.core.nodes.base import ProfileEditor

if TYPE_CHECKING:
    from cairn.core.flows.service import FlowService

logger = logging.getLogger("cairn.flows")


@dataclass
class _Editing:
    """One profile being changed during a request."""

    editor: ProfileEditor
    base: dict[str, Any]


@dataclass
class _Request:
    """The state of processing one request's events."""

    config: ActiveConfig
    profiles: dict[str, dict[str, Any]]
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    editing: dict[str, _Editing] = field(default_factory=dict)
    traces: list[RunTrace] = field(default_factory=list)
    ux: list[dict[str, Any]] = field(default_factory=list)

    def editing_of(self, profile_id: str) -> _Editing:
        if profile_id not in self.editing:
            profile = self.profiles[profile_id]
            self.editing[profile_id] = _Editing(ProfileEditor(profile), copy.deepcopy(profile))
        return self.editing[profile_id]

    def outcome(self) -> ProcessOutcome:
        changes = {pid: list(e.editor.changes) for pid, e in self.editing.items() if e.editor.changes}
        return ProcessOutcome(changes=changes, ux=self.ux)


class FlowProcessor:
    """Runs schemas, identification, mappings and flows on stored events (see the module docstring)."""

    def __init__(self, service: FlowService) -> None:
        self.service = service

    async def __call__(self, events: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        """The ``EventProcessor`` entry point."""
        config = await self.service.catalog.current()
        if config.empty:
            return ProcessOutcome()
        if config.schemas:
            await mark_stored(self.service.database, config, events)
        request = _Request(config, profiles)
        await self._load_sessions(request, events)
        for event in events:
            if event.get("valid") is False or event.get("profile_id") not in profiles:
                continue
            try:
                await self._handle(request, event)
            except Exception:  # noqa: BLE001 - one event's failure must not lose the others' work
                logger.exception("processing event %s failed", event.get("id"))
        await self._save_traces(request.traces)
        return request.outcome()

    async def _load_sessions(self, request: _Request, events: list[dict[str, Any]]) -> None:
        wanted = {event["session_id"] for event in events
                  if event.get("session_id") and request.config.rules.matching(event)}
        if wanted:
            async for doc in self.service.database.sessions.find({"_id": {"$in": list(wanted)}}):
                request.sessions[doc["_id"]] = {**{k: v for k, v in doc.items() if k != "_id"}, "id": doc["_id"]}

    async def _handle(self, request: _Request, event: dict[str, Any]) -> None:
        config = request.config
        points, mappings, rules = (config.points.matching(event), config.mappings.matching(event),
                                   config.rules.matching(event))
        if not (points or mappings or rules):
            return
        editing = request.editing_of(event["profile_id"])
        session = request.sessions.get(event.get("session_id") or "")
        context = {"event": event, "profile": editing.editor.data, "session": session or {}}
        if points:
            await self._identify(editing, identifiers_of(points, context))
        if mappings:
            apply_mappings(mappings, context, editing.editor)
        ran: set[str] = set()
        for active in rules:
            if active.flow.flow_id in ran or not _holds(active, context):
                continue
            ran.add(active.flow.flow_id)
            await self._run(request, active, Subject(event, editing.editor, session, editing.base))

    async def _identify(self, editing: _Editing, identifiers: dict[str, str]) -> None:
        if not identifiers:
            return
        identified = await self.service.identifier.identify(str(editing.editor.data["id"]), identifiers)
        if identified.merged:
            absorb(editing.base, identified)
            absorb(editing.editor.data, identified)
        for change in identifier_changes(identifiers):
            editing.editor.record(change)

    async def _run(self, request: _Request, active: ActiveRule, subject: Subject) -> None:
        run_id = self.service.new_run_id()
        services = self.service.live_services(active.flow.flow_id, active.flow.version, run_id, subject)
        result = await self.service.engine.run(active.flow, subject, services, rule_id=active.rule.id, run_id=run_id)
        request.traces.append(result.trace)
        request.ux.extend(result.ux)

    async def _save_traces(self, traces: list[RunTrace]) -> None:
        settings = self.service.settings
        if not traces or not settings.tracing:
            return
        try:
            await self.service.traces.save(traces, settings.trace_ttl)
        except Exception:  # noqa: BLE001 - traces are diagnostics; losing them must not fail ingestion
            logger.exception("storing %d flow traces failed", len(traces))


def _holds(active: ActiveRule, context: dict[str, Any]) -> bool:
    if active.condition is None:
        return True
    try:
        return active.condition.evaluate(context)
    except Exception:  # noqa: BLE001 - a condition that cannot be evaluated does not match
        logger.exception("condition of rule %s failed", active.rule.id)
        return False
