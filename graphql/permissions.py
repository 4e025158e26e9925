"""Permission classes for GraphQL fields.

The HTTP and WebSocket layers (:mod:`cairn.graphql.view`) already refuse callers
without an admin token; fields also declare :class:`IsAdmin` so that the rule holds
wherever the schema is executed (tests, scripts, future transports). Plugins should
declare it on their root fields too.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from cairn.graphql.context import Info

UNAUTHENTICATED = "UNAUTHENTICATED"


class IsAdmin(BasePermission):
    """The caller sent a valid admin token."""

    message = "an admin token is required: send the header 'Authorization: Bearer <token>'"
    error_extensions = {"code": UNAUTHENTICATED, "hint": "create a token with `cairn admin create-token`"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return bool(getattr(info.context, "is_admin", False))
