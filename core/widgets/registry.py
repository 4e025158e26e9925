"""The widget registry: every widget type the plugins declare, checked once at start-up.

:meth:`WidgetRegistry.load` calls each ``register_widgets`` implementation on its own,
so it knows which plugin declared what:

- two plugins declaring the same id fail start-up (:class:`PluginError` naming both);
- a plugin with an invalid class (not a ``Widget``, no ``id``/``name``, a config
  schema that cannot be built, a template that does not compile, an ``example`` that
  does not validate or render) is disabled and reported; its other widgets are left
  out too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pluggy
from pydantic import BaseModel

from cairn.core.plugin_manager import CairnPluginManager, PluginError, await_me_maybe, problems_of
from cairn.core.widgets.base import Widget
from cairn.core.widgets.rendering import WidgetConfigInvalid, WidgetTemplateError, render_widget

logger = logging.getLogger("cairn.plugins")


@dataclass(frozen=True)
class RegisteredWidget:
    """A widget type as the registry knows it."""

    type: type[Widget]
    plugin: str
    config_schema: dict[str, Any]

    @property
    def id(self) -> str:
        """The widget id."""
        return self.type.id


class WidgetRegistry:
    """Widget types by id, with the plugin that declared each."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self.manager = manager
        self.widgets: dict[str, RegisteredWidget] = {}

    async def load(self) -> None:
        """(Re)build the registry from the plugins' ``register_widgets`` hooks."""
        self.widgets = {}
        for impl in reversed(self.manager.hook.register_widgets.get_hookimpls()):
            try:
                declared = await await_me_maybe(impl.function())
                widgets = [_checked(cls, impl.plugin_name) for cls in declared or []]
            except _InvalidWidget as error:
                _disable(self.manager, impl.plugin_name, str(error))
                continue
            except Exception as error:  # noqa: BLE001 - a broken plugin must not stop Cairn
                _disable(self.manager, impl.plugin_name, f"register_widgets raised {type(error).__name__}: {error}")
                continue
            for widget in widgets:
                self.add(widget)

    def get(self, widget_id: str) -> RegisteredWidget | None:
        """The registered widget ``widget_id``, or ``None``."""
        return self.widgets.get(widget_id)

    def all(self) -> list[RegisteredWidget]:
        """Every widget type, by name."""
        return sorted(self.widgets.values(), key=lambda w: (w.type.name, w.id))

    def add(self, widget: RegisteredWidget) -> None:
        """Add a widget type; a second one with the same id is a :class:`PluginError`."""
        existing = self.widgets.get(widget.id)
        if existing is not None:
            raise PluginError(f"widget id {widget.id!r} is declared twice: by plugin {existing.plugin!r} "
                              f"({_where(existing.type)}) and by plugin {widget.plugin!r} ({_where(widget.type)}); "
                              "give one of them another id (prefix ids with the package name) "
                              "or uninstall one plugin")
        self.widgets[widget.id] = widget


async def build_widget_registry(manager: pluggy.PluginManager) -> WidgetRegistry:
    """Collect and check every plugin's widgets (see the module docstring)."""
    registry = WidgetRegistry(manager)
    await registry.load()
    return registry


class _InvalidWidget(Exception):
    pass


def _checked(cls: Any, plugin: str) -> RegisteredWidget:
    """Return the registry entry of ``cls`` or raise :class:`_InvalidWidget` saying what to fix."""
    if not (isinstance(cls, type) and issubclass(cls, Widget)):
        raise _InvalidWidget(f"{cls!r} is not a subclass of cairn.core.widgets.Widget")
    problems = _declaration_problems(cls)
    if problems:
        raise _InvalidWidget(f"{_where(cls)} {'; '.join(problems)}")
    try:
        schema = cls.config_schema()
    except Exception as error:  # noqa: BLE001 - reported, and the plugin disabled
        raise _InvalidWidget(f"{_where(cls)}: its Config.model_json_schema() raised "
                             f"{type(error).__name__}: {error}") from error
    try:
        render_widget(cls, cls.example)
    except (WidgetConfigInvalid, WidgetTemplateError) as error:
        raise _InvalidWidget(f"{_where(cls)}: rendering its `example` failed: {error}") from error
    return RegisteredWidget(cls, plugin, schema)


def _declaration_problems(cls: type[Widget]) -> list[str]:
    problems = []
    if not isinstance(getattr(cls, "id", None), str) or not cls.id:
        problems.append("has no string `id`")
    if not isinstance(getattr(cls, "name", None), str) or not cls.name:
        problems.append("has no string `name`")
    if not (isinstance(cls.Config, type) and issubclass(cls.Config, BaseModel)):
        problems.append("`Config` must be a pydantic model class")
    if not isinstance(cls.template, str) or not cls.template.strip():
        problems.append("has no `template`")
    if not isinstance(cls.script, str) or (cls.script.strip() and "function mount" not in cls.script):
        problems.append("`script` must declare `function mount(root, config, widget)`")
    if not (isinstance(cls.events, tuple) and all(isinstance(event, str) for event in cls.events)):
        problems.append("`events` must be a tuple of event types")
    return problems


def _disable(manager: pluggy.PluginManager, plugin: str, message: str) -> None:
    hint = "fix the plugin and restart Cairn; until then its widgets are unavailable"
    if isinstance(manager, CairnPluginManager):
        manager.disable(plugin, message, stage="register", hint=hint)
    else:
        problems_of(manager).report(plugin, "register", message, hint=hint, disabled=True)
        manager.unregister(name=plugin)


def _where(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
