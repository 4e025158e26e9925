"""The ingestion pipeline: from validated events to stored events and updated profiles.

For one request's events, in a fixed number of round trips whatever their count:
drop the already-stored message ids, resolve profiles (merging on identify and
alias), assign sessions, insert the events as pending, start/extend sessions, apply
every profile change through the group-commit writer, mark the events complete (in
the background), unify profiles that share a merge key, then tell the listeners.

If anything fails before the profiles are written, :class:`IngestFailed` says which
events are stored; sending them again with the same message ids completes them (see
:mod:`cairn.core.ingestion.event_store`). Once a profile's changes are saved, its
events are never processed again.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from cairn.core.identity.claims import insert_claims
from cairn.core.identity.keys import anonymous_key, user_key
from cairn.core.identity.merge import MergeRefused, ProfileMerger
from cairn.core.identity.merge_keys import MergeKeyUnifier
from cairn.core.identity.resolver import IdentityRequest, IdentityResolver
from cairn.core.ingestion.event_store import Completions, event_document, find_known, insert_pending, release
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.ingestion.profile_changes import IDENTIFIER_TRAITS, changes_for_event, identifiers_in
from cairn.core.ingestion.sessions import assign_sessions, record_sessions
from cairn.core.models.source import EventSource
from cairn.core.profiles.changes import Change, apply_changes
from cairn.core.profiles.repository import ProfileRepository
from cairn.core.profiles.writer import ProfileWriter
from cairn.core.store.database import Database

logger = logging.getLogger("cairn.ingestion")
StoredListener = Callable[[list[dict[str, Any]]], Awaitable[None]]
Profiles = dict[str, dict[str, Any]]


@dataclass
class ProcessOutcome:
    """What an event processor (the flow engine, for one) wants done with a request's events."""

    changes: dict[str, list[Change]] = field(default_factory=dict)
    ux: list[dict[str, Any]] = field(default_factory=list)


EventValidator = Callable[[EventSource, list[IncomingEvent]],
                          Awaitable[tuple[list[IncomingEvent], list[dict[str, Any]]]]]
"""Called before anything is written: returns the events to keep and the refused ones
as ``{"index", "code", "message"}`` entries."""

EventProcessor = Callable[[list[dict[str, Any]], dict[str, dict[str, Any]]], Awaitable[ProcessOutcome]]
"""Called with the stored events and their profiles (the events' own changes already
applied, in memory); its changes are saved with the events' in one write."""


@dataclass
class IngestResult:
    """What happened to each event of a request, by its index in the request.

    ``duplicate_of`` holds, for each duplicate, the ``profile_id`` and ``session_id`` of
    the event stored before under the same message id.
    """

    stored: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    ux: list[dict[str, Any]] = field(default_factory=list)
    duplicate_of: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def first(self) -> dict[str, Any] | None:
        """The first stored event, or else the first duplicate's original (what a caller keeps)."""
        if self.stored:
            return self.stored[0]
        return self.duplicate_of[min(self.duplicate_of)] if self.duplicate_of else None

    @property
    def profile_id(self) -> str | None:
        """The profile of the first stored (or duplicate) event."""
        return self.first.get("profile_id") if self.first else None


class IngestFailed(Exception):
    """Processing failed midway. ``stored`` events are in the store, pending: sending them
    again with the same message ids completes them."""

    def __init__(self, stored: list[dict[str, Any]], cause: BaseException) -> None:
        super().__init__(f"{len(stored)} events stored but not processed: {cause!r}")
        self.stored = sorted(stored, key=lambda doc: doc["index"])
        self.cause = cause

    def to_json(self) -> dict[str, Any]:
        """The body of the 500 response."""
        what = (f"{len(self.stored)} of the events were stored but not processed" if self.stored
                else "no event was stored")
        error = {"code": "not_processed", "message": f"{what} ({type(self.cause).__name__})",
                 "hint": "Cairn processes them again by itself; sending the same events again with the same "
                         "messageIds is safe too: the stored ones are completed, not stored twice"}
        return {"success": False, "error": error,
                "stored": [{"index": doc["index"], "messageId": doc["message_id"]} for doc in self.stored]}


class Pipeline:
    """Stores events and keeps profiles, identities and sessions up to date."""

    def __init__(self, database: Database, merge_keys: tuple[str, ...]) -> None:
        self.database = database
        self.repository = ProfileRepository(database)
        self.writer = ProfileWriter(self.repository)
        self.merger = ProfileMerger(database, self.repository)
        self.resolver = IdentityResolver(database, self.repository, self.merger)
        self.unifier = MergeKeyUnifier(database, self.repository, self.merger, merge_keys)
        self.identifier_kinds = tuple(dict.fromkeys((*IDENTIFIER_TRAITS, *merge_keys)))
        self.completions = Completions(database)
        self.listeners: list[StoredListener] = []
        self.processors: list[EventProcessor] = []
        self.validators: list[EventValidator] = []

    async def ingest(self, source: EventSource, events: list[IncomingEvent], *,
                     validated: bool = False) -> IngestResult:
        """Store ``events`` from ``source``; report stored events and duplicates.

        ``validated`` says :meth:`validate` has kept these events already. Raises
        :class:`IngestFailed` if the events could not be completely processed.
        """
        result = IngestResult()
        if not validated:
            events = await self.validate(source, events, result.errors)
        stored: list[dict[str, Any]] = []
        progress = _Progress()
        try:
            known = await find_known(self.database, source, events)
            result.duplicate_of = known.duplicates
            stored, profiles = await self._store_new(source, known.fresh, result)
            stored.extend(known.resumed)
            if stored:
                await self._process(stored, profiles, result, progress)
        except Exception as error:
            cause: BaseException = error
            if isinstance(error, _Unwritten):
                stored, cause = [doc for doc in stored if doc["profile_id"] in error.profile_ids], error.cause
            with suppress(Exception):
                await release(self.database, stored, progress.visit_starts)
            raise IngestFailed(stored, cause) from error
        result.duplicates = sorted(result.duplicate_of)
        result.stored = sorted(stored, key=lambda doc: doc["index"])
        await self._notify(result.stored)
        return result

    async def validate(self, source: EventSource, events: list[IncomingEvent],
                       errors: list[dict[str, Any]]) -> list[IncomingEvent]:
        """Let the validators refuse events before anything is written; refused ones go to ``errors``."""
        for validator in self.validators:
            if not events:
                break
            events, refused = await validator(source, events)
            errors.extend(refused)
        return events

    async def _store_new(self, source: EventSource, events: list[IncomingEvent],
                         result: IngestResult) -> tuple[list[dict[str, Any]], Profiles]:
        """Resolve, build and insert (pending) the request's new events."""
        if not events:
            return [], {}
        profiles_by_request = await self.resolver.resolve([_identity(e) for e in events])
        await self._apply_aliases(events, profiles_by_request)
        asked = {e.index: profiles_by_request[_identity(e)] for e in events}
        found = await self.repository.get_many(asked.values())
        docs = [event_document(source, e, found[asked[e.index]]["id"] if asked[e.index] in found else asked[e.index])
                for e in events]
        profiles = {profile["id"]: profile for profile in found.values()}
        assign_sessions(docs, profiles)
        stored, raced = await insert_pending(self.database, docs)
        for doc in docs:
            if doc["index"] in raced:
                result.duplicate_of[doc["index"]] = {}
        return stored, profiles

    async def _apply_aliases(self, events: list[IncomingEvent], profiles: dict[IdentityRequest, str]) -> None:
        """``alias``: the profile known by ``previousId`` is the user's; merge it in, or claim the id."""
        for event in events:
            if event.kind == "alias" and event.previous_id:
                await self._alias(event.previous_id, profiles[_identity(event)])

    async def _alias(self, previous_id: str, target: str) -> None:
        keys = [anonymous_key(previous_id), user_key(previous_id)]
        for _ in range(3):
            claims = [doc["profile_id"] async for doc in self.database.identities.find({"_id": {"$in": keys}})]
            if not claims and not await insert_claims(self.database, {keys[0]: target}):
                return
            for holder in claims:
                if holder != target:
                    with suppress(MergeRefused):
                        target = await self.merger.merge(holder, target, reason=f"alias of {previous_id}")
            if claims:
                return

    async def _process(self, stored: list[dict[str, Any]], profiles: Profiles, result: IngestResult,
                       progress: _Progress) -> None:
        """Sessions, profile changes and merge keys for stored (or resumed) events; then mark them complete."""
        await self._load_missing_profiles(stored, profiles)
        progress.visit_starts = await self._record_sessions(stored, profiles)
        changes: dict[str, list[Change]] = {}
        identifiers: dict[str, dict[str, str]] = {}
        for event in stored:
            started = event["id"] in progress.visit_starts
            changes.setdefault(event["profile_id"], []).extend(
                changes_for_event(event, started, self.identifier_kinds))
            found = identifiers_in(event.get("traits") or {}, self.unifier.merge_keys)
            if found:
                identifiers.setdefault(event["profile_id"], {}).update(found)
        await self._run_processors(stored, profiles, changes, result)
        try:
            saved_to = await self._write_profiles(changes)
        except _Unwritten as unwritten:
            self.completions.add([doc for doc in stored if doc["profile_id"] not in unwritten.profile_ids])
            raise
        self.completions.add(stored)
        try:
            await self._repoint_merged_meanwhile(stored, saved_to)
            if identifiers:
                _follow_merges(stored, await self.unifier.unify(identifiers))
        except Exception:  # noqa: BLE001 - counted already: a retry must not count again; the next event retries
            logger.exception("events stored and counted, but merging their profiles failed")

    async def _write_profiles(self, changes: dict[str, list[Change]]) -> dict[str, str]:
        """Save each profile's changes (one shared write round); return ``{asked id: saved id}``.

        Raises :class:`_Unwritten` naming the profiles that could not be saved (the others are).
        """
        asked = list(changes)
        outcomes = await asyncio.gather(*(self.writer.apply(pid, changes[pid]) for pid in asked),
                                        return_exceptions=True)
        failed = {pid: outcome for pid, outcome in zip(asked, outcomes, strict=True)
                  if isinstance(outcome, BaseException)}
        if failed:
            raise _Unwritten(set(failed), next(iter(failed.values())))
        return {pid: str(outcome["id"]) for pid, outcome in zip(asked, outcomes, strict=True)
                if not isinstance(outcome, BaseException)}

    async def drain(self) -> None:
        """Wait for the background work of past requests (marking events complete); call before stopping."""
        await self.completions.drain()

    async def _repoint_merged_meanwhile(self, stored: list[dict[str, Any]], saved_to: dict[str, str]) -> None:
        """Events stored for a profile that was merged during the request go to the survivor too.

        The writer follows merges, so the counts are right; only this request's event and
        session documents may still name the merged profile.
        """
        moved = {asked: survivor for asked, survivor in saved_to.items() if asked != survivor}
        for loser, survivor in moved.items():
            ids = [doc["id"] for doc in stored if doc["profile_id"] == loser]
            await self.database.events.update_many({"_id": {"$in": ids}}, {"$set": {"profile_id": survivor}})
            await self.database.sessions.update_many({"profile_id": loser}, {"$set": {"profile_id": survivor}})
        _follow_merges(stored, moved)

    async def _record_sessions(self, stored: list[dict[str, Any]], profiles: Profiles) -> set[str]:
        """Start or extend the events' sessions; return the ids of the events that start a visit.

        Resumed events whose sessions a failed attempt recorded already are not counted again.
        ``profiles`` are as read before this request: an event continuing its profile's
        recorded visit may write no session at all (it starts none).
        """
        recorded = {doc["id"] for doc in stored if doc.pop("session_recorded", False)}
        visit_starts = {doc["id"] for doc in stored if doc.pop("session_started", False)}
        new_sessions = await record_sessions(self.database, [doc for doc in stored if doc["id"] not in recorded],
                                             profiles)
        for doc in stored:
            if doc["session_id"] in new_sessions and doc["id"] not in recorded:
                new_sessions.discard(doc["session_id"])
                visit_starts.add(doc["id"])
        return visit_starts

    async def _load_missing_profiles(self, stored: list[dict[str, Any]], profiles: Profiles) -> None:
        """Load the profiles of resumed events (which may have been merged since)."""
        missing = {doc["profile_id"] for doc in stored} - set(profiles)
        if not missing:
            return
        found = await self.repository.get_many(missing)
        for doc in stored:
            if doc["profile_id"] in found:
                profile = found[doc["profile_id"]]
                profiles[profile["id"]] = profile
                doc["profile_id"] = profile["id"]

    async def _run_processors(self, stored: list[dict[str, Any]], profiles: Profiles,
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

    async def _notify(self, stored: list[dict[str, Any]]) -> None:
        """Tell the listeners; the events are stored and processed, so a failing listener is only logged."""
        if not stored:
            return
        for listener in self.listeners:
            try:
                await listener(stored)
            except Exception:  # noqa: BLE001 - one listener must not fail the request
                logger.exception("listener %r failed on %d stored events", listener, len(stored))


class _Unwritten(Exception):
    """Some profiles' changes could not be saved; the other profiles' were."""

    def __init__(self, profile_ids: set[str], cause: BaseException) -> None:
        super().__init__(f"profiles {sorted(profile_ids)} not written: {cause!r}")
        self.profile_ids = profile_ids
        self.cause = cause


@dataclass
class _Progress:
    """How far a request got: the events that start a visit, once the sessions are recorded."""

    visit_starts: set[str] | None = None


def _identity(event: IncomingEvent) -> IdentityRequest:
    return IdentityRequest(anonymous_id=event.anonymous_id, user_id=event.user_id, profile_hint=event.profile_hint)


def _follow_merges(stored: list[dict[str, Any]], survivors: dict[str, str]) -> None:
    """Point the in-memory events at the profiles that survived merges (the store is re-pointed already)."""
    for doc in stored:
        seen = set()
        while doc["profile_id"] in survivors and doc["profile_id"] not in seen:
            seen.add(doc["profile_id"])
            doc["profile_id"] = survivors[doc["profile_id"]]
