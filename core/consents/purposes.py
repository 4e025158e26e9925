"""Purposes: what a message is for, and which purposes need the customer's consent.

Every outbound message declares a *purpose* (``marketing``, ``transactional``,
``analytics``…). A consent type lists the purposes (and channels) it covers. The
rule the core enforces, whatever a flow says:

* a message whose purpose is **consent-free** may be sent without any consent;
  by default only ``transactional`` is (an order confirmation, a password reset,
  a delivery notice: what the customer needs to use the service they asked for);
* any other purpose needs a current consent (granted, not revoked, not expired) of
  a consent type that covers both the message's channel and its purpose. A purpose
  no consent type covers can never be sent.

``CAIRN_CONSENT_FREE_PURPOSES`` (comma-separated, default ``transactional``) changes
the consent-free set; set it to an empty string to require consent for everything.
"""

from __future__ import annotations

import os

MARKETING = "marketing"
TRANSACTIONAL = "transactional"
DEFAULT_CONSENT_FREE = frozenset({TRANSACTIONAL})
ENV_CONSENT_FREE = "CAIRN_CONSENT_FREE_PURPOSES"
KNOWN_PURPOSES = (MARKETING, TRANSACTIONAL, "analytics", "personalization", "profiling")
"""Purposes the editor suggests; any other name works the same way."""


def consent_free_purposes_from_env() -> frozenset[str]:
    """The consent-free purposes: ``CAIRN_CONSENT_FREE_PURPOSES`` or ``{"transactional"}``."""
    raw = os.environ.get(ENV_CONSENT_FREE)
    if raw is None:
        return DEFAULT_CONSENT_FREE
    return frozenset(item.strip() for item in raw.split(",") if item.strip())
