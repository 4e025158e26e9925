"""Reading profiles: one by id (following merges), or a page of those matching a search.

A search by user id or identifier first finds the few profiles these lead to, each through an
``_id`` or an index of its own, and then reads the page among those ids: the user id through its
identity claim (``user:<id>``, one profile, merges re-point it), the identifier kind by kind.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from cairn.core.identity.keys import normalize_identifier, user_key
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

    def query(self, profile_ids: Collection[str] | None = None) -> Document:
        """The store query for live (not merged-away) profiles matching the search.

        ``profile_ids`` are the profiles the user id and the identifier lead to (see
        :func:`matching_ids`); given, they replace the identifier's ``$or`` over kinds, which no
        one index serves. The query is one flat document, its most selective fields first: the
        embedded store looks the candidates up by the first field it has an index for.
        """
        query: Document = {}
        if profile_ids is not None:
            query["_id"] = {"$in": sorted(profile_ids)}
        if self.anonymous_id is not None:
            query["anonymous_ids"] = self.anonymous_id
        if self.identifier is not None and profile_ids is None:
            query["$or"] = [{f"identifiers.{escape_key(kind)}": normalize_identifier(kind, self.identifier)}
                            for kind in self.identifier_kinds]
        if self.trait_name is not None:
            query[f"traits.{escape_key(self.trait_name)}"] = escape_keys(self.trait_value)
        if self.user_id is not None:
            query["user_ids"] = self.user_id
        query["merged_into"] = None
        return query


async def matching_ids(database: Database, search: ProfileSearch) -> set[str] | None:
    """The live profiles the search's user id and identifier lead to; ``None`` if it names neither."""
    found: list[set[str]] = []
    if search.user_id is not None:
        found.append(await _claimed_by(database, user_key(search.user_id)))
    if search.identifier is not None:
        found.append(await _identified_by(database, search.identifier, search.identifier_kinds))
    return set.intersection(*found) if found else None


async def _claimed_by(database: Database, key: str) -> set[str]:
    """The live profile holding the identity claim ``key`` (the claim may name a merged-away one)."""
    claim = await database.identities.find_one({"_id": key})
    profile = await ProfileRepository(database).get(claim["profile_id"]) if claim else None
    return {profile["id"]} if profile else set()


async def _identified_by(database: Database, identifier: str, kinds: Iterable[str]) -> set[str]:
    """The live profiles listing ``identifier`` under any of ``kinds`` (one indexed query per kind)."""
    found: set[str] = set()
    for kind in kinds:
        query = {f"identifiers.{escape_key(kind)}": normalize_identifier(kind, identifier), "merged_into": None}
        found |= {doc["_id"] async for doc in database.profiles.find(query, {"_id": 1})}
    return found


async def search_profiles(database: Database, search: ProfileSearch, *, first: int,
                          after: str | None = None) -> Page[Profile]:
    """A page of live profiles matching ``search``, most recently seen first."""
    query = search.query(await matching_ids(database, search))
    return await newest_first(database.profiles, query, time_field="last_seen",
                              first=first, after=after, convert=profile_from_document)
