"""Show widget: ask the page that sent the event to show a widget (a pop-up, a banner…)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.plugins.nodes._outputs import error_output
from cairn.plugins.nodes._templating import TemplateProblem, check_templates, render_value


class WidgetConfig(BaseModel):
    """Which widget, configured how."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    widget: str = Field(description="The widget id, from the widget catalogue.",
                        examples=["cairn.toast", "cairn.cta", "cairn.rating"], min_length=1)
    config: dict[str, JsonValue] = Field(
        default_factory=dict, description="The widget's settings; texts in it are Jinja2 templates.",
        examples=[{"title": "Welcome back, {{ profile.traits.first_name | default('friend') }}!",
                   "message": "Your order is on its way.", "level": "success"}])

    _check = field_validator("config")(check_templates)


class ShowWidget(NodeType):
    """Adds a widget instruction to the response of the tracking call."""

    id = "cairn.show_widget"
    version = 1
    name = "Show widget"
    category = "UX"
    description = "Shows a widget (toast, call to action, rating, survey…) on the page that sent the event."
    docs = """\
Asks the website that sent the event to show widget `widget` (an id from the widget
catalogue, such as `cairn.toast` or `cairn.rating`) with settings `config`. The
instruction `{"type": "widget", "widget": …, "config": {…}}` travels back in the `ux`
list of the tracking response, where the tracker script mounts the widget; settings
the widget refuses are reported there instead.

Texts in `config` are Jinja2 templates seeing `event`, `profile`, `session`, `payload`
and `variables`, so a pop-up can greet the customer by name.

Widgets reach a page only when the flow runs while the tracking request waits for its
answer; after a delay there is no page to show them on.

**Ports**: `in`; `out` (payload unchanged); `error` when a template fails.

**Config**: `widget`, `config`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("out", "error")
    Config = WidgetConfig

    async def run(self, config: WidgetConfig, ctx: NodeContext) -> NodeResult:
        """Render the settings, add the instruction, follow ``out``."""
        try:
            settings = render_value(config.config, ctx)
        except TemplateProblem as problem:
            return error_output(str(problem), widget=config.widget)
        ctx.ux.append({"type": "widget", "widget": config.widget, "config": settings})
        return Output("out", ctx.payload)
