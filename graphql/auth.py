"""Admin tokens on GraphQL requests: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cairn.core.http.responses import JSONResponse
from cairn.core.runtime import Cairn
from cairn.graphql.permissions import UNAUTHENTICATED

MISSING = "an admin token is required: send the header 'Authorization: Bearer <token>'"
INVALID = "the admin token is not valid (unknown or revoked)"
HINT = "create a token with `cairn admin create-token`; in GraphiQL, set it in the Headers tab"


def bearer_token(value: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value (``None`` if absent or another scheme)."""
    scheme, _, token = (value or "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def token_in_params(params: Mapping[str, Any] | None) -> str | None:
    """The token a WebSocket client sent in its ``connection_init`` payload (``Authorization`` key)."""
    for key, value in (params or {}).items():
        if key.lower() == "authorization" and isinstance(value, str):
            return bearer_token(value)
    return None


async def is_admin(cairn: Cairn, token: str | None) -> bool:
    """Whether ``token`` is a current admin token."""
    if not token:
        return False
    return await cairn.tokens.is_valid(token)


def unauthenticated(token: str | None) -> JSONResponse:
    """The HTTP 401 answer, shaped like a GraphQL response so that GraphiQL shows it."""
    error = {"message": INVALID if token else MISSING, "extensions": {"code": UNAUTHENTICATED, "hint": HINT}}
    return JSONResponse({"data": None, "errors": [error]}, status_code=401,
                        headers={"WWW-Authenticate": 'Bearer realm="cairn"'})
