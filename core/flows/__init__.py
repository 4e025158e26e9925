"""Flows: graphs of nodes that rules run on events, with traces, dry runs and the event
schemas, mappings and identification points applied before them.

``cairn.flows`` (a :class:`FlowService`) is the entry point; the engine's semantics
are documented in :mod:`cairn.core.flows.engine`.
"""

from cairn.core.flows.errors import FlowsError, Invalid, NotFound
from cairn.core.flows.flows import DeployResult, Flow, FlowVersion
from cairn.core.flows.graph import Graph, GraphEdge, GraphNode, Position, Problem, validate_graph
from cairn.core.flows.models import EventMapping, EventSchema, IdentificationPoint, MappingField, Rule
from cairn.core.flows.service import FlowService
from cairn.core.flows.settings import FlowSettings

__all__ = ["DeployResult", "EventMapping", "EventSchema", "Flow", "FlowService", "FlowSettings", "FlowVersion",
           "FlowsError", "Graph", "GraphEdge", "GraphNode", "IdentificationPoint", "Invalid", "MappingField",
           "NotFound", "Position", "Problem", "Rule", "validate_graph"]
