"""The consent rules as pure functions: recording a decision, and deciding a send.

Nothing here touches the store: :mod:`cairn.core.consents.service` and the event
processor feed these functions and save what they return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cairn.core.clock import as_utc, utcnow
from cairn.core.consents.models import ConsentDecision, ConsentRequest, ConsentType, record_state
from cairn.core.ids import new_id

CONSENTS = "consents"


@dataclass(frozen=True)
class RecordConsent:
    """A profile change: set ``consents.<type_id>`` to ``state`` unless a later decision is there.

    Re-applied after a version conflict, an older decision never overwrites a newer
    one, so events that arrive out of order leave the latest decision in place.
    """

    type_id: str
    state: dict[str, Any]

    def apply(self, doc: dict[str, Any]) -> None:
        consents = doc.get(CONSENTS)
        if not isinstance(consents, dict):
            consents = doc[CONSENTS] = {}
        current = consents.get(self.type_id)
        if _is_later(current, self.state["updated_at"]):
            return
        consents[self.type_id] = dict(self.state)


def _is_later(record: Any, at: datetime) -> bool:
    updated_at = record.get("updated_at") if isinstance(record, dict) else None
    return isinstance(updated_at, datetime) and as_utc(updated_at) > as_utc(at)


@dataclass(frozen=True)
class PlannedConsent:
    """What one request does: the profile change (``None`` if refused) and its audit record."""

    change: RecordConsent | None
    history: dict[str, Any]


def plan_consent(profile: Mapping[str, Any], request: ConsentRequest,
                 consent_type: ConsentType | None) -> PlannedConsent | None:
    """Plan ``request`` on ``profile``; ``None`` when there is nothing to record.

    A revocation of a non-revocable type is refused; a request older than the decision
    already held is superseded. Both are still audited.
    """
    record = (profile.get(CONSENTS) or {}).get(request.type_id)
    previous = record_state(record, request.at)
    if request.only_if_different and previous == ("granted" if request.granted else "revoked"):
        return None
    history = _history(profile["id"], request, consent_type, previous)
    if not request.granted and consent_type is not None and not consent_type.revocable:
        return PlannedConsent(None, {**history, "outcome": "refused",
                                     "reason": f"consent type {consent_type.id!r} is not revocable"})
    if _is_later(record, request.at):
        return PlannedConsent(None, {**history, "outcome": "superseded",
                                     "reason": "the profile holds a later decision"})
    expires_at = request.expires_at
    if expires_at is None and request.granted and consent_type is not None:
        expires_at = consent_type.expiry_for(request.at)
    state = {"granted": request.granted, "updated_at": request.at, "expires_at": expires_at if request.granted
             else None, "source": request.source, "event_id": request.event_id}
    return PlannedConsent(RecordConsent(request.type_id, state), {**history, "expires_at": state["expires_at"]})


def _history(profile_id: str, request: ConsentRequest, consent_type: ConsentType | None,
             previous: str) -> dict[str, Any]:
    return {"_id": new_id(), "profile_id": profile_id, "type_id": request.type_id, "granted": request.granted,
            "previous": previous, "outcome": "applied", "reason": None, "source": request.source,
            "event_id": request.event_id, "at": request.at, "expires_at": None,
            "type_known": consent_type is not None, "recorded_at": utcnow()}


def decide(types: Iterable[ConsentType], profile: Mapping[str, Any], channel: str, purpose: str, *,
           consent_free: frozenset[str], now: datetime) -> ConsentDecision:
    """Whether a ``purpose`` message may go to ``profile`` through ``channel`` at ``now``.

    See :mod:`cairn.core.consents.purposes` for the rule.
    """
    if purpose in consent_free:
        return ConsentDecision(True, "not_required", f"purpose {purpose!r} needs no consent")
    covering = [consent_type for consent_type in types if consent_type.covers(channel, purpose)]
    if not covering:
        return ConsentDecision(False, "missing", f"no consent type covers purpose {purpose!r} on channel "
                                                 f"{channel!r}; create one that lists them, and collect it")
    consents = profile.get(CONSENTS) or {}
    states = {consent_type.id: record_state(consents.get(consent_type.id), now) for consent_type in covering}
    granted = [type_id for type_id, state in states.items() if state == "granted"]
    if granted:
        return ConsentDecision(True, "granted", f"consent {granted[0]!r} is granted", granted[0])
    code = next(code for code in ("expired", "revoked", "missing") if code in states.values())
    type_id = next(type_id for type_id, state in states.items() if state == code)
    return ConsentDecision(False, code, f"consent {type_id!r} is {code} (needed for purpose {purpose!r} on "
                                        f"channel {channel!r})", type_id)


def now_or(at: datetime | None) -> datetime:
    """``at`` as UTC, or the current time."""
    return as_utc(at) if at is not None else utcnow()
