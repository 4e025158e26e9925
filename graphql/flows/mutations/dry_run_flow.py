"""``dryRunFlow``: run a draft on a sample or stored event, with no side effects."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.inputs import FlowGraphInput
from cairn.graphql.flows.results import expected
from cairn.graphql.flows.trace_types import DryRunResult
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import FieldError, InvalidInput, NotFound
from cairn.graphql.scalars import JSON

DryRunFlowResult = Annotated[DryRunResult | InvalidInput | NotFound, strawberry.union("DryRunFlowResult")]


@strawberry.mutation(permission_classes=[IsAdmin], description=(
    "Run a flow's draft (flowId) or an inline graph on an event (JSON, e.g. {type, properties}) or a stored "
    "event (eventId), on a copy of a profile (profileId; the stored event's profile; or a blank one). "
    "Nothing is saved or sent: the result shows the trace, profile changes, recorded calls and UX."))
async def dry_run_flow(info: Info, flow_id: str | None = None, graph: FlowGraphInput | None = None,
                       event: JSON | None = None, event_id: str | None = None,
                       profile_id: str | None = None) -> DryRunFlowResult:
    errors = []
    if (flow_id is None) == (graph is None):
        errors.append(FieldError(field="flowId", message="give either flowId or graph"))
    if (event is None) == (event_id is None):
        errors.append(FieldError(field="event", message="give either event (JSON) or eventId"))
    if event is not None and not isinstance(event, dict):
        errors.append(FieldError(field="event", message="the event must be a JSON object"))
    if errors:
        return InvalidInput.of(errors)

    async def work() -> DryRunResult:
        event_data: dict[str, Any] | None = event if isinstance(event, dict) else None
        result = await info.context.cairn.flows.dry_run(
            flow_id=flow_id, graph=graph.to_model() if graph else None, event=event_data, event_id=event_id,
            profile_id=profile_id)
        return DryRunResult.from_model(result)

    return await expected(work())
