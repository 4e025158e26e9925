"""A visit's figures that are computed when read: its event count and its last activity.

Ingestion keeps no event count on the session document, and leaves ``last_activity_at``
behind the visit's last event by less than
:data:`cairn.core.ingestion.sessions.ACTIVITY_WINDOW`, so that an event continuing a
visit writes no session at all. Whoever shows sessions completes them here: one
aggregation counts the events of a whole page of sessions, and the profile's
``last_seen`` is the exact last activity of its current visit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cairn.core.models.session import Session
from cairn.core.reads.pagination import Page, PageEntry
from cairn.core.reads.sessions import find_sessions
from cairn.core.store.database import Database, Document


async def count_session_events(database: Database, profile_ids: Iterable[str],
                               sessions: Iterable[Session]) -> dict[str, int]:
    """The number of events of each session, among the events filed under ``profile_ids`` (one aggregation).

    ``profile_ids`` are the customer's (the profile's and those merged into it): a session
    belongs to one customer, and the profile narrows the events the store looks at.
    No event of a session is older than its ``started_at``, so neither is any counted.
    """
    listed = list(sessions)
    if not listed:
        return {}
    match: Document = {"profile_id": {"$in": list(profile_ids)}, "session_id": {"$in": [s.id for s in listed]},
                       "occurred_at": {"$gte": min(s.started_at for s in listed)}}
    pipeline = [{"$match": match}, {"$group": {"_id": "$session_id", "count": {"$sum": 1}}}]
    cursor = await database.events.aggregate(pipeline)
    return {str(doc["_id"]): int(doc["count"]) async for doc in cursor}


async def complete_sessions(database: Database, sessions: list[Session], *, profile_ids: list[str],
                            current_session: str | None, last_seen: datetime | None) -> list[Session]:
    """The sessions with their events counted and, for the profile's current visit, its exact last activity.

    ``profile_ids`` are the customer's (:func:`~cairn.core.reads.profiles.owned_ids`);
    ``current_session`` and ``last_seen`` are its profile's ``last_session_id`` and ``last_seen``
    (the time of the current visit's latest event).
    """
    counts = await count_session_events(database, profile_ids, sessions)
    return [_completed(session, counts.get(session.id, 0), current_session, last_seen) for session in sessions]


def _completed(session: Session, event_count: int, current_session: str | None, last_seen: datetime | None) -> Session:
    last_activity = session.last_activity_at
    if session.id == current_session and last_seen is not None:
        last_activity = max(last_activity, last_seen)
    return session.model_copy(update={"event_count": event_count, "last_activity_at": last_activity})


async def find_sessions_with_activity(database: Database, profile_ids: list[str], *, current_session: str | None,
                                      last_seen: datetime | None, first: int,
                                      after: str | None = None) -> Page[Session]:
    """A page of a customer's sessions (:func:`~cairn.core.reads.sessions.find_sessions`), completed
    (:func:`complete_sessions`)."""
    page = await find_sessions(database, profile_ids, first=first, after=after)
    sessions = await complete_sessions(database, page.items, profile_ids=profile_ids,
                                       current_session=current_session, last_seen=last_seen)
    entries = [PageEntry(entry.cursor, session) for entry, session in zip(page.entries, sessions, strict=True)]
    return Page(entries=entries, has_next_page=page.has_next_page)
