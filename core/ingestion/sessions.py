"""Sessions: which visit an event belongs to, and the visit's stored record."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import UpdateOne

from cairn.core.ids import new_id
from cairn.core.store.database import Database

SESSION_TIMEOUT = timedelta(minutes=30)


def session_for(profile: dict[str, Any] | None, occurred_at: datetime, known: dict[str, str]) -> str:
    """The session of an event that came without one: the profile's current visit if it
    was active within 30 minutes, otherwise a new one (shared by the request's events)."""
    profile_id = profile["id"] if profile else ""
    if profile_id in known:
        return known[profile_id]
    last_seen = profile.get("last_seen") if profile else None
    current = profile.get("last_session_id") if profile else None
    if current and last_seen and abs(occurred_at - last_seen) <= SESSION_TIMEOUT:
        session_id = str(current)
    else:
        session_id = new_id()
    known[profile_id] = session_id
    return session_id


def session_upsert(event: dict[str, Any]) -> UpdateOne:
    """The write that starts or extends the session of a stored event."""
    context = event["context"]
    parsed = context.get("userAgentParsed") or {}
    page = context.get("page") if isinstance(context.get("page"), dict) else {}
    first = {
        "profile_id": event["profile_id"], "source_id": event["source_id"], "started_at": event["occurred_at"],
        "device": parsed.get("device", {}), "browser": parsed.get("browser", {}), "os": parsed.get("os", {}),
        "referrer": page.get("referrer") if isinstance(page.get("referrer"), str) else None,
        "utm": context.get("campaign") or {}, "ip": context.get("ip"), "user_agent": context.get("userAgent"),
    }
    return UpdateOne(
        {"_id": event["session_id"]},
        {"$setOnInsert": first, "$max": {"last_activity_at": event["occurred_at"]}, "$inc": {"event_count": 1}},
        upsert=True,
    )


async def record_sessions(database: Database, events: list[dict[str, Any]]) -> set[str]:
    """Start or extend the sessions of stored events; return the ids of sessions started now."""
    if not events:
        return set()
    requests = [session_upsert(event) for event in events]
    result = await database.sessions.bulk_write(requests, ordered=False)
    return {events[index]["session_id"] for index in result.upserted_ids}
