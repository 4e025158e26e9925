"""What the nodes that call other servers share: the HTTP client and dry-run records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from cairn.core.nodes import NodeContext


@asynccontextmanager
async def http_client(ctx: NodeContext) -> AsyncIterator[httpx.AsyncClient]:
    """The engine's shared client (``ctx.services["http"]``) if there is one, else a client of our own.

    Only for live runs: a dry run calls nothing.
    """
    shared = ctx.services.get("http")
    if isinstance(shared, httpx.AsyncClient):
        yield shared
        return
    async with httpx.AsyncClient(follow_redirects=True) as client:
        yield client


def record_dry_run(ctx: NodeContext, kind: str, request: dict[str, Any]) -> None:
    """Note a request a dry run did not send: with ``ctx.record_call`` (the run's result) and in the log."""
    ctx.record_call(kind, request)
    ctx.log(f"dry run: {kind} request not sent: {request.get('method', 'POST')} {request.get('url')}")


def response_body(response: httpx.Response) -> Any:
    """The response's JSON if it parses, else its text."""
    try:
        return response.json()
    except ValueError:
        return response.text
