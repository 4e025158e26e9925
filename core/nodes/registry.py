"""The node registry: every node type the plugins declare, checked once at start-up.

:func:`build_node_registry` calls each ``register_node_types`` implementation on its
own, so it knows which plugin declared what:

- two plugins declaring the same id fail start-up (:class:`PluginError` naming both);
- a plugin with an invalid class (not a ``NodeType``, no ``id``/``name``, a config
  schema that cannot be built, a ``run`` that is not ``async``) is disabled and
  reported; its other node types are left out too;
- at run time, a node type that raises ``failure_limit`` times in a row is disabled
  (the engine then records "disabled" in the traces) until re-enabled.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from typing import Any

import pluggy
from pydantic import BaseModel

from cairn.core.nodes.base import NodeType
from cairn.core.plugin_manager import (
    CairnPluginManager,
    PluginError,
    await_me_maybe,
    problems_of,
)

logger = logging.getLogger("cairn.plugins")


@dataclass(frozen=True)
class RegisteredNode:
    """A node type as the registry knows it."""

    type: type[NodeType]
    plugin: str
    config_schema: dict[str, Any]

    @property
    def id(self) -> str:
        """The node type id."""
        return self.type.id


class NodeRegistry:
    """Node types by id, the plugin of each, and the run-time failure counts."""

    def __init__(self, manager: pluggy.PluginManager, failure_limit: int = 5) -> None:
        self.manager = manager
        self.failure_limit = failure_limit
        self.nodes: dict[str, RegisteredNode] = {}
        self.disabled: dict[str, str] = {}
        self._failures: dict[str, int] = {}

    async def load(self) -> None:
        """(Re)build the registry from the plugins' ``register_node_types`` hooks."""
        self.nodes = {}
        for impl in reversed(self.manager.hook.register_node_types.get_hookimpls()):
            try:
                declared = await await_me_maybe(impl.function())
                nodes = [_checked(cls, impl.plugin_name) for cls in declared or []]
            except _InvalidNode as error:
                _disable(self.manager, impl.plugin_name, str(error), error.node_type)
                continue
            except Exception as error:  # noqa: BLE001 - a broken plugin must not stop Cairn
                _disable(self.manager, impl.plugin_name,
                         f"register_node_types raised {type(error).__name__}: {error}", None)
                continue
            for node in nodes:
                self.add(node)

    def get(self, node_type_id: str) -> RegisteredNode | None:
        """The registered node type ``node_type_id``, or ``None``."""
        return self.nodes.get(node_type_id)

    def all(self) -> list[RegisteredNode]:
        """Every node type, by category then name."""
        return sorted(self.nodes.values(), key=lambda n: (n.type.category, n.type.name, n.id))

    def add(self, node: RegisteredNode) -> None:
        """Add a node type; a second one with the same id is a :class:`PluginError`."""
        existing = self.nodes.get(node.id)
        if existing is not None:
            raise PluginError(f"node type id {node.id!r} is declared twice: by plugin {existing.plugin!r} "
                              f"({_where(existing.type)}) and by plugin {node.plugin!r} ({_where(node.type)}); "
                              "give one of them another id (prefix ids with the package name) "
                              "or uninstall one plugin")
        self.nodes[node.id] = node

    def record_success(self, node_type_id: str) -> None:
        """The node ran without raising: its failure streak ends."""
        if self._failures.get(node_type_id):
            self._failures[node_type_id] = 0

    def record_failure(self, node_type_id: str, error: BaseException) -> None:
        """The node raised: report it; disable the type after ``failure_limit`` failures in a row."""
        node = self.nodes.get(node_type_id)
        plugin = node.plugin if node else "unknown"
        count = self._failures.get(node_type_id, 0) + 1
        self._failures[node_type_id] = count
        disable = 0 < self.failure_limit <= count
        message = f"run raised {type(error).__name__}: {error}"
        problems_of(self.manager).report(
            plugin, "run", message, node_type=node_type_id, disabled=disable,
            hint="fix the node, or make it leave through an error port for expected failures")
        if disable and node_type_id not in self.disabled:
            self.disabled[node_type_id] = (f"disabled after {count} failures in a row (last: {message}); "
                                           "re-enable it with the enableNodeType mutation once fixed")
            logger.error("node type %s disabled: %s", node_type_id, self.disabled[node_type_id])

    def enable(self, node_type_id: str) -> bool:
        """Re-enable a node type disabled for failing; return whether it was disabled."""
        self._failures.pop(node_type_id, None)
        problems_of(self.manager).clear(node_type_id)
        return self.disabled.pop(node_type_id, None) is not None


async def build_node_registry(manager: pluggy.PluginManager, failure_limit: int = 5) -> NodeRegistry:
    """Collect and check every plugin's node types (see the module docstring)."""
    registry = NodeRegistry(manager, failure_limit)
    await registry.load()
    return registry


class _InvalidNode(Exception):
    def __init__(self, message: str, node_type: str | None) -> None:
        super().__init__(message)
        self.node_type = node_type


def _checked(cls: Any, plugin: str) -> RegisteredNode:
    """Return the registry entry of ``cls`` or raise :class:`_InvalidNode` saying what to fix."""
    if not (isinstance(cls, type) and issubclass(cls, NodeType)):
        raise _InvalidNode(f"{cls!r} is not a subclass of cairn.core.nodes.NodeType", None)
    node_id = getattr(cls, "id", None)
    if not isinstance(node_id, str) or not node_id:
        raise _InvalidNode(f"{_where(cls)} has no string `id`", None)
    problems = _declaration_problems(cls)
    if problems:
        raise _InvalidNode(f"{_where(cls)} {'; '.join(problems)}", node_id)
    try:
        schema = cls.config_schema()
    except Exception as error:  # noqa: BLE001 - reported, and the plugin disabled
        raise _InvalidNode(f"{_where(cls)}: its Config.model_json_schema() raised "
                           f"{type(error).__name__}: {error}", node_id) from error
    return RegisteredNode(cls, plugin, schema)


def _declaration_problems(cls: type[NodeType]) -> list[str]:
    problems = []
    if not isinstance(getattr(cls, "name", None), str):
        problems.append("has no string `name`")
    if not (isinstance(cls.outputs, tuple) and all(isinstance(port, str) for port in cls.outputs)):
        problems.append("`outputs` must be a tuple of port names")
    if not isinstance(cls.inputs, tuple) or len(cls.inputs) > 1:
        problems.append("`inputs` must be a tuple of at most one port name")
    if not (isinstance(cls.Config, type) and issubclass(cls.Config, BaseModel)):
        problems.append("`Config` must be a pydantic model class")
    if not inspect.iscoroutinefunction(cls.run):
        problems.append("`run` must be an `async def`")
    return problems


def _disable(manager: pluggy.PluginManager, plugin: str, message: str, node_type: str | None) -> None:
    hint = "fix the plugin and restart Cairn; until then its node types are unavailable"
    if isinstance(manager, CairnPluginManager):
        manager.disable(plugin, message, stage="register", hint=hint, node_type=node_type)
    else:
        problems_of(manager).report(plugin, "register", message, hint=hint, node_type=node_type, disabled=True)
        manager.unregister(name=plugin)


def _where(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
