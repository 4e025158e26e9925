"""Serving an ASGI app with uvicorn inside a running event loop (the demo runs two)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signals to ``asyncio.run``.

    Each uvicorn server would take over SIGINT for itself; with two of them, Ctrl-C
    stops one and leaves the program waiting. Without, Ctrl-C cancels the main task and
    every ``serving`` block shuts its server down on the way out.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@asynccontextmanager
async def serving(app: ASGIApp, host: str, port: int, *, log_level: str = "warning") -> AsyncIterator[uvicorn.Server]:
    """Serve ``app`` on ``host:port`` for the duration of the ``async with`` block."""
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError(f"the server on {host}:{port} stopped while starting (is the port taken?)")
        await asyncio.sleep(0.01)
    try:
        yield server
    finally:
        server.should_exit = True
        await task
