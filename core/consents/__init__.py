"""Consents: what each customer agreed to, for which channels and purposes, and its audit trail.

The rule the core enforces on every outbound message is documented in
:mod:`cairn.core.consents.purposes`.
"""

from cairn.core.consents.errors import ConsentError, NotRevocable, UnknownConsentType, UnknownProfile
from cairn.core.consents.models import ConsentDecision, ConsentRequest, ConsentType, record_state
from cairn.core.consents.purposes import MARKETING, TRANSACTIONAL
from cairn.core.consents.runtime import consent_service
from cairn.core.consents.service import ConsentService
from cairn.core.consents.state import RecordConsent

__all__ = [
    "MARKETING", "TRANSACTIONAL", "ConsentDecision", "ConsentError", "ConsentRequest", "ConsentService",
    "ConsentType", "NotRevocable", "RecordConsent", "UnknownConsentType", "UnknownProfile",
    "consent_service", "record_state",
]
