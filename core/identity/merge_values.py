"""How two profiles' data combine when they merge."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def merge_values(older: Any, newer: Any) -> Any:
    """Combine two values: objects key by key, lists as a union, otherwise the newer one."""
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
    """Add two mappings of numbers key by key."""
    total = dict(first)
    for key, value in second.items():
        if isinstance(value, int | float):
            total[key] = total.get(key, 0) + value
    return total


def earliest(first: datetime | None, second: datetime | None) -> datetime | None:
    """The earlier of two optional datetimes."""
    present = [value for value in (first, second) if value is not None]
    return min(present) if present else None


def latest(first: datetime | None, second: datetime | None) -> datetime | None:
    """The later of two optional datetimes."""
    present = [value for value in (first, second) if value is not None]
    return max(present) if present else None
