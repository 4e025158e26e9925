"""The ingestion pipeline: from validated events to stored events and updated profiles.

For one request's events, in a fixed number of round trips whatever their count:
drop the already-stored message ids, resolve profiles, assign sessions, insert the
events, start/extend sessions, apply every profile change through the group-commit
writer, unify profiles that share a merge key, then tell the listeners.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import BulkWriteError

from cairn.core.identity.keys import anonymous_key, user_key
from cairn.core.identity.merge import MergeRefused, ProfileMerger
from cairn.core.identity.merge_keys import MergeKeyUnifier
from cairn.core.identity.resolver import IdentityRequest, IdentityResolver
from cairn.core.ids import new_id
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.profile_changes import changes_for_event, identifiers_in
from cairn.core.ingestion.sessions import record_sessions, session_for
from cairn.core.models.source import EventSource
from cairn.core.profiles.changes import Change, apply_changes
from cairn.core.profiles.repository import ProfileRepository
from cairn.core.profiles.writer import ProfileWriter
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys

DUPLICATE_KEY = 11000
StoredListener = Callable[[list[dict[str, Any]]], Awaitable[None]]


@dataclass
class ProcessOutcome:
    """What an event processor (the flow engine, for one) wants done with a request's events."""

    changes: dict[str, list[Change]] = field(default_factory=dict)
    ux: list[dict[str, Any]] = field(default_factory=list)


EventProcessor = Callable[[list[dict[str, Any]], dict[str, dict[str, Any]]], Awaitable[ProcessOutcome]]
"""Called with the stored events and their profiles (the events' own changes already
applied, in memory); its changes are saved with the events' in one write."""


@dataclass
class IngestResult:
    """What happened to each event of a request, by its index in the request."""

    stored: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    ux: list[dict[str, Any]] = field(default_factory=list)

    @property
    def profile_id(self) -> str | None:
        """The profile of the first stored event (what a single-visitor caller keeps)."""
        return self.stored[0]["profile_id"] if self.stored else None


class Pipeline:
    """Stores events and keeps profiles, identities and sessions up to date."""

    def __init__(self, database: Database, merge_keys: tuple[str, ...]) -> None:
        self.database = database
        self.repository = ProfileRepository(database)
        self.writer = ProfileWriter(self.repository)
        self.merger = ProfileMerger(database, self.repository)
        self.resolver = IdentityResolver(database, self.repository, self.merger)
        self.unifier = MergeKeyUnifier(database, self.repository, self.merger, merge_keys)
        self.listeners: list[StoredListener] = []
        self.processors: list[EventProcessor] = []

    async def ingest(self, source: EventSource, events: list[IncomingEvent]) -> IngestResult:
        """Store ``events`` from ``source``; report stored events and duplicates."""
        result = IngestResult()
        fresh = await self._drop_known(source, events, result)
        if not fresh:
            return result
        profiles_by_request = await self.resolver.resolve([_identity(e) for e in fresh], fresh[0].received_at)
        await self._apply_aliases(fresh, profiles_by_request)
        docs, profiles = await self._build_documents(source, fresh, profiles_by_request)
        stored = await self._insert(docs, result)
        new_sessions = await record_sessions(self.database, stored)
        await self._update_profiles(stored, new_sessions, profiles, result)
        result.stored = stored
        for listener in self.listeners:
            await listener(stored)
        return result

    async def _drop_known(self, source: EventSource, events: list[IncomingEvent],
                          result: IngestResult) -> list[IncomingEvent]:
        message_ids = [event.message_id for event in events]
        cursor = self.database.events.find({"source_id": source.id, "message_id": {"$in": message_ids}},
                                           {"message_id": 1})
        seen = {doc["message_id"] async for doc in cursor}
        fresh = []
        for event in events:
            if event.message_id in seen:
                result.duplicates.append(event.index)
            else:
                seen.add(event.message_id)
                fresh.append(event)
        return fresh

    async def _apply_aliases(self, events: list[IncomingEvent], profiles: dict[IdentityRequest, str]) -> None:
        """``alias``: the profile known by ``previousId`` is the user's; merge it in."""
        for event in events:
            if event.kind != "alias" or not event.previous_id:
                continue
            target = profiles[_identity(event)]
            keys = [anonymous_key(event.previous_id), user_key(event.previous_id)]
            async for claim in self.database.identities.find({"_id": {"$in": keys}}):
                if claim["profile_id"] != target:
                    with suppress(MergeRefused):
                        await self.merger.merge(claim["profile_id"], target, reason=f"alias of {event.previous_id}")

    async def _build_documents(self, source: EventSource, events: list[IncomingEvent],
                               profiles_by_request: dict[IdentityRequest, str],
                               ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        profile_ids = {e.index: profiles_by_request[_identity(e)] for e in events}
        profiles = await self.repository.get_many(profile_ids.values())
        known_sessions: dict[str, str] = {}
        docs = []
        for event in events:
            profile = profiles.get(profile_ids[event.index])
            session_id = event.session_id or session_for(profile, event.occurred_at, known_sessions)
            docs.append(_event_document(source, event, profile["id"] if profile else profile_ids[event.index],
                                        session_id))
        return docs, {profile["id"]: profile for profile in profiles.values()}

    async def _insert(self, docs: list[dict[str, Any]], result: IngestResult) -> list[dict[str, Any]]:
        stored_form = [escape_keys({k: v for k, v in doc.items() if k != "index"}) for doc in docs]
        for doc in stored_form:
            doc["_id"] = doc.pop("id")
        try:
            await self.database.events.insert_many(stored_form, ordered=False)
        except BulkWriteError as error:
            rejected = set()
            for write_error in error.details["writeErrors"]:
                if write_error["code"] != DUPLICATE_KEY:
                    raise
                rejected.add(write_error["index"])
            result.duplicates.extend(docs[i]["index"] for i in sorted(rejected))
            return [doc for i, doc in enumerate(docs) if i not in rejected]
        return docs

    async def _update_profiles(self, stored: list[dict[str, Any]], new_sessions: set[str],
                               profiles: dict[str, dict[str, Any]], result: IngestResult) -> None:
        changes: dict[str, list[Change]] = {}
        identifiers: dict[str, dict[str, str]] = {}
        for event in stored:
            started = event["session_id"] in new_sessions
            new_sessions.discard(event["session_id"])
            changes.setdefault(event["profile_id"], []).extend(changes_for_event(event, started))
            found = identifiers_in(event.get("traits") or {})
            if found:
                identifiers.setdefault(event["profile_id"], {}).update(found)
        await self._run_processors(stored, profiles, changes, result)
        await self.writer.apply_many(changes)
        if identifiers:
            await self.unifier.unify(identifiers)


    async def _run_processors(self, stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]],
                              changes: dict[str, list[Change]], result: IngestResult) -> None:
        """Let processors see the profiles as they will be and add their changes to the same save."""
        if not self.processors:
            return
        current = {pid: apply_changes(copy.deepcopy(profiles[pid]), pid_changes)
                   for pid, pid_changes in changes.items() if pid in profiles}
        for processor in self.processors:
            outcome = await processor(stored, current)
            for profile_id, extra in outcome.changes.items():
                changes.setdefault(profile_id, []).extend(extra)
            result.ux.extend(outcome.ux)


def _identity(event: IncomingEvent) -> IdentityRequest:
    return IdentityRequest(anonymous_id=event.anonymous_id, user_id=event.user_id, profile_hint=event.profile_hint)


def _event_document(source: EventSource, event: IncomingEvent, profile_id: str, session_id: str) -> dict[str, Any]:
    return {
        "id": new_id(), "index": event.index, "type": event.type, "kind": event.kind, "source_id": source.id,
        "profile_id": profile_id, "session_id": session_id, "anonymous_id": event.anonymous_id,
        "user_id": event.user_id, "message_id": event.message_id, "properties": event.properties,
        "traits": event.traits, "context": event.context, "occurred_at": event.occurred_at,
        "sent_at": event.sent_at, "received_at": event.received_at, "valid": True, "validation_errors": [],
    }
