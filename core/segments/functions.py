"""Condition functions over a profile's event history: ``events_count`` and ``visits``.

Without a window they read the profile's own counters (``stats.event_types``,
``stats.visits``); with one (``events_count("purchase", 30d)``, ``visits(7d)``) they
read a :class:`ProfileHistory` that the caller looks up beforehand, for a whole batch
of profiles in one query (:func:`load_histories`). The window must be written as a
duration literal, so that the lookup knows how far back to read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cairn.core.conditions import MISSING, Env, uses_env
from cairn.core.conditions.functions import Function
from cairn.core.store.database import Database

from .store import IDS_PER_QUERY

HISTORY = "$history"
"""The context key of the profile's :class:`ProfileHistory` (no path can start with ``$``)."""


@dataclass(frozen=True)
class ProfileHistory:
    """The part of a profile's history the segments in play need."""

    events: list[tuple[str, datetime]] = field(default_factory=list)
    """(event type, occurred at) of the profile's recent events of the types asked for."""
    visits: list[datetime] = field(default_factory=list)
    """The last activity time of the profile's recent sessions."""


@dataclass(frozen=True)
class HistoryNeeds:
    """How far back, and which event types, the history lookup has to read."""

    event_types: frozenset[str] = frozenset()
    event_window: timedelta | None = None
    visit_window: timedelta | None = None

    def __bool__(self) -> bool:
        return self.event_window is not None or self.visit_window is not None

    def __or__(self, other: HistoryNeeds) -> HistoryNeeds:
        return HistoryNeeds(self.event_types | other.event_types, _longest(self.event_window, other.event_window),
                            _longest(self.visit_window, other.visit_window))


def _longest(first: timedelta | None, second: timedelta | None) -> timedelta | None:
    if first is None or second is None:
        return first or second
    return max(first, second)


def _stats(env: Env) -> Mapping[str, Any]:
    profile = env.context.get("profile")
    stats = profile.get("stats") if isinstance(profile, Mapping) else None
    return stats if isinstance(stats, Mapping) else {}


def _history(env: Env) -> ProfileHistory:
    history = env.context.get(HISTORY)
    if not isinstance(history, ProfileHistory):
        raise LookupError("events_count()/visits() with a window need the profile's history in the context "
                          f"under {HISTORY!r}; evaluate segments through cairn.core.segments")
    return history


@uses_env
def events_count(env: Env, event_type: Any, within: Any = None) -> Any:
    """``events_count("purchase")``: events of that type ever; ``events_count("purchase", 30d)``:
    in the last 30 days."""
    if not isinstance(event_type, str):
        return MISSING
    if within is None:
        count = (_stats(env).get("event_types") or {}).get(event_type, 0)
        return count if isinstance(count, int | float) and not isinstance(count, bool) else 0
    if not isinstance(within, timedelta):
        return MISSING
    since = env.now - within
    return sum(1 for kind, at in _history(env).events if kind == event_type and at >= since)


@uses_env
def visits(env: Env, within: Any = None) -> Any:
    """``visits()``: visits ever; ``visits(30d)``: visits active in the last 30 days."""
    if within is None:
        count = _stats(env).get("visits", 0)
        return count if isinstance(count, int | float) and not isinstance(count, bool) else 0
    if not isinstance(within, timedelta):
        return MISSING
    since = env.now - within
    return sum(1 for at in _history(env).visits if at >= since)


HISTORY_FUNCTIONS: dict[str, Function] = {"events_count": events_count, "visits": visits}
"""The functions segments add to the condition language."""

WINDOW_ARGUMENT = {"events_count": 1, "visits": 0}
"""Where each history function takes its window (a duration literal)."""


async def load_histories(database: Database, profile_ids: Iterable[str], needs: HistoryNeeds,
                         now: datetime) -> dict[str, ProfileHistory]:
    """The history of each profile, read in one query per collection for the whole batch."""
    ids = list(profile_ids)
    events: dict[str, list[tuple[str, datetime]]] = {pid: [] for pid in ids}
    sessions: dict[str, list[datetime]] = {pid: [] for pid in ids}
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start:start + IDS_PER_QUERY]
        if needs.event_window is not None and needs.event_types:
            query = {"profile_id": {"$in": chunk}, "occurred_at": {"$gte": now - needs.event_window},
                     "type": {"$in": sorted(needs.event_types)}}
            async for doc in database.events.find(query, {"profile_id": 1, "type": 1, "occurred_at": 1}):
                events.setdefault(doc["profile_id"], []).append((doc["type"], doc["occurred_at"]))
        if needs.visit_window is not None:
            # The stored last_activity_at lags a visit's last event by less than a minute
            # (ACTIVITY_WINDOW, cairn.core.ingestion.sessions): a visit last active within a
            # minute inside the window's far edge may be missed. Acceptable: visit windows are
            # hours or days, and even ``visits(5m)`` is right to within that minute.
            query = {"profile_id": {"$in": chunk}, "last_activity_at": {"$gte": now - needs.visit_window}}
            async for doc in database.sessions.find(query, {"profile_id": 1, "last_activity_at": 1}):
                sessions.setdefault(doc["profile_id"], []).append(doc["last_activity_at"])
    return {pid: ProfileHistory(events[pid], sessions[pid]) for pid in ids}
