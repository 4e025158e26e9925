"""An example Cairn plugin: one flow node, registered through the ``cairn`` entry point."""

from __future__ import annotations

from cairn.core.nodes import NodeType
from cairn.core.plugin_manager import hookimpl
from cairn_example_plugin.loyalty import LoyaltyPoints

__all__ = ["LoyaltyPoints", "register_node_types"]


@hookimpl
def register_node_types() -> list[type[NodeType]]:
    """Return this plugin's node types."""
    return [LoyaltyPoints]
