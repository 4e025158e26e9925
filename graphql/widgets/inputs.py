"""Turning the widget layer's refusals into GraphQL field errors."""

from __future__ import annotations

from cairn.core.widgets import InstanceNameInvalid, WidgetConfigInvalid
from cairn.graphql.results import FieldError, InvalidInput


def invalid(error: WidgetConfigInvalid | InstanceNameInvalid, prefix: str = "config") -> InvalidInput:
    """The ``InvalidInput`` result for refused settings (fields as ``config.<name>``) or a refused name."""
    if isinstance(error, InstanceNameInvalid):
        return InvalidInput.of([FieldError(field=e["field"], message=e["message"]) for e in error.errors])
    return InvalidInput.of([FieldError(field=f"{prefix}.{e['field']}", message=e["message"]) for e in error.errors])


def config_object(config: object) -> dict[str, object] | InvalidInput:
    """``config`` if it is a JSON object (``None`` counts as empty), else the ``InvalidInput`` saying so."""
    if config is None:
        return {}
    if isinstance(config, dict):
        return config
    return InvalidInput.of([FieldError(field="config", message="must be a JSON object")])
