"""Versioned profile storage: load → change → ``replace_one`` with a version check.

Every write names the version it read; a write that finds another version in the
store raises :class:`VersionConflict` and the caller re-applies its changes to a
fresh copy. No lost updates, whatever the store and however many processes write.

Writes start from the copy this process last read or wrote when it still has one
(:class:`RecentDocuments`): the version check makes a stale copy cost one retry,
never a lost update, and the usual load → change → save of the ingestion pipeline
then needs no second load. Reads (:meth:`ProfileRepository.get`, ``get_many``)
always ask the store.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import ReplaceOne
from pymongo.errors import BulkWriteError, ConnectionFailure, PyMongoError, WriteError

from cairn.core.profiles.changes import Change, apply_changes
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys

ProfileDoc = dict[str, Any]
MAX_ATTEMPTS = 50
MAX_MERGE_HOPS = 20
RECENT_DOCUMENTS = 10_000
WRITE_TOKENS_KEPT = 4


class VersionConflict(RuntimeError):
    """Another writer changed the profile since it was read; reload and try again."""


def to_document(profile: Mapping[str, Any]) -> dict[str, Any]:
    """Return the stored form of a profile dict (``id`` → ``_id``, keys escaped)."""
    doc = escape_keys({key: value for key, value in profile.items() if key != "id"})
    doc["_id"] = profile["id"]
    return doc


def from_document(doc: Mapping[str, Any]) -> ProfileDoc:
    """Return the profile dict a stored document stands for."""
    profile = unescape_keys({key: value for key, value in doc.items() if key not in ("_id", "_w")})
    profile["id"] = doc["_id"]
    return profile


class RecentDocuments:
    """The stored form of the live profiles this process read or wrote last (bounded, LRU).

    Only writes start from these copies, so a stale one costs a version conflict and
    a reload, nothing else. Entries are never handed out: callers get fresh dicts
    (:func:`from_document`), so nothing they change can leak into the next write.
    """

    def __init__(self, size: int = RECENT_DOCUMENTS) -> None:
        self.size = size
        self._docs: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def remember(self, doc: dict[str, Any]) -> None:
        """Keep a live profile's stored document (tombstones are forgotten instead)."""
        if self.size <= 0:
            return
        if doc.get("merged_into"):
            self._docs.pop(doc["_id"], None)
            return
        self._docs[doc["_id"]] = doc
        self._docs.move_to_end(doc["_id"])
        while len(self._docs) > self.size:
            self._docs.popitem(last=False)

    def forget(self, profile_ids: Iterable[str]) -> None:
        """Drop the copies of these profiles (they changed elsewhere)."""
        for profile_id in profile_ids:
            self._docs.pop(profile_id, None)

    def profiles(self, profile_ids: Iterable[str]) -> dict[str, ProfileDoc]:
        """Fresh profile dicts for the ids held, by id."""
        return {pid: from_document(self._docs[pid]) for pid in profile_ids if pid in self._docs}

    def tokens(self, profile_id: str, version: int) -> list[str]:
        """The write tokens of the held copy of a profile, if it is at ``version``."""
        doc = self._docs.get(profile_id)
        return _tokens(doc) if doc is not None and doc.get("version", 0) == version else []


class ProfileRepository:
    """Reads and writes profiles, following merges to the surviving profile."""

    def __init__(self, database: Database, *, recent_documents: int = RECENT_DOCUMENTS) -> None:
        self.collection = database.profiles
        self.recent = RecentDocuments(recent_documents)

    async def get(self, profile_id: str, *, follow_merges: bool = True) -> ProfileDoc | None:
        """Return the profile, or the profile it was merged into; ``None`` if unknown."""
        for _ in range(MAX_MERGE_HOPS):
            doc = await self.collection.find_one({"_id": profile_id})
            if doc is None:
                return None
            self.recent.remember(doc)
            if not follow_merges or not doc.get("merged_into"):
                return from_document(doc)
            profile_id = doc["merged_into"]
        raise RuntimeError(f"profile merge chain from {profile_id!r} is too long")

    async def get_many(self, profile_ids: Iterable[str]) -> dict[str, ProfileDoc]:
        """Return the live profiles among ``profile_ids``, by the id asked for.

        One query for the ids, and one per level of merges to follow (not one per merged profile).
        """
        docs = await self._find(list(dict.fromkeys(profile_ids)))
        found: dict[str, ProfileDoc] = {}
        following: dict[str, str] = {}
        for asked, doc in docs.items():
            if doc.get("merged_into"):
                following[asked] = doc["merged_into"]
            else:
                found[asked] = from_document(doc)
        for _ in range(MAX_MERGE_HOPS):
            if not following:
                return found
            targets = await self._find(list(dict.fromkeys(following.values())))
            for asked, target in list(following.items()):
                doc = targets.get(target)
                if doc is None:
                    del following[asked]
                elif doc.get("merged_into"):
                    following[asked] = doc["merged_into"]
                else:
                    found[asked] = from_document(doc)
                    del following[asked]
        raise RuntimeError(f"profile merge chains from {sorted(following)} are too long")

    async def _find(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored documents of ``ids`` (one round trip; none at all for no ids)."""
        if not ids:
            return {}
        cursor = self.collection.find({"_id": {"$in": ids}}).batch_size(len(ids) + 1)
        docs = {doc["_id"]: doc async for doc in cursor}
        for doc in docs.values():
            self.recent.remember(doc)
        return docs

    async def insert_many(self, profiles: Sequence[Mapping[str, Any]]) -> None:
        """Store new profiles."""
        if profiles:
            docs = [to_document(p) for p in profiles]
            await self.collection.insert_many(docs, ordered=False)

    async def save(self, profile: ProfileDoc) -> ProfileDoc:
        """Write ``profile`` if the store still holds the version it was read at."""
        saved = await self.save_many([profile])
        if profile["id"] not in saved:
            raise VersionConflict(f"profile {profile['id']} changed since it was read")
        return saved[profile["id"]]

    async def save_many(self, profiles: Sequence[ProfileDoc]) -> dict[str, ProfileDoc]:
        """Write many profiles in one round trip; return those written (the rest conflicted).

        Each write leaves a token in the document's short ``_w`` list, which later writes
        carry on: when some writes of a round conflict, or the connection drops before
        the store answers, one read of ``_w`` tells which landed, even if another process
        has written the profile again since. Raises the store's error if it cannot tell.
        """
        written, _ = await self._save_round(profiles)
        return written

    async def _save_round(self, profiles: Sequence[ProfileDoc]) -> tuple[dict[str, ProfileDoc], dict[str, Exception]]:
        """:meth:`save_many`, also returning the profiles the store refused to write (not conflicts)."""
        if not profiles:
            return {}, {}
        token = uuid.uuid4().hex[:16]
        requests = []
        docs = {}
        for profile in profiles:
            expected = profile.get("version", 0)
            doc = to_document({**profile, "version": expected + 1})
            doc["_w"] = [token, *self.recent.tokens(profile["id"], expected)][:WRITE_TOKENS_KEPT]
            docs[profile["id"]] = doc
            requests.append(ReplaceOne({"_id": profile["id"], "version": expected}, doc))
        lost: ConnectionFailure | None = None
        refused: dict[str, Exception] = {}
        try:
            result = await self.collection.bulk_write(requests, ordered=False)
            matched = result.matched_count
        except BulkWriteError as error:
            matched = error.details.get("nMatched", 0)
            for failure in error.details.get("writeErrors", []):
                refused[profiles[failure["index"]]["id"]] = WriteError(failure.get("errmsg", "write refused"),
                                                                       failure.get("code"), failure)
        except ConnectionFailure as error:  # the writes may or may not have landed
            matched, lost = -1, error
        landed = set(docs)
        if matched != len(profiles):
            landed = await self._landed(list(docs), token, lost)
        self.recent.forget(set(docs) - landed)
        for profile_id in landed:
            self.recent.remember(docs[profile_id])
        written = {p["id"]: {**p, "version": p.get("version", 0) + 1} for p in profiles if p["id"] in landed}
        return written, refused

    async def _landed(self, ids: list[str], token: str, lost: ConnectionFailure | None) -> set[str]:
        """The profiles among ``ids`` that a round with write token ``token`` wrote."""
        try:
            cursor = self.collection.find({"_id": {"$in": ids}}, {"_w": 1}).batch_size(len(ids) + 1)
            return {doc["_id"] async for doc in cursor if token in _tokens(doc)}
        except PyMongoError:
            if lost is not None:
                raise lost from None
            raise

    async def update(self, profile_id: str, changes: Sequence[Change]) -> ProfileDoc:
        """Apply ``changes`` to the (surviving) profile, retrying on version conflicts."""
        updated = await self.update_many({profile_id: list(changes)})
        return updated[profile_id]

    async def update_many(self, changes_by_id: Mapping[str, Sequence[Change]]) -> dict[str, ProfileDoc]:
        """Apply each profile's changes, batching the writes; return the saved profiles.

        Changes meant for a merged profile go to the profile it was merged into.
        Raises ``KeyError`` for a profile id that does not exist (the others are saved),
        or the first other error met (see :meth:`update_each`).
        """
        saved, failed = await self.update_each(changes_by_id)
        if failed:
            unknown = sorted(pid for pid, error in failed.items() if isinstance(error, KeyError))
            if unknown and len(unknown) == len(failed):
                raise KeyError(f"unknown profile ids: {unknown}")
            raise next(error for error in failed.values() if not isinstance(error, KeyError))
        return saved

    async def update_each(self, changes_by_id: Mapping[str, Sequence[Change]],
                          ) -> tuple[dict[str, ProfileDoc], dict[str, Exception]]:
        """Apply each profile's changes in shared write rounds; report each profile's outcome.

        Returns the saved profiles and the errors, both by the id asked for: ``KeyError``
        for an unknown profile, the exception a change raised, :class:`VersionConflict`
        after ``MAX_ATTEMPTS`` rounds, or the store's error for the profiles not saved
        when it failed. One profile's failure never keeps the others from being saved,
        and every change is applied exactly once to each profile that is saved.
        """
        remaining = {pid: list(changes) for pid, changes in changes_by_id.items()}
        saved: dict[str, ProfileDoc] = {}
        failed: dict[str, Exception] = {}
        try:
            for attempt in range(MAX_ATTEMPTS):
                if not remaining:
                    break
                await self._write_round(remaining, saved, failed, reuse_copies=attempt == 0)
        except Exception as error:  # noqa: BLE001 - the store failed: what is not saved yet fails with it
            failed.update(dict.fromkeys(remaining, error))
            return saved, failed
        for profile_id in remaining:
            failed[profile_id] = VersionConflict(f"gave up on profile {profile_id} after {MAX_ATTEMPTS} conflicts")
        return saved, failed

    async def _write_round(self, remaining: dict[str, list[Change]], saved: dict[str, ProfileDoc],
                           failed: dict[str, Exception], *, reuse_copies: bool) -> None:
        """Load (or reuse), change and save the remaining profiles once; move the settled ones out."""
        current = await self._current(remaining, reuse_copies=reuse_copies)
        for profile_id in set(remaining) - set(current):
            failed[profile_id] = KeyError(f"unknown profile id: {profile_id}")
            del remaining[profile_id]
        changed = []
        for survivor, (doc, asked) in _group_by_survivor(current, remaining).items():
            try:
                changed.append(apply_changes(doc, [change for pid in asked for change in remaining[pid]]))
            except Exception as error:  # noqa: BLE001 - this profile's changes fail, not the others'
                for profile_id in asked:
                    failed[profile_id] = error
                    del remaining[profile_id]
        written, refused = await self._save_round(changed)
        for asked in list(remaining):
            survivor = current[asked]["id"]
            if survivor in written:
                saved[asked] = written[survivor]
                del remaining[asked]
            elif survivor in refused:
                failed[asked] = refused[survivor]
                del remaining[asked]

    async def _current(self, remaining: Mapping[str, Any], *, reuse_copies: bool) -> dict[str, ProfileDoc]:
        """The live profiles to change, by the id asked for: held copies first, the rest loaded."""
        current = self.recent.profiles(remaining) if reuse_copies else {}
        if len(current) < len(remaining):
            current.update(await self.get_many(pid for pid in remaining if pid not in current))
        return current


def _tokens(doc: Mapping[str, Any]) -> list[str]:
    """The write tokens a stored document carries (a lone string from older writes counts)."""
    tokens = doc.get("_w")
    if isinstance(tokens, str):
        return [tokens]
    return [t for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else []


def _group_by_survivor(current: Mapping[str, ProfileDoc], remaining: Mapping[str, list[Change]],
                       ) -> dict[str, tuple[ProfileDoc, list[str]]]:
    """Gather the ids asked for that lead to the same live profile (their changes go to it once)."""
    grouped: dict[str, tuple[ProfileDoc, list[str]]] = {}
    for asked in remaining:
        doc = current[asked]
        grouped.setdefault(doc["id"], (doc, []))[1].append(asked)
    return grouped
