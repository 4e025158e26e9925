"""Reading profiles: one by id (following merges), or a page of those matching a search."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cairn.core.identity.keys import normalize_identifier
from cairn.core.ingestion.profile_changes import IDENTIFIER_TRAITS
from cairn.core.models.profile import Profile
from cairn.core.profiles.repository import ProfileRepository, from_document
from cairn.core.reads.pagination import Document, Page, newest_first
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_key, escape_keys


def profile_from_document(doc: Document) -> Profile:
    """The profile a stored document stands for."""
    return Profile.model_validate(from_document(doc))


def owned_ids(profile: Profile) -> list[str]:
    """The profile's id and every id merged into it: the ids its events and sessions may be filed under."""
    return list(dict.fromkeys([profile.id, *(record.profile_id for record in profile.merged_from)]))


async def get_profile(database: Database, profile_id: str) -> Profile | None:
    """The profile with this id, or the profile it was merged into; ``None`` if unknown."""
    doc = await ProfileRepository(database).get(profile_id)
    return Profile.model_validate(doc) if doc else None


async def get_profiles(database: Database, profile_ids: Iterable[str]) -> dict[str, Profile]:
    """The live profiles for these ids (merged ids lead to their survivor), by the id asked for."""
    found = await ProfileRepository(database).get_many(profile_ids)
    return {asked: Profile.model_validate(doc) for asked, doc in found.items()}


@dataclass(frozen=True)
class ProfileSearch:
    """What to look profiles up by; every criterion given must match.

    ``identifier`` is an e-mail address, phone number or other identifier, compared as
    stored (normalized for each of ``identifier_kinds``). ``trait_name`` is one trait
    key, taken literally (it may hold dots); ``trait_value`` must equal the stored value.
    """

    identifier: str | None = None
    trait_name: str | None = None
    trait_value: Any = None
    user_id: str | None = None
    anonymous_id: str | None = None
    identifier_kinds: tuple[str, ...] = IDENTIFIER_TRAITS

    def query(self) -> Document:
        """The store query for live (not merged-away) profiles matching the search."""
        conditions: list[Document] = [{"merged_into": None}]
        if self.identifier is not None:
            conditions.append({"$or": [{f"identifiers.{escape_key(kind)}": normalize_identifier(kind, self.identifier)}
                                       for kind in self.identifier_kinds]})
        if self.trait_name is not None:
            conditions.append({f"traits.{escape_key(self.trait_name)}": escape_keys(self.trait_value)})
        if self.user_id is not None:
            conditions.append({"user_ids": self.user_id})
        if self.anonymous_id is not None:
            conditions.append({"anonymous_ids": self.anonymous_id})
        return conditions[0] if len(conditions) == 1 else {"$and": conditions}


async def search_profiles(database: Database, search: ProfileSearch, *, first: int,
                          after: str | None = None) -> Page[Profile]:
    """A page of live profiles matching ``search``, most recently seen first."""
    return await newest_first(database.profiles, search.query(), time_field="last_seen",
                              first=first, after=after, convert=profile_from_document)
