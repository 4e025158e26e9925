"""Adapters the flow engine puts in ``ctx.services``: the outbox and the delay scheduler.

* :class:`FlowOutbox` implements :class:`cairn.core.nodes.services.Outbox` (what
  ``ctx.send`` calls in live runs): each message is queued in the outbox for the
  run's profile, with the consent check of the core. The message's ``purpose`` key
  says what it is for (default ``marketing``, the purpose that needs consent).
* :class:`OutboxScheduler` implements the delay node's ``Scheduler``: each resume
  entry becomes an outbox entry of kind ``resume-flow`` due at ``resume_at``; the
  engine registers the handler that continues the run
  (``messaging_for(cairn).handlers.register(RESUME_FLOW, handler)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cairn.core.consents.purposes import MARKETING
from cairn.core.outbox.entries import OutboxEntry
from cairn.core.outbox.handlers import RESUME_FLOW
from cairn.core.outbox.messaging import Messaging


@dataclass
class FlowOutbox:
    """Queues a flow run's messages for its profile (see the module docstring)."""

    messaging: Messaging
    profile: dict[str, Any]
    origin: dict[str, Any] = field(default_factory=dict)
    """``flow_id``, ``run_id``, ``event_id``: kept on each entry and used for its idempotency key."""
    entries: list[OutboxEntry] = field(default_factory=list)
    """The entries this run queued or had refused, in order."""

    async def send(self, channel: str, message: dict[str, Any], *, to: str | None = None,
                   node_id: str | None = None) -> str:
        """Queue ``message`` (refused at once if consent is missing); return the entry id."""
        payload = {key: value for key, value in message.items() if key != "purpose"}
        if to is not None:
            payload["to"] = to
        origin = {**self.origin, "node_id": node_id}
        key = None
        if origin.get("event_id") and origin.get("flow_id") and node_id:
            key = f"flow:{origin['flow_id']}:{node_id}:{origin['event_id']}"
        entry = await self.messaging.outbox.send(channel, self.profile, purpose=str(message.get("purpose", MARKETING)),
                                                 payload=payload, idempotency_key=key, origin=origin)
        self.entries.append(entry)
        return entry.id


@dataclass
class OutboxScheduler:
    """Stores delay-node resume entries as ``resume-flow`` outbox entries."""

    messaging: Messaging

    async def schedule(self, entry: dict[str, Any]) -> OutboxEntry:
        """Queue ``entry`` (with ``resume_at``, ``flow_id``, ``run_id``, ``node_id``…) for its time."""
        resume_at: datetime = entry["resume_at"]
        key = f"resume:{entry.get('run_id')}:{entry.get('node_id')}:{resume_at.isoformat()}"
        origin = {name: entry.get(name) for name in ("flow_id", "run_id", "node_id", "event_id")}
        return await self.messaging.outbox.schedule(RESUME_FLOW, dict(entry), run_at=resume_at,
                                                    profile_id=entry.get("profile_id"), idempotency_key=key,
                                                    origin=origin)
