"""Dry runs: a draft (or any graph) on a sample or stored event, with no side effects.

The flow runs exactly as it would live, except that nothing leaves the run: profile
changes are shown, not saved; messages sent through the outbox and calls nodes
record with ``ctx.record_call`` are listed, not performed; no trace is stored.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.flows.compiled import CompiledFlow
from cairn.core.flows.engine import FlowEngine, Subject
from cairn.core.flows.errors import Invalid
from cairn.core.flows.graph import Problem
from cairn.core.flows.tracing import describe_change, to_plain
from cairn.core.nodes.base import ProfileEditor
from cairn.core.nodes.services import CallRecorder, recording_services

DRY_RUN_PROFILE_ID = "dry-run-profile"


@dataclass
class DryRunResult:
    """What a dry run shows: the graph's problems, the trace, the changes it would have made,
    the calls it would have performed and the UX instructions it would have returned."""

    problems: list[Problem]
    trace: dict[str, Any]
    changes: list[dict[str, Any]]
    profile: dict[str, Any]
    calls: list[dict[str, Any]] = field(default_factory=list)
    ux: list[dict[str, Any]] = field(default_factory=list)


def sample_event(data: dict[str, Any], profile_id: str) -> dict[str, Any]:
    """An event document from the JSON an admin typed (``type`` or Segment's ``event`` required)."""
    event_type = data.get("type") if data.get("type") not in (None, "track") else data.get("event")
    if not isinstance(event_type, str) or not event_type:
        raise Invalid("the sample event has no type", [{"field": "event.type", "message": "give the event a type"}],
                      hint='e.g. {"type": "purchase", "properties": {"total": 10}}')
    now = utcnow()
    return {
        "id": str(data.get("id") or "dry-run-event"), "type": event_type, "kind": "dry-run",
        "source_id": data.get("source_id") or data.get("sourceId"), "profile_id": profile_id,
        "session_id": data.get("session_id"), "anonymous_id": data.get("anonymousId"),
        "user_id": data.get("userId"), "message_id": "dry-run",
        "properties": _object(data.get("properties")), "traits": _object(data.get("traits")),
        "context": _object(data.get("context")), "occurred_at": now, "received_at": now, "sent_at": None,
        "valid": True, "validation_errors": [],
    }


def blank_profile() -> dict[str, Any]:
    """The profile a dry run uses when none is given."""
    return {"id": DRY_RUN_PROFILE_ID, "traits": {}, "tags": [], "stats": {}, "interests": {}, "consents": {}}


async def dry_run(engine: FlowEngine, flow: CompiledFlow, problems: list[Problem], event: dict[str, Any],
                  profile: dict[str, Any], session: dict[str, Any] | None, **services: Any) -> DryRunResult:
    """Run ``flow`` on copies of ``event`` and ``profile``; return what would have happened."""
    working = copy.deepcopy(profile)
    editor = ProfileEditor(working)
    recording = recording_services(**services)
    subject = Subject(copy.deepcopy(event), editor, copy.deepcopy(session), copy.deepcopy(profile))
    result = await engine.run(flow, subject, recording, dry_run=True)
    recorder: CallRecorder = recording["calls"]
    return DryRunResult(problems=problems, trace=result.trace.to_dict(),
                        changes=[describe_change(change) for change in editor.changes],
                        profile=to_plain(editor.data, 0), calls=to_plain(recorder.calls, 0),
                        ux=to_plain(result.ux, 0))


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
