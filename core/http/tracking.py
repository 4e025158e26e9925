"""The tracking endpoints: Segment's HTTP Tracking API and Cairn's native ``/track``.

Every answer is JSON. A request refused as a whole gets a 4xx ``{"success": false,
"error": {"code", "message", "hint"}}``; a batch with some bad events stores the good
ones and lists the bad ones by index in ``errors``.

The Segment endpoints answer ``{"success": true, "stored", "duplicates", "errors"}``
when Cairn processed the events at once, or ``{"success": true, "queued": n,
"errors"}`` when it journaled them to process shortly (under load; see
:mod:`cairn.core.ingestion.intake`). The native endpoint always answers once the
events are processed, with the profile, session and widget instructions. A request
whose processing failed gets a 500 listing the events that were stored: Cairn
processes them again by itself, and sending them again with the same message ids
is safe too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cairn.core.clock import utcnow
from cairn.core.config import Limits
from cairn.core.http.auth import basic_auth_user, source_for
from cairn.core.http.responses import JSONResponse
from cairn.core.ingestion.body import decode_body, parse_json_object, read_body
from cairn.core.ingestion.enrich import enrich
from cairn.core.ingestion.errors import EventInvalid, IngestError
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.intake import Queued
from cairn.core.ingestion.native import events_of, native_envelope, parse_native_event, write_key_of
from cairn.core.ingestion.pipeline import IngestFailed, IngestResult
from cairn.core.ingestion.segment import BATCH_CALLS, CALLS, batch_envelope, parse_message
from cairn.core.ingestion.values import check_event, check_value
from cairn.core.models.source import EventSource
from cairn.core.runtime import Cairn
from cairn.core.widgets import render_ux

Bad = list[dict[str, Any]]


def _cairn(request: Request) -> Cairn:
    return request.app.state.cairn  # type: ignore[no-any-return]


async def _json_body(request: Request, limits: Limits) -> dict[str, Any]:
    raw = await read_body(request, limits.max_batch_bytes)
    data = decode_body(raw, request.headers.get("content-encoding", ""), limits.max_batch_bytes)
    return parse_json_object(data)


def _collect(request: Request, items: list[Any], limits: Limits,
             parse: Callable[[Any, int], IncomingEvent]) -> tuple[list[IncomingEvent], Bad]:
    """Check, parse and enrich every item; keep the good ones and describe the bad ones by index."""
    ip = request.client.host if request.client else None
    user_agent = request.headers.get("user-agent")
    good: list[IncomingEvent] = []
    bad: Bad = []
    for index, item in enumerate(items):
        try:
            check_event(item, limits.max_event_bytes, limits.max_nesting)
            event = parse(item, index)
            enrich(event, ip=ip, user_agent=user_agent)
            good.append(event)
        except EventInvalid as error:
            bad.append(error.to_json(index))
    return good, bad


async def segment_call(request: Request) -> Response:
    """``POST /v1/{call}``: one Segment message, or a ``batch`` (``import``) of them."""
    cairn = _cairn(request)
    limits = cairn.settings.limits
    call = request.path_params["call"]
    if call not in CALLS and call not in BATCH_CALLS:
        raise IngestError(404, "unknown_call", f"/v1/{call} is not a tracking call",
                          f"use one of /v1/{', /v1/'.join((*CALLS, *BATCH_CALLS))}")
    body = await _json_body(request, limits)
    source = await source_for(cairn.sources, basic_auth_user(request) or _string(body.get("writeKey")))
    received_at = utcnow()
    if call in BATCH_CALLS:
        good, bad = _parse_batch(request, body, limits, received_at)
    else:
        good, bad = _collect(request, [body], limits, lambda item, i: parse_message(item, call, i, received_at))
        if bad:
            raise _single_event_error(bad[0])
    return await _store(cairn, source, good, bad)


def _single_event_error(bad: dict[str, Any]) -> IngestError:
    """The error refusing a single call: the event's own (413 when it is too large)."""
    return EventInvalid(bad["message"], bad["code"], 413 if bad["code"] == "event_too_large" else 400
                        ).as_request_error()


def _parse_batch(request: Request, body: dict[str, Any], limits: Limits,
                 received_at: datetime) -> tuple[list[IncomingEvent], Bad]:
    batch = body.get("batch")
    if not isinstance(batch, list) or not batch:
        raise IngestError(400, "no_batch", "batch must be a non-empty array of messages",
                          'send {"batch": [{"type": "track", "event": "...", "userId": "..."}]}')
    if len(batch) > limits.max_batch_events:
        raise IngestError(413, "too_many_events", f"the batch holds {len(batch)} messages; the limit is "
                          f"{limits.max_batch_events}", "split it into smaller batches")
    envelope = batch_envelope(body)
    _check_envelope_context(envelope.context, limits)
    return _collect(request, batch, limits,
                    lambda item, i: parse_message(item, None, i, received_at, envelope))


def _check_envelope_context(context: dict[str, Any], limits: Limits) -> None:
    try:
        check_value(context, limits.max_nesting, name="context")
    except EventInvalid as error:
        raise IngestError(400, error.code, str(error), "flatten the context") from error


async def native_track(request: Request) -> Response:
    """``POST /track``: Cairn's own endpoint for the website tracker and apps."""
    cairn = _cairn(request)
    limits = cairn.settings.limits
    body = await _json_body(request, limits)
    source = await source_for(cairn.sources, basic_auth_user(request) or write_key_of(body))
    envelope = native_envelope(body, limits.max_nesting)
    received_at = utcnow()
    good, bad = _collect(request, events_of(body), limits,
                         lambda item, i: parse_native_event(item, i, envelope, received_at))
    if not good:
        return _nothing_valid(bad)
    try:
        result = await cairn.intake.process(source, good)
    except IngestFailed as failure:
        return _failed(failure, bad)
    reply = _summary(result, bad)
    first = result.first or {}
    profile = await cairn.pipeline.repository.get(first["profile_id"]) if first.get("profile_id") else None
    reply["profile"] = {"id": profile["id"] if profile else envelope.profile_id}
    reply["session"] = {"id": first.get("session_id") or envelope.session_id}
    reply["ux"] = await render_ux(cairn, result.ux)
    return JSONResponse(reply)


def _summary(result: IngestResult, bad: Bad) -> dict[str, Any]:
    return {"success": True, "stored": len(result.stored), "duplicates": result.duplicates,
            "errors": sorted([*bad, *result.errors], key=lambda e: e["index"])}


def _nothing_valid(bad: Bad) -> Response:
    too_large = all(entry["code"] == "event_too_large" for entry in bad)
    return JSONResponse({"success": False, "error": {"code": "no_valid_events",
                                                     "message": f"none of the {len(bad)} events is valid",
                                                     "hint": "fix the events listed in errors"},
                         "errors": bad}, status_code=413 if too_large else 400)


def _failed(failure: IngestFailed, bad: Bad) -> Response:
    return JSONResponse({**failure.to_json(), "errors": bad}, status_code=500)


async def _store(cairn: Cairn, source: EventSource, good: list[IncomingEvent], bad: Bad) -> Response:
    if not good:
        return _nothing_valid(bad)
    try:
        result = await cairn.intake.accept(source, good)
    except IngestFailed as failure:
        return _failed(failure, bad)
    if isinstance(result, Queued):
        return JSONResponse({"success": True, "queued": result.count, "errors": bad})
    return JSONResponse(_summary(result, bad))


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


async def wrong_method(request: Request) -> Response:
    """Any other method on a tracking path: a JSON 405 (not Starlette's plain-text one)."""
    raise IngestError(405, "method_not_allowed", f"{request.method} {request.url.path} is not supported",
                      "send events with POST")


def routes() -> list[Route]:
    """The tracking routes."""
    other_methods = ["GET", "PUT", "PATCH", "DELETE"]
    return [
        Route("/track", native_track, methods=["POST"]),
        Route("/v1/{call:path}", segment_call, methods=["POST"]),
        Route("/track", wrong_method, methods=other_methods),
        Route("/v1/{call:path}", wrong_method, methods=other_methods),
    ]
