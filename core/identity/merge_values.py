"""How two profiles' data combine when they merge: every field of both is kept.

- ``first_seen`` is the earlier, ``last_seen`` the later;
- ``stats`` and ``interests`` are summed, number by number (nested objects too);
- ``anonymous_ids``, ``user_ids``, ``tags``, ``segments`` and each ``identifiers`` list
  are unioned;
- every other field (``traits``, ``consents``, anything a plugin stores) is combined
  with :func:`merge_values`: objects key by key, lists unioned, otherwise the value of
  the profile seen more recently, unless it has none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

BOOKKEEPING = frozenset({"id", "_id", "_w", "version", "merged_into", "merged_from"})
LIST_FIELDS = ("anonymous_ids", "user_ids", "tags", "segments")
COUNTER_FIELDS = ("stats", "interests")
_MIN_TIME = datetime.min


def merge_profile_fields(survivor: dict[str, Any], loser: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``survivor`` after taking ``loser`` in (bookkeeping fields excluded)."""
    older, newer = (survivor, loser) if _seen(loser) > _seen(survivor) else (loser, survivor)
    merged: dict[str, Any] = {}
    for field in (survivor.keys() | loser.keys()) - BOOKKEEPING:
        mine, theirs = survivor.get(field), loser.get(field)
        if field == "first_seen":
            merged[field] = earliest(mine, theirs)
        elif field == "last_seen":
            merged[field] = latest(mine, theirs)
        elif field in COUNTER_FIELDS:
            merged[field] = sum_counts(mine or {}, theirs or {})
        elif field in LIST_FIELDS:
            merged[field] = union(mine or [], theirs or [])
        elif field == "identifiers":
            merged[field] = {kind: union((mine or {}).get(kind, []), (theirs or {}).get(kind, []))
                             for kind in (mine or {}).keys() | (theirs or {}).keys()}
        else:
            merged[field] = merge_values(older.get(field), newer.get(field))
    return merged


def merge_values(older: Any, newer: Any) -> Any:
    """Combine two values: objects key by key, lists as a union, otherwise the newer one (if not None)."""
    if isinstance(older, dict) and isinstance(newer, dict):
        merged = dict(older)
        for key, value in newer.items():
            merged[key] = merge_values(older[key], value) if key in older else value
        return merged
    if isinstance(older, list) and isinstance(newer, list):
        return union(older, newer)
    return newer if newer is not None else older


def union(first: list[Any], second: list[Any]) -> list[Any]:
    """Items of ``first`` then the items of ``second`` not already there."""
    combined = list(first)
    combined.extend(item for item in second if item not in combined)
    return combined


def sum_counts(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Add two mappings of numbers key by key (nested mappings too); other values of ``first`` are kept."""
    total = dict(first)
    for key, value in second.items():
        mine = total.get(key)
        if _is_number(value) and (mine is None or _is_number(mine)):
            total[key] = (mine or 0) + value
        elif isinstance(value, dict) and isinstance(mine, dict):
            total[key] = sum_counts(mine, value)
        elif mine is None:
            total[key] = value
    return total


def earliest(first: datetime | None, second: datetime | None) -> datetime | None:
    """The earlier of two optional datetimes."""
    present = [value for value in (first, second) if value is not None]
    return min(present) if present else None


def latest(first: datetime | None, second: datetime | None) -> datetime | None:
    """The later of two optional datetimes."""
    present = [value for value in (first, second) if value is not None]
    return max(present) if present else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _seen(profile: dict[str, Any]) -> datetime:
    value = profile.get("last_seen") or profile.get("first_seen")
    return value.replace(tzinfo=None) if isinstance(value, datetime) else _MIN_TIME
