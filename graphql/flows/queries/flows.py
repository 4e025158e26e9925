"""``flows`` and ``flow``."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.types import Flow
from cairn.graphql.permissions import IsAdmin


@strawberry.field(permission_classes=[IsAdmin], description="Every flow, by name.")
async def flows(info: Info) -> list[Flow]:
    return [Flow.from_model(flow) for flow in await info.context.cairn.flows.flows.list()]


@strawberry.field(permission_classes=[IsAdmin], description="The flow with this id.")
async def flow(info: Info, id: strawberry.ID) -> Flow | None:  # noqa: A002 - GraphQL's name
    found = await info.context.cairn.flows.flows.get(str(id))
    return Flow.from_model(found) if found else None
