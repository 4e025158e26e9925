"""``eraseProfile``: delete a customer and everything keyed by their profile ids."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.privacy import erase_profile
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound
from cairn.graphql.scalars import JSON


@strawberry.type
class ProfileErased:
    """The customer was erased; the audit record keeps no personal data."""

    erasure_id: strawberry.ID
    profile_hash: str = strawberry.field(description="SHA-256 of the erased profile id.")
    merged_hashes: list[str]
    counts: JSON = strawberry.field(description="Records deleted, by collection.")


EraseProfileResult = Annotated[ProfileErased | NotFound, strawberry.union("EraseProfileResult")]


@strawberry.type
class PrivacyMutations:
    """Root mutation fields for the right to erasure."""

    @strawberry.mutation(permission_classes=[IsAdmin],
                         description="Erase the customer of this profile id (merged ids too): the profile, merged "
                                     "profiles, events, sessions, identities, consent history, outbox entries and "
                                     "flow traces. Leaves an audit record in `erasures` without personal data.")
    async def erase_profile(self, info: Info, profile_id: strawberry.ID) -> EraseProfileResult:
        report = await erase_profile(info.context.cairn.database, str(profile_id), requested_by="graphql")
        if report is None:
            return NotFound.of("profile", str(profile_id))
        return ProfileErased(erasure_id=strawberry.ID(report.id), profile_hash=report.profile_hash,
                             merged_hashes=report.merged_hashes, counts=report.counts)
