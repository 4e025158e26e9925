"""Flow nodes: the contract every node type (built-in or third-party) implements."""

from cairn.core.nodes.base import EmptyConfig, NodeContext, NodeResult, NodeType, Output, ProfileEditor, RunInfo
from cairn.core.nodes.services import CallRecorder, Outbox, RecordingOutbox
from cairn.core.nodes.testing import run_node

__all__ = ["CallRecorder", "EmptyConfig", "NodeContext", "NodeResult", "NodeType", "Outbox", "Output",
           "ProfileEditor", "RecordingOutbox", "RunInfo", "run_node"]
