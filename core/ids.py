"""Identifier generation."""

import secrets
import uuid


def new_id() -> str:
    """Return a new random identifier (a UUID4 string)."""
    return str(uuid.uuid4())


def new_secret(prefix: str) -> str:
    """Return a new unguessable secret such as a write key or an admin token."""
    return f"{prefix}_{secrets.token_urlsafe(24)}"
