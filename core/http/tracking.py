"""The tracking endpoints: Segment's HTTP Tracking API and Cairn's native ``/track``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cairn.core.clock import utcnow
from cairn.core.config import Limits
from cairn.core.http.auth import basic_auth_user, source_for
from cairn.core.http.responses import JSONResponse
from cairn.core.ids import new_id
from cairn.core.ingestion.body import decode_body, parse_json_object, read_body
from cairn.core.ingestion.enrich import enrich
from cairn.core.ingestion.errors import EventInvalid, IngestError
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.native import envelope_ids, events_of, parse_native_event, write_key_of
from cairn.core.ingestion.pipeline import IngestResult
from cairn.core.ingestion.segment import CALLS, parse_message
from cairn.core.models.source import EventSource
from cairn.core.runtime import Cairn

Parsed = tuple[list[IncomingEvent], list[dict[str, Any]]]


def _cairn(request: Request) -> Cairn:
    return request.app.state.cairn  # type: ignore[no-any-return]


async def _json_body(request: Request, limits: Limits) -> dict[str, Any]:
    raw = await read_body(request, limits.max_batch_bytes)
    data = decode_body(raw, request.headers.get("content-encoding", ""), limits.max_batch_bytes)
    return parse_json_object(data, limits.max_nesting)


def _collect(request: Request, items: list[Any], limits: Limits,
             parse: Callable[[Any, int], IncomingEvent]) -> Parsed:
    """Parse and enrich every item; keep the good ones and describe the bad ones by index."""
    ip = request.client.host if request.client else None
    user_agent = request.headers.get("user-agent")
    good: list[IncomingEvent] = []
    bad: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        try:
            size = len(orjson.dumps(item))
            if size > limits.max_event_bytes:
                raise EventInvalid(f"the event is {size} bytes; the limit is {limits.max_event_bytes}")
            event = parse(item, index)
            enrich(event, ip=ip, user_agent=user_agent)
            good.append(event)
        except EventInvalid as error:
            bad.append({"index": index, "message": str(error)})
    return good, bad


def _summary(result: IngestResult, bad: list[dict[str, Any]]) -> dict[str, Any]:
    return {"success": True, "stored": len(result.stored), "duplicates": sorted(result.duplicates),
            "errors": sorted([*bad, *result.errors], key=lambda e: e["index"])}


async def segment_call(request: Request) -> Response:
    """``POST /v1/{call}``: one Segment message, or a ``batch`` of them."""
    cairn = _cairn(request)
    limits = cairn.settings.limits
    call = request.path_params["call"]
    if call not in CALLS and call != "batch":
        raise IngestError(404, "unknown_call", f"/v1/{call} is not a tracking call",
                          f"use one of /v1/{', /v1/'.join((*CALLS, 'batch'))}")
    body = await _json_body(request, limits)
    source = await source_for(cairn.sources, basic_auth_user(request) or _string(body.get("writeKey")))
    received_at = utcnow()
    if call == "batch":
        good, bad = _parse_batch(request, body, limits, received_at)
    else:
        good, bad = _collect(request, [body], limits, lambda item, i: parse_message(item, call, i, received_at))
        if bad:
            status = 413 if "limit is" in bad[0]["message"] else 400
            raise IngestError(status, "invalid_event", bad[0]["message"], "fix the field named and send it again")
    return await _store(cairn, source, good, bad)


def _parse_batch(request: Request, body: dict[str, Any], limits: Limits, received_at: datetime) -> Parsed:
    batch = body.get("batch")
    if not isinstance(batch, list) or not batch:
        raise IngestError(400, "no_batch", "batch must be a non-empty array of messages",
                          'send {"batch": [{"type": "track", "event": "...", "userId": "..."}]}')
    if len(batch) > limits.max_batch_events:
        raise IngestError(413, "too_many_events", f"the batch holds {len(batch)} messages; the limit is "
                          f"{limits.max_batch_events}", "split it into smaller batches")
    context = body.get("context") if isinstance(body.get("context"), dict) else {}
    return _collect(request, batch, limits, lambda item, i: parse_message(item, None, i, received_at, context))


async def native_track(request: Request) -> Response:
    """``POST /track``: Cairn's own endpoint for the website tracker and apps."""
    cairn = _cairn(request)
    limits = cairn.settings.limits
    body = await _json_body(request, limits)
    source = await source_for(cairn.sources, basic_auth_user(request) or write_key_of(body))
    profile_id, session_id = envelope_ids(body)
    session_id = session_id or new_id()
    received_at = utcnow()
    good, bad = _collect(request, events_of(body), limits,
                         lambda item, i: parse_native_event(item, i, body, received_at, profile_id, session_id))
    if not good:
        return _nothing_valid(bad)
    result = await cairn.pipeline.ingest(source, good)
    reply = _summary(result, bad)
    first = result.stored[0] if result.stored else None
    reply["profile"] = {"id": first["profile_id"] if first else profile_id}
    reply["session"] = {"id": first["session_id"] if first else session_id}
    reply["ux"] = result.ux
    return JSONResponse(reply)


def _nothing_valid(bad: list[dict[str, Any]]) -> Response:
    return JSONResponse({"success": False, "error": {"code": "no_valid_events",
                                                     "message": "no event of the request is valid",
                                                     "hint": "fix the events listed in errors"},
                         "errors": bad}, status_code=400)


async def _store(cairn: Cairn, source: EventSource, good: list[IncomingEvent], bad: list[dict[str, Any]]) -> Response:
    if not good:
        return _nothing_valid(bad)
    result = await cairn.pipeline.ingest(source, good)
    return JSONResponse(_summary(result, bad))


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def routes() -> list[Route]:
    """The tracking routes."""
    return [
        Route("/track", native_track, methods=["POST"]),
        Route("/v1/{call:str}", segment_call, methods=["POST"]),
    ]
