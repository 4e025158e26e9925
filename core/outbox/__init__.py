"""The outbox: channels, persistent outbound messages and tasks, and the worker that delivers them.

Write a channel by subclassing :class:`Channel`; queue a message with
``messaging_for(cairn).outbox.send(...)``; schedule deferred work with
``messaging_for(cairn).outbox.schedule(kind, ...)`` and a handler registered for
``kind`` (see :mod:`cairn.core.outbox.handlers`).
"""

from cairn.core.outbox.channel import (
    Channel,
    DeliveryError,
    DeliveryResult,
    EmptyChannelConfig,
    OutboundMessage,
    PermanentDeliveryError,
    RetryableDeliveryError,
)
from cairn.core.outbox.entries import MESSAGE, OutboxEntry, Status
from cairn.core.outbox.handlers import RESUME_FLOW, Handler
from cairn.core.outbox.messaging import Messaging, messaging_for
from cairn.core.outbox.outbox import Outbox, UnknownChannel
from cairn.core.outbox.settings import OutboxSettings
from cairn.core.outbox.worker import deliver_due, run_worker, serve_worker

__all__ = [
    "MESSAGE", "RESUME_FLOW", "Channel", "DeliveryError", "DeliveryResult", "EmptyChannelConfig", "Handler",
    "Messaging", "OutboundMessage", "Outbox", "OutboxEntry", "OutboxSettings", "PermanentDeliveryError",
    "RetryableDeliveryError", "Status", "UnknownChannel", "deliver_due", "messaging_for", "run_worker",
    "serve_worker",
]
