"""Condition: branch on an expression in Cairn's condition language."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.conditions import Condition, compile_condition
from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output

ROOTS = ("event", "profile", "session", "payload", "flow")
"""What an expression can read (``NodeContext.condition_context``); any other first name is a typo."""


class ConditionConfig(BaseModel):
    """The expression to test."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    expression: str = Field(
        description="A condition over event, profile, session, payload and flow.variables; "
                    "true follows the 'true' port, anything else 'false'.",
        examples=['event.properties.total >= 100 and profile.traits.country == "FR"'],
        min_length=1,
    )

    @field_validator("expression")
    @classmethod
    def _compiles(cls, expression: str) -> str:
        _compiled(expression)  # a ConditionError (a ValueError) becomes a validation error
        return expression

    def compiled(self) -> Condition:
        """The compiled expression."""
        return _compiled(self.expression)


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> Condition:
    return compile_condition(expression, roots=ROOTS)


class ConditionNode(NodeType):
    """Evaluates the expression against the run's context."""

    id = "cairn.condition"
    version = 1
    name = "Condition"
    category = "Flow"
    description = "Follows 'true' or 'false' depending on an expression."
    docs = """\
Evaluates an expression in Cairn's condition language, for example
`event.properties.total >= 100 and "vip" in profile.tags`, and follows `true` when it
holds, `false` otherwise (a missing field makes a comparison false, never an error).

The expression sees `event`, `profile`, `session`, `payload` and `flow.variables`.
An expression that does not compile is refused when the flow is saved, with the
position of the mistake.

**Ports**: `in`; `true`, `false` — both pass the payload on unchanged.

**Config**: `expression`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("true", "false")
    Config = ConditionConfig

    async def run(self, config: ConditionConfig, ctx: NodeContext) -> NodeResult:
        """Follow ``true`` or ``false`` with the incoming payload."""
        holds = config.compiled().evaluate(ctx.condition_context())
        return Output("true" if holds else "false", ctx.payload)
