"""Sessions: which visit an event belongs to, and the visit's stored record.

An event that names no session joins its profile's visit if that visit was active
within 30 minutes of the event; otherwise it starts a new visit. The id of the visit
that follows another is derived from the profile and the previous visit, so
concurrent requests that all find the visit over start the *same* next one (one
visit counted, not one per request). Events older than the current visit by more
than 30 minutes (a device's offline queue) get visits of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from cairn.core.ids import new_id
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys

SESSION_TIMEOUT = timedelta(minutes=30)
DUPLICATE_KEY = 11000
MAX_ATTEMPTS = 5
_NAMESPACE = uuid.UUID("5c2f3a9e-3b1d-4d7e-9a43-0c6f1b2e7d10")


@dataclass
class _Visit:
    session_id: str
    last: datetime


def next_session_id(profile_id: str, previous: str | None) -> str:
    """The id of the visit that follows ``previous`` on a profile (the same for every caller)."""
    return str(uuid.uuid5(_NAMESPACE, f"{profile_id}/{previous or ''}"))


def assign_sessions(docs: Iterable[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> None:
    """Set ``session_id`` on the event documents that have none (see the module docstring)."""
    by_profile: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        if not doc.get("session_id"):
            by_profile.setdefault(doc["profile_id"], []).append(doc)
    for profile_id, group in by_profile.items():
        _assign(profile_id, profiles.get(profile_id) or {}, sorted(group, key=lambda d: d["occurred_at"]))


def _assign(profile_id: str, profile: dict[str, Any], docs: list[dict[str, Any]]) -> None:
    visits: list[_Visit] = []
    current: _Visit | None = None
    if profile.get("last_session_id") and profile.get("last_seen"):
        current = _Visit(str(profile["last_session_id"]), profile["last_seen"])
        visits.append(current)
    for doc in docs:
        moment = doc["occurred_at"]
        visit = next((v for v in visits if abs(moment - v.last) <= SESSION_TIMEOUT), None)
        if visit is None:
            if current is None or moment > current.last:
                visit = current = _Visit(next_session_id(profile_id, current.session_id if current else None), moment)
            else:
                visit = _Visit(new_id(), moment)
            visits.append(visit)
        visit.last = max(visit.last, moment)
        doc["session_id"] = visit.session_id


def _session_write(session_id: str, events: list[dict[str, Any]]) -> UpdateOne:
    """The write that starts or extends one session with its stored events."""
    first = min(events, key=lambda e: e["occurred_at"])
    context = first["context"]
    parsed = context.get("userAgentParsed") if isinstance(context.get("userAgentParsed"), dict) else {}
    page = context.get("page") if isinstance(context.get("page"), dict) else {}
    campaign = context.get("campaign") if isinstance(context.get("campaign"), dict) else {}
    on_insert = {
        "profile_id": first["profile_id"], "source_id": first["source_id"],
        "device": parsed.get("device", {}), "browser": parsed.get("browser", {}), "os": parsed.get("os", {}),
        "referrer": page.get("referrer") if isinstance(page.get("referrer"), str) else None,
        "utm": campaign, "ip": context.get("ip"), "user_agent": context.get("userAgent"),
    }
    return UpdateOne(
        {"_id": session_id},
        {"$setOnInsert": escape_keys(on_insert), "$min": {"started_at": first["occurred_at"]},
         "$max": {"last_activity_at": max(e["occurred_at"] for e in events)}, "$inc": {"event_count": len(events)}},
        upsert=True,
    )


async def record_sessions(database: Database, events: list[dict[str, Any]]) -> set[str]:
    """Start or extend the sessions of stored events; return the ids of sessions started now."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        grouped.setdefault(event["session_id"], []).append(event)
    writes = [_session_write(session_id, group) for session_id, group in grouped.items()]
    started: set[str] = set()
    for _ in range(MAX_ATTEMPTS):
        if not writes:
            return started
        writes = await _write(database, writes, started)
    raise RuntimeError(f"could not record sessions after {MAX_ATTEMPTS} attempts")


async def _write(database: Database, writes: list[UpdateOne], started: set[str]) -> list[UpdateOne]:
    """Run the writes; return those to run again (two requests upserted the same new session)."""
    try:
        result = await database.sessions.bulk_write(writes, ordered=False)
    except BulkWriteError as error:
        errors = error.details.get("writeErrors", [])
        if any(e["code"] != DUPLICATE_KEY for e in errors):
            raise
        started.update(str(u["_id"]) for u in error.details.get("upserted", []))
        return [writes[e["index"]] for e in errors]
    started.update(str(session_id) for session_id in (result.upserted_ids or {}).values())
    return []
