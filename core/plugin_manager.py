"""The plugin manager: built-ins and third-party plugins, registered the same way.

Start-up registers, in order: the essential plugins (cannot be disabled), the default
plugins (the built-in node catalogue…), the packages found under the ``cairn``
entry-point group, then any plugin objects the caller passes. A plugin that fails to
import is reported in :attr:`CairnPluginManager.problems` and left out; Cairn starts
without it. A hook implementation whose name matches no hook fails start-up.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import logging
import types
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pluggy

from cairn.core import hookspecs
from cairn.core.clock import utcnow

PROJECT = "cairn"
hookimpl = pluggy.HookimplMarker(PROJECT)
logger = logging.getLogger("cairn.plugins")

ESSENTIAL_PLUGINS = (
    "cairn.graphql.plugin",
    "cairn.graphql.flows.plugin",
    "cairn.core.consents.plugin",
    "cairn.core.outbox.plugin",
    "cairn.core.segments.plugin",
    "cairn.graphql.consents.plugin",
    "cairn.graphql.outbox.plugin",
    "cairn.graphql.privacy.plugin",
    "cairn.graphql.segments.plugin",
    "cairn.graphql.widgets.plugin",
)
"""Modules registered on every start, which cannot be disabled: the GraphQL API, consent
enforcement, the outbox and segments are plugins of the core."""

DEFAULT_PLUGINS = ("cairn.plugins.nodes", "cairn.plugins.channels", "cairn.plugins.widgets", "cairn.plugins.editor")
"""Built-in plugins, registered like third-party ones; ``disabled=`` can leave them out."""


class PluginError(RuntimeError):
    """A plugin set-up Cairn cannot start with (a misspelled hook, a duplicate node type id)."""


@dataclass
class PluginProblem:
    """Something wrong with a plugin, as the admin sees it (GraphQL ``pluginProblems``).

    ``stage`` is where it happened: ``load`` (import of the package), ``register``
    (a declared class is invalid), ``run`` (a node raised) or ``hook`` (a hook raised).
    ``disabled`` says whether Cairn stopped using the plugin (or node type) for it.
    """

    plugin: str
    stage: str
    message: str
    hint: str = ""
    node_type: str | None = None
    disabled: bool = False
    count: int = 1
    first_at: datetime = field(default_factory=utcnow)
    last_at: datetime = field(default_factory=utcnow)


class PluginProblems:
    """The problems reported since start-up; a repeated problem counts up instead of piling up."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str, str | None, str], PluginProblem] = {}

    def report(self, plugin: str, stage: str, message: str, *, hint: str = "", node_type: str | None = None,
               disabled: bool = False) -> PluginProblem:
        """Record (and log) a problem; return it."""
        key = (plugin, stage, node_type, message)
        problem = self._items.get(key)
        if problem is None:
            problem = self._items[key] = PluginProblem(plugin, stage, message, hint, node_type, disabled)
            logger.error("plugin %s (%s%s): %s%s", plugin, stage, f", node type {node_type}" if node_type else "",
                         message, f" — {hint}" if hint else "")
        else:
            problem.count += 1
            problem.last_at = utcnow()
            problem.disabled = problem.disabled or disabled
        return problem

    def all(self) -> list[PluginProblem]:
        """Every problem, most recent first."""
        return sorted(self._items.values(), key=lambda p: p.last_at, reverse=True)

    def clear(self, node_type: str) -> None:
        """Forget the problems of a node type (it was re-enabled)."""
        self._items = {k: p for k, p in self._items.items() if p.node_type != node_type}


class CairnPluginManager(pluggy.PluginManager):
    """pluggy's manager plus the list of plugin problems."""

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.problems = PluginProblems()

    def disable(self, plugin_name: str, reason: str, *, stage: str, hint: str = "",
                node_type: str | None = None) -> None:
        """Unregister a plugin for a reason the admin can read; Cairn goes on without it."""
        self.problems.report(plugin_name, stage, reason, hint=hint, node_type=node_type, disabled=True)
        if self.get_plugin(plugin_name) is not None:
            self.unregister(name=plugin_name)
        self.set_blocked(plugin_name)


def problems_of(manager: pluggy.PluginManager) -> PluginProblems:
    """The problem list of ``manager`` (a plain pluggy manager gets an empty one attached)."""
    problems = getattr(manager, "problems", None)
    if not isinstance(problems, PluginProblems):
        problems = PluginProblems()
        manager.problems = problems  # type: ignore[attr-defined]
    return problems


def create_plugin_manager(*, load_entry_points: bool = True, extra_plugins: tuple[object, ...] = (),
                          defaults: bool = True, disabled: Collection[str] = ()) -> CairnPluginManager:
    """Return a plugin manager with Cairn's hookspecs, built-ins and installed plugins.

    ``disabled`` names default or entry-point plugins to leave out (essential ones cannot be).
    Raises :class:`PluginError` if a plugin implements a hook that does not exist.
    """
    essential = set(disabled) & set(ESSENTIAL_PLUGINS)
    if essential:
        raise PluginError(f"{', '.join(sorted(essential))} cannot be disabled: Cairn needs it")
    manager = CairnPluginManager()
    manager.add_hookspecs(hookspecs)
    for name in disabled:
        manager.set_blocked(name)
    for module_name in ESSENTIAL_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
    if defaults:
        for module_name in DEFAULT_PLUGINS:
            _register_default(manager, module_name)
    if load_entry_points:
        _load_entry_points(manager)
    for plugin in extra_plugins:
        if not manager.is_registered(plugin):  # a built-in passed again is already there
            manager.register(plugin, name=_unique_name(manager, plugin_name(plugin)))
    check_hook_names(manager)
    return manager


def plugin_name(plugin: object) -> str:
    """A readable name for a plugin object: its ``name`` attribute, module name or class name."""
    explicit = getattr(plugin, "name", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    if isinstance(plugin, types.ModuleType):
        return plugin.__name__
    if isinstance(plugin, type):
        return plugin.__qualname__
    return type(plugin).__qualname__


def _unique_name(manager: pluggy.PluginManager, name: str) -> str:
    candidate, number = name, 2
    while manager.has_plugin(candidate) or manager.is_blocked(candidate):
        candidate, number = f"{name}#{number}", number + 1
    return candidate


def _register_default(manager: CairnPluginManager, module_name: str) -> None:
    if manager.is_blocked(module_name):
        return
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            logger.debug("built-in plugin %s is not installed", module_name)
            return
        manager.problems.report(module_name, "load", f"import failed: {error}", disabled=True,
                                hint="install the missing package or fix the import")
        return
    except Exception as error:  # noqa: BLE001 - a broken built-in must not stop Cairn
        manager.problems.report(module_name, "load", f"import failed: {type(error).__name__}: {error}",
                                disabled=True, hint="fix the error in the plugin module")
        return
    manager.register(module, name=module_name)


def _load_entry_points(manager: CairnPluginManager) -> None:
    """Register every ``cairn`` entry point; one that fails to load is reported and skipped."""
    for entry_point in importlib.metadata.entry_points(group=PROJECT):
        if manager.has_plugin(entry_point.name) or manager.is_blocked(entry_point.name):
            continue
        try:
            plugin = entry_point.load()
        except Exception as error:  # noqa: BLE001 - third-party code; report it and go on
            manager.problems.report(entry_point.name, "load", f"import of {entry_point.value} failed: "
                                    f"{type(error).__name__}: {error}", disabled=True,
                                    hint="reinstall the package or fix its import; Cairn runs without it")
            continue
        manager.register(plugin, name=entry_point.name)


def check_hook_names(manager: pluggy.PluginManager) -> None:
    """Fail if a plugin implements a hook Cairn does not have (a typo would otherwise be ignored)."""
    known = sorted(name for name in dir(hookspecs) if getattr(getattr(hookspecs, name), "cairn_spec", None))
    for hook_name, hook in vars(manager.hook).items():
        if hook.has_spec():
            continue
        for impl in hook.get_hookimpls():
            if impl.hookwrapper or impl.wrapper or impl.optionalhook:
                continue
            close = difflib.get_close_matches(hook_name, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the hooks are: {', '.join(known)}"
            raise PluginError(f"plugin {impl.plugin_name!r} implements unknown hook {hook_name!r}; {hint}")
    manager.check_pending()


async def await_me_maybe(value: Any) -> Any:
    """Return ``value``, awaited if it is awaitable, called and awaited if it is an async callable."""
    if callable(value) and inspect.iscoroutinefunction(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


async def call_hook(hook: Callable[..., list[Any]], **kwargs: Any) -> list[Any]:
    """Call a hook and await each implementation's result (an exception stops the caller)."""
    return [await await_me_maybe(result) for result in hook(**kwargs)]


async def call_each(manager: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call every implementation of a hook on its own; return ``(plugin name, awaited result)`` pairs.

    An implementation that raises is reported as a ``hook`` problem and skipped: one
    broken plugin never stops the others (used for notifications and registries).
    """
    hook = getattr(manager.hook, hook_name)
    results = []
    for impl in reversed(hook.get_hookimpls()):
        try:
            value = await await_me_maybe(impl.function(**{name: kwargs[name] for name in impl.argnames}))
        except Exception as error:  # noqa: BLE001 - isolate plugins from each other
            logger.exception("hook %s of plugin %s failed", hook_name, impl.plugin_name)
            problems_of(manager).report(impl.plugin_name, "hook", f"{hook_name} raised {type(error).__name__}: "
                                        f"{error}", hint="see the server log for the traceback")
            continue
        results.append((impl.plugin_name, value))
    return results
