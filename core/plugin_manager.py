"""The plugin manager: built-ins and third-party plugins, registered the same way."""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from typing import Any

import pluggy

from cairn.core import hookspecs

PROJECT = "cairn"
hookimpl = pluggy.HookimplMarker(PROJECT)
logger = logging.getLogger("cairn.plugins")

ESSENTIAL_PLUGINS = ("cairn.graphql.plugin",)
"""Modules registered on every start: the GraphQL API is a plugin of the core."""


def create_plugin_manager(*, load_entry_points: bool = True,
                          extra_plugins: tuple[object, ...] = ()) -> pluggy.PluginManager:
    """Return a plugin manager with Cairn's hookspecs, built-ins and installed plugins."""
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    for module_name in ESSENTIAL_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
    if load_entry_points:
        manager.load_setuptools_entrypoints(PROJECT)
    for plugin in extra_plugins:
        manager.register(plugin)
    manager.check_pending()
    return manager


async def await_me_maybe(value: Any) -> Any:
    """Return ``value``, awaited if it is awaitable, called and awaited if it is an async callable."""
    if callable(value) and inspect.iscoroutinefunction(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


async def call_hook(hook: Callable[..., list[Any]], **kwargs: Any) -> list[Any]:
    """Call a hook and await each implementation's result."""
    return [await await_me_maybe(result) for result in hook(**kwargs)]


