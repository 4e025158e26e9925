"""The public routes websites use: ``/tracker.js``, widget scripts and widget rendering.

- ``GET /tracker.js``: the widget runtime and the tracker, one file. Revalidated with
  its ETag after ``TRACKER_MAX_AGE`` seconds (its URL never changes, so a long cache
  would keep sites on an old tracker).
- ``GET /widgets/{id}/script.js?v=<hash>``: a widget's script. The versioned URL (what
  rendering hands out) is cached for a year; any other is revalidated like the tracker.
- ``GET|POST /widgets/{id}/render``: the HTML and script URL for settings given as
  ``?config=<json>`` or a JSON body ``{"config": {...}}`` (any Content-Type, so the
  tracker's request needs no CORS preflight). Rendering reads nothing from the store
  and returns only what it was given, escaped, so any origin may call it.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cairn.core.http.responses import JSONResponse
from cairn.core.widgets import RegisteredWidget, WidgetConfigInvalid, WidgetTemplateError, render_widget, widgets_of
from cairn.core.widgets.assets import Asset, tracker_script
from cairn.core.widgets.rendering import script_asset

TRACKER_MAX_AGE = 300
"""Seconds browsers and CDNs may use ``/tracker.js`` before revalidating it."""
YEAR = 365 * 24 * 3600
MAX_RENDER_BODY = 64 * 1024
"""Bytes a render request may send."""
PUBLIC_HEADERS = {"Access-Control-Allow-Origin": "*", "Cross-Origin-Resource-Policy": "cross-origin",
                  "X-Content-Type-Options": "nosniff"}
JAVASCRIPT = "text/javascript; charset=utf-8"


def script_response(request: Request, asset: Asset, cache_control: str) -> Response:
    """``asset`` as JavaScript with its ETag, or ``304 Not Modified`` when the browser has it."""
    headers = {**PUBLIC_HEADERS, "ETag": asset.etag, "Cache-Control": cache_control}
    if asset.etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    return Response(asset.content, media_type=JAVASCRIPT, headers=headers)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


async def tracker(request: Request) -> Response:
    """``GET /tracker.js``."""
    return script_response(request, tracker_script(), f"public, max-age={TRACKER_MAX_AGE}")


async def widget_script(request: Request) -> Response:
    """``GET /widgets/{widget_id}/script.js``."""
    registered = await _widget(request)
    if isinstance(registered, Response):
        return registered
    asset = script_asset(registered.type)
    if asset is None:
        return _error(404, "no_script", f"widget {registered.id!r} has no script", "it needs none: just mount its HTML")
    versioned = request.query_params.get("v") == asset.etag.strip('"')
    cache = f"public, max-age={YEAR}, immutable" if versioned else f"public, max-age={TRACKER_MAX_AGE}"
    return script_response(request, asset, cache)


async def render(request: Request) -> Response:
    """``GET|POST /widgets/{widget_id}/render``: the instruction a page mounts."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={**PUBLIC_HEADERS, "Access-Control-Allow-Methods": "GET, POST",
                                                  "Access-Control-Allow-Headers": "Content-Type",
                                                  "Access-Control-Max-Age": "600"})
    registered = await _widget(request)
    if isinstance(registered, Response):
        return registered
    config = await _config(request)
    if isinstance(config, Response):
        return config
    try:
        rendered = render_widget(registered.type, config)
    except WidgetConfigInvalid as error:
        return _error(400, "invalid_config", str(error), "send settings that fit the widget's config schema",
                      errors=error.errors)
    except WidgetTemplateError as error:
        return _error(500, "widget_broken", str(error), "report it to the widget plugin's authors")
    cache = "public, max-age=60" if request.method == "GET" else "no-store"
    return JSONResponse(rendered.instruction(), headers={**PUBLIC_HEADERS, "Cache-Control": cache})


async def _widget(request: Request) -> RegisteredWidget | Response:
    widget_id = request.path_params["widget_id"]
    registered = (await widgets_of(request.app.state.cairn)).get(widget_id)
    if registered is None:
        return _error(404, "unknown_widget", f"no installed plugin declares widget {widget_id!r}",
                      "pick a widget id from the catalogue (GraphQL query widgets)")
    return registered


async def _config(request: Request) -> dict[str, Any] | Response:
    if request.method == "GET":
        raw = request.query_params.get("config", "{}").encode()
    else:
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_RENDER_BODY:
                return _error(413, "too_large", f"the body is larger than {MAX_RENDER_BODY} bytes",
                              "send shorter settings")
    try:
        value = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError as error:
        return _error(400, "malformed_json", f"the settings are not valid JSON: {error}", 'send {"config": {...}}')
    if request.method == "POST":
        value = value.get("config", {}) if isinstance(value, dict) else None
    if not isinstance(value, dict):
        return _error(400, "not_an_object", "the settings must be a JSON object", 'send {"config": {...}}')
    return value


def _error(status: int, code: str, message: str, hint: str, **extra: Any) -> Response:
    return JSONResponse({"success": False, "error": {"code": code, "message": message, "hint": hint, **extra}},
                        status_code=status, headers=PUBLIC_HEADERS)


def routes() -> list[BaseRoute]:
    """The tracker and widget routes."""
    return [
        Route("/tracker.js", tracker, methods=["GET"]),
        Route("/widgets/{widget_id}/script.js", widget_script, methods=["GET"]),
        Route("/widgets/{widget_id}/render", render, methods=["GET", "POST", "OPTIONS"]),
    ]
