"""The operators of the language applied to values; none of them raises.

A comparison with a Missing operand is false, whatever the operator (``!=`` and
the negated word operators included); an operation that has no meaning for its
operands gives false (comparisons) or :data:`MISSING` (arithmetic).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from .limits import MAX_PATTERN_LENGTH
from .values import MISSING, as_datetime, contains, equal, is_number, order

_ORDERINGS: dict[str, Callable[[int], bool]] = {
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
}

END_OF_TEXT = r"(?![\s\S])"
"""Regex for the very end of a string, spelled the same in Python and in MongoDB (PCRE)."""


def compare(op: str, left: Any, right: Any) -> bool:
    """Apply ``== != > >= < <=``; false for Missing operands and incompatible types."""
    if left is MISSING or right is MISSING:
        return False
    if op == "==":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    result = order(left, right)
    return result is not None and _ORDERINGS[op](result)


def membership(container: Any, item: Any, negated: bool) -> bool:
    """``item in container`` (or ``not in``); false when either side is Missing."""
    if container is MISSING or item is MISSING:
        return False
    return contains(container, item) != negated


def string_match(op: str, subject: Any, pattern: Any, negated: bool) -> bool:
    """``starts with``, ``ends with``, ``matches`` and the case-insensitive variants."""
    if subject is MISSING or pattern is MISSING:
        return False
    return _positive_match(op, subject, pattern) != negated


def _positive_match(op: str, subject: Any, pattern: Any) -> bool:
    if not isinstance(subject, str) or not isinstance(pattern, str):
        return False
    if op == "starts":
        return subject.startswith(pattern)
    if op == "ends":
        return subject.endswith(pattern)
    regex = match_regex(op, pattern)
    return regex is not None and regex.search(subject) is not None


def match_regex(op: str, pattern: str) -> re.Pattern[str] | None:
    """The compiled regex for ``matches`` and the ``i…`` operators (None if invalid)."""
    if op == "matches":
        return compile_pattern(pattern, 0) if len(pattern) <= MAX_PATTERN_LENGTH else None
    source = re.escape(pattern)
    if op == "istarts":
        source = "^" + source
    elif op == "iends":
        source += END_OF_TEXT
    return compile_pattern(source, re.IGNORECASE)


@lru_cache(maxsize=512)
def compile_pattern(pattern: str, flags: int) -> re.Pattern[str] | None:
    """Compile a regex, or return None when it is invalid (never raises)."""
    try:
        return re.compile(pattern, flags)
    except (re.error, OverflowError, RecursionError):
        return None


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """Apply ``+ - * /``; :data:`MISSING` when the operands do not fit the operator.

    Numbers with numbers; datetimes (or ISO strings) plus or minus durations; the
    difference of two datetimes is a duration; durations add up and scale by
    numbers. Division by zero gives :data:`MISSING`.
    """
    left, right = _operand(left, right), _operand(right, left)
    if (op, _kind(left), _kind(right)) not in _ALLOWED:
        return MISSING
    if op == "/" and not right:
        return MISSING
    try:
        return _APPLY[op](left, right)
    except (ArithmeticError, ValueError):
        return MISSING


_APPLY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_ALLOWED = {(op, "number", "number") for op in _APPLY} | {
    ("+", "datetime", "duration"),
    ("+", "duration", "datetime"),
    ("+", "duration", "duration"),
    ("-", "datetime", "duration"),
    ("-", "datetime", "datetime"),
    ("-", "duration", "duration"),
    ("*", "duration", "number"),
    ("*", "number", "duration"),
    ("/", "duration", "number"),
    ("/", "duration", "duration"),
}


def _operand(value: Any, other: Any) -> Any:
    """Read dates as datetimes, and ISO strings too when next to a date or duration."""
    if isinstance(value, str) and isinstance(other, date | timedelta):
        return as_datetime(value) or MISSING
    if isinstance(value, date):
        return as_datetime(value)
    return value


def _kind(value: Any) -> str | None:
    if is_number(value):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, timedelta):
        return "duration"
    return None
