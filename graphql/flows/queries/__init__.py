"""Root query fields of flows, gathered in :class:`FlowQueries`."""

from __future__ import annotations

import strawberry

from cairn.graphql.flows.queries.catalogue import check_flow_graph, node_type, node_types, plugin_problems
from cairn.graphql.flows.queries.event_config import event_mappings, event_schemas, identification_points
from cairn.graphql.flows.queries.flows import flow, flows
from cairn.graphql.flows.queries.rules import rules
from cairn.graphql.flows.queries.traces import flow_trace, flow_traces


@strawberry.type
class FlowQueries:
    """Root query fields about node types, flows, rules, traces and event configuration."""

    node_types = node_types
    node_type = node_type
    plugin_problems = plugin_problems
    check_flow_graph = check_flow_graph
    flows = flows
    flow = flow
    rules = rules
    flow_traces = flow_traces
    flow_trace = flow_trace
    event_schemas = event_schemas
    event_mappings = event_mappings
    identification_points = identification_points
