"""Rendering a widget for a page: validated settings in, HTML and the script's URL out.

Templates run in Jinja2's immutable sandbox with autoescaping: the settings (which a
flow may have filled from event data) are always text, never markup, and a template
cannot reach Python internals. The HTML starts with a ``<style>`` holding the shared
widget styles and the widget's own, since it goes into the widget's shadow root.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel, ValidationError

from cairn.core.widgets.assets import Asset, widget_css
from cairn.core.widgets.base import Widget


class WidgetConfigInvalid(ValueError):
    """The settings do not fit the widget's config model; ``errors`` name each field."""

    def __init__(self, widget_id: str, errors: list[dict[str, str]]) -> None:
        summary = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
        super().__init__(f"the settings of widget {widget_id!r} are invalid ({summary}); "
                         "correct them in the widget's settings form")
        self.widget_id = widget_id
        self.errors = errors


class WidgetTemplateError(RuntimeError):
    """A widget's template does not compile or render: a bug in the widget plugin."""


@dataclass(frozen=True)
class RenderedWidget:
    """What a page needs to mount a widget."""

    widget: str
    config: dict[str, Any]
    """The validated settings as JSON values (the script receives them)."""
    html: str
    """The shadow root's content: ``<style>`` then the template's HTML."""
    script: str | None
    """The path of the widget's script (versioned), or ``None`` for a static widget."""

    def instruction(self) -> dict[str, Any]:
        """The ``ux`` item the tracker mounts."""
        return {"type": "widget", "widget": self.widget, "config": self.config, "html": self.html,
                "script": self.script}


_environment = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined,
                                             trim_blocks=True, lstrip_blocks=True)


def validate_config(widget: type[Widget], config: dict[str, Any] | BaseModel | None) -> BaseModel:
    """The settings as the widget's config model, or :class:`WidgetConfigInvalid`."""
    if isinstance(config, widget.Config):
        return config
    try:
        return widget.Config.model_validate(config or {})
    except ValidationError as error:
        raise WidgetConfigInvalid(widget.id, [
            {"field": ".".join(str(part) for part in detail["loc"]) or "config", "message": detail["msg"]}
            for detail in error.errors()]) from None


def compile_template(widget: type[Widget]) -> Template:
    """The widget's compiled template (cached), or :class:`WidgetTemplateError`."""
    return _compiled(widget.id, widget.template)


@lru_cache(maxsize=256)
def _compiled(widget_id: str, source: str) -> Template:
    try:
        return _environment.from_string(source)
    except TemplateError as error:
        raise WidgetTemplateError(f"the template of widget {widget_id!r} does not compile: {error}") from error


def script_asset(widget: type[Widget]) -> Asset | None:
    """The script Cairn serves for ``widget``: its source in a scope of its own, registering ``mount``."""
    if not widget.script.strip():
        return None
    return _script(widget.id, widget.script)


@lru_cache(maxsize=256)
def _script(widget_id: str, source: str) -> Asset:
    wrapped = (f"/* Cairn widget {widget_id} */\n(function () {{\n\"use strict\";\n{source}\n"
               f"if (window.CairnWidgets) {{ window.CairnWidgets.define({json.dumps(widget_id)}, mount); }}\n}})();\n")
    return Asset.of(wrapped.encode())


def script_path(widget: type[Widget]) -> str | None:
    """The versioned path of the widget's script (``/widgets/<id>/script.js?v=<hash>``)."""
    asset = script_asset(widget)
    if asset is None:
        return None
    return f"/widgets/{widget.id}/script.js?v={asset.etag.strip(chr(34))}"


def render_widget(widget: type[Widget], config: dict[str, Any] | BaseModel | None) -> RenderedWidget:
    """Validate ``config`` and render ``widget`` with it."""
    model = validate_config(widget, config)
    values = model.model_dump(mode="json")
    try:
        body = compile_template(widget).render(**widget.context(model), config=values,
                                               widget={"id": widget.id, "name": widget.name})
    except TemplateError as error:
        raise WidgetTemplateError(f"the template of widget {widget.id!r} failed: {error}") from error
    html = f"<style>{widget_css()}\n{widget.styles}</style>\n{body}"
    return RenderedWidget(widget=widget.id, config=values, html=html, script=script_path(widget))
