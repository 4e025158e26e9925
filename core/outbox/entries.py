"""Outbox entries: one document per outbound message (or scheduled task) and its fate.

``status`` moves ``queued`` → ``sending`` → ``sent``; a failed try goes to ``failed``
(retried at ``next_attempt_at``) and, after the last try, to ``dead``. A message the
customer's consent does not allow is ``refused`` (at enqueue or at delivery) and is
never sent. ``history`` lists every step with its time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cairn.core.clock import utcnow
from cairn.core.ids import new_id

MESSAGE = "message"
"""The kind of an entry that a channel delivers; other kinds go to registered handlers."""
HISTORY_LIMIT = 50


class Status(StrEnum):
    """Where an outbox entry stands."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"
    REFUSED = "refused"


DUE_STATUSES = (Status.QUEUED.value, Status.FAILED.value)


class OutboxEntry(BaseModel):
    """An outbox entry as callers see it."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str = MESSAGE
    channel: str | None = None
    profile_id: str | None = None
    purpose: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    status: Status
    attempts: int = 0
    max_attempts: int = 1
    next_attempt_at: datetime | None = None
    idempotency_key: str
    last_error: str | None = None
    consent: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    origin: dict[str, Any] = Field(default_factory=dict)
    history: list[dict[str, Any]] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None = None

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> OutboxEntry:
        """The entry a stored document stands for."""
        fields = {key: value for key, value in doc.items() if key in cls.model_fields}
        return cls(id=doc["_id"], **fields)


def step(status: str, note: str | None = None, *, attempt: int | None = None,
         at: datetime | None = None) -> dict[str, Any]:
    """One line of an entry's history."""
    return {"at": at or utcnow(), "status": status, "attempt": attempt, "note": note}


def new_entry(*, kind: str, channel: str | None, profile_id: str | None, purpose: str | None,
              payload: dict[str, Any], idempotency_key: str | None, max_attempts: int,
              run_at: datetime | None = None, origin: dict[str, Any] | None = None,
              consent: dict[str, Any] | None = None, refused: str | None = None) -> dict[str, Any]:
    """A new entry document: ``queued`` for ``run_at`` (default now), or ``refused`` with a reason."""
    now = utcnow()
    status = Status.REFUSED if refused else Status.QUEUED
    return {
        "_id": new_id(), "kind": kind, "channel": channel, "profile_id": profile_id, "purpose": purpose,
        "payload": payload, "status": status.value, "attempts": 0, "max_attempts": max_attempts,
        "next_attempt_at": None if refused else (run_at or now), "lease_version": 0, "lease_owner": None,
        "lease_until": None, "idempotency_key": idempotency_key or new_id(), "last_error": refused,
        "consent": consent, "result": None, "origin": origin or {},
        "history": [step(status.value, refused or ("scheduled" if run_at else None), at=now)],
        "created_at": now, "updated_at": now, "sent_at": None,
    }


def push_history(entry_step: dict[str, Any]) -> dict[str, Any]:
    """The ``$push`` that appends a history line, keeping the last ``HISTORY_LIMIT``."""
    return {"history": {"$each": [entry_step], "$slice": -HISTORY_LIMIT}}
