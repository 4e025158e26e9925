"""Values at evaluation time: the Missing marker, type tests, equality and ordering.

Nothing here raises: values of types that cannot be compared are simply unequal
and unordered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, final

from cairn.core.clock import as_utc


@final
class MissingType:
    """The type of :data:`MISSING`, the value of a path that is not in the context."""

    _instance: MissingType | None = None

    def __new__(cls) -> MissingType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Final = MissingType()
"""What a path evaluates to when it is not in the context (distinct from ``null``)."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def is_number(value: object) -> bool:
    """True for int and float values (``true``/``false`` are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_list(value: object) -> bool:
    """True for lists and tuples (not strings)."""
    return isinstance(value, list | tuple)


def is_truthy(value: object) -> bool:
    """The truth of a value used as a condition: only ``true`` itself is true."""
    return value is True


def iso_datetime(text: str) -> datetime | None:
    """Parse an ISO-8601 date or date-time string as an aware UTC datetime, else None.

    Naive date-times are taken as UTC; a date alone means midnight UTC.
    """
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        return None


def as_datetime(value: object) -> datetime | None:
    """Return ``value`` as an aware UTC datetime when it is one (or an ISO string)."""
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        return iso_datetime(value)
    return None


def _is_temporal(value: object) -> bool:
    return isinstance(value, date)


def coerce_pair(left: Any, right: Any) -> tuple[Any, Any]:
    """Turn an ISO string into a datetime when the other side is a datetime."""
    if (_is_temporal(left) and isinstance(right, str)) or (_is_temporal(right) and isinstance(left, str)):
        return as_datetime(left), as_datetime(right)
    if _is_temporal(left) and _is_temporal(right):
        return as_datetime(left), as_datetime(right)
    return left, right


def equal(left: Any, right: Any) -> bool:
    """Equality without surprises: values of different types are never equal.

    Numbers compare by value (``1 == 1.0``), booleans only equal booleans, an ISO
    string equals a datetime at the same instant, lists compare item by item.
    """
    if left is MISSING or right is MISSING:
        return False
    left, right = coerce_pair(left, right)
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if is_number(left) and is_number(right):
        return bool(left == right)
    if is_list(left) and is_list(right):
        return len(left) == len(right) and all(equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(equal(left[key], right[key]) for key in left)
    return type(left) is type(right) and bool(left == right)


def order(left: Any, right: Any) -> int | None:
    """Compare two values: -1, 0 or 1, or None when they cannot be ordered.

    Numbers order with numbers, strings with strings, datetimes (and ISO strings
    next to a datetime) with datetimes, durations with durations.
    """
    left, right = coerce_pair(left, right)
    same_kind = (
        (is_number(left) and is_number(right))
        or (isinstance(left, str) and isinstance(right, str))
        or (isinstance(left, datetime) and isinstance(right, datetime))
        or (isinstance(left, timedelta) and isinstance(right, timedelta))
    )
    if not same_kind or left != left or right != right:  # NaN is unordered
        return None
    return int(left > right) - int(left < right)


def contains(container: Any, item: Any) -> bool:
    """``item in container``: list membership (by :func:`equal`) or substring."""
    if container is MISSING or item is MISSING:
        return False
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if is_list(container):
        return any(equal(item, element) for element in container)
    return False


def lookup(value: Any, segment: str | int) -> Any:
    """Step one segment down a path: a key of a mapping or an index of a list."""
    if isinstance(segment, str):
        if isinstance(value, Mapping) and segment in value:
            return value[segment]
        return MISSING
    if isinstance(value, Sequence) and not isinstance(value, str | bytes) and -len(value) <= segment < len(value):
        return value[segment]
    return MISSING
