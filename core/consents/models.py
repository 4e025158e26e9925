"""Consent types, a profile's consent records, and consent decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.consents.purposes import MARKETING

CONSENT_TYPE_ID = r"^[A-Za-z0-9][A-Za-z0-9 _:-]{0,63}$"
"""Letters, digits, space, ``_``, ``:`` and ``-`` (Segment category names such as ``Advertising`` fit)."""


class ConsentType(BaseModel):
    """Something a customer can agree to: which channels and purposes it covers, and for how long.

    ``channels`` empty means every channel. ``required`` marks a consent the customer
    must give to use the service (the consent widget cannot be dismissed without it);
    ``revocable=False`` makes revocations of it refused (and audited).
    ``expires_after_days`` makes each grant lapse after that many days.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=CONSENT_TYPE_ID, examples=["marketing-email", "sms"])
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    required: bool = False
    revocable: bool = True
    expires_after_days: int | None = Field(default=None, ge=1, le=36_500)
    channels: tuple[str, ...] = ()
    purposes: tuple[str, ...] = (MARKETING,)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("channels", "purposes")
    @classmethod
    def _clean(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value.strip() for value in values if value.strip()))

    @field_validator("purposes")
    @classmethod
    def _some_purpose(cls, purposes: tuple[str, ...]) -> tuple[str, ...]:
        if not purposes:
            raise ValueError("a consent type covers at least one purpose, e.g. 'marketing'")
        return purposes

    def covers(self, channel: str, purpose: str) -> bool:
        """Whether a grant of this type allows ``purpose`` messages through ``channel``."""
        return purpose in self.purposes and (not self.channels or channel in self.channels)

    def expiry_for(self, granted_at: datetime) -> datetime | None:
        """When a grant made at ``granted_at`` lapses (``None``: never)."""
        if self.expires_after_days is None:
            return None
        return granted_at + timedelta(days=self.expires_after_days)


def record_state(record: Any, now: datetime) -> str:
    """The state of a ``profile.consents[type]`` record: ``granted``, ``revoked``, ``expired`` or ``missing``."""
    if not isinstance(record, dict) or "granted" not in record:
        return "missing"
    if record.get("granted") is not True:
        return "revoked"
    expires_at = record.get("expires_at")
    if isinstance(expires_at, datetime) and expires_at <= now:
        return "expired"
    return "granted"


@dataclass(frozen=True)
class ConsentRequest:
    """A wish to grant or revoke one consent, from an event, GraphQL or an unsubscribe link."""

    type_id: str
    granted: bool
    source: str
    at: datetime
    event_id: str | None = None
    expires_at: datetime | None = None
    only_if_different: bool = False
    """Skip the request when the profile already holds this decision (Segment sends
    ``categoryPreferences`` with every event: only changes are recorded)."""


@dataclass(frozen=True)
class ConsentDecision:
    """Whether a message may go to a profile, and why.

    ``code`` is ``not_required`` (consent-free purpose), ``granted``, ``missing``,
    ``revoked`` or ``expired``; ``consent_type`` names the type that decided, if any.
    """

    allowed: bool
    code: str
    reason: str
    consent_type: str | None = None

    def to_document(self) -> dict[str, Any]:
        """The decision as stored on an outbox entry."""
        return {"allowed": self.allowed, "code": self.code, "reason": self.reason,
                "consent_type": self.consent_type}
