"""Consents of profiles: change them with an audit record, and decide whether a send is allowed.

The current decision lives on the profile (``consents.<type id>`` = ``{granted,
updated_at, expires_at, source, event_id}``), written through profile change
operations; every request, applied or refused, is appended to ``consent_history``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from cairn.core.consents.errors import NotRevocable, UnknownConsentType, UnknownProfile
from cairn.core.consents.models import ConsentDecision, ConsentRequest, record_state
from cairn.core.consents.purposes import consent_free_purposes_from_env
from cairn.core.consents.state import CONSENTS, decide, now_or, plan_consent
from cairn.core.consents.types import ConsentTypes
from cairn.core.profiles.repository import ProfileRepository
from cairn.core.profiles.writer import ProfileWriter
from cairn.core.store.database import Database

HISTORY = "consent_history"
TYPES = "consent_types"
INDEXES = {HISTORY: [IndexModel([("profile_id", ASCENDING), ("at", DESCENDING)])]}


def profile_ids_of(profile: dict[str, Any]) -> list[str]:
    """The profile's id and the ids of the profiles merged into it."""
    merged = [record["profile_id"] for record in profile.get("merged_from") or [] if record.get("profile_id")]
    return [profile["id"], *merged]


class ConsentService:
    """Consent types, profile consents and their audit history."""

    def __init__(self, database: Database, repository: ProfileRepository, writer: ProfileWriter,
                 consent_free: frozenset[str] | None = None) -> None:
        self.types = ConsentTypes(database.collection(TYPES))
        self.history = database.collection(HISTORY)
        self.repository = repository
        self.writer = writer
        self.consent_free = consent_free_purposes_from_env() if consent_free is None else consent_free
        database.add_indexes(HISTORY, INDEXES[HISTORY])

    async def change(self, profile_id: str, type_id: str, granted: bool, *, source: str,
                     event_id: str | None = None, expires_at: datetime | None = None,
                     at: datetime | None = None) -> dict[str, Any]:
        """Grant or revoke a known consent type on a profile; return the profile's record of it.

        Raises :class:`UnknownConsentType`, :class:`UnknownProfile` or :class:`NotRevocable`
        (the refusal is audited).
        """
        consent_type = await self.types.get(type_id)
        if consent_type is None:
            raise UnknownConsentType(type_id)
        profile = await self.repository.get(profile_id)
        if profile is None:
            raise UnknownProfile(profile_id)
        request = ConsentRequest(type_id, granted, source, now_or(at), event_id, expires_at)
        planned = plan_consent(profile, request, consent_type)
        assert planned is not None  # only_if_different is off: a plan always comes back
        await self.history.insert_one(planned.history)
        if planned.change is None:
            if planned.history["outcome"] == "refused":
                raise NotRevocable(type_id)
            return dict((profile.get(CONSENTS) or {}).get(type_id) or {})
        try:
            saved = await self.writer.apply(profile["id"], [planned.change])
        except KeyError as error:
            await self._mark_failed(planned.history["_id"], "the profile disappeared")
            raise UnknownProfile(profile_id) from error
        return dict(saved[CONSENTS][type_id])

    async def _mark_failed(self, history_id: str, reason: str) -> None:
        await self.history.update_one({"_id": history_id}, {"$set": {"outcome": "failed", "reason": reason}})

    async def revoke_covering(self, profile_id: str, channel: str, purpose: str, *, source: str) -> list[str]:
        """Revoke every granted, revocable consent that covers ``purpose`` on ``channel``; return their ids.

        What an unsubscribe link does. Unknown profiles revoke nothing.
        """
        profile = await self.repository.get(profile_id)
        if profile is None:
            return []
        now = now_or(None)
        consents = profile.get(CONSENTS) or {}
        revoked = []
        for consent_type in (await self.types.all()).values():
            if consent_type.covers(channel, purpose) and consent_type.revocable \
                    and record_state(consents.get(consent_type.id), now) == "granted":
                await self.change(profile["id"], consent_type.id, False, source=source, at=now)
                revoked.append(consent_type.id)
        return revoked

    async def current(self, profile_id: str) -> dict[str, dict[str, Any]]:
        """The profile's consent records by type id; raises :class:`UnknownProfile`."""
        profile = await self.repository.get(profile_id)
        if profile is None:
            raise UnknownProfile(profile_id)
        return dict(profile.get(CONSENTS) or {})

    async def history_of(self, profile_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
        """The audit history of a profile (and the profiles merged into it), newest first."""
        profile = await self.repository.get(profile_id)
        ids = profile_ids_of(profile) if profile else [profile_id]
        cursor = self.history.find({"profile_id": {"$in": ids}}).sort([("at", -1), ("recorded_at", -1)])
        return [doc async for doc in cursor.limit(limit)]

    async def decide(self, profile: dict[str, Any], channel: str, purpose: str,
                     at: datetime | None = None) -> ConsentDecision:
        """Whether a ``purpose`` message may go to ``profile`` through ``channel`` now (or ``at``)."""
        types = (await self.types.all()).values()
        return decide(types, profile, channel, purpose, consent_free=self.consent_free, now=now_or(at))
