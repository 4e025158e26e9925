"""The Starlette application: tracking endpoints plus every plugin's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pluggy
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cairn.core.config import Settings
from cairn.core.http import tracking
from cairn.core.http.cors import TrackingCORSMiddleware
from cairn.core.http.responses import JSONResponse
from cairn.core.ingestion.errors import IngestError
from cairn.core.plugin_manager import call_hook
from cairn.core.runtime import StoreHandle, start_cairn, stop_cairn


async def _ingest_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IngestError)
    return JSONResponse(exc.to_json(), status_code=exc.status)


async def health(request: Request) -> Response:
    """``GET /health``: the server runs and its store answers."""
    await request.app.state.cairn.database.db.command("ping")
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings, *, mongo_url: str | None = None,
               plugins: pluggy.PluginManager | None = None) -> Starlette:
    """Build Cairn's ASGI app; the store is connected (or started) when the app starts.

    ``mongo_url`` overrides the settings (tests pass the URL of the store they run).
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = StoreHandle(settings)
        url = mongo_url or await store.url()
        cairn = await start_cairn(settings, url, plugins)
        app.state.cairn = cairn
        for routes in await call_hook(cairn.plugins.hook.register_routes, cairn=cairn):
            app.router.routes.extend(routes or [])
        cairn.intake.start()
        try:
            yield
        finally:
            await stop_cairn(cairn)
            await store.stop()

    return Starlette(
        routes=[*tracking.routes(), Route("/health", health)],
        middleware=[Middleware(TrackingCORSMiddleware)],
        exception_handlers={IngestError: _ingest_error},
        lifespan=lifespan,
    )
