"""The Segment HTTP Tracking API's messages, as real Segment-spec SDKs send them.

``identify``, ``track``, ``page``, ``screen``, ``group`` and ``alias`` messages
become :class:`IncomingEvent`; ``batch`` (or the legacy ``import``) is a list of them
that may share a ``context`` (merged into each message's, the message winning) and
a ``sentAt`` (used for the messages that carry none).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cairn.core.ingestion.errors import EventInvalid, IngestError
from cairn.core.ingestion.fields import (
    optional_id,
    optional_object,
    optional_text,
    optional_timestamp,
    required_text,
)
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.timestamps import occurred_at

CALLS = ("identify", "track", "page", "screen", "group", "alias")
BATCH_CALLS = ("batch", "import")


@dataclass(frozen=True)
class BatchEnvelope:
    """What a batch body says for all of its messages."""

    context: dict[str, Any] = field(default_factory=dict)
    sent_at: datetime | None = None


def batch_envelope(body: dict[str, Any]) -> BatchEnvelope:
    """The batch-level ``context`` and ``sentAt``, or a 400 naming what is wrong."""
    try:
        return BatchEnvelope(optional_object(body, "context"), optional_timestamp(body, "sentAt"))
    except EventInvalid as error:
        raise IngestError(400, "invalid_envelope", f"the batch's {error}",
                          "send context as an object and sentAt as an ISO-8601 string") from error


def parse_message(message: Any, call: str | None, index: int, received_at: datetime,
                  envelope: BatchEnvelope | None = None) -> IncomingEvent:
    """Validate one Segment message and return it normalized.

    ``call`` is the endpoint's call (``/v1/track`` → ``track``) or ``None`` in a batch,
    where each message names its own ``type``. Raises :class:`EventInvalid`.
    """
    if not isinstance(message, dict):
        raise EventInvalid("each message must be a JSON object")
    envelope = envelope or BatchEnvelope()
    call = call or _batch_call(message)
    context = merge_context(envelope.context, optional_object(message, "context"))
    user_id = optional_id(message, "userId")
    anonymous_id = optional_id(message, "anonymousId")
    if call != "alias" and not user_id and not anonymous_id:
        raise EventInvalid("userId or anonymousId is required")
    timestamp = optional_timestamp(message, "timestamp")
    sent_at = optional_timestamp(message, "sentAt") or envelope.sent_at
    event = IncomingEvent(
        index=index, kind=call, type=call, message_id=optional_id(message, "messageId") or str(uuid.uuid4()),
        received_at=received_at, occurred_at=occurred_at(timestamp, sent_at, received_at), sent_at=sent_at,
        original_timestamp=timestamp, anonymous_id=anonymous_id, user_id=user_id, context=context,
        session_id=optional_id(context, "sessionId", "context.sessionId"),
    )
    _CALL_PARSERS[call](message, event)
    return event


def merge_context(shared: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """The batch's context with the message's merged in, object by object (the message wins)."""
    merged = dict(shared)
    for key, value in own.items():
        base = merged.get(key)
        merged[key] = merge_context(base, value) if isinstance(base, dict) and isinstance(value, dict) else value
    return merged


def _batch_call(message: dict[str, Any]) -> str:
    call = message.get("type")
    if call not in CALLS:
        raise EventInvalid(f"type must be one of {', '.join(CALLS)}, not {call!r}")
    return str(call)


def _context_traits(event: IncomingEvent) -> dict[str, Any]:
    return optional_object(event.context, "traits", "context.traits")


def _identify(message: dict[str, Any], event: IncomingEvent) -> None:
    event.traits = {**_context_traits(event), **optional_object(message, "traits")}


def _track(message: dict[str, Any], event: IncomingEvent) -> None:
    event.type = required_text(message, "event")
    event.properties = optional_object(message, "properties")
    event.traits = _context_traits(event)


def _page(message: dict[str, Any], event: IncomingEvent) -> None:
    event.properties = dict(optional_object(message, "properties"))
    for key in ("name", "category"):
        value = optional_text(message, key)
        if value is not None:
            event.properties.setdefault(key, value)
    event.traits = _context_traits(event)


def _group(message: dict[str, Any], event: IncomingEvent) -> None:
    event.group_id = optional_id(message, "groupId")
    if not event.group_id:
        raise EventInvalid("groupId is missing")
    event.properties = {"groupId": event.group_id, "traits": optional_object(message, "traits")}
    event.traits = _context_traits(event)


def _alias(message: dict[str, Any], event: IncomingEvent) -> None:
    event.previous_id = optional_id(message, "previousId")
    if not event.previous_id or not event.user_id:
        raise EventInvalid("alias needs both previousId and userId")
    event.properties = {"previousId": event.previous_id}


_CALL_PARSERS = {"identify": _identify, "track": _track, "page": _page, "screen": _page, "group": _group,
                 "alias": _alias}
