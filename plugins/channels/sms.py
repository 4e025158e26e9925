"""SMS through an HTTP gateway speaking Twilio's Messages API.

``POST {base_url}/2010-04-01/Accounts/{account_sid}/Messages.json`` with the form
fields ``To``, ``From``, ``Body`` and HTTP Basic auth ``account_sid:auth_token`` —
Twilio itself or any compatible gateway. Each request carries the message's
idempotency key in ``X-Cairn-Idempotency-Key`` (and ``I-Twilio-Idempotency-Token``),
the same on every retry.

Payload: ``to``, ``body``. Settings (``CAIRN_CHANNEL_SMS_<FIELD>`` or GraphQL):
``base_url``, ``account_sid``, ``auth_token``, ``from_number``, ``timeout``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from cairn.core.outbox.channel import DeliveryResult, OutboundMessage, PermanentDeliveryError
from cairn.plugins.channels._http import HttpChannel, status_error


class SmsConfig(BaseModel):
    """The gateway and the sender number."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str = Field("https://api.twilio.com", description="The gateway's base URL.")
    account_sid: str = Field(description="The account id (Basic auth user name).")
    auth_token: SecretStr = Field(description="The auth token (Basic auth password).")
    from_number: str = Field(description="The sender: a phone number or an alphanumeric sender id.")
    timeout: float = Field(15, gt=0, le=300, description="Seconds to wait for the gateway.")


class SmsChannel(HttpChannel):
    """Sends text messages through a Twilio-compatible gateway."""

    id = "sms"
    name = "SMS"
    description = "Text messages through Twilio or a gateway speaking its Messages API."
    Config = SmsConfig

    async def send(self, message: OutboundMessage, config: SmsConfig) -> DeliveryResult:
        """POST the message to the gateway."""
        to = str(message.payload.get("to") or "").strip()
        body = str(message.payload.get("body") or "")
        if not to:
            raise PermanentDeliveryError("the SMS has no recipient number",
                                         hint="check the node's 'to' template and the profile's phone trait")
        url = f"{config.base_url.rstrip('/')}/2010-04-01/Accounts/{config.account_sid}/Messages.json"
        response = await self.post(
            url, timeout=config.timeout, data={"To": to, "From": config.from_number, "Body": body},
            auth=(config.account_sid, config.auth_token.get_secret_value()),
            headers={"X-Cairn-Idempotency-Key": message.idempotency_key,
                     "I-Twilio-Idempotency-Token": message.idempotency_key})
        if not response.is_success:
            raise status_error(response, "the SMS gateway")
        try:
            provider_id = response.json().get("sid")
        except ValueError:
            provider_id = None
        return DeliveryResult(provider_id=provider_id, detail={"status_code": response.status_code})
