"""Live segmentation: membership re-evaluated whenever a profile is saved.

On the event path it is a pipeline processor, registered last, so that the
membership changes join the single profile save of the request; once the save is
done, a pipeline listener records the changes and emits their internal events.
Saves made elsewhere (GraphQL edits, merges) reach :meth:`LiveSegments.profile_changed`
through the ``on_profile_changed`` hook.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.ingestion.pipeline import ProcessOutcome
from cairn.core.profiles.writer import ProfileWriter

from .catalog import SegmentCatalog
from .events import TransitionRecorder
from .membership import Evaluator, MembershipChange
from .models import Transition

PENDING_SECONDS = 300.0
"""How long changes wait for their save (a failed save never reports back)."""
_evaluated: ContextVar[frozenset[str]] = ContextVar("cairn_segments_evaluated", default=frozenset())
"""Profiles evaluated by the processor of the current request: their save needs no second look."""


class LiveSegments:
    """Evaluates the enabled segments for the profiles a request or an edit changed."""

    def __init__(self, catalog: SegmentCatalog, evaluator: Evaluator, recorder: TransitionRecorder,
                 writer: ProfileWriter) -> None:
        self.catalog = catalog
        self.evaluator = evaluator
        self.recorder = recorder
        self.writer = writer
        self._pending: dict[str, tuple[float, list[tuple[MembershipChange, list[Transition]]], dict[str, Any]]] = {}

    async def process(self, stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        """The pipeline processor: membership changes of the request's profiles, saved with them."""
        segments = await self.catalog.enabled()
        if not segments or not stored:
            return ProcessOutcome()
        _evaluated.set(_evaluated.get() | set(profiles))
        now = utcnow()
        verdicts = await self.evaluator.verdicts(segments, profiles, now)
        if not verdicts:
            return ProcessOutcome()
        changes = {pid: verdict.change() for pid, verdict in verdicts.items()}
        made = [(changes[pid], verdict.transitions(pid, now, "event")) for pid, verdict in verdicts.items()]
        sessions = {pid: profiles[pid].get("last_session_id") for pid in verdicts}
        self._remember(_request_key(stored), made, sessions)
        return ProcessOutcome(changes={pid: [change] for pid, change in changes.items()})

    async def after_store(self, stored: list[dict[str, Any]]) -> None:
        """The pipeline listener: the request's profiles are saved; record and announce the changes."""
        _evaluated.set(frozenset())
        pending = self._pending.pop(_request_key(stored), None) if stored else None
        if pending:
            _, made, sessions = pending
            transitions = [t for change, planned in made for t in change.effective(planned)]
            await self.recorder.record(transitions, sessions, emit=True)

    async def profile_changed(self, profile: Mapping[str, Any]) -> None:
        """A profile was saved outside the event path: bring its membership up to date."""
        if profile.get("merged_into") or "id" not in profile or profile["id"] in _evaluated.get():
            return
        segments = await self.catalog.enabled()
        now = utcnow()
        verdicts = await self.evaluator.verdicts(segments, {profile["id"]: profile}, now)
        verdict = verdicts.get(profile["id"])
        if not verdict:
            return
        change = verdict.change()
        token = _evaluated.set(_evaluated.get() | {profile["id"]})
        try:
            saved = await self.writer.apply(profile["id"], [change])
        finally:
            _evaluated.reset(token)
        transitions = change.effective(verdict.transitions(saved["id"], now, "profile"))
        await self.recorder.record(transitions, {saved["id"]: saved.get("last_session_id")}, emit=True)

    def _remember(self, key: str, made: list[tuple[MembershipChange, list[Transition]]],
                  sessions: dict[str, Any]) -> None:
        now = time.monotonic()
        for stale in [k for k, (at, _, _) in self._pending.items() if now - at > PENDING_SECONDS]:
            del self._pending[stale]
        self._pending[key] = (now, made, sessions)


def _request_key(stored: list[dict[str, Any]]) -> str:
    """What names one request's events for both the processor and the listener (in any order)."""
    return min(str(event["id"]) for event in stored)
