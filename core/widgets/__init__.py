"""Widgets: micro frontends (pop-ups, banners, surveys) that flows ask websites to show.

A widget type is a :class:`Widget` subclass that a plugin returns from
``register_widgets``; Cairn renders its template for a page and serves its script.
"""

from cairn.core.widgets.base import EmptyWidgetConfig, Widget
from cairn.core.widgets.instances import InstanceNameInvalid, UnknownWidget, WidgetInstance, WidgetInstances
from cairn.core.widgets.registry import RegisteredWidget, WidgetRegistry, build_widget_registry
from cairn.core.widgets.rendering import (
    RenderedWidget,
    WidgetConfigInvalid,
    WidgetTemplateError,
    render_widget,
    validate_config,
)
from cairn.core.widgets.runtime import instances_of, render_ux, widgets_of

__all__ = ["EmptyWidgetConfig", "InstanceNameInvalid", "RegisteredWidget", "RenderedWidget", "UnknownWidget",
           "Widget", "WidgetConfigInvalid", "WidgetInstance", "WidgetInstances", "WidgetRegistry",
           "WidgetTemplateError", "build_widget_registry", "instances_of", "render_ux", "render_widget",
           "validate_config", "widgets_of"]
