"""Results of the consent mutations."""

from __future__ import annotations

import strawberry

from cairn.graphql.consents.types import ConsentType, ProfileConsent


@strawberry.type
class ConsentTypeSaved:
    """The consent type was created or replaced."""

    consent_type: ConsentType


@strawberry.type
class ConsentTypeDeleted:
    """The consent type was deleted; profiles keep their records of it and its history."""

    id: strawberry.ID


@strawberry.type
class ConsentChanged:
    """The profile's consent was recorded (and audited)."""

    profile_id: strawberry.ID
    consent: ProfileConsent


@strawberry.type
class ConsentRefused:
    """The change was refused (and audited): the consent type is not revocable."""

    message: str
    hint: str
