"""Cairn's native ``POST /track`` body: one source, session and profile, many events.

```json
{"source": {"id": "<write key>"}, "session": {"id": "s1"}, "profile": {"id": "p1"},
 "context": {"page": {"url": "https://shop.example/"}},
 "events": [{"type": "page-view", "properties": {"title": "Home"}}]}
```
Each event may also carry ``messageId``, ``timestamp``, ``userId``, ``anonymousId``,
``traits``, ``context`` and ``options``. The response names the profile and session
the caller keeps for its next request.
"""

from __future__ import annotations

import uuid
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
from cairn.core.ingestion.timestamps import occurred_at


def write_key_of(body: dict[str, Any]) -> str | None:
    """The write key named by ``source.id`` (or ``writeKey``)."""
    source = body.get("source")
    if isinstance(source, dict) and isinstance(source.get("id"), str):
        return str(source["id"])
    key = body.get("writeKey")
    return key if isinstance(key, str) else None


def envelope_ids(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The profile id and session id the caller sent (either may be absent)."""
    try:
        profile = optional_id(optional_object(body, "profile"), "id")
        session = optional_id(optional_object(body, "session"), "id")
    except EventInvalid as error:
        raise IngestError(400, "invalid_envelope", f"profile/session: {error}",
                          'send {"profile": {"id": "..."}, "session": {"id": "..."}}') from error
    return profile, session


def events_of(body: dict[str, Any]) -> list[Any]:
    """The ``events`` list, or a clear error."""
    events = body.get("events")
    if not isinstance(events, list) or not events:
        raise IngestError(400, "no_events", "events must be a non-empty array",
                          'send {"events": [{"type": "page-view", "properties": {}}]}')
    return events


def parse_native_event(raw: Any, index: int, body: dict[str, Any], received_at: datetime,
                       profile_id: str | None, session_id: str) -> IncomingEvent:
    """Validate one event of a native body and return it normalized (raises :class:`EventInvalid`)."""
    if not isinstance(raw, dict):
        raise EventInvalid("each event must be a JSON object")
    try:
        shared_context = optional_object(body, "context")
    except EventInvalid as error:
        raise IngestError(400, "invalid_context", str(error), "send context as an object") from error
    context = {**shared_context, **optional_object(raw, "context")}
    sent_at = optional_timestamp(body, "sentAt")
    event = IncomingEvent(
        index=index, kind="native", type=required_text(raw, "type"),
        message_id=optional_id(raw, "messageId") or str(uuid.uuid4()),
        received_at=received_at,
        occurred_at=occurred_at(optional_timestamp(raw, "timestamp"), sent_at, received_at), sent_at=sent_at,
        anonymous_id=optional_id(raw, "anonymousId"), user_id=optional_id(raw, "userId"),
        profile_hint=profile_id, session_id=session_id,
        properties=optional_object(raw, "properties"), traits=optional_object(raw, "traits"), context=context,
    )
    event.context.setdefault("options", optional_object(raw, "options"))
    return event
