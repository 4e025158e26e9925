"""Consents changed by events, saved with the events' own profile write.

Three event shapes change consents:

* ``consent-granted`` / ``consent-revoked`` with ``properties.consentType`` (or
  ``consent_type`` / ``type``; a string or a list of type ids). The consent widget
  sends these. ``properties.source`` (a string) labels where the decision was made.
* Any event whose ``context.consent.categoryPreferences`` maps type ids to booleans,
  as Segment's consent-aware SDKs send with every event. Only changes are recorded,
  so a preference repeated on each page view adds nothing to the history.

Unknown type ids are recorded too (nothing the customer said is lost) and marked
``type_known: false`` in the history; they allow nothing until a consent type with
that id covers a channel and a purpose.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from cairn.core.consents.models import CONSENT_TYPE_ID, ConsentRequest
from cairn.core.consents.service import ConsentService
from cairn.core.consents.state import plan_consent
from cairn.core.ingestion.pipeline import ProcessOutcome

GRANTED_EVENT = "consent-granted"
REVOKED_EVENT = "consent-revoked"
TYPE_PROPERTIES = ("consentType", "consent_type", "type")
_VALID_ID = re.compile(CONSENT_TYPE_ID)


def consent_requests(event: dict[str, Any]) -> list[ConsentRequest]:
    """The consent changes an event asks for, in order."""
    at: datetime = event["occurred_at"]
    requests = []
    properties = event.get("properties") or {}
    if event.get("type") in (GRANTED_EVENT, REVOKED_EVENT):
        source = properties.get("source") if isinstance(properties.get("source"), str) else "event"
        for type_id in _type_ids(properties):
            requests.append(ConsentRequest(type_id, event["type"] == GRANTED_EVENT, source, at, event.get("id")))
    consent = (event.get("context") or {}).get("consent")
    preferences = consent.get("categoryPreferences") if isinstance(consent, dict) else None
    if isinstance(preferences, dict):
        for type_id, granted in preferences.items():
            if isinstance(granted, bool) and _VALID_ID.match(type_id):
                requests.append(ConsentRequest(type_id, granted, "segment-consent", at, event.get("id"),
                                               only_if_different=True))
    return requests


def _type_ids(properties: dict[str, Any]) -> list[str]:
    for name in TYPE_PROPERTIES:
        value = properties.get(name)
        values = value if isinstance(value, list) else [value]
        found = [item.strip() for item in values if isinstance(item, str) and _VALID_ID.match(item.strip())]
        if found:
            return found
    return []


class ConsentProcessor:
    """A pipeline processor: turns consent events into profile changes and audit records.

    It applies its changes to the profiles it is given too, so processors after it
    (the flow engine) see the consents the request's events just granted.
    """

    def __init__(self, service: ConsentService) -> None:
        self.service = service

    async def __call__(self, events: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        outcome = ProcessOutcome()
        wanted = [(event, consent_requests(event)) for event in events]
        if not any(requests for _, requests in wanted):
            return outcome
        types = await self.service.types.all()
        history = []
        for event, requests in sorted(wanted, key=lambda item: item[0]["occurred_at"]):
            profile = profiles.get(event["profile_id"])
            if profile is None:
                continue
            for request in requests:
                planned = plan_consent(profile, request, types.get(request.type_id))
                if planned is None:
                    continue
                history.append(planned.history)
                if planned.change is not None:
                    planned.change.apply(profile)
                    outcome.changes.setdefault(event["profile_id"], []).append(planned.change)
        if history:
            await self.service.history.insert_many(history)
        return outcome
