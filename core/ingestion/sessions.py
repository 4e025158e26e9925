"""Sessions: which visit an event belongs to, and the visit's stored record.

An event that names no session joins its profile's visit if that visit was active
within 30 minutes of the event; otherwise it starts a new visit. The id of the visit
that follows another is derived from the profile and the previous visit, so
concurrent requests that all find the visit over start the *same* next one (one
visit counted, not one per request). Events older than the current visit by more
than 30 minutes (a device's offline queue) get visits of their own.

The session document is written when it matters, not for every event. A visit that may
start now is upserted: the upsert's ``upserted_ids`` say which request started it, so
of concurrent requests exactly one counts the visit. An event that continues the
profile's current visit (its ``last_session_id``) is skipped while it falls in the same
:data:`ACTIVITY_WINDOW` as the profile's ``last_seen``: the session exists already (the
profile names it only once it is written), so no visit start is missed, and its
``last_activity_at`` lags its last event by less than the window. The event count is
not stored: it is counted from the events when read
(:func:`cairn.core.reads.session_activity.count_session_events`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from cairn.core.ids import new_id
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys

SESSION_TIMEOUT = timedelta(minutes=30)
ACTIVITY_WINDOW = timedelta(seconds=60)
"""The most a session's stored ``last_activity_at`` lags behind its last event.

Time is cut into windows of this length (from the epoch); an event of the profile's
current visit, no older than the profile's ``last_seen`` (an older one may move
``started_at``) and in the same window, writes nothing. By induction the stored
``last_activity_at`` of the current visit is never before the start of ``last_seen``'s
window, whatever the order the requests run in. (Skipping every event less than a
window after ``last_seen`` instead would let a visit with an event every 30 s lag
without bound.)"""
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
         "$max": {"last_activity_at": max(e["occurred_at"] for e in events)}},
        upsert=True,
    )


def _window(moment: datetime) -> int:
    return int(moment.timestamp() // ACTIVITY_WINDOW.total_seconds())


def continues_recorded_visit(event: Mapping[str, Any], profile: Mapping[str, Any] | None) -> bool:
    """Whether the event only continues its profile's current, recorded visit within the activity window.

    ``profile`` is the profile as read before the event's request changed it.
    """
    last_seen = (profile or {}).get("last_seen")
    if not isinstance(last_seen, datetime) or event["session_id"] != (profile or {}).get("last_session_id"):
        return False
    moment = event["occurred_at"]
    return last_seen <= moment and _window(moment) == _window(last_seen)


async def record_sessions(database: Database, events: list[dict[str, Any]],
                          profiles: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Start or extend the sessions of stored events; return the ids of sessions started now.

    ``profiles`` are the events' profiles as read before this request changed them; a
    session whose events all continue their profile's visit is not written (see
    :data:`ACTIVITY_WINDOW`).
    """
    grouped: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        grouped.setdefault(event["session_id"], []).append(event)
    writes = [_session_write(session_id, group) for session_id, group in grouped.items()
              if not all(continues_recorded_visit(e, profiles.get(e["profile_id"])) for e in group)]
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
