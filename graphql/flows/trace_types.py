"""GraphQL types of flow-run traces and dry-run results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from cairn.core.flows.dry_run import DryRunResult as DryRunModel
from cairn.graphql.flows.types import GraphProblem
from cairn.graphql.scalars import JSON


@strawberry.type(description="A port a node followed, with the payload sent along it.")
class TraceOutput:
    port: str
    payload: JSON


@strawberry.type(description="One node run: its input, outputs, profile changes, logs, error and timing.")
class TraceStep:
    step: int
    node_id: str
    node_type: str
    input: JSON
    outputs: list[TraceOutput]
    changes: JSON = strawberry.field(description='Profile changes, e.g. {"op": "SetField", "path": "traits.plan"}.')
    ux: JSON
    logs: list[str]
    error: str | None
    duration_ms: float
    started_at: datetime

    @classmethod
    def from_dict(cls, step: dict[str, Any]) -> TraceStep:
        """The GraphQL view of a stored step."""
        outputs = [TraceOutput(port=o["port"], payload=o.get("payload")) for o in step.get("outputs") or []]
        return cls(step=step["step"], node_id=step["node_id"], node_type=step["node_type"], input=step.get("input"),
                   outputs=outputs, changes=step.get("changes") or [], ux=step.get("ux") or [],
                   logs=step.get("logs") or [], error=step.get("error"), duration_ms=step.get("duration_ms", 0),
                   started_at=step["started_at"])


@strawberry.type(description="One flow run on one event.")
class FlowTrace:
    id: strawberry.ID
    flow_id: str
    flow_name: str
    flow_version: int | None
    event_id: str | None
    event_type: str
    profile_id: str | None
    rule_id: str | None
    dry_run: bool
    status: str = strawberry.field(description="ok, error (a node failed) or step_limit.")
    error: str | None
    error_count: int
    started_at: datetime
    duration_ms: float
    steps: list[TraceStep]

    @classmethod
    def from_dict(cls, trace: dict[str, Any]) -> FlowTrace:
        """The GraphQL view of a stored trace."""
        return cls(id=strawberry.ID(trace["id"]), flow_id=trace["flow_id"], flow_name=trace.get("flow_name", ""),
                   flow_version=trace.get("flow_version"), event_id=trace.get("event_id"),
                   event_type=trace.get("event_type", ""), profile_id=trace.get("profile_id"),
                   rule_id=trace.get("rule_id"), dry_run=trace.get("dry_run", False), status=trace["status"],
                   error=trace.get("error"), error_count=trace.get("error_count", 0), started_at=trace["started_at"],
                   duration_ms=trace.get("duration_ms", 0), steps=[TraceStep.from_dict(s) for s in trace["steps"]])


@strawberry.type(description="What a dry run would have done; nothing was saved, sent or called.")
class DryRunResult:
    problems: list[GraphProblem] = strawberry.field(description="What would stop the graph from being deployed.")
    trace: FlowTrace
    changes: JSON = strawberry.field(description="The profile changes the run would have saved.")
    profile: JSON = strawberry.field(description="The profile as it would be after the run.")
    calls: JSON = strawberry.field(description="Messages and calls recorded instead of sent: {kind, node_id, details}.")
    ux: JSON

    @classmethod
    def from_model(cls, result: DryRunModel) -> DryRunResult:
        """The GraphQL view of a dry run."""
        return cls(problems=[GraphProblem.from_model(p) for p in result.problems],
                   trace=FlowTrace.from_dict(result.trace), changes=result.changes, profile=result.profile,
                   calls=result.calls, ux=result.ux)
