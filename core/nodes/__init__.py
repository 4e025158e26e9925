"""Flow nodes: the contract every node type (built-in or third-party) implements."""

from cairn.core.nodes.base import EmptyConfig, NodeContext, NodeType, Output, ProfileEditor, RunInfo
from cairn.core.nodes.testing import run_node

__all__ = ["EmptyConfig", "NodeContext", "NodeType", "Output", "ProfileEditor", "RunInfo", "run_node"]
