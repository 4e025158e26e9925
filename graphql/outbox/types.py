"""The GraphQL shapes of outbox entries and channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from cairn.core.outbox import Channel as ChannelClass
from cairn.core.outbox import OutboxEntry as OutboxEntryModel
from cairn.core.outbox import Status
from cairn.graphql.scalars import JSON

OutboxStatus = strawberry.enum(Status, name="OutboxStatus",
                               description="queued, sending, sent, failed (retried later), dead (gave up), "
                                           "refused (consent does not allow it)")


@strawberry.type
class OutboxStep:
    """One step of an entry's history."""

    at: datetime
    status: str
    attempt: int | None
    note: str | None


@strawberry.type
class OutboxEntry:
    """An outbound message (or scheduled task) and what happened to it."""

    id: strawberry.ID
    kind: str = strawberry.field(description="'message' for channel messages; other kinds are scheduled tasks.")
    channel: str | None
    profile_id: str | None
    purpose: str | None
    status: OutboxStatus
    attempts: int
    max_attempts: int
    next_attempt_at: datetime | None
    idempotency_key: str = strawberry.field(description="Sent with every attempt; receivers drop repeats.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed, or why it was refused.")
    payload: JSON
    consent: JSON | None = strawberry.field(description="The last consent decision: allowed, code, reason.")
    result: JSON | None
    origin: JSON = strawberry.field(description="Who queued it: flow_id, run_id, node_id, event_id.")
    history: list[OutboxStep]
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None

    @classmethod
    def from_model(cls, entry: OutboxEntryModel) -> OutboxEntry:
        """The GraphQL view of an entry."""
        return cls(id=strawberry.ID(entry.id), kind=entry.kind, channel=entry.channel, profile_id=entry.profile_id,
                   purpose=entry.purpose, status=entry.status, attempts=entry.attempts,
                   max_attempts=entry.max_attempts, next_attempt_at=entry.next_attempt_at,
                   idempotency_key=entry.idempotency_key, last_error=entry.last_error, payload=entry.payload,
                   consent=entry.consent, result=entry.result, origin=entry.origin,
                   history=[_step(item) for item in entry.history], created_at=entry.created_at,
                   updated_at=entry.updated_at, sent_at=entry.sent_at)


def _step(item: dict[str, Any]) -> OutboxStep:
    return OutboxStep(at=item["at"], status=item["status"], attempt=item.get("attempt"), note=item.get("note"))


@strawberry.type
class ChannelSetting:
    """One setting of a channel: its value (secrets masked) and where it comes from."""

    field: str
    value: JSON | None
    source: str | None = strawberry.field(description="stored (setChannelSettings), env, or null (default/unset).")
    secret: bool
    required: bool
    description: str
    env: str = strawberry.field(description="The environment variable that sets it.")


@strawberry.type
class Channel:
    """An installed channel."""

    id: strawberry.ID
    name: str
    description: str
    config_schema: JSON = strawberry.field(description="The JSON Schema of its settings.")
    settings: list[ChannelSetting]

    @classmethod
    def of(cls, channel: ChannelClass, described: list[dict[str, Any]]) -> Channel:
        """The GraphQL view of a channel with its described settings."""
        return cls(id=strawberry.ID(channel.id), name=channel.name, description=channel.description,
                   config_schema=channel.Config.model_json_schema(),
                   settings=[ChannelSetting(**item) for item in described])
