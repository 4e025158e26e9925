"""Running a real Cairn server (uvicorn on 127.0.0.1) inside a test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pluggy
import uvicorn

from cairn.core.config import Settings
from cairn.core.http.app import create_app
from cairn.core.runtime import Cairn
from cairn.core.store.embedded import free_port


@dataclass
class RunningServer:
    """A Cairn server a test talks to over HTTP."""

    url: str
    cairn: Cairn


@asynccontextmanager
async def serve_cairn(settings: Settings, store_url: str,
                      plugins: pluggy.PluginManager | None = None) -> AsyncIterator[RunningServer]:
    """Serve Cairn on a free port for the duration of the ``async with`` block."""
    app = create_app(settings, mongo_url=store_url, plugins=plugins)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the Cairn server stopped while starting")
        await asyncio.sleep(0.01)
    try:
        yield RunningServer(url=f"http://127.0.0.1:{port}", cairn=app.state.cairn)
    finally:
        server.should_exit = True
        await task
