"""Cairn's native ``POST /track`` body: one source, session and profile, many events.

```json
{"source": {"id": "<write key>"}, "session": {"id": "s1"}, "profile": {"id": "p1"},
 "context": {"page": {"url": "https://shop.example/"}},
 "events": [{"type": "page-view", "properties": {"title": "Home"}}]}
```
Each event may also carry ``messageId``, ``timestamp``, ``userId``, ``anonymousId``,
``traits``, ``context`` and ``options``. The response names the profile and session
the caller keeps for its next request. Without a session id, the visit is the
profile's current one (30 minutes of inactivity start a new one).
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
    optional_timestamp,
    required_text,
)
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.segment import merge_context
from cairn.core.ingestion.timestamps import occurred_at
from cairn.core.ingestion.values import check_value


@dataclass(frozen=True)
class NativeEnvelope:
    """What a native body says for all of its events."""

    profile_id: str | None = None
    session_id: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    sent_at: datetime | None = None


def write_key_of(body: dict[str, Any]) -> str | None:
    """The write key named by ``source.id`` (or ``writeKey``)."""
    source = body.get("source")
    if isinstance(source, dict) and isinstance(source.get("id"), str):
        return str(source["id"])
    key = body.get("writeKey")
    return key if isinstance(key, str) else None


def native_envelope(body: dict[str, Any], max_nesting: int) -> NativeEnvelope:
    """The profile, session, shared context and ``sentAt`` of a body, or a 400 naming what is wrong."""
    try:
        envelope = NativeEnvelope(
            profile_id=optional_id(optional_object(body, "profile"), "id", "profile.id"),
            session_id=optional_id(optional_object(body, "session"), "id", "session.id"),
            context=optional_object(body, "context"),
            sent_at=optional_timestamp(body, "sentAt"),
        )
        check_value(envelope.context, max_nesting, name="context")
    except EventInvalid as error:
        raise IngestError(400, "invalid_envelope", str(error),
                          'send {"profile": {"id": "..."}, "session": {"id": "..."}, "context": {...}}') from error
    return envelope


def events_of(body: dict[str, Any]) -> list[Any]:
    """The ``events`` list, or a clear error."""
    events = body.get("events")
    if not isinstance(events, list) or not events:
        raise IngestError(400, "no_events", "events must be a non-empty array",
                          'send {"events": [{"type": "page-view", "properties": {}}]}')
    return events


def parse_native_event(raw: Any, index: int, envelope: NativeEnvelope, received_at: datetime) -> IncomingEvent:
    """Validate one event of a native body and return it normalized (raises :class:`EventInvalid`)."""
    if not isinstance(raw, dict):
        raise EventInvalid("each event must be a JSON object")
    context = merge_context(envelope.context, optional_object(raw, "context"))
    timestamp = optional_timestamp(raw, "timestamp")
    event = IncomingEvent(
        index=index, kind="native", type=required_text(raw, "type"),
        message_id=optional_id(raw, "messageId") or str(uuid.uuid4()),
        received_at=received_at, occurred_at=occurred_at(timestamp, envelope.sent_at, received_at),
        sent_at=envelope.sent_at, original_timestamp=timestamp,
        anonymous_id=optional_id(raw, "anonymousId"), user_id=optional_id(raw, "userId"),
        profile_hint=envelope.profile_id, session_id=envelope.session_id,
        properties=optional_object(raw, "properties"), traits=optional_object(raw, "traits"), context=context,
    )
    options = optional_object(raw, "options")
    if options:
        event.context["options"] = options
    return event
