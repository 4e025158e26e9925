"""The Segment HTTP Tracking API's messages, as real Segment-spec SDKs send them.

``identify``, ``track``, ``page``, ``screen``, ``group`` and ``alias`` messages
become :class:`IncomingEvent`; ``batch`` is a list of them sharing a context.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from cairn.core.ingestion.errors import EventInvalid
from cairn.core.ingestion.fields import (
    optional_id,
    optional_object,
    optional_timestamp,
    required_text,
)
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.timestamps import occurred_at

CALLS = ("identify", "track", "page", "screen", "group", "alias")


def parse_message(message: Any, call: str | None, index: int, received_at: datetime,
                  batch_context: dict[str, Any] | None = None) -> IncomingEvent:
    """Validate one Segment message and return it normalized.

    ``call`` is the endpoint's call (``/v1/track`` → ``track``) or ``None`` in a batch,
    where each message names its own ``type``. Raises :class:`EventInvalid`.
    """
    if not isinstance(message, dict):
        raise EventInvalid("each message must be a JSON object")
    call = call or _batch_call(message)
    context = {**(batch_context or {}), **optional_object(message, "context")}
    user_id = optional_id(message, "userId")
    anonymous_id = optional_id(message, "anonymousId")
    if call != "alias" and not user_id and not anonymous_id:
        raise EventInvalid("userId or anonymousId is required")
    timestamp = optional_timestamp(message, "timestamp")
    sent_at = optional_timestamp(message, "sentAt")
    event = IncomingEvent(
        index=index, kind=call, type=call, message_id=optional_id(message, "messageId") or str(uuid.uuid4()),
        received_at=received_at, occurred_at=occurred_at(timestamp, sent_at, received_at), sent_at=sent_at,
        anonymous_id=anonymous_id, user_id=user_id, context=context,
        session_id=optional_id(context, "sessionId"),
    )
    _CALL_PARSERS[call](message, event)
    return event


def _batch_call(message: dict[str, Any]) -> str:
    call = message.get("type")
    if call not in CALLS:
        raise EventInvalid(f"type must be one of {', '.join(CALLS)}, not {call!r}")
    return str(call)


def _identify(message: dict[str, Any], event: IncomingEvent) -> None:
    context_traits = optional_object(event.context, "traits")
    event.traits = {**context_traits, **optional_object(message, "traits")}


def _track(message: dict[str, Any], event: IncomingEvent) -> None:
    event.type = required_text(message, "event")
    event.properties = optional_object(message, "properties")
    event.traits = optional_object(event.context, "traits")


def _page(message: dict[str, Any], event: IncomingEvent) -> None:
    event.properties = dict(optional_object(message, "properties"))
    name = message.get("name")
    if name is not None:
        if not isinstance(name, str):
            raise EventInvalid("name must be a string")
        event.properties.setdefault("name", name)


def _group(message: dict[str, Any], event: IncomingEvent) -> None:
    event.group_id = optional_id(message, "groupId")
    if not event.group_id:
        raise EventInvalid("groupId is missing")
    event.properties = {"groupId": event.group_id, "traits": optional_object(message, "traits")}


def _alias(message: dict[str, Any], event: IncomingEvent) -> None:
    event.previous_id = optional_id(message, "previousId")
    if not event.previous_id or not event.user_id:
        raise EventInvalid("alias needs both previousId and userId")
    event.properties = {"previousId": event.previous_id}


_CALL_PARSERS = {"identify": _identify, "track": _track, "page": _page, "screen": _page, "group": _group,
                 "alias": _alias}
