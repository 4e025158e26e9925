"""Outbox entry kinds other than messages: work that must happen later, exactly as reliably.

The outbox delivers entries of kind ``message`` through channels. Any other kind is
handed to the handler registered for it, with the same guarantees: persistence,
leases (a killed worker's entry is retried), retries with backoff, a dead letter.

The flow engine resumes delayed paths this way::

    from cairn.core.outbox import RESUME_FLOW, messaging_for

    async def resume(cairn: Cairn, entry: OutboxEntry) -> None:
        ...  # entry.payload is what was scheduled; raise RetryableDeliveryError to retry

    messaging_for(cairn).handlers.register(RESUME_FLOW, resume)          # at start-up
    await messaging_for(cairn).outbox.schedule(RESUME_FLOW, payload, run_at=when,
                                               profile_id=profile_id)  # from a node

A handler returns nothing (or a ``dict`` kept as the entry's ``result``) and raises
:class:`RetryableDeliveryError` / :class:`PermanentDeliveryError` like a channel.
The handler may run again for the same entry if its worker dies before recording
the result: make it idempotent (the entry's ``idempotency_key`` helps).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from cairn.core.outbox.entries import MESSAGE, OutboxEntry

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn

RESUME_FLOW = "resume-flow"
"""The kind of the entries that continue a delayed flow path."""

Handler = Callable[["Cairn", OutboxEntry], Awaitable[dict[str, Any] | None]]


class HandlerRegistry:
    """Handlers by entry kind."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def register(self, kind: str, handler: Handler) -> None:
        """Let ``handler`` process the entries of ``kind``; a second handler for a kind is refused."""
        if kind == MESSAGE:
            raise ValueError(f"entries of kind {MESSAGE!r} are delivered by channels; use another kind")
        current = self._handlers.get(kind)
        if current is not None and current is not handler:
            raise ValueError(f"a handler for outbox entries of kind {kind!r} is already registered ({current!r})")
        self._handlers[kind] = handler

    def get(self, kind: str) -> Handler | None:
        """The handler of ``kind``, if any."""
        return self._handlers.get(kind)

    def kinds(self) -> list[str]:
        """The kinds with a handler."""
        return sorted(self._handlers)
