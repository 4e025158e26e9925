"""E-mail over SMTP (aiosmtplib): TLS or STARTTLS, login, text and HTML bodies.

Payload (what the "Send e-mail" node queues): ``to``, ``subject``, ``text`` and/or
``html``, optionally ``unsubscribe_url`` (sent as ``List-Unsubscribe`` with one-click
``List-Unsubscribe-Post``). The message's idempotency key is its ``Message-ID``
(``<key@sender domain>``) and its ``X-Cairn-Idempotency-Key`` header: a retry after a
crash carries the same id, which receiving systems use to drop duplicates.

Settings (``CAIRN_CHANNEL_EMAIL_<FIELD>`` or GraphQL ``setChannelSettings``):
``host``, ``port``, ``security`` (``starttls``, ``tls`` or ``none``), ``username``,
``password``, ``from_address``, ``reply_to``, ``public_url`` (the address customers
reach Cairn at, for unsubscribe links), ``validate_certs``, ``timeout``.
"""

from __future__ import annotations

import hashlib
import re
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Literal

import aiosmtplib
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from cairn.core.outbox.channel import (
    Channel,
    DeliveryResult,
    OutboundMessage,
    PermanentDeliveryError,
    RetryableDeliveryError,
)


class EmailConfig(BaseModel):
    """Where and how to hand e-mails over."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field(description="The SMTP server.", examples=["smtp.example.com"])
    port: int = Field(587, ge=1, le=65535, description="587 for STARTTLS, 465 for TLS, 25 plain.")
    security: Literal["starttls", "tls", "none"] = Field("starttls", description="How the connection is secured.")
    username: str | None = Field(None, description="The SMTP login, if the server needs one.")
    password: SecretStr | None = Field(None, description="The SMTP password.")
    from_address: str = Field(description="The sender, e.g. 'Shop <news@shop.example>'.")
    reply_to: str | None = Field(None, description="Where replies go, if not the sender.")
    public_url: str | None = Field(None, description="The public base URL of this Cairn server, for unsubscribe "
                                                     "links (default: CAIRN_PUBLIC_URL, else host and port).")
    validate_certs: bool = Field(True, description="Check the server's TLS certificate.")
    timeout: float = Field(20, gt=0, le=300, description="Seconds to wait for the server.")


_ATOM = re.compile(r"[A-Za-z0-9._-]{1,64}")


def message_id(idempotency_key: str, domain: str) -> str:
    """The ``Message-ID`` of a message: the same for every retry (the key, hashed if it has odd characters)."""
    local = idempotency_key if _ATOM.fullmatch(idempotency_key) else \
        hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{local}@{domain}>"


def build_message(message: OutboundMessage, config: EmailConfig) -> EmailMessage:
    """The MIME message for ``message``: plain text and/or HTML, with stable ids."""
    payload = message.payload
    to = str(payload.get("to") or "").strip()
    if not parseaddr(to)[1] or "@" not in to:
        raise PermanentDeliveryError(f"the recipient {to!r} is not an e-mail address",
                                     hint="check the node's 'to' template and the profile's e-mail trait")
    email = EmailMessage()
    email["From"] = config.from_address
    email["To"] = to
    email["Subject"] = str(payload.get("subject") or "")
    email["Date"] = formatdate(localtime=False)
    domain = parseaddr(config.from_address)[1].rpartition("@")[2] or "cairn.invalid"
    email["Message-ID"] = message_id(message.idempotency_key, domain)
    email["X-Cairn-Idempotency-Key"] = message.idempotency_key
    if config.reply_to:
        email["Reply-To"] = config.reply_to
    if payload.get("unsubscribe_url"):
        email["List-Unsubscribe"] = f"<{payload['unsubscribe_url']}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text, html = str(payload.get("text") or ""), str(payload.get("html") or "")
    if text or not html:
        email.set_content(text)
        if html:
            email.add_alternative(html, subtype="html")
    else:
        email.set_content(html, subtype="html")
    return email


class EmailChannel(Channel):
    """Sends e-mails through an SMTP server."""

    id = "email"
    name = "E-mail"
    description = "E-mails through your SMTP server (TLS or STARTTLS, with login)."
    Config = EmailConfig

    async def send(self, message: OutboundMessage, config: EmailConfig) -> DeliveryResult:
        """Hand the e-mail to the SMTP server."""
        email = build_message(message, config)
        password = config.password.get_secret_value() if config.password else None
        try:
            await aiosmtplib.send(email, hostname=config.host, port=config.port, username=config.username,
                                  password=password, use_tls=config.security == "tls",
                                  start_tls=config.security == "starttls", validate_certs=config.validate_certs,
                                  timeout=config.timeout)
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refusal.code for refusal in error.recipients]
            text = "; ".join(f"{refusal.code} {refusal.message}" for refusal in error.recipients)
            raise (PermanentDeliveryError if all(code >= 500 for code in codes)
                   else RetryableDeliveryError)(f"the SMTP server refused the recipient: {text}") from error
        except aiosmtplib.SMTPResponseException as error:
            kind = PermanentDeliveryError if error.code >= 500 else RetryableDeliveryError
            raise kind(f"the SMTP server answered {error.code} {error.message}") from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise RetryableDeliveryError(f"SMTP delivery to {config.host}:{config.port} failed: "
                                         f"{type(error).__name__}: {error}") from error
        return DeliveryResult(provider_id=email["Message-ID"], detail={"to": email["To"]})
