"""Running one node without the engine: for plugin authors' tests."""

from __future__ import annotations

from typing import Any

from cairn.core.nodes.base import NodeContext, NodeResult, NodeType, ProfileEditor, RunInfo
from cairn.core.nodes.services import recording_services


async def run_node(node_type: type[NodeType], config: dict[str, Any] | None = None, *,
                   event: dict[str, Any] | None = None, profile: dict[str, Any] | None = None,
                   session: dict[str, Any] | None = None, payload: Any = None,
                   services: dict[str, Any] | None = None) -> tuple[NodeResult, NodeContext]:
    """Validate ``config`` with the node's model, run the node once, return its result and context.

    ``ctx.profile.changes`` lists what the node changed; ``ctx.ux`` what it asked the page to show;
    the run is a dry run, so ``ctx.services["outbox"].sent`` lists the messages it sent and
    ``ctx.services["calls"].calls`` the side effects it recorded.
    """
    validated = node_type.Config.model_validate(config or {})
    ctx = NodeContext(
        event=event or {"type": "test", "properties": {}, "context": {}},
        profile=ProfileEditor(profile or {"id": "test-profile", "traits": {}}),
        session=session, run=RunInfo(flow_id="test", run_id="test", node_id="node", dry_run=True),
        payload=payload, services={**recording_services(), **(services or {})},
    )
    result = await node_type().run(validated, ctx)
    return result, ctx
