"""The profile changes that storing events implies: counts, times, ids, traits, identifiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cairn.core.identity.keys import normalize_identifier
from cairn.core.profiles.changes import (
    AddToList,
    Change,
    Increment,
    KeepEarliest,
    KeepLatest,
    SetField,
)

IDENTIFIER_TRAITS = ("email", "phone")


@dataclass(frozen=True)
class SetLatestSession:
    """Point ``last_session_id`` at the session of the profile's latest event.

    Applied before the event's ``KeepLatest(last_seen)``: a late event (older than
    the profile's last activity) does not move the current visit back.
    """

    session_id: str
    occurred_at: datetime

    def apply(self, doc: dict[str, Any]) -> None:
        last_seen = doc.get("last_seen")
        if last_seen is None or self.occurred_at >= last_seen:
            doc["last_session_id"] = self.session_id


def changes_for_event(event: dict[str, Any], new_session: bool,
                      identifier_kinds: Iterable[str] = IDENTIFIER_TRAITS) -> list[Change]:
    """What one stored event changes on its profile."""
    changes: list[Change] = [
        Increment(("stats", "events"), 1),
        Increment(("stats", "event_types", event["type"]), 1),
        SetLatestSession(event["session_id"], event["occurred_at"]),
        KeepLatest(("last_seen",), event["occurred_at"]),
        KeepEarliest(("first_seen",), event["occurred_at"]),
    ]
    if new_session:
        changes.append(Increment(("stats", "visits"), 1))
    if event.get("anonymous_id"):
        changes.append(AddToList(("anonymous_ids",), (event["anonymous_id"],)))
    if event.get("user_id"):
        changes.append(AddToList(("user_ids",), (event["user_id"],)))
    traits = event.get("traits") or {}
    changes.extend(SetField(("traits", key), value) for key, value in traits.items())
    changes.extend(AddToList(("identifiers", kind), (value,))
                   for kind, value in identifiers_in(traits, identifier_kinds).items())
    return changes


def identifiers_in(traits: dict[str, Any], kinds: Iterable[str] = IDENTIFIER_TRAITS) -> dict[str, str]:
    """The identifiers (e-mail, phone, configured merge keys) among traits, normalized."""
    found = {}
    for kind in kinds:
        value = traits.get(kind)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            normalized = normalize_identifier(kind, value)
            if normalized:
                found[kind] = normalized
    return found
