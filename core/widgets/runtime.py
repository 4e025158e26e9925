"""The widget registry of a running Cairn, and rendering the ``ux`` of a tracking response.

Until ``Cairn`` declares a ``widgets`` field of its own, the registry is built on
first use (or by the built-in widgets plugin at start-up) and kept on the Cairn object
under that name, so the HTTP routes, GraphQL and the tracking endpoint share it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from cairn.core.widgets.instances import WidgetInstances
from cairn.core.widgets.registry import WidgetRegistry, build_widget_registry
from cairn.core.widgets.rendering import WidgetConfigInvalid, WidgetTemplateError, render_widget

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn

ATTRIBUTE = "widgets"
logger = logging.getLogger("cairn.widgets")


async def widgets_of(cairn: Cairn) -> WidgetRegistry:
    """The :class:`WidgetRegistry` of ``cairn`` (built from ``register_widgets`` the first time)."""
    registry = getattr(cairn, ATTRIBUTE, None)
    if not isinstance(registry, WidgetRegistry):
        registry = await build_widget_registry(cairn.plugins)
        setattr(cairn, ATTRIBUTE, registry)
    return registry


async def render_ux(cairn: Cairn, ux: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ux`` with every widget instruction rendered (``html`` and ``script`` added).

    The tracking endpoint calls this before answering, so the tracker only mounts. An
    instruction naming an unknown widget, or settings the widget refuses, keeps its
    place with an ``error`` instead (the tracker skips it; the message says what to fix).
    Other instructions pass unchanged.
    """
    if not any(item.get("type") == "widget" for item in ux):
        return ux
    registry = await widgets_of(cairn)
    return [_rendered(registry, item) if item.get("type") == "widget" else item for item in ux]


def _rendered(registry: WidgetRegistry, item: dict[str, Any]) -> dict[str, Any]:
    widget_id = str(item.get("widget", ""))
    registered = registry.get(widget_id)
    if registered is None:
        return {**item, "error": f"no installed plugin declares widget {widget_id!r}; "
                                 "pick a widget from the catalogue"}
    config = item.get("config")
    try:
        return {**item, **render_widget(registered.type, config if isinstance(config, dict) else {}).instruction()}
    except (WidgetConfigInvalid, WidgetTemplateError) as error:
        logger.warning("widget instruction not rendered: %s", error)
        return {**item, "error": str(error)}


async def instances_of(cairn: Cairn) -> WidgetInstances:
    """The saved widget settings (``widget_instances``) of ``cairn``."""
    return WidgetInstances(cairn.database, await widgets_of(cairn))
