"""``createFlow``, ``updateFlow``, ``deleteFlow``: the flow and its draft."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.inputs import FlowGraphInput
from cairn.graphql.flows.results import Deleted, DeleteResult, FlowResult, FlowSaved, expected
from cairn.graphql.flows.types import Flow
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound


@strawberry.mutation(permission_classes=[IsAdmin], description="Create a flow with a draft graph (empty if not given).")
async def create_flow(info: Info, name: str, description: str = "", graph: FlowGraphInput | None = None) -> FlowResult:
    async def work() -> FlowSaved:
        model = graph.to_model() if graph else None
        return FlowSaved(flow=Flow.from_model(await info.context.cairn.flows.flows.create(name, description, model)))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Change a flow's name, description or draft graph; "
                                                               "the deployed version is not touched.")
async def update_flow(info: Info, id: strawberry.ID, name: str | None = None,  # noqa: A002 - GraphQL's name
                      description: str | None = None, graph: FlowGraphInput | None = None) -> FlowResult:
    async def work() -> FlowSaved:
        model = graph.to_model() if graph else None
        flow = await info.context.cairn.flows.flows.update(str(id), name=name, description=description, graph=model)
        return FlowSaved(flow=Flow.from_model(flow))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Delete a flow, its versions and the rules that run it.")
async def delete_flow(info: Info, id: strawberry.ID) -> DeleteResult:  # noqa: A002 - GraphQL's name
    if await info.context.cairn.flows.delete_flow(str(id)):
        return Deleted(id=id)
    return NotFound.of("flow", str(id))
