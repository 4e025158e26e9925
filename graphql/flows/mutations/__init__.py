"""Root mutation fields of flows, gathered in :class:`FlowMutations`."""

from __future__ import annotations

import strawberry

from cairn.graphql.flows.mutations.deploy_flow import deploy_flow
from cairn.graphql.flows.mutations.dry_run_flow import dry_run_flow
from cairn.graphql.flows.mutations.event_mappings import (
    create_event_mapping,
    delete_event_mapping,
    update_event_mapping,
)
from cairn.graphql.flows.mutations.event_schemas import create_event_schema, delete_event_schema, update_event_schema
from cairn.graphql.flows.mutations.flows import create_flow, delete_flow, update_flow
from cairn.graphql.flows.mutations.identification_points import (
    create_identification_point,
    delete_identification_point,
    update_identification_point,
)
from cairn.graphql.flows.mutations.node_types import enable_node_type
from cairn.graphql.flows.mutations.rules import create_rule, delete_rule, update_rule


@strawberry.type
class FlowMutations:
    """Root mutation fields about flows, rules, dry runs and event configuration."""

    create_flow = create_flow
    update_flow = update_flow
    delete_flow = delete_flow
    deploy_flow = deploy_flow
    dry_run_flow = dry_run_flow
    create_rule = create_rule
    update_rule = update_rule
    delete_rule = delete_rule
    create_event_schema = create_event_schema
    update_event_schema = update_event_schema
    delete_event_schema = delete_event_schema
    create_event_mapping = create_event_mapping
    update_event_mapping = update_event_mapping
    delete_event_mapping = delete_event_mapping
    create_identification_point = create_identification_point
    update_identification_point = update_identification_point
    delete_identification_point = delete_identification_point
    enable_node_type = enable_node_type
