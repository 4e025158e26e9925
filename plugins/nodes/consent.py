"""Check consent: branch on whether the customer agreed to something, and still does."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from cairn.core.clock import as_utc, utcnow
from cairn.core.consents.models import CONSENT_TYPE_ID, record_state
from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output


class ConsentConfig(BaseModel):
    """The consent type to check."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    consent: str = Field(pattern=CONSENT_TYPE_ID, description="The consent type id, as in profile.consents.",
                         examples=["marketing-email", "sms", "profiling"])


def consent_state(record: Any, now: datetime) -> str:
    """``granted``, ``revoked``, ``expired`` or ``missing``: Cairn's reading of a consent record.

    Besides the aware datetimes Cairn stores, ``expires_at`` may be an ISO 8601 text
    or a naive datetime (taken as UTC); an unreadable expiry counts as expired.
    """
    if isinstance(record, dict) and record.get("expires_at") is not None:
        try:
            record = {**record, "expires_at": _as_datetime(record["expires_at"])}
        except ValueError:
            return "expired"
    return record_state(record, now)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, str):
        return as_utc(datetime.fromisoformat(value))
    raise ValueError(f"not a date: {value!r}")


class CheckConsent(NodeType):
    """Routes on a consent of the profile."""

    id = "cairn.check_consent"
    version = 1
    name = "Check consent"
    category = "Consent"
    description = "Follows 'granted' only if the customer gave this consent and it has not expired."
    docs = """\
Reads `profile.consents[consent]`, a record such as
`{"granted": true, "expires_at": "2026-01-01T00:00:00Z", "granted_at": …}`, and follows
`granted` only when `granted` is true and `expires_at` is empty or still in the future.
A consent never given, refused, revoked or expired follows `not_granted`.

Put this node in front of every message to the customer (e-mail, SMS, webhooks that
share personal data): Cairn reaches customers only as far as they agreed.

**Ports**: `in`; `granted`, `not_granted` — both pass the payload on unchanged; the
state (`granted`, `missing`, `revoked`, `expired`) is written to the run's log.

**Config**: `consent` (the consent type id).
"""
    outputs: ClassVar[tuple[str, ...]] = ("granted", "not_granted")
    Config = ConsentConfig

    async def run(self, config: ConsentConfig, ctx: NodeContext) -> NodeResult:
        """Follow ``granted`` or ``not_granted``."""
        record = (ctx.profile.data.get("consents") or {}).get(config.consent)
        state = consent_state(record, utcnow())
        ctx.log(f"consent {config.consent!r}: {state}")
        return Output("granted" if state == "granted" else "not_granted", ctx.payload)
