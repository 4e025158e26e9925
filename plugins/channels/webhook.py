"""Webhooks: a signed JSON POST to an external system.

The body is the JSON the "Send to webhook" node queued. Headers:

``X-Cairn-Signature: sha256=<hex>``
    HMAC-SHA256 of the raw body bytes with the shared secret. Verify it with
    :func:`signature` (or ``hmac.compare_digest`` against your own HMAC) before
    trusting the body.
``X-Cairn-Idempotency-Key``
    The same on every retry of one message: store it and ignore repeats.
``X-Cairn-Attempt``
    1 for the first try, then 2, 3…

2xx is success; 5xx, 408, 429 and network errors are retried with backoff; other
answers are permanent failures. Settings (``CAIRN_CHANNEL_WEBHOOK_<FIELD>`` or
GraphQL): ``secret`` (required), ``timeout``.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from cairn.core.outbox.channel import DeliveryResult, OutboundMessage, PermanentDeliveryError
from cairn.plugins.channels._http import HttpChannel, status_error

SIGNATURE_HEADER = "X-Cairn-Signature"
IDEMPOTENCY_HEADER = "X-Cairn-Idempotency-Key"


def signature(secret: str, body: bytes) -> str:
    """The ``X-Cairn-Signature`` value of ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode_body(body: object) -> bytes:
    """The exact bytes sent (and signed) for a JSON body."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str).encode()


class WebhookConfig(BaseModel):
    """The shared secret that signs every request."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    secret: SecretStr = Field(description="The HMAC-SHA256 key shared with the receivers.")
    timeout: float = Field(15, gt=0, le=300, description="Seconds to wait for the receiver.")


class WebhookChannel(HttpChannel):
    """POSTs signed JSON to a URL."""

    id = "webhook"
    name = "Webhook"
    description = "Signed JSON POSTs to an external system (HMAC-SHA256, idempotency key)."
    Config = WebhookConfig

    async def send(self, message: OutboundMessage, config: WebhookConfig) -> DeliveryResult:
        """POST the body, signed."""
        url = str(message.payload.get("url") or "")
        if not url.startswith(("http://", "https://")):
            raise PermanentDeliveryError(f"the webhook URL {url!r} is not an http(s) address")
        raw = encode_body(message.payload.get("body"))
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: signature(config.secret.get_secret_value(), raw),
                   IDEMPOTENCY_HEADER: message.idempotency_key, "X-Cairn-Attempt": str(message.attempt)}
        response = await self.post(url, timeout=config.timeout, content=raw, headers=headers)
        if not response.is_success:
            raise status_error(response, f"the webhook {url}")
        return DeliveryResult(detail={"status_code": response.status_code})
