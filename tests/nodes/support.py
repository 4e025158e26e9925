"""Helpers for the node tests: a live (not dry) node run, and real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from cairn.core.nodes import NodeContext, NodeResult, NodeType, ProfileEditor, RunInfo
from cairn.core.store.embedded import free_port


async def run_live(node_type: type[NodeType], config: dict[str, Any] | None = None, *,
                   event: dict[str, Any] | None = None, profile: dict[str, Any] | None = None,
                   payload: Any = None, services: dict[str, Any] | None = None,
                   ) -> tuple[NodeResult, NodeContext]:
    """Like ``run_node``, but a live run: the node really sends, calls and merges."""
    ctx = NodeContext(
        event=event or {"id": "e1", "type": "test", "properties": {}, "context": {}},
        profile=ProfileEditor(profile or {"id": "test-profile", "traits": {}}),
        session=None, run=RunInfo(flow_id="flow-1", run_id="run-1", node_id="node-1", dry_run=False),
        payload=payload, services=dict(services or {}),
    )
    result = await node_type().run(node_type.Config.model_validate(config or {}), ctx)
    return result, ctx


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the test server stopped while starting")
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
