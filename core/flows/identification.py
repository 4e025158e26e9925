"""Identification points: events that say who the customer is (``login`` with an e-mail…).

For a matching event, each identifier's value is claimed for the event's profile
(``email:ann@example.com`` in ``identities``). If another profile already holds the
claim, the two profiles are one customer and merge, exactly as merge keys do (the
profile with a user id survives; different user ids are never merged). No flow is
needed. The profile also lists the identifier under ``identifiers.<kind>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.flows.catalog import ActivePoint
from cairn.core.identity.keys import identifier_key
from cairn.core.identity.merge import MergeIn, ProfileMerger
from cairn.core.identity.merge_keys import MergeKeyUnifier
from cairn.core.profiles.changes import AddToList
from cairn.core.profiles.repository import ProfileDoc, ProfileRepository
from cairn.core.store.database import Database


@dataclass
class Identified:
    """What an identification did: the identifiers found and the profiles merged with this one."""

    identifiers: dict[str, str] = field(default_factory=dict)
    merged: list[ProfileDoc] = field(default_factory=list)
    survivor_id: str | None = None


def identifiers_of(points: list[ActivePoint], context: dict[str, Any]) -> dict[str, str]:
    """``{kind: normalized value}`` for the identifiers the event carries (non-empty strings)."""
    found = {}
    for active in points:
        for spec, source in zip(active.point.identifiers, active.sources, strict=True):
            value = source.value(context)
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            if isinstance(value, str) and value.strip():
                found[spec.kind] = identifier_key(spec.kind, value).split(":", 1)[1]
    return found


class Identifier:
    """Claims identifiers and merges the profiles that share one."""

    def __init__(self, database: Database, repository: ProfileRepository, merger: ProfileMerger) -> None:
        self.database = database
        self.repository = repository
        self.merger = merger

    async def identify(self, profile_id: str, identifiers: dict[str, str]) -> Identified:
        """Claim ``identifiers`` for ``profile_id``; merge with the holders of claims already taken."""
        result = Identified(identifiers=identifiers)
        keys = [identifier_key(kind, value) for kind, value in identifiers.items()]
        holders = {doc["profile_id"] async for doc in self.database.identities.find({"_id": {"$in": keys}})}
        others = await self.repository.get_many(holder for holder in holders if holder != profile_id)
        unifier = MergeKeyUnifier(self.database, self.repository, self.merger, tuple(identifiers))
        await unifier.unify({profile_id: identifiers})
        if not others:
            return result
        survivor = await self.repository.get(profile_id)
        result.survivor_id = survivor["id"] if survivor else None
        for other in {doc["id"]: doc for doc in others.values()}.values():
            now_other = await self.repository.get(other["id"])
            if survivor and now_other and now_other["id"] == survivor["id"] and other["id"] != profile_id:
                result.merged.append(other)
        return result


def absorb(profile: dict[str, Any], identified: Identified) -> None:
    """Make the in-memory ``profile`` look like the merged profile (for the flows that follow)."""
    now = utcnow()
    for other in identified.merged:
        MergeIn(loser=other, reason="identification", at=now).apply(profile)
    if identified.merged and identified.survivor_id:
        profile["id"] = identified.survivor_id


def identifier_changes(identifiers: dict[str, str]) -> list[AddToList]:
    """The changes that list the identifiers on the profile."""
    return [AddToList(("identifiers", kind), (value,)) for kind, value in identifiers.items()]
