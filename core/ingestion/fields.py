"""Typed access to fields of a received JSON message, with errors that name the field.

``label`` is the field's name in error messages when it is not ``key`` itself
(``context.traits`` for the ``traits`` key of the context).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cairn.core.clock import as_utc
from cairn.core.ingestion.errors import EventInvalid

MAX_ID_LENGTH = 256
MAX_TYPE_LENGTH = 200


def optional_id(message: dict[str, Any], key: str, label: str | None = None) -> str | None:
    """An identifier: a non-empty string (integers are accepted and turned into strings)."""
    value = message.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise EventInvalid(f"{label or key} must be a string, not {_kind(value)}")
    text = str(value)
    if len(text) > MAX_ID_LENGTH:
        raise EventInvalid(f"{label or key} is longer than {MAX_ID_LENGTH} characters")
    return text


def required_text(message: dict[str, Any], key: str, limit: int = MAX_TYPE_LENGTH) -> str:
    """A required, non-empty string."""
    value = message.get(key)
    if value is None or value == "":
        raise EventInvalid(f"{key} is missing")
    if not isinstance(value, str):
        raise EventInvalid(f"{key} must be a string, not {_kind(value)}")
    if len(value) > limit:
        raise EventInvalid(f"{key} is longer than {limit} characters")
    return value


def optional_text(message: dict[str, Any], key: str, limit: int = MAX_TYPE_LENGTH) -> str | None:
    """An optional string."""
    if message.get(key) is None:
        return None
    return required_text(message, key, limit)


def optional_object(message: dict[str, Any], key: str, label: str | None = None) -> dict[str, Any]:
    """A JSON object, ``{}`` when absent or null."""
    value = message.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise EventInvalid(f"{label or key} must be an object, not {_kind(value)}")
    return value


def optional_timestamp(message: dict[str, Any], key: str) -> datetime | None:
    """An ISO-8601 timestamp (``Z`` or an offset; no offset means UTC), to the millisecond."""
    value = message.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise EventInvalid(f"{key} must be an ISO-8601 string such as 2026-11-27T10:00:00Z, not {_kind(value)}")
    try:
        parsed = as_utc(datetime.fromisoformat(value))
    except ValueError as error:
        raise EventInvalid(f"{key} is not an ISO-8601 timestamp: {value!r}") from error
    except OverflowError as error:
        raise EventInvalid(f"{key} is out of range: {value!r}") from error
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number",
             float: "a number"}
    return names.get(type(value), type(value).__name__)
