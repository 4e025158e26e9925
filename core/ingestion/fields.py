"""Typed access to fields of a received JSON message, with errors that name the field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cairn.core.clock import as_utc
from cairn.core.ingestion.errors import EventInvalid

MAX_ID_LENGTH = 256
MAX_TYPE_LENGTH = 200


def optional_id(message: dict[str, Any], key: str) -> str | None:
    """An identifier: a non-empty string (numbers are accepted and turned into strings)."""
    value = message.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise EventInvalid(f"{key} must be a string, not {_kind(value)}")
    text = str(value)
    if len(text) > MAX_ID_LENGTH:
        raise EventInvalid(f"{key} is longer than {MAX_ID_LENGTH} characters")
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


def optional_object(message: dict[str, Any], key: str) -> dict[str, Any]:
    """A JSON object, ``{}`` when absent or null."""
    value = message.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise EventInvalid(f"{key} must be an object, not {_kind(value)}")
    return value


def optional_timestamp(message: dict[str, Any], key: str) -> datetime | None:
    """An ISO-8601 timestamp (``Z`` or an offset; no offset means UTC)."""
    value = message.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise EventInvalid(f"{key} must be an ISO-8601 string such as 2026-11-27T10:00:00Z, not {_kind(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise EventInvalid(f"{key} is not an ISO-8601 timestamp: {value!r}") from error
    parsed = as_utc(parsed)
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number",
             float: "a number"}
    return names.get(type(value), type(value).__name__)
