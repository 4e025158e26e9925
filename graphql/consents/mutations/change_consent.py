"""``grantConsent`` and ``revokeConsent``: record a customer's decision given outside Cairn."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cairn.core.consents import NotRevocable, UnknownConsentType, UnknownProfile, consent_service
from cairn.graphql.consents.mutations.results import ConsentChanged, ConsentRefused
from cairn.graphql.consents.types import ProfileConsent
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import FieldError, InvalidInput, NotFound

ChangeConsentResult = Annotated[ConsentChanged | ConsentRefused | InvalidInput | NotFound,
                                strawberry.union("ChangeConsentResult")]
SOURCE = "graphql"
COLLECTED_VIA = Annotated[str | None, strawberry.argument(
    description="Where the customer made the decision (a paper form, the call centre…); stored as the "
                "consent's source. Default: graphql.")]


async def _change(info: Info, profile_id: str, type_id: str, granted: bool, collected_via: str | None,
                  expires_at: datetime | None = None) -> ChangeConsentResult:
    service = consent_service(info.context.cairn)
    source = (collected_via or SOURCE).strip() or SOURCE
    try:
        record = await service.change(profile_id, type_id, granted, source=source, expires_at=expires_at)
    except UnknownProfile:
        return NotFound.of("profile", profile_id)
    except UnknownConsentType as error:
        return InvalidInput.of([FieldError(field="typeId", message=f"{error.message}; {error.hint}")])
    except NotRevocable as error:
        return ConsentRefused(message=error.message, hint=error.hint)
    profile = await info.context.cairn.pipeline.repository.get(profile_id)
    return ConsentChanged(profile_id=strawberry.ID(profile["id"] if profile else profile_id),
                          consent=ProfileConsent.from_record(type_id, record))


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Record that the customer granted a consent (e.g. on a paper form); audited. "
                                 "expiresAt defaults to the consent type's expiry period.")
async def grant_consent(info: Info, profile_id: strawberry.ID, type_id: str, collected_via: COLLECTED_VIA = None,
                        expires_at: datetime | None = None) -> ChangeConsentResult:
    return await _change(info, str(profile_id), type_id, True, collected_via, expires_at)


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Record that the customer revoked a consent; audited. Messages that need it are "
                                 "refused from now on, including those already queued.")
async def revoke_consent(info: Info, profile_id: strawberry.ID, type_id: str,
                         collected_via: COLLECTED_VIA = None) -> ChangeConsentResult:
    return await _change(info, str(profile_id), type_id, False, collected_via)
