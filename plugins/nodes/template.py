"""Render template: turn a Jinja2 template into the payload or a run variable."""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.plugins.nodes._outputs import error_output
from cairn.plugins.nodes._templating import TemplateProblem, check_template, render


class TemplateConfig(BaseModel):
    """The template and where its result goes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str = Field(description="A Jinja2 template; it sees event, profile, session, payload "
                                      "and variables.",
                          examples=["Hello {{ profile.traits.first_name | default('there') }}!"])
    target: Literal["payload", "variable"] = Field(
        "payload", description="Send the result on as the payload, or store it in a run variable.")
    variable: str | None = Field(None, description="The variable to store the result in (target 'variable').",
                                 examples=["greeting"])
    parse_json: bool = Field(False, description="Parse the rendered text as JSON (to build structured data).")

    _check = field_validator("template")(check_template)

    @model_validator(mode="after")
    def _variable_named(self) -> TemplateConfig:
        if self.target == "variable" and not (self.variable or "").strip():
            raise ValueError("target 'variable' needs a 'variable' name")
        return self


class RenderTemplate(NodeType):
    """Renders text (or JSON) from the run's context."""

    id = "cairn.render_template"
    version = 1
    name = "Render template"
    category = "Data"
    description = "Renders a Jinja2 template into the payload or a run variable."
    docs = """\
Renders `template` with Jinja2 in a sandbox. The template sees `event`, `profile`,
`session`, `payload` and `variables`; missing data renders as an empty string
(`{{ profile.traits.city | default("your city") }}` gives a fallback).

With `parse_json`, the rendered text is parsed as JSON, so a template can build
structured data: `{"email": {{ profile.traits.email | tojson }}}`.

The result becomes the payload (`target: payload`) or the run variable `variable`
(`target: variable`; the payload then passes on unchanged).

The sandbox refuses access to Python internals and changes to the data; such a
template, a failing filter or invalid JSON follows `error`.

**Ports**: `in`; `out`; `error` (`{"error": …}`).

**Config**: `template`, `target`, `variable`, `parse_json`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("out", "error")
    Config = TemplateConfig

    async def run(self, config: TemplateConfig, ctx: NodeContext) -> NodeResult:
        """Render, then send the result on or store it."""
        try:
            text = render(config.template, ctx)
        except TemplateProblem as problem:
            return error_output(str(problem))
        result: Any = text
        if config.parse_json:
            try:
                result = json.loads(text)
            except json.JSONDecodeError as error:
                return error_output(f"the rendered text is not JSON: {error}", text=text)
        if config.target == "variable":
            ctx.variables[(config.variable or "").strip()] = result
            return Output("out", ctx.payload)
        return Output("out", result)
