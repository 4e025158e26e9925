"""Log: write a line to the run's trace."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.plugins.nodes._templating import TemplateProblem, check_template, render


class LogConfig(BaseModel):
    """The message."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message: str = Field(description="A Jinja2 template for the line to log.",
                         examples=["order {{ event.properties.order_id }} for {{ profile.id }}"])

    _check = field_validator("message")(check_template)


class Log(NodeType):
    """Adds a line to the run's trace, for debugging flows."""

    id = "cairn.log"
    version = 1
    name = "Log"
    category = "Flow"
    description = "Writes a message to the run's trace (what the editor's run view shows)."
    docs = """\
Renders `message` (a Jinja2 template seeing `event`, `profile`, `session`, `payload`
and `variables`) and adds it to the run's trace. Logging never stops a flow: a
message that fails to render is logged as the error instead.

**Ports**: `in`; `out` (payload unchanged).

**Config**: `message`.
"""
    Config = LogConfig

    async def run(self, config: LogConfig, ctx: NodeContext) -> NodeResult:
        """Log the message, follow ``out``."""
        try:
            ctx.log(render(config.message, ctx))
        except TemplateProblem as problem:
            ctx.log(f"log message failed to render: {problem}")
        return Output("out", ctx.payload)
