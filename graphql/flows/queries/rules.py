"""``rules``."""

from __future__ import annotations

from typing import Any

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.config_types import Rule
from cairn.graphql.permissions import IsAdmin


@strawberry.field(permission_classes=[IsAdmin], description="The rules, oldest first (the order they run in), "
                                                            "optionally of one flow or event type.")
async def rules(info: Info, flow_id: str | None = None, event_type: str | None = None) -> list[Rule]:
    query: dict[str, Any] = {}
    if flow_id:
        query["flow_id"] = flow_id
    if event_type:
        query["event_type"] = event_type
    return [Rule.from_model(rule) for rule in await info.context.cairn.flows.rules.list(query)]
