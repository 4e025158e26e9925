"""Unifying profiles across devices by merge keys (e-mail, phone, any configured trait).

When a profile gains an identifier that is a configured merge key, Cairn claims
``<kind>:<value>`` for it. If another profile already holds that claim, the two
are one customer and merge: the one with a user id survives (the one that held the
claim first, if both or neither have one). Profiles of different user ids stay apart.
"""

from __future__ import annotations

from cairn.core.identity.claims import insert_claims
from cairn.core.identity.keys import identifier_key
from cairn.core.identity.merge import MergeRefused, ProfileMerger
from cairn.core.profiles.repository import ProfileRepository
from cairn.core.store.database import Database


class MergeKeyUnifier:
    """Claims merge-key identifiers and merges the profiles that share one."""

    def __init__(self, database: Database, repository: ProfileRepository, merger: ProfileMerger,
                 merge_keys: tuple[str, ...]) -> None:
        self.database = database
        self.repository = repository
        self.merger = merger
        self.merge_keys = merge_keys

    async def unify(self, identifiers: dict[str, dict[str, str]]) -> dict[str, str]:
        """Claim each profile's merge-key identifiers; return ``{profile id: surviving id}`` for merges."""
        wanted = [(identifier_key(kind, value), profile_id)
                  for profile_id, found in identifiers.items()
                  for kind, value in found.items() if kind in self.merge_keys]
        claims: dict[str, str] = {}
        for key, profile_id in wanted:
            claims.setdefault(key, profile_id)
        contested = set(await insert_claims(self.database, claims))
        survivors: dict[str, str] = {}
        for key, profile_id in wanted:
            if key not in contested and claims[key] == profile_id:
                continue
            holder = await self.database.identities.find_one({"_id": key})
            if holder is None or holder["profile_id"] == profile_id:
                continue
            survivor = await self._merge_pair(profile_id, holder["profile_id"], key)
            if survivor:
                survivors[profile_id] = survivor
        return survivors

    async def _merge_pair(self, newcomer: str, holder: str, key: str) -> str | None:
        newcomer_profile = await self.repository.get(newcomer)
        holder_profile = await self.repository.get(holder)
        if newcomer_profile is None or holder_profile is None or newcomer_profile["id"] == holder_profile["id"]:
            return None
        loser, survivor = newcomer_profile["id"], holder_profile["id"]
        if newcomer_profile.get("user_ids") and not holder_profile.get("user_ids"):
            loser, survivor = survivor, loser
        try:
            return await self.merger.merge(loser, survivor, reason=f"same {key.split(':', 1)[0]}")
        except MergeRefused:
            return None
