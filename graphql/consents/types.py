"""The GraphQL shapes of consent types, consent records and their history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from cairn.core.clock import utcnow
from cairn.core.consents import ConsentDecision, record_state
from cairn.core.consents import ConsentType as ConsentTypeModel


@strawberry.type
class ConsentType:
    """Something customers can agree to, for some channels and purposes."""

    id: strawberry.ID
    name: str
    description: str
    required: bool = strawberry.field(description="Customers must give it to use the service.")
    revocable: bool = strawberry.field(description="Customers may withdraw it (revocations are refused otherwise).")
    expires_after_days: int | None = strawberry.field(description="Each grant lapses after this many days.")
    channels: list[str] = strawberry.field(description="The channels it covers; empty: every channel.")
    purposes: list[str] = strawberry.field(description="The purposes it covers (marketing, analytics…).")
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def from_model(cls, model: ConsentTypeModel) -> ConsentType:
        """The GraphQL view of a consent type."""
        return cls(id=strawberry.ID(model.id), name=model.name, description=model.description,
                   required=model.required, revocable=model.revocable, expires_after_days=model.expires_after_days,
                   channels=list(model.channels), purposes=list(model.purposes), created_at=model.created_at,
                   updated_at=model.updated_at)


@strawberry.type
class ProfileConsent:
    """A profile's current decision on one consent type."""

    type_id: str
    granted: bool
    state: str = strawberry.field(description="granted, revoked or expired.")
    updated_at: datetime | None
    expires_at: datetime | None
    source: str | None = strawberry.field(description="event, segment-consent, graphql, unsubscribe-link…")
    event_id: str | None = strawberry.field(description="The event that changed it, if one did.")

    @classmethod
    def from_record(cls, type_id: str, record: dict[str, Any]) -> ProfileConsent:
        """The GraphQL view of ``profile.consents[type_id]``."""
        return cls(type_id=type_id, granted=record.get("granted") is True, state=record_state(record, utcnow()),
                   updated_at=record.get("updated_at"), expires_at=record.get("expires_at"),
                   source=record.get("source"), event_id=record.get("event_id"))


@strawberry.type
class ConsentHistoryEntry:
    """One consent request, as audited: applied, refused (not revocable) or superseded (older than the state)."""

    id: strawberry.ID
    profile_id: str
    type_id: str
    granted: bool
    previous: str = strawberry.field(description="The state before: granted, revoked, expired or missing.")
    outcome: str
    reason: str | None
    source: str
    event_id: str | None
    at: datetime
    expires_at: datetime | None
    type_known: bool
    recorded_at: datetime | None

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> ConsentHistoryEntry:
        """The GraphQL view of a ``consent_history`` document."""
        return cls(id=strawberry.ID(doc["_id"]), profile_id=doc["profile_id"], type_id=doc["type_id"],
                   granted=doc["granted"], previous=doc.get("previous") or "missing", outcome=doc["outcome"],
                   reason=doc.get("reason"), source=doc.get("source") or "", event_id=doc.get("event_id"),
                   at=doc["at"], expires_at=doc.get("expires_at"), type_known=doc.get("type_known", True),
                   recorded_at=doc.get("recorded_at"))


@strawberry.type
class ConsentCheck:
    """Whether a message may go to a profile, and why (what the outbox decides)."""

    allowed: bool
    code: str = strawberry.field(description="not_required, granted, missing, revoked or expired.")
    reason: str
    consent_type: str | None

    @classmethod
    def from_decision(cls, decision: ConsentDecision) -> ConsentCheck:
        """The GraphQL view of a decision."""
        return cls(allowed=decision.allowed, code=decision.code, reason=decision.reason,
                   consent_type=decision.consent_type)
