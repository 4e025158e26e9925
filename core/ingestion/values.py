"""Checks on the JSON values of an event: nesting depth and numbers the store can keep."""

from __future__ import annotations

from typing import Any

import orjson

from cairn.core.ingestion.errors import EventInvalid

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def check_event(event: Any, max_bytes: int, max_nesting: int) -> None:
    """Refuse an event that is too large, nests too deep or holds a number too large to store."""
    size = len(orjson.dumps(event))
    if size > max_bytes:
        raise EventInvalid(f"the event is {size} bytes; the limit is {max_bytes}", "event_too_large", 413)
    check_value(event, max_nesting)


def check_value(value: Any, max_nesting: int, *, name: str = "") -> None:
    """Walk ``value`` (iteratively: no recursion limit) for too deep nesting and out-of-range integers."""
    stack: list[tuple[Any, int, str]] = [(value, 1, name)]
    while stack:
        item, depth, path = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_nesting:
                raise EventInvalid(f"{path or 'the event'} is nested {depth} levels deep; the limit is {max_nesting}",
                                   "too_deep")
            children = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend((child, depth + 1, f"{path}.{key}" if path else str(key)) for key, child in children)
        elif isinstance(item, int) and not isinstance(item, bool) and not INT64_MIN <= item <= INT64_MAX:
            raise EventInvalid(f"{path} is {item}: numbers must fit in 64-bit integers; send it as a string",
                               "number_too_large")
