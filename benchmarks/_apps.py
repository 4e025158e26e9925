"""The two servers the ingestion benchmark runs, each in a process of its own.

``python -m uvicorn --factory --app-dir benchmarks _apps:cairn_app`` serves the real
Cairn on the store named by ``CAIRN_MONGO_URL`` / ``CAIRN_DATABASE``;
``_apps:baseline_app`` serves a bare Starlette endpoint that only reads and parses
the same JSON bodies, the floor any tracking endpoint stands on.
"""

from __future__ import annotations

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cairn.core.config import Settings
from cairn.core.http.app import create_app


def cairn_app() -> Starlette:
    """Cairn as ``cairn serve`` runs it, configured from ``CAIRN_*`` variables."""
    return create_app(Settings.from_env())


async def _parse_only(request: Request) -> Response:
    body = orjson.loads(await request.body())
    count = len(body["batch"]) if isinstance(body.get("batch"), list) else 1
    return Response(orjson.dumps({"success": True, "stored": count}), media_type="application/json")


async def _health(request: Request) -> Response:
    return Response(b'{"status": "ok"}', media_type="application/json")


def baseline_app() -> Starlette:
    """A Starlette app whose tracking endpoints only parse the JSON they receive."""
    return Starlette(routes=[Route("/v1/{call:str}", _parse_only, methods=["POST"]),
                             Route("/health", _health)])
