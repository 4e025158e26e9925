"""Delivering one claimed outbox entry and recording what happened.

Every result is written with a filter on the entry's ``lease_version``: a worker that
lost its lease (it was too slow, another worker took the entry over) changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cairn.core.clock import utcnow
from cairn.core.consents.models import ConsentDecision
from cairn.core.outbox.channel import DeliveryError, OutboundMessage, PermanentDeliveryError, RetryableDeliveryError
from cairn.core.outbox.entries import MESSAGE, OutboxEntry, Status, push_history, step
from cairn.core.outbox.outbox import entry_from_document

if TYPE_CHECKING:
    from cairn.core.outbox.messaging import Messaging

logger = logging.getLogger("cairn.outbox")
LEASE_FIELDS = {"lease_owner": None, "lease_until": None}


class Refused(Exception):
    """The customer's consent does not allow this message (any more)."""

    def __init__(self, reason: str, decision: ConsentDecision | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.decision = decision


class Deliverer:
    """Attempts claimed entries: consent check, channel or handler, then the outcome."""

    def __init__(self, messaging: Messaging) -> None:
        self.messaging = messaging
        self.collection = messaging.outbox.collection

    async def deliver(self, doc: dict[str, Any]) -> str:
        """Attempt the claimed entry ``doc``; return its new status."""
        version = doc["lease_version"]
        try:
            entry = entry_from_document(doc)
        except ValueError as error:
            return await self._bury(doc["_id"], version, f"malformed outbox entry: {error}")
        if entry.attempts > entry.max_attempts:
            note = "the worker of the last attempt stopped mid-delivery; not trying again"
            return await self._fail(entry, version, PermanentDeliveryError(note))
        settings = self.messaging.settings
        timeout = min(settings.send_timeout, settings.lease_seconds * 0.8)
        try:
            result = await asyncio.wait_for(self._attempt(entry), timeout)
        except Refused as refusal:
            return await self._refuse(entry, version, refusal)
        except DeliveryError as error:
            return await self._fail(entry, version, error)
        except TimeoutError:
            return await self._fail(entry, version, RetryableDeliveryError(f"no answer within {timeout:g} s"))
        except Exception as error:  # noqa: BLE001 - a broken channel must not stop the worker
            logger.exception("outbox entry %s: unexpected error", entry.id)
            return await self._fail(entry, version, RetryableDeliveryError(f"{type(error).__name__}: {error}"))
        return await self._succeed(entry, version, result)

    async def _attempt(self, entry: OutboxEntry) -> dict[str, Any] | None:
        if entry.kind == MESSAGE:
            return await self._send(entry)
        handler = self.messaging.handlers.get(entry.kind)
        if handler is None:
            raise RetryableDeliveryError(f"no handler is registered for outbox entries of kind {entry.kind!r}",
                                         hint="install the plugin that schedules them")
        return await handler(self.messaging.cairn, entry)

    async def _send(self, entry: OutboxEntry) -> dict[str, Any]:
        channel = self.messaging.channels.get(entry.channel or "")
        if channel is None:
            raise PermanentDeliveryError(f"channel {entry.channel!r} is not installed")
        profile = await self.messaging.cairn.pipeline.repository.get(entry.profile_id) if entry.profile_id else None
        if profile is None:
            raise Refused(f"profile {entry.profile_id!r} no longer exists")
        decision = await self.messaging.consents.decide(profile, channel.id, entry.purpose or "")
        if not decision.allowed:
            raise Refused(decision.reason, decision)
        config = await self.messaging.channel_settings.config_for(channel)
        message = OutboundMessage(id=entry.id, channel=channel.id, profile_id=profile["id"],
                                  purpose=entry.purpose or "", payload=entry.payload,
                                  idempotency_key=entry.idempotency_key, attempt=entry.attempts)
        result = await channel.send(message, config)
        return {"provider_id": result.provider_id, "detail": result.detail}

    async def _succeed(self, entry: OutboxEntry, version: int, result: dict[str, Any] | None) -> str:
        now = utcnow()
        await self._finish(entry, version, {"status": Status.SENT.value, "sent_at": now, "result": result,
                                            "last_error": None, "next_attempt_at": None},
                           step(Status.SENT.value, attempt=entry.attempts, at=now))
        return Status.SENT.value

    async def _refuse(self, entry: OutboxEntry, version: int, refusal: Refused) -> str:
        fields: dict[str, Any] = {"status": Status.REFUSED.value, "last_error": refusal.reason,
                                  "next_attempt_at": None}
        if refusal.decision is not None:
            fields["consent"] = refusal.decision.to_document()
        await self._finish(entry, version, fields, step(Status.REFUSED.value, refusal.reason, attempt=entry.attempts))
        return Status.REFUSED.value

    async def _fail(self, entry: OutboxEntry, version: int, error: DeliveryError) -> str:
        now = utcnow()
        reason = error.describe()
        if error.retryable and entry.attempts < entry.max_attempts:
            delay = self.messaging.settings.backoff(entry.attempts)
            fields = {"status": Status.FAILED.value, "last_error": reason,
                      "next_attempt_at": now + timedelta(seconds=delay)}
        else:
            fields = {"status": Status.DEAD.value, "last_error": reason, "next_attempt_at": None}
        await self._finish(entry, version, fields, step(fields["status"], reason, attempt=entry.attempts, at=now))
        return str(fields["status"])

    async def _bury(self, entry_id: str, version: int, reason: str) -> str:
        """Send an entry that cannot even be read to ``dead``."""
        logger.error("outbox entry %s: %s", entry_id, reason)
        update = {"$set": {"status": Status.DEAD.value, "last_error": reason, "next_attempt_at": None,
                           **LEASE_FIELDS, "updated_at": utcnow()},
                  "$push": push_history(step(Status.DEAD.value, reason))}
        await self.collection.update_one({"_id": entry_id, "lease_version": version}, update)
        return Status.DEAD.value

    async def _finish(self, entry: OutboxEntry, version: int, fields: dict[str, Any],
                      history_step: dict[str, Any]) -> None:
        update = {"$set": {**fields, **LEASE_FIELDS, "updated_at": utcnow()}, "$push": push_history(history_step)}
        result = await self.collection.update_one({"_id": entry.id, "lease_version": version}, update)
        if result.matched_count != 1:
            logger.warning("outbox entry %s: lease lost before recording %s", entry.id, fields["status"])
