"""``deployFlow``: the draft becomes version n+1, unless it has problems."""

from __future__ import annotations

import strawberry

from cairn.core.flows import NotFound as CoreNotFound
from cairn.graphql.context import Info
from cairn.graphql.flows.results import DeployRefused, DeployResult, FlowDeployed
from cairn.graphql.flows.types import Flow, FlowVersion, GraphProblem
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound


@strawberry.mutation(permission_classes=[IsAdmin], description="Validate the draft and deploy it as the next version; "
                                                               "refused with the list of problems if it has any.")
async def deploy_flow(info: Info, id: strawberry.ID) -> DeployResult:  # noqa: A002 - GraphQL's name
    service = info.context.cairn.flows
    try:
        result = await service.deploy(str(id))
    except CoreNotFound:
        return NotFound.of("flow", str(id))
    if result.version is None:
        return DeployRefused(message=f"the draft has {len(result.problems)} problem(s); fix them and deploy again",
                             problems=[GraphProblem.from_model(p) for p in result.problems])
    flow = await service.flows.get(str(id))
    assert flow is not None
    return FlowDeployed(flow=Flow.from_model(flow), version=FlowVersion.from_model(result.version))
