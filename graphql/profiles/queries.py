"""Queries on profiles."""

from __future__ import annotations

import strawberry

from cairn.core.config import Settings
from cairn.core.ingestion.profile_changes import IDENTIFIER_TRAITS
from cairn.core.reads.profiles import get_profile, search_profiles
from cairn.graphql.context import Info
from cairn.graphql.pagination import Connection, paginate
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.profiles.inputs import ProfileSearchInput
from cairn.graphql.profiles.types import Profile


def identifier_kinds(settings: Settings) -> tuple[str, ...]:
    """The kinds of identifiers profiles hold: e-mail, phone and the configured merge keys."""
    return tuple(dict.fromkeys((*IDENTIFIER_TRAITS, *settings.merge_keys)))


@strawberry.type
class ProfileQueries:
    """Root query fields about profiles."""

    @strawberry.field(permission_classes=[IsAdmin],
                      description="The profile with this id; a merged-away id leads to the surviving profile.")
    async def profile(self, info: Info, id: strawberry.ID) -> Profile | None:  # noqa: A002 - GraphQL's name
        found = await get_profile(info.context.cairn.database, str(id))
        return Profile.from_model(found) if found else None

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Live profiles matching the search (all of them without one), "
                                  "most recently seen first.")
    async def profiles(self, info: Info, search: ProfileSearchInput | None = None, first: int | None = None,
                       after: str | None = None) -> Connection[Profile]:
        criteria = (search or ProfileSearchInput()).to_search(identifier_kinds(info.context.cairn.settings))
        return await paginate(info, first, after,
                              lambda size, cursor: search_profiles(info.context.cairn.database, criteria,
                                                                   first=size, after=cursor),
                              Profile.from_model)
