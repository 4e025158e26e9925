"""Queries on consents."""

from __future__ import annotations

import strawberry

from cairn.core.consents import UnknownProfile, consent_service
from cairn.core.consents.purposes import KNOWN_PURPOSES
from cairn.graphql.consents.types import ConsentCheck, ConsentHistoryEntry, ConsentType, ProfileConsent
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin

MAX_HISTORY = 1000


@strawberry.type
class ConsentPurpose:
    """A purpose messages declare, and whether it needs consent."""

    id: str
    requires_consent: bool


@strawberry.type
class ConsentQueries:
    """Root query fields about consents."""

    @strawberry.field(permission_classes=[IsAdmin], description="Every consent type, by id.")
    async def consent_types(self, info: Info) -> list[ConsentType]:
        types = await consent_service(info.context.cairn).types.all()
        return [ConsentType.from_model(model) for model in types.values()]

    @strawberry.field(permission_classes=[IsAdmin], description="The consent type with this id.")
    async def consent_type(self, info: Info, id: strawberry.ID) -> ConsentType | None:  # noqa: A002
        found = await consent_service(info.context.cairn).types.get(str(id))
        return ConsentType.from_model(found) if found else None

    @strawberry.field(permission_classes=[IsAdmin],
                      description="The purposes the editor offers, and the consent-free ones (transactional).")
    def consent_purposes(self, info: Info) -> list[ConsentPurpose]:
        free = consent_service(info.context.cairn).consent_free
        names = list(dict.fromkeys([*KNOWN_PURPOSES, *sorted(free)]))
        return [ConsentPurpose(id=name, requires_consent=name not in free) for name in names]

    @strawberry.field(permission_classes=[IsAdmin],
                      description="A profile's current consents (empty for an unknown profile).")
    async def profile_consents(self, info: Info, profile_id: strawberry.ID) -> list[ProfileConsent]:
        try:
            records = await consent_service(info.context.cairn).current(str(profile_id))
        except UnknownProfile:
            return []
        return [ProfileConsent.from_record(type_id, record) for type_id, record in sorted(records.items())]

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Every consent request of a profile (and of profiles merged into it), newest first.")
    async def consent_history(self, info: Info, profile_id: strawberry.ID,
                              limit: int = 200) -> list[ConsentHistoryEntry]:
        docs = await consent_service(info.context.cairn).history_of(str(profile_id),
                                                                    limit=max(1, min(limit, MAX_HISTORY)))
        return [ConsentHistoryEntry.from_document(doc) for doc in docs]

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Whether a message of this purpose may go to the profile through the channel now.")
    async def consent_check(self, info: Info, profile_id: strawberry.ID, channel: str,
                            purpose: str) -> ConsentCheck | None:
        cairn = info.context.cairn
        profile = await cairn.pipeline.repository.get(str(profile_id))
        if profile is None:
            return None
        return ConsentCheck.from_decision(await consent_service(cairn).decide(profile, channel, purpose))
