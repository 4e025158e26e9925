"""Checking what mutations on sources receive."""

from __future__ import annotations

from cairn.core.http.cors import normalize_origin
from cairn.graphql.results import FieldError

MAX_NAME_LENGTH = 200


def check_name(name: str) -> tuple[str, list[FieldError]]:
    """The trimmed name, and what is wrong with it."""
    cleaned = name.strip()
    if not cleaned:
        return cleaned, [FieldError(field="name", message="must not be empty")]
    if len(cleaned) > MAX_NAME_LENGTH:
        return cleaned, [FieldError(field="name", message=f"must be at most {MAX_NAME_LENGTH} characters")]
    return cleaned, []


def check_origins(origins: list[str]) -> tuple[list[str], list[FieldError]]:
    """The origins as the tracking endpoints' CORS compares them (``scheme://host[:port]``, lower case,
    default port dropped; ``*`` for any origin), and what is wrong with them."""
    cleaned: list[str] = []
    errors: list[FieldError] = []
    for index, origin in enumerate(origins):
        normalized = normalize_origin(origin)
        if normalized is None:
            errors.append(FieldError(field=f"allowedOrigins[{index}]",
                                     message=f"{origin!r} is not an origin like https://shop.example or "
                                             "http://localhost:3000 (scheme and host, no path), or *"))
        elif normalized not in cleaned:
            cleaned.append(normalized)
    return cleaned, errors
