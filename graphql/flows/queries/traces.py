"""``flowTraces`` and ``flowTrace``."""

from __future__ import annotations

from typing import Any

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.trace_types import FlowTrace
from cairn.graphql.pagination import Connection, paginate
from cairn.graphql.permissions import IsAdmin


@strawberry.field(permission_classes=[IsAdmin], description="Flow-run traces, newest first, optionally of one "
                                                            "flow, profile or event, or only the failed runs.")
async def flow_traces(info: Info, flow_id: str | None = None, profile_id: str | None = None,
                      event_id: str | None = None, errors_only: bool = False, first: int | None = None,
                      after: str | None = None) -> Connection[FlowTrace]:
    store = info.context.cairn.flows.traces

    async def fetch(size: int, cursor: str | None) -> Any:
        return await store.page(first=size, after=cursor, flow_id=flow_id, profile_id=profile_id,
                                event_id=event_id, errors_only=errors_only)

    return await paginate(info, first, after, fetch, FlowTrace.from_dict)


@strawberry.field(permission_classes=[IsAdmin], description="The trace with this id (null once expired).")
async def flow_trace(info: Info, id: strawberry.ID) -> FlowTrace | None:  # noqa: A002 - GraphQL's name
    found = await info.context.cairn.flows.traces.get(str(id))
    return FlowTrace.from_dict(found) if found else None
