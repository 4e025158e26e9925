"""Cairn's built-in flow nodes, registered as a plugin exactly like a third-party one.

Each node lives in the module of its family; :func:`register_node_types` hands them
all to the plugin manager. Shared helpers are private: ``_templating`` (sandboxed
Jinja2 with the node's context), ``_paths`` (dotted event paths), ``_http`` and
``_outputs``.
"""

from __future__ import annotations

from cairn.core.nodes import NodeType
from cairn.core.plugin_manager import hookimpl
from cairn.plugins.nodes.ai import CallAi
from cairn.plugins.nodes.condition import ConditionNode
from cairn.plugins.nodes.consent import CheckConsent
from cairn.plugins.nodes.delay import Delay
from cairn.plugins.nodes.flow import End, Start
from cairn.plugins.nodes.http import HttpRequest
from cairn.plugins.nodes.log import Log
from cairn.plugins.nodes.merge import MergeProfiles
from cairn.plugins.nodes.profile import (
    AddInterest,
    AddTag,
    DecrementCounter,
    IncrementCounter,
    RemoveInterest,
    RemoveTag,
    SetTrait,
)
from cairn.plugins.nodes.sentiment import SentimentAnalysis
from cairn.plugins.nodes.template import RenderTemplate
from cairn.plugins.nodes.widget import ShowWidget

BUILTIN_NODE_TYPES: tuple[type[NodeType], ...] = (
    Start, End, ConditionNode, Delay, Log,
    SetTrait, IncrementCounter, DecrementCounter, AddInterest, RemoveInterest, AddTag, RemoveTag, MergeProfiles,
    CheckConsent,
    RenderTemplate,
    SentimentAnalysis, CallAi,
    HttpRequest,
    ShowWidget,
)
"""Every built-in node type, in palette order."""


@hookimpl
def register_node_types() -> list[type[NodeType]]:
    """Return the built-in node types."""
    return list(BUILTIN_NODE_TYPES)


__all__ = ["BUILTIN_NODE_TYPES", "register_node_types"]
