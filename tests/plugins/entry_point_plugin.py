"""A plugin module loaded through a (simulated) ``cairn`` entry point by the plugin tests."""

from __future__ import annotations

from typing import Any, ClassVar

from cairn.core.nodes import NodeType
from cairn.core.plugin_manager import hookimpl


class Hello(NodeType):
    id = "entry.hello"
    name = "Hello"
    inputs: ClassVar[tuple[str, ...]] = ()

    async def run(self, config: Any, ctx: Any) -> None:
        return None


@hookimpl
def register_node_types() -> list[type[NodeType]]:
    return [Hello]
