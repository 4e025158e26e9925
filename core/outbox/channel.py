"""The channel contract: how a message leaves Cairn (e-mail, SMS, webhook…).

A channel is a class registered through the ``register_channels`` hook, declared like
a node type: class attributes say what it is, a frozen pydantic ``Config`` says what
it needs (SMTP host, gateway URL, secrets…), and one async :meth:`Channel.send`
delivers one message::

    class Pigeon(Channel):
        id = "pigeon"
        name = "Carrier pigeon"
        Config = PigeonConfig

        async def send(self, message: OutboundMessage, config: PigeonConfig) -> DeliveryResult:
            ...
            return DeliveryResult(provider_id="coop-17")

Channels never decide *whether* to send: the outbox checks the customer's consent
for the channel (by ``id``) and the message's purpose before calling :meth:`send`,
both when the message is queued and again just before delivery.

``send`` raises :class:`RetryableDeliveryError` for what may work later (a timeout,
a 5xx, a 429, a refused connection) and :class:`PermanentDeliveryError` for what
never will (a 4xx, an invalid address). Any other exception counts as retryable.
Messages carry an ``idempotency_key`` that stays the same across retries: pass it
to the receiver (a header, a Message-ID) so that a retry after a crash is not a
second delivery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class EmptyChannelConfig(BaseModel):
    """The configuration of a channel that needs none."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DeliveryError(Exception):
    """A delivery failed; :attr:`retryable` says whether the outbox tries again."""

    retryable: ClassVar[bool] = True

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def describe(self) -> str:
        """The message and the hint, for ``last_error``."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class RetryableDeliveryError(DeliveryError):
    """The delivery may work later: the outbox retries with exponential backoff."""

    retryable = True


class PermanentDeliveryError(DeliveryError):
    """The delivery can never work: the entry goes straight to ``dead``."""

    retryable = False


@dataclass(frozen=True)
class OutboundMessage:
    """One message as a channel receives it.

    ``payload`` is what the sender queued (for e-mail: ``to``, ``subject``, ``html``,
    ``text``…); ``attempt`` counts from 1.
    """

    id: str
    channel: str
    profile_id: str | None
    purpose: str
    payload: dict[str, Any]
    idempotency_key: str
    attempt: int = 1


@dataclass(frozen=True)
class DeliveryResult:
    """A successful delivery: the receiver's id for it, if any, and details worth keeping."""

    provider_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


class Channel:
    """Base class of every channel (see the module docstring)."""

    id: ClassVar[str]
    """A stable id, also what consent types list in ``channels`` (``email``, ``sms``, ``webhook``)."""
    name: ClassVar[str]
    """What the admin sees."""
    description: ClassVar[str] = ""
    """One or two sentences."""
    Config: ClassVar[type[BaseModel]] = EmptyChannelConfig
    """A frozen pydantic model. Values come from the ``channel_settings`` collection (GraphQL
    ``setChannelSettings``) over ``CAIRN_CHANNEL_<ID>_<FIELD>`` environment variables;
    declare secrets as ``SecretStr`` so they are never shown back."""

    async def send(self, message: OutboundMessage, config: Any) -> DeliveryResult:
        """Deliver ``message``; raise a :class:`DeliveryError` subclass when it fails."""
        raise PermanentDeliveryError(f"channel {self.id!r} does not implement send()")

    async def close(self) -> None:
        """Release connections and clients (called when Cairn stops)."""
