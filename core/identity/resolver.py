"""Which profile an event belongs to.

Each event names an anonymous (device) id, a user id, a profile id the caller kept,
or several of these. The resolver finds the profile each one leads to, creates
profiles for newcomers, claims new ids for the profile they were seen with, and
merges an anonymous visitor's profile into the known customer's when the visitor
identifies. Profiles with different user ids are never merged automatically.

Everything is batched: one lookup for all the ids of a request, one insert for all
its new profiles and one for all its new claims. When concurrent requests create a
profile for the same new id, the claim decides: the losers use the winner's profile
and delete the empty profiles they created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cairn.core.identity.claims import insert_claims
from cairn.core.identity.keys import anonymous_key, user_key
from cairn.core.identity.merge import MergeRefused, ProfileMerger
from cairn.core.ids import new_id
from cairn.core.profiles.repository import ProfileRepository
from cairn.core.store.database import Database


@dataclass(frozen=True)
class IdentityRequest:
    """The ids one event carries."""

    anonymous_id: str | None = None
    user_id: str | None = None
    profile_hint: str | None = None

    def keys(self) -> list[str]:
        """The claim keys of the ids (user id first)."""
        keys = [user_key(self.user_id)] if self.user_id else []
        if self.anonymous_id:
            keys.append(anonymous_key(self.anonymous_id))
        return keys


def new_profile(profile_id: str) -> dict[str, Any]:
    """The document of a new profile (its events set when it was first and last seen)."""
    return {"id": profile_id, "version": 0, "first_seen": None, "last_seen": None,
            "stats": {"events": 0, "visits": 0, "event_types": {}}, "merged_into": None}


class IdentityResolver:
    """Resolves ids to profiles (see the module docstring)."""

    def __init__(self, database: Database, repository: ProfileRepository, merger: ProfileMerger) -> None:
        self.database = database
        self.repository = repository
        self.merger = merger

    async def resolve(self, requests: list[IdentityRequest]) -> dict[IdentityRequest, str]:
        """Return the profile id for each distinct request, creating and merging as needed."""
        unique = list(dict.fromkeys(requests))
        claims = await self._claims([key for request in unique for key in request.keys()])
        hints = await self._live_hints([r.profile_hint for r in unique if r.profile_hint])
        resolved: dict[IdentityRequest, str] = {}
        to_create: list[IdentityRequest] = []
        for request in unique:
            found = _candidates(request, claims, hints)
            if not found:
                to_create.append(request)
            else:
                resolved[request] = await self._settle(request, found, claims)
        resolved.update(await self._create(to_create, claims))
        return resolved

    async def _claims(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        cursor = self.database.identities.find({"_id": {"$in": list(dict.fromkeys(keys))}})
        return {doc["_id"]: doc["profile_id"] async for doc in cursor}

    async def _live_hints(self, hints: list[str]) -> dict[str, str]:
        profiles = await self.repository.get_many(hints)
        return {asked: profile["id"] for asked, profile in profiles.items()}

    async def _settle(self, request: IdentityRequest, found: list[str], claims: dict[str, str]) -> str:
        """Pick the profile among those the ids lead to, merging where allowed, and claim new ids."""
        target = found[0]
        for other in found[1:]:
            try:
                target = await self.merger.merge(other, target, reason=_merge_reason(request))
            except MergeRefused:
                continue
        if request.user_id and user_key(request.user_id) not in claims:
            profile = await self.repository.get(target)
            if profile and set(profile.get("user_ids") or []) - {request.user_id}:
                own = IdentityRequest(user_id=request.user_id)
                return (await self._create([own], claims))[own]
        return await self._claim_missing(request, target, claims)

    async def _claim_missing(self, request: IdentityRequest, target: str, claims: dict[str, str]) -> str:
        missing = [key for key in request.keys() if key not in claims]
        lost = await insert_claims(self.database, {key: target for key in missing})
        for key in missing:
            claims[key] = target
        if lost:
            winners = await self._claims(lost)
            claims.update(winners)
            found = list(dict.fromkeys([target, *winners.values()]))
            return await self._settle(request, found, claims)
        return target

    async def _create(self, requests: list[IdentityRequest], claims: dict[str, str]) -> dict[IdentityRequest, str]:
        """Create one profile per request (sharing ids share a profile); settle races."""
        created = _plan_profiles(requests)
        new_claims: dict[str, str] = {}
        for request, profile_id in created.items():
            for key in request.keys():
                new_claims.setdefault(key, profile_id)
        fresh = list(dict.fromkeys(created.values()))
        await self.repository.insert_many([new_profile(profile_id) for profile_id in fresh])
        lost = await insert_claims(self.database, new_claims)
        claims.update(new_claims)
        if lost:
            claims.update(await self._claims(lost))
            for request in created:
                if any(key in lost for key in request.keys()):
                    created[request] = await self._settle(request, _candidates(request, claims, {}), claims)
            await self._drop_unused(set(fresh) - set(created.values()))
        return created

    async def _drop_unused(self, profile_ids: set[str]) -> None:
        """Delete profiles created for a request that lost every claim race (still empty, unclaimed)."""
        if not profile_ids:
            return
        claimed = {doc["profile_id"] async for doc in
                   self.database.identities.find({"profile_id": {"$in": list(profile_ids)}}, {"profile_id": 1})}
        unused = list(profile_ids - claimed)
        if unused:
            await self.database.profiles.delete_many({"_id": {"$in": unused}, "version": 0})


def _plan_profiles(requests: list[IdentityRequest]) -> dict[IdentityRequest, str]:
    """A new profile id per request; requests sharing an id share it, unless their user ids differ."""
    planned: dict[IdentityRequest, str] = {}
    owner_of_key: dict[str, str] = {}
    user_of_profile: dict[str, str | None] = {}
    for request in requests:
        profile_id = next((owner_of_key[k] for k in request.keys() if k in owner_of_key
                           and _compatible(user_of_profile[owner_of_key[k]], request.user_id)), None)
        if profile_id is None:
            profile_id = new_id()
            user_of_profile[profile_id] = None
        user_of_profile[profile_id] = user_of_profile[profile_id] or request.user_id
        planned[request] = profile_id
        for key in request.keys():
            owner_of_key.setdefault(key, profile_id)
    return planned


def _compatible(profile_user: str | None, user_id: str | None) -> bool:
    return profile_user is None or user_id is None or profile_user == user_id


def _candidates(request: IdentityRequest, claims: dict[str, str], hints: dict[str, str]) -> list[str]:
    """The profiles the request's ids lead to, the known customer's first."""
    found = [claims[key] for key in request.keys() if key in claims]
    if request.profile_hint and request.profile_hint in hints:
        found.append(hints[request.profile_hint])
    return list(dict.fromkeys(found))


def _merge_reason(request: IdentityRequest) -> str:
    if request.user_id:
        return f"identified as user {request.user_id}"
    return "same device"
