"""``exportProfile``: everything stored about a customer."""

from __future__ import annotations

import strawberry

from cairn.core.privacy import export_profile
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.scalars import JSON


@strawberry.type
class PrivacyQueries:
    """Root query fields for the right of access."""

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Everything stored about the customer of this profile id (merged ids work too) "
                                  "as one JSON document: profile, merged profiles, events, sessions, identities, "
                                  "consent history, outbox entries, flow traces. Null for an unknown id.")
    async def export_profile(self, info: Info, profile_id: strawberry.ID) -> JSON | None:
        return await export_profile(info.context.cairn.database, str(profile_id))
