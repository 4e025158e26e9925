"""``createRule``, ``updateRule``, ``deleteRule``."""

from __future__ import annotations

import strawberry

from cairn.graphql.context import Info
from cairn.graphql.flows.config_types import Rule
from cairn.graphql.flows.inputs import given
from cairn.graphql.flows.results import Deleted, DeleteResult, RuleResult, RuleSaved, expected
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound


@strawberry.mutation(permission_classes=[IsAdmin], description=(
    "Run a flow for the events of a type ('*': any) — optionally only from one source and only when a condition "
    "(condition language, over event, profile, session) holds."))
async def create_rule(info: Info, event_type: str, flow_id: str, name: str = "", source_id: str | None = None,
                      condition: str | None = None, enabled: bool = True) -> RuleResult:
    async def work() -> RuleSaved:
        rule = await info.context.cairn.flows.create_rule(
            {"event_type": event_type, "flow_id": flow_id, "name": name, "source_id": source_id or None,
             "condition": condition, "enabled": enabled})
        return RuleSaved(rule=Rule.from_model(rule))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Change a rule: only the arguments given change "
                                                               "(null clears sourceId or condition).")
async def update_rule(info: Info, id: strawberry.ID,  # noqa: A002 - GraphQL's name
                      event_type: str | None = strawberry.UNSET, flow_id: str | None = strawberry.UNSET,
                      name: str | None = strawberry.UNSET, source_id: str | None = strawberry.UNSET,
                      condition: str | None = strawberry.UNSET, enabled: bool | None = strawberry.UNSET) -> RuleResult:
    async def work() -> RuleSaved:
        changes = given(event_type=event_type, flow_id=flow_id, name=name, source_id=source_id,
                        condition=condition, enabled=enabled)
        return RuleSaved(rule=Rule.from_model(await info.context.cairn.flows.update_rule(str(id), changes)))

    return await expected(work())


@strawberry.mutation(permission_classes=[IsAdmin], description="Delete a rule.")
async def delete_rule(info: Info, id: strawberry.ID) -> DeleteResult:  # noqa: A002 - GraphQL's name
    if await info.context.cairn.flows.rules.delete(str(id)):
        return Deleted(id=id)
    return NotFound.of("rule", str(id))
