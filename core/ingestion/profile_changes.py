"""The profile changes that storing events implies: counts, times, ids, traits."""

from __future__ import annotations

from typing import Any

from cairn.core.identity.keys import identifier_key
from cairn.core.profiles.changes import (
    AddToList,
    Change,
    Increment,
    KeepEarliest,
    KeepLatest,
    SetField,
)

IDENTIFIER_TRAITS = ("email", "phone")


def changes_for_event(event: dict[str, Any], new_session: bool) -> list[Change]:
    """What one stored event changes on its profile."""
    changes: list[Change] = [
        Increment(("stats", "events"), 1),
        Increment(("stats", "event_types", event["type"]), 1),
        KeepLatest(("last_seen",), event["occurred_at"]),
        KeepEarliest(("first_seen",), event["occurred_at"]),
        SetField(("last_session_id",), event["session_id"]),
    ]
    if new_session:
        changes.append(Increment(("stats", "visits"), 1))
    if event.get("anonymous_id"):
        changes.append(AddToList(("anonymous_ids",), (event["anonymous_id"],)))
    if event.get("user_id"):
        changes.append(AddToList(("user_ids",), (event["user_id"],)))
    traits = event.get("traits") or {}
    changes.extend(SetField(("traits", key), value) for key, value in traits.items())
    changes.extend(AddToList(("identifiers", kind), (value,)) for kind, value in identifiers_in(traits).items())
    return changes


def identifiers_in(traits: dict[str, Any]) -> dict[str, str]:
    """The identifiers (e-mail, phone) among traits, normalized."""
    found = {}
    for kind in IDENTIFIER_TRAITS:
        value = traits.get(kind)
        if isinstance(value, str) and value.strip():
            found[kind] = identifier_key(kind, value).split(":", 1)[1]
    return found
